// The MemberCluster API (gridfed.io/v1alpha1, cluster-scoped): a registered member
// cluster and the Secret that holds the hub's kubeconfig for it.
import type { V1Condition, V1ObjectMeta } from '@kubernetes/client-node';
import { GRIDFED_API_VERSION } from '#gridfed/grid-api';

export const MEMBER_CLUSTER_KIND = 'MemberCluster';
export const MEMBER_CLUSTER_PLURAL = 'memberclusters';
/** Where the hub runs and keeps member credentials, unless configured otherwise. */
export const DEFAULT_HUB_NAMESPACE = 'gridfed-system';
/** Key of the member kubeconfig inside its Secret. */
export const KUBECONFIG_SECRET_KEY = 'kubeconfig';
/** Secret name for a member: `member-<name>`. */
export const memberSecretName = (member: string): string => `member-${member}`;

/** In each member: the identity the hub acts as, with least privilege. */
export const MEMBER_AGENT_NAMESPACE = 'gridfed-system';
export const MEMBER_AGENT_SERVICE_ACCOUNT = 'gridfed-hub';
export const MEMBER_AGENT_CLUSTER_ROLE = 'gridfed:hub';
export const MEMBER_AGENT_TOKEN_SECRET = 'gridfed-hub-token';

/** Condition type: the hub reached the member's apiserver at the last probe. */
export const REACHABLE_CONDITION = 'Reachable';

export interface MemberClusterSpec {
  secretRef: { name: string; namespace?: string; key?: string };
  description?: string;
  /** Opted in at registration (`gridfed register --manage-nodes`): the hub may patch the member's nodes. */
  manageNodes?: boolean;
  /** Opted in at registration (`gridfed register --manage-secrets`): the hub may write Secret copies by name. */
  manageSecrets?: boolean;
}

export interface MemberClusterStatus {
  observedGeneration?: number;
  conditions?: V1Condition[];
  kubernetesVersion?: string;
  /** gridUniqKey -> NodeUnits this member hosts (for the keys grids use). */
  nodeUnits?: Record<string, string[]>;
  nodeUnitCount?: number;
  /** The hub replica that owns (connects to and writes to) this member. */
  owner?: string;
}

export interface MemberCluster {
  apiVersion: typeof GRIDFED_API_VERSION;
  kind: typeof MEMBER_CLUSTER_KIND;
  metadata: V1ObjectMeta;
  spec: MemberClusterSpec;
  status?: MemberClusterStatus;
}
