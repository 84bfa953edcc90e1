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
