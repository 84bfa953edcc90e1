// What the HTTP API returns, described for the OpenAPI document.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { GRID_KINDS, type GridKind } from '#gridfed/grid-api';

export class ClusterDto {
  @ApiProperty() name!: string;
  @ApiProperty() reachable!: boolean;
  @ApiPropertyOptional({ description: 'why it is unreachable or unusable' }) detail?: string;
  @ApiPropertyOptional() kubernetesVersion?: string;
  @ApiProperty({
    description: 'gridUniqKey -> NodeUnits hosted',
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
  })
  nodeUnits!: Record<string, string[]>;
}

export class NodeUnitRowDto {
  @ApiProperty() nodeUnit!: string;
  @ApiProperty() cluster!: string;
  @ApiPropertyOptional() template?: string;
  @ApiPropertyOptional() readyReplicas?: number;
  @ApiPropertyOptional() desiredReplicas?: number;
  @ApiProperty() ready!: boolean;
  @ApiProperty() synced!: boolean;
  @ApiProperty() reachable!: boolean;
  @ApiProperty({ description: 'true when the member is unreachable and this is its last known state' }) stale!: boolean;
  @ApiPropertyOptional() lastSeen?: string;
  @ApiPropertyOptional() error?: string;
}

export class ConditionDto {
  @ApiProperty() type!: string;
  @ApiProperty({ enum: ['True', 'False', 'Unknown'] }) status!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional() observedGeneration?: number;
}

export class GridSummaryDto {
  @ApiProperty({ enum: GRID_KINDS }) kind!: GridKind;
  @ApiProperty() namespace!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'labelled superedge.io/fed: "yes" and not being deleted' }) distributed!: boolean;
  @ApiPropertyOptional() generation?: number;
  @ApiPropertyOptional({ description: 'the generation the status describes' }) observedGeneration?: number;
  @ApiProperty({ type: [NodeUnitRowDto], description: 'from the status gridfed wrote on the grid' })
  nodeUnits!: NodeUnitRowDto[];
  @ApiProperty({ type: [ConditionDto] }) conditions!: ConditionDto[];
}

export class GridDetailDto extends GridSummaryDto {
  @ApiProperty({
    description: "the grid's status as gridfed wrote it",
    type: 'object',
    additionalProperties: true,
  })
  status!: Record<string, unknown>;
}

export class QueueDto {
  @ApiProperty() member!: string;
  @ApiProperty() waiting!: number;
  @ApiProperty() active!: number;
  @ApiProperty() delayed!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() paused!: boolean;
}

export class GridListQuery {
  @ApiPropertyOptional({ enum: GRID_KINDS }) @IsOptional() @IsIn(GRID_KINDS) kind?: GridKind;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/) namespace?: string;
}

export class GridParams {
  @ApiProperty({ enum: GRID_KINDS }) @IsIn(GRID_KINDS) kind!: GridKind;
  @ApiProperty()
  @Matches(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: 'namespace must be a DNS label' })
  namespace!: string;
  @ApiProperty()
  @Matches(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { message: 'name must be a DNS subdomain' })
  name!: string;
}
