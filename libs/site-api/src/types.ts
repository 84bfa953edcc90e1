// The site API (site.superedge.io/v1alpha1): SuperEdge site-manager's NodeUnit and NodeGroup, with
// site-manager's field names, plus the status fields gridfed adds (members, conflicts, conditions).
import type { V1Condition, V1ObjectMeta } from '@kubernetes/client-node';

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
export const SELECTOR_OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

export interface SelectorRequirement {
  key: string;
  operator: SelectorOperator;
  values?: string[];
}

/** A Kubernetes label selector; `annotations` (site-manager's addition) must all be present too. */
export interface SiteSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: SelectorRequirement[];
  annotations?: Record<string, string>;
}

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
export const TAINT_EFFECTS: readonly TaintEffect[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export interface NodeTaint {
  key: string;
  value?: string;
  effect: TaintEffect;
  timeAdded?: string;
}

/** What the hub sets on every node of a NodeUnit. */
export interface SetNode {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  taints?: NodeTaint[];
}

export interface NodeUnitSpec {
  /** edge, cloud, master or other (site-manager's; the hub only shows it). */
  type?: string;
  /** site-manager's; the hub does not act on it. */
  unschedulable?: boolean;
  /** `member/node`, or a node name matched in every member. */
  nodes?: string[];
  selector?: SiteSelector;
  setnode?: SetNode;
  /** site-manager's NodeUnit-level taints for its own scheduler; the hub does not act on them. */
  taints?: NodeTaint[];
}

export type NodeFieldKind = 'label' | 'annotation' | 'taint';

/** A node field two NodeUnits want different values for (see planNodeMembership). */
export interface NodeUnitConflict {
  /** `member/node` */
  node: string;
  kind: NodeFieldKind;
  /** Label or annotation key, or `key:effect` of a taint. */
  key: string;
  /** Every NodeUnit that wants a value for the key on the node, sorted. */
  nodeUnits: string[];
  /** Set when the key is this NodeGroup's `<nodegroup>: <nodeunit>` label. */
  nodeGroup?: string;
  /** The node carries the key with another value that the hub did not set: the hub leaves it. */
  setByOthers?: boolean;
}

export interface NodeUnitStatus {
  /** Ready nodes / selected nodes, e.g. `3/4`. */
  readyrate?: string;
  /** `member/node`, sorted. */
  readynodes?: string[];
  notreadynodes?: string[];
  /** Members hosting nodes of the NodeUnit, sorted. */
  members?: string[];
  conflicts?: NodeUnitConflict[];
  observedGeneration?: number;
  conditions?: V1Condition[];
}

export interface NodeUnit {
  apiVersion?: string;
  kind?: 'NodeUnit';
  metadata: V1ObjectMeta & { name: string };
  spec?: NodeUnitSpec;
  status?: NodeUnitStatus;
}

export interface NodeGroupWorkload {
  name?: string;
  type?: string;
  selector?: SiteSelector;
}

export interface NodeGroupSpec {
  nodeunits?: string[];
  /** Matches NodeUnit labels (not annotations). */
  selector?: SiteSelector;
  /** site-manager creates NodeUnits from these node label keys; gridfed does not (see AUTO_FIND_NODE_KEYS_VALUE). */
  autofindnodekeys?: string[];
  /** Recorded only, as in site-manager. */
  workload?: NodeGroupWorkload[];
}

/** Per grid that follows the NodeGroup: its ready and not-ready NodeUnits. */
export interface NodeGroupWorkloadStatus {
  workloadname?: string;
  readyunit?: string[];
  notreadyunit?: string[];
}

export interface NodeGroupStatus {
  unitnumber?: number;
  nodeunits?: string[];
  workloadstatus?: NodeGroupWorkloadStatus[];
  observedGeneration?: number;
  conditions?: V1Condition[];
}

export interface NodeGroup {
  apiVersion?: string;
  kind?: 'NodeGroup';
  metadata: V1ObjectMeta & { name: string };
  spec?: NodeGroupSpec;
  status?: NodeGroupStatus;
}
