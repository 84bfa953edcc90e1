// What `gridfed register` creates in the control cluster: the Secret with the member's
// agent kubeconfig, and the MemberCluster that points at it. Pure builders.
import type { V1Namespace, V1Secret } from '@kubernetes/client-node';
import {
  KUBECONFIG_SECRET_KEY,
  MEMBER_CLUSTER_KIND,
  memberSecretName,
  type MemberCluster,
} from '#gridfed/cluster-registry';
import { GRIDFED_API_VERSION, MANAGED_BY_LABEL, MANAGED_BY_VALUE, MEMBER_CLUSTER_LABEL } from '#gridfed/grid-api';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_LABEL = 63;

/** Why `value` cannot be `what` (a DNS label: a member name, a namespace), or undefined when it can. */
export function dnsLabelError(what: string, value: string): string | undefined {
  if (value.length === 0) return `${what} is empty`;
  if (value.length > MAX_LABEL) {
    return `${what} "${value}" is ${value.length} characters long; a DNS label has at most ${MAX_LABEL}`;
  }
  if (!DNS_LABEL.test(value)) {
    return `${what} "${value}" is not a DNS label (lower-case letters, digits and '-', starting and ending with a letter or digit)`;
  }
  return undefined;
}

const registrationLabels = (member: string): Record<string, string> => ({
  [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
  [MEMBER_CLUSTER_LABEL]: member,
});

export function hubNamespace(namespace: string): V1Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } };
}

export function memberKubeconfigSecret(member: string, namespace: string, kubeconfig: string): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name: memberSecretName(member), namespace, labels: registrationLabels(member) },
    data: { [KUBECONFIG_SECRET_KEY]: Buffer.from(kubeconfig, 'utf8').toString('base64') },
  };
}

export function memberClusterObject(
  member: string,
  namespace: string,
  description?: string,
  manageNodes?: boolean,
  manageSecrets?: boolean,
): MemberCluster {
  return {
    apiVersion: GRIDFED_API_VERSION,
    kind: MEMBER_CLUSTER_KIND,
    metadata: { name: member, labels: registrationLabels(member) },
    spec: {
      secretRef: { name: memberSecretName(member), namespace, key: KUBECONFIG_SECRET_KEY },
      ...(description ? { description } : {}),
      ...(manageNodes ? { manageNodes } : {}),
      ...(manageSecrets ? { manageSecrets } : {}),
    },
  };
}
