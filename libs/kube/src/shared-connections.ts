// One connection pool per cluster. client-node 2.x builds a new undici Agent inside
// every applySecurityAuthentication call, so each request opens its own TLS
// connection: a handshake per request (CPU on the hub and on the apiserver) and an
// idle agent left behind (kubernetes-client/javascript#2893). A KubeConfig passed
// through shareConnections hands every request the first agent it made instead, so
// requests and watches reuse keep-alive connections as client-go does.
import type { KubeConfig, RequestContext } from '@kubernetes/client-node';

type Dispatcher = ReturnType<RequestContext['getDispatcher']>;

const pools = new WeakMap<KubeConfig, NonNullable<Dispatcher>>();

/** Makes `kc` reuse one agent for all its requests; returns the same KubeConfig. */
export function shareConnections(kc: KubeConfig): KubeConfig {
  const authenticate = kc.applySecurityAuthentication.bind(kc);
  kc.applySecurityAuthentication = async (ctx: RequestContext): Promise<void> => {
    await authenticate(ctx);
    // Headers (tokens, exec credentials) stay per request; only the TLS agent is shared.
    const fresh = ctx.getDispatcher();
    if (fresh === undefined) return; // plain HTTP without TLS settings: undici's global pool
    const pool = pools.get(kc) ?? fresh;
    pools.set(kc, pool);
    ctx.setDispatcher(pool);
  };
  return kc;
}

/** Closes the shared connections of a KubeConfig that is no longer used (a member removed or re-keyed). */
export async function releaseConnections(kc: KubeConfig): Promise<void> {
  const pool = pools.get(kc);
  pools.delete(kc);
  await (pool as { destroy?: () => Promise<void> } | undefined)?.destroy?.();
}
