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
  @ApiPropertyOptional({ description: 'the revision the member object carries (workloads)' }) revision?: string;
}

export class ConditionDto {
  @ApiProperty() type!: string;
  @ApiProperty({ enum: ['True', 'False', 'Unknown'] }) status!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional() observedGeneration?: number;
}

export class RolloutDto {
  @ApiPropertyOptional({ enum: ['Progressing', 'Paused', 'Complete', 'Failed', 'RolledBack'] }) phase?: string;
  @ApiPropertyOptional() stableRevision?: string;
  @ApiPropertyOptional() updateRevision?: string;
  @ApiPropertyOptional() wave?: number;
  @ApiPropertyOptional() waves?: number;
  @ApiPropertyOptional({ description: 'NodeUnits whose member objects run the update revision' })
  updatedNodeUnits?: number;
  @ApiPropertyOptional() failedRevision?: string;
  @ApiPropertyOptional() message?: string;
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
  @ApiPropertyOptional({ type: RolloutDto, description: 'workload grids: the rollout of their templates' })
  rollout?: RolloutDto;
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

export class FieldChangeDto {
  @ApiProperty({ example: 'spec.template.spec.containers[0].image' }) path!: string;
  @ApiPropertyOptional() from?: unknown;
  @ApiPropertyOptional() to?: unknown;
}

export class ObjectPreviewDto {
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) nodeUnits!: string[];
  @ApiProperty({ enum: ['create', 'update', 'unchanged', 'delete', 'conflict', 'error'] }) action!: string;
  @ApiPropertyOptional({ type: [FieldChangeDto] }) changes?: FieldChangeDto[];
  @ApiPropertyOptional() detail?: string;
}

export class MemberPreviewDto {
  @ApiProperty() cluster!: string;
  @ApiProperty() reachable!: boolean;
  @ApiProperty({ type: [ObjectPreviewDto] }) objects!: ObjectPreviewDto[];
}

export class GridPreviewDto {
  @ApiProperty() kind!: string;
  @ApiProperty() namespace!: string;
  @ApiProperty() name!: string;
  @ApiProperty() valid!: boolean;
  @ApiPropertyOptional({ description: 'every problem with its field path, when not valid' })
  errors?: { path: string; message: string }[];
  @ApiProperty({ type: [MemberPreviewDto] }) members!: MemberPreviewDto[];
  @ApiPropertyOptional({
    description: 'Progressive grids: NodeUnits each wave moves, in order',
    type: 'array',
    items: { type: 'array', items: { type: 'string' } },
  })
  waves?: string[][];
}
