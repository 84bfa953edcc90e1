// The CLI's requests to the hub's HTTP API (`--hub`, else $GRIDFED_HUB_URL), with the
// bearer token of $GRIDFED_HUB_TOKEN when set (a hub with HTTP_AUTH=kubernetes needs one).
import { CliError } from './cli-output.js';

export const DEFAULT_HUB_URL = process.env['GRIDFED_HUB_URL'] ?? 'http://127.0.0.1:8080';

/** GET or POST `path` on the hub and return its JSON; a clear error when the hub is away or says no. */
export async function hubJson<T>(
  hub: string,
  path: string,
  init: { query?: Record<string, string>; body?: unknown } = {},
): Promise<T> {
  const url = new URL(path, hub);
  for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
  const token = process.env['GRIDFED_HUB_TOKEN'];
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  let res: Response;
  try {
    res = await fetch(url, {
      signal: AbortSignal.timeout(60_000),
      headers,
      ...(init.body === undefined
        ? {}
        : {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            body: JSON.stringify(init.body),
          }),
    });
  } catch (err) {
    throw new CliError(
      `cannot reach the hub at ${hub} (${err instanceof Error ? err.message : String(err)}); set --hub or GRIDFED_HUB_URL`,
    );
  }
  const hint =
    res.status === 401
      ? ' (set GRIDFED_HUB_TOKEN to a token of the control cluster, e.g. `kubectl create token <sa>`)'
      : '';
  if (!res.ok) throw new CliError(`hub ${url.toString()}: HTTP ${res.status} ${await res.text()}${hint}`);
  return (await res.json()) as T;
}
