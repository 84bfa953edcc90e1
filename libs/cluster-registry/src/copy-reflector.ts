// The SiteConfig copies in one member (ConfigMaps gridfed rendered per NodeUnit, and the ledgers
// naming a Secret SiteConfig's copies), watched so a
// hand edit or deletion is seen at once, like the grids' workloads. Metadata only: a change of
// data shows as a new resourceVersion, and the hub never holds a copy's content in memory (the
// copy sync reads what it compares live). Secret copies are not watched: the agent may not
// list Secrets (libs/site-config secret-copy-ledger.ts).
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import {
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  NODE_UNIT_LABEL,
  SECRET_COPY_LEDGER_LABEL,
  SITE_CONFIG_NAME_ANNOTATION,
  SITE_CONFIG_NAME_LABEL,
  SITE_CONFIG_NAMESPACE_LABEL,
} from '#gridfed/grid-api';
import { listMetadata, PARTIAL_METADATA_ACCEPT, Reflector, withAcceptHeader, type WatchTiming } from '#gridfed/kube';

/** Every copy of every SiteConfig: gridfed's objects that name a SiteConfig namespace. */
export const SITE_CONFIG_COPY_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${SITE_CONFIG_NAMESPACE_LABEL}`;

const CONFIG_MAPS_PATH = '/api/v1/configmaps';

export interface CopyReflectorOptions extends WatchTiming {
  member: string;
  kc: KubeConfig;
  requestTimeoutMs: number;
  log: (level: 'info' | 'warn', message: string) => void;
  onRequest: (method: string, path: string) => void;
}

export function copyReflector(opts: CopyReflectorOptions): Reflector<KubernetesObject> {
  const { kc, member, requestTimeoutMs, onRequest, log, watchTimeoutSeconds, inactivityMs } = opts;
  return new Reflector<KubernetesObject>({
    watchTimeoutSeconds,
    inactivityMs,
    kc: withAcceptHeader(kc, PARTIAL_METADATA_ACCEPT),
    name: `${member}/configmaps (SiteConfig copies)`,
    path: CONFIG_MAPS_PATH,
    labelSelector: SITE_CONFIG_COPY_SELECTOR,
    list: (labelSelector) =>
      listMetadata(kc, CONFIG_MAPS_PATH, labelSelector ?? SITE_CONFIG_COPY_SELECTOR, {
        timeoutMs: requestTimeoutMs,
        onRequest,
      }),
    log,
    transform: copyStub,
  });
}

/** What says whose copy it is (copyOwnerOf reads these), and nothing else. */
export function copyStub(obj: KubernetesObject): KubernetesObject {
  const meta = obj.metadata ?? {};
  const labels = meta.labels ?? {};
  const keep = [
    MANAGED_BY_LABEL,
    SITE_CONFIG_NAMESPACE_LABEL,
    SITE_CONFIG_NAME_LABEL,
    NODE_UNIT_LABEL,
    SECRET_COPY_LEDGER_LABEL,
  ];
  const annotation = meta.annotations?.[SITE_CONFIG_NAME_ANNOTATION];
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      resourceVersion: meta.resourceVersion,
      labels: Object.fromEntries(keep.flatMap((k) => (labels[k] === undefined ? [] : [[k, labels[k]]]))),
      ...(annotation === undefined ? {} : { annotations: { [SITE_CONFIG_NAME_ANNOTATION]: annotation } }),
    },
  };
}
