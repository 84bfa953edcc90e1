// Command lines of etcd, kube-apiserver and kube-controller-manager for local clusters.
// Pure, so the choices of a light member (see LIGHT_APISERVER_FLAGS) are unit-tested.
import { join } from 'node:path';
import type { ClusterPki } from './pki.js';

/** How much of a Kubernetes control plane a cluster runs. */
export type ClusterProfile = 'full' | 'light';

export interface EtcdPorts {
  etcdClient: number;
  etcdPeer: number;
}

export function etcdArgs(name: string, dataDir: string, ports: EtcdPorts): string[] {
  return [
    `--name=${name}`,
    `--data-dir=${join(dataDir, 'etcd')}`,
    `--listen-client-urls=http://127.0.0.1:${ports.etcdClient}`,
    `--advertise-client-urls=http://127.0.0.1:${ports.etcdClient}`,
    `--listen-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
    `--initial-cluster=${name}=http://127.0.0.1:${ports.etcdPeer}`,
    '--unsafe-no-fsync',
    '--log-level=warn',
  ];
}

export interface ApiserverInput {
  profile: ClusterProfile;
  pki: ClusterPki;
  securePort: number;
  etcdClientPort: number;
  /** The cluster's own key space in an etcd that several apiservers share (light members). */
  etcdPrefix?: string;
}

/** Admission plugins a member the hub writes Deployments to does without (they watch or check pods, storage, quotas). */
export const LIGHT_DISABLED_ADMISSION = [
  'LimitRanger',
  'ServiceAccount',
  'TaintNodesByCondition',
  'PodSecurity',
  'Priority',
  'DefaultTolerationSeconds',
  'DefaultStorageClass',
  'StorageObjectInUseProtection',
  'PersistentVolumeClaimResize',
  'RuntimeClass',
  'CertificateApproval',
  'CertificateSigning',
  'ClusterTrustBundleAttest',
  'CertificateSubjectRestriction',
  'DefaultIngressClass',
  'PodTopologyLabels',
  'NodeDeclaredFeatureValidator',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionWebhook',
  'ResourceQuota',
];

/**
 * What makes a member light. Each flag trades something a fleet member of the bench does not use:
 * - no watch cache: every watch is served by etcd itself; the cache holds a copy of every
 *   object and a window of events per resource, the largest share of an idle apiserver's heap;
 * - only the API groups the hub and the registration use: each group served costs its
 *   storage, its informers and its OpenAPI;
 * - admission plugins that watch pods, quotas or storage off; NamespaceLifecycle stays;
 * - the plain in-flight limit (small) instead of priority and fairness, whose configuration
 *   objects and controller an idle server keeps busy;
 * - no garbage collector hook, no profiling endpoints.
 */
export const LIGHT_APISERVER_FLAGS = [
  '--watch-cache=false',
  '--runtime-config=api/all=false,v1=true,apps/v1=true,rbac.authorization.k8s.io/v1=true,' +
    'coordination.k8s.io/v1=true,authentication.k8s.io/v1=true,authorization.k8s.io/v1=true,' +
    'events.k8s.io/v1=true,apiextensions.k8s.io/v1=true,apiregistration.k8s.io/v1=true,discovery.k8s.io/v1=true,' +
    // The service IP allocator's repair loop, a start hook the server cannot do without, reads it.
    'networking.k8s.io/v1=true',
  `--disable-admission-plugins=${LIGHT_DISABLED_ADMISSION.join(',')}`,
  '--enable-priority-and-fairness=false',
  '--max-requests-inflight=100',
  '--max-mutating-requests-inflight=50',
  '--enable-garbage-collector=false',
  '--delete-collection-workers=1',
];

/**
 * Go runtime settings of a light member's processes: collect sooner (GOGC 50), so a
 * server that allocated during its start does not keep twice its live heap.
 */
export const LIGHT_GO_ENV: Record<string, string> = { GOGC: '50' };

export function apiserverArgs(input: ApiserverInput): string[] {
  const { pki } = input;
  const common = [
    `--etcd-servers=http://127.0.0.1:${input.etcdClientPort}`,
    ...(input.etcdPrefix ? [`--etcd-prefix=${input.etcdPrefix}`] : []),
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${input.securePort}`,
    `--tls-cert-file=${pki.servingCertFile}`,
    `--tls-private-key-file=${pki.servingKeyFile}`,
    `--client-ca-file=${pki.caCertFile}`,
    `--token-auth-file=${pki.tokenFile}`,
    '--authorization-mode=RBAC',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${pki.serviceAccountPubFile}`,
    `--service-account-signing-key-file=${pki.serviceAccountKeyFile}`,
    '--service-cluster-ip-range=10.96.0.0/12',
    '--endpoint-reconciler-type=none',
    '--allow-privileged=true',
    '--profiling=false',
  ];
  // Fake pods have no volumes to mount a token into.
  return input.profile === 'light'
    ? [...common, ...LIGHT_APISERVER_FLAGS]
    : [...common, '--disable-admission-plugins=ServiceAccount'];
}

/**
 * A light member runs only the token controller: `gridfed register` waits for it to fill the
 * member agent's token Secret. It has no pods to schedule, so no scheduler, kwok or other controller.
 */
export function controllerManagerArgs(profile: ClusterProfile, kubeconfig: string, pki: ClusterPki): string[] {
  const args = [
    `--kubeconfig=${kubeconfig}`,
    '--leader-elect=false',
    '--secure-port=0',
    `--service-account-private-key-file=${pki.serviceAccountKeyFile}`,
    `--root-ca-file=${pki.caCertFile}`,
  ];
  return profile === 'light'
    ? [...args, '--controllers=serviceaccount-token', '--kube-api-qps=20', '--kube-api-burst=40']
    : [...args, '--kube-api-qps=200', '--kube-api-burst=400'];
}

/** The components each profile runs besides etcd and the apiserver. */
export function extraComponents(profile: ClusterProfile): ('kube-controller-manager' | 'kube-scheduler' | 'kwok')[] {
  return profile === 'light' ? ['kube-controller-manager'] : ['kube-controller-manager', 'kube-scheduler', 'kwok'];
}
