// Typed API clients for one cluster, with a deadline on every request and a hook
// that sees each request (for metrics: requests per member, latency, errors).
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  EventsV1Api,
  KubeConfig,
  ServerConfiguration,
  VersionApi,
  createConfiguration,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';

/** One request as it leaves: enough to count requests per cluster and verb. */
export interface RequestRecord {
  cluster: string;
  method: string;
  /** Resource path without query, e.g. /apis/apps/v1/namespaces/default/deployments/web. */
  path: string;
}

export type RequestObserver = (record: RequestRecord) => void;

export interface ClientOptions {
  /** Name used in metrics and errors: the member cluster, or `control`. */
  cluster: string;
  /** Deadline of one request (client-node has none by default). */
  timeoutMs?: number;
  observe?: RequestObserver;
}

export interface KubeClients {
  cluster: string;
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  custom: CustomObjectsApi;
  events: EventsV1Api;
  version: VersionApi;
}

type ApiConstructor<T> = new (config: ReturnType<typeof createConfiguration>) => T;

export function createClients(kc: KubeConfig, options: ClientOptions): KubeClients {
  const make = <T>(api: ApiConstructor<T>): T => makeClient(kc, api, options);
  return {
    cluster: options.cluster,
    kc,
    core: make(CoreV1Api),
    apps: make(AppsV1Api),
    custom: make(CustomObjectsApi),
    events: make(EventsV1Api),
    version: make(VersionApi),
  };
}

export function makeClient<T>(kc: KubeConfig, api: ApiConstructor<T>, options: ClientOptions): T {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error(`${options.cluster}: kubeconfig has no current cluster`);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const observe = options.observe;
  const config = createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: { default: kc },
    promiseMiddleware: [
      {
        pre: async (ctx: RequestContext) => {
          ctx.setSignal(AbortSignal.timeout(timeoutMs));
          ctx.setHeaderParam('User-Agent', 'gridfed');
          observe?.({
            cluster: options.cluster,
            method: ctx.getHttpMethod().toString(),
            path: new URL(ctx.getUrl()).pathname,
          });
          return ctx;
        },
        post: async (res: ResponseContext) => res,
      },
    ],
  });
  return new api(config);
}

/**
 * The resource a request path addresses, without namespace or name: `deployments`,
 * `deploymentgrids/status`, `namespaces`. A bounded label for request metrics.
 */
export function resourceOfPath(path: string): string {
  const parts = path.split('/').filter(Boolean);
  // /api/v1/... or /apis/<group>/<version>/...
  const rest = parts[0] === 'api' ? parts.slice(2) : parts[0] === 'apis' ? parts.slice(3) : [];
  if (rest.length === 0) return parts.length === 0 ? '/' : `/${parts[0]}`;
  // namespaces/<ns>/<resource>/...; but `namespaces` and `namespaces/<ns>` are the namespace itself.
  const scoped = rest[0] === 'namespaces' && rest.length > 2 ? rest.slice(2) : rest;
  const [resource, , subresource] = scoped;
  return subresource ? `${resource}/${subresource}` : (resource ?? '');
}
