// What /api/nodeunits and /api/nodegroups return, described for the OpenAPI document.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { ConditionDto } from './dto.js';

export class MemberNodeCountDto {
  @ApiProperty() member!: string;
  @ApiProperty() ready!: number;
  @ApiProperty({ description: 'nodes of the NodeUnit in this member, ready or not' }) total!: number;
}

export class NodeUnitConflictDto {
  @ApiProperty({ example: 'member-1/edge-17' }) node!: string;
  @ApiProperty({ enum: ['label', 'annotation', 'taint'] }) kind!: string;
  @ApiProperty({ description: 'label or annotation key, or key:effect of a taint' }) key!: string;
  @ApiProperty({ type: [String], description: 'every NodeUnit that wants a value for the key on the node' })
  nodeUnits!: string[];
  @ApiPropertyOptional({ description: "set when the key is this NodeGroup's <nodegroup>: <nodeunit> label" })
  nodeGroup?: string;
  @ApiPropertyOptional({ description: 'the node carries another value the hub did not set' }) setByOthers?: boolean;
}

export class NodeUnitDto {
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'labelled superedge.io/fed: "yes": the hub manages its nodes in every member' })
  fed!: boolean;
  @ApiProperty({ example: 'edge' }) type!: string;
  @ApiProperty({ type: [String], description: 'members hosting nodes of the NodeUnit' }) members!: string[];
  @ApiProperty({ type: [String], example: ['member-1/edge-17'], description: 'member/node' }) readyNodes!: string[];
  @ApiProperty({ type: [String], description: 'member/node' }) notReadyNodes!: string[];
  @ApiPropertyOptional({ example: '3/4', description: 'ready nodes / selected nodes' }) readyRate?: string;
  @ApiProperty({ type: [MemberNodeCountDto] }) nodesPerMember!: MemberNodeCountDto[];
  @ApiProperty({ type: [NodeUnitConflictDto] }) conflicts!: NodeUnitConflictDto[];
  @ApiProperty({ type: [ConditionDto], description: 'NodesManaged, Conflicts, ... as the hub wrote them' })
  conditions!: ConditionDto[];
  @ApiPropertyOptional() generation?: number;
  @ApiPropertyOptional({ description: 'the generation the status describes' }) observedGeneration?: number;
}

export class NodeGroupWorkloadDto {
  @ApiPropertyOptional({ example: 'DeploymentGrid/default/web' }) workloadname?: string;
  @ApiPropertyOptional({ type: [String] }) readyunit?: string[];
  @ApiPropertyOptional({ type: [String] }) notreadyunit?: string[];
}

export class NodeGroupDto {
  @ApiProperty() name!: string;
  @ApiProperty() fed!: boolean;
  @ApiProperty({ type: [String] }) nodeUnits!: string[];
  @ApiProperty({ type: [NodeGroupWorkloadDto], description: 'per grid that follows the NodeGroup' })
  workloads!: NodeGroupWorkloadDto[];
  @ApiProperty({ type: [ConditionDto] }) conditions!: ConditionDto[];
  @ApiPropertyOptional() generation?: number;
  @ApiPropertyOptional() observedGeneration?: number;
}

export class SiteObjectParams {
  @ApiProperty()
  @Matches(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { message: 'name must be a DNS subdomain' })
  name!: string;
}
