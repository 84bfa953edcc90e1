// Metadata-only reads (PartialObjectMetadata): the apiserver sends each object's
// metadata and nothing else, so knowing which names exist in a cluster costs little
// memory and no request per object.
import {
  ApiException,
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  RequestContext,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { ListResult } from './reflector.js';

/** Accept header of a metadata-only list; plain JSON is the fallback of older servers. */
export const PARTIAL_METADATA_LIST_ACCEPT =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

/** Accept header of a metadata-only watch (each event carries a PartialObjectMetadata). */
export const PARTIAL_METADATA_ACCEPT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

const http = new IsomorphicFetchHttpLibrary();

/**
 * A metadata-only list of a collection (`/apis/apps/v1/deployments`). Not through the
 * typed clients: they would read the answer as a full list, and the server sends
 * `items: null` for an empty PartialObjectMetadataList, which their parser rejects.
 */
export async function listMetadata(
  kc: KubeConfig,
  path: string,
  labelSelector: string | undefined,
  opts: { timeoutMs?: number; onRequest?: (method: string, path: string) => void } = {},
): Promise<ListResult<KubernetesObject>> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('kubeconfig has no current cluster');
  const ctx = new RequestContext(`${server}${path}`, HttpMethod.GET);
  if (labelSelector) ctx.setQueryParam('labelSelector', labelSelector);
  ctx.setHeaderParam('Accept', PARTIAL_METADATA_LIST_ACCEPT);
  ctx.setHeaderParam('User-Agent', 'gridfed');
  ctx.setSignal(AbortSignal.timeout(opts.timeoutMs ?? 30_000));
  await kc.applySecurityAuthentication(ctx);
  opts.onRequest?.('GET', path);
  const res = await http.send(ctx).toPromise();
  const text = await res.body.text();
  if (res.httpStatusCode < 200 || res.httpStatusCode > 299)
    throw new ApiException(res.httpStatusCode, `list ${path}`, text, res.headers);
  const list = JSON.parse(text) as { items?: KubernetesObject[] | null; metadata?: { resourceVersion?: string } };
  return { items: list.items ?? [], metadata: list.metadata };
}

type WatchConfig = Pick<KubeConfig, 'getCurrentCluster' | 'applySecurityAuthentication'>;

/**
 * A KubeConfig view for client-node's Watch that also sets `Accept`: Watch takes its
 * headers only from the config's authentication step, so that is where it goes.
 */
export function withAcceptHeader(kc: KubeConfig, accept: string): KubeConfig {
  const view: WatchConfig = {
    getCurrentCluster: () => kc.getCurrentCluster(),
    applySecurityAuthentication: async (ctx) => {
      await kc.applySecurityAuthentication(ctx);
      ctx.setHeaderParam('Accept', accept);
    },
  };
  // Watch calls only these two methods (test/kube/metadata.e2e.ts watches this way).
  return view as unknown as KubeConfig;
}
