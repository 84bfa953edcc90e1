// What planNodeMembership reads and what it hands back.
import type { V1Condition } from '@kubernetes/client-node';
import type { AnyGrid } from '#gridfed/grid-api';
import type { NodeGroup, NodeGroupStatus, NodeTaint, NodeUnit, NodeUnitStatus } from '#gridfed/site-api';

/** A member's node as the planner needs it (see memberNodeOf). */
export interface MemberNode {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  taints: NodeTaint[];
  /** Its Ready condition is True. */
  ready: boolean;
  /** Echoed into the patch: sent as a precondition, a concurrent change of taints fails the patch and it is retried. */
  resourceVersion?: string;
}

export interface MemberNodes {
  member: string;
  /** The member opted in to node management (`gridfed register --manage-nodes`): the hub may patch its nodes. */
  manageNodes: boolean;
  nodes: MemberNode[];
}

export interface MembershipInput {
  /** Every NodeUnit of the control cluster; only those labelled superedge.io/fed: "yes" count. */
  nodeUnits: NodeUnit[];
  /** Every NodeGroup; only fed ones count. */
  nodeGroups: NodeGroup[];
  members: MemberNodes[];
  /** Every grid: those that follow a NodeGroup (gridUniqKey is its name) fill its status.workloadstatus. */
  grids?: AnyGrid[];
  /** Stamped on conditions that change status. */
  now: Date;
}

/**
 * A JSON merge patch for one node: `null` removes a key. `taints`, when present, is the node's
 * whole new taint list (a merge patch replaces lists): its own taints kept, the hub's updated.
 */
export interface NodePatch {
  member: string;
  node: string;
  resourceVersion?: string;
  labels: Record<string, string | null>;
  annotations: Record<string, string | null>;
  taints?: NodeTaint[];
}

export interface MembershipPlan {
  /** Only nodes that need a change, of members that opted in, sorted by member then node. */
  patches: NodePatch[];
  /** Per fed NodeUnit (by name): the status to write. */
  nodeUnitStatus: Map<string, NodeUnitStatus>;
  /** Per fed NodeGroup (by name): the status to write. */
  nodeGroupStatus: Map<string, NodeGroupStatus>;
  /** Problems that belong to no object, e.g. a node whose record annotation could not be read. */
  warnings: string[];
}

export type ConditionInput = Pick<V1Condition, 'type' | 'status' | 'reason' | 'message'>;
