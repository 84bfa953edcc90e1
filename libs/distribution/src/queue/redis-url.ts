// What REDIS_URL names: one redis-server (`redis://host:port`, as ioredis reads it) or a
// Redis Cluster by its seed nodes (`redis+cluster://host1:port1,host2:port2`). Pure: no I/O.

/** One redis-server; ioredis reads the URL itself (user, password, db, TLS for rediss://). */
export interface SingleRedisTarget {
  kind: 'single';
  url: string;
}

export interface RedisSeed {
  host: string;
  port: number;
}

/** A Redis Cluster: the nodes to start from (any reachable one tells the rest). */
export interface ClusterRedisTarget {
  kind: 'cluster';
  seeds: RedisSeed[];
  username?: string;
  password?: string;
  /** rediss+cluster://: TLS to every node. */
  tls: boolean;
}

export type RedisTarget = SingleRedisTarget | ClusterRedisTarget;

const SINGLE_SCHEMES = ['redis:', 'rediss:'];
const CLUSTER_SCHEMES = ['redis+cluster:', 'rediss+cluster:'];
const DEFAULT_PORT = 6379;
const EXAMPLES = 'redis://127.0.0.1:6379 or redis+cluster://10.0.0.1:6379,10.0.0.2:6379';

/** Parses REDIS_URL; throws an error naming REDIS_URL and what is wrong (never the password). */
export function parseRedisUrl(value: string): RedisTarget {
  const parsed = parse(value);
  if ('problem' in parsed) throw new Error(`REDIS_URL ${redact(value)}: ${parsed.problem}`);
  return parsed;
}

/** What is wrong with a REDIS_URL value, or undefined when it is fine (for config validation). */
export function redisUrlProblem(value: string): string | undefined {
  const parsed = parse(value);
  return 'problem' in parsed ? parsed.problem : undefined;
}

function parse(value: string): RedisTarget | { problem: string } {
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) return { problem: `not a URL: expected e.g. ${EXAMPLES}` };
  if (SINGLE_SCHEMES.includes(scheme)) return parseSingle(value);
  if (CLUSTER_SCHEMES.includes(scheme)) return parseCluster(value, scheme);
  return {
    problem: `unknown scheme "${scheme}//": use redis://, rediss:// (one server) or redis+cluster://, rediss+cluster:// (a Redis Cluster)`,
  };
}

function parseSingle(value: string): SingleRedisTarget | { problem: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: `not a valid URL: expected e.g. redis://127.0.0.1:6379` };
  }
  if (url.hostname === '') return { problem: 'no host: expected e.g. redis://127.0.0.1:6379' };
  return { kind: 'single', url: value };
}

/** `redis+cluster://[user[:password]@]host:port[,host:port...][/]`; a port left out is 6379. */
function parseCluster(value: string, scheme: string): ClusterRedisTarget | { problem: string } {
  let rest = value.slice(scheme.length + 2);
  if (/[?#]/.test(rest)) return { problem: 'a Redis Cluster URL takes no query or fragment' };
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const path = rest.slice(slash);
    if (path !== '/' && path !== '/0') return { problem: `a Redis Cluster has only database 0, not "${path}"` };
    rest = rest.slice(0, slash);
  }
  let username: string | undefined;
  let password: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = userinfo.indexOf(':');
    try {
      username = decodeURIComponent(colon >= 0 ? userinfo.slice(0, colon) : userinfo) || undefined;
      password = colon >= 0 ? decodeURIComponent(userinfo.slice(colon + 1)) || undefined : undefined;
    } catch {
      return { problem: 'the user or password is not validly percent-encoded' };
    }
  }
  if (rest.trim() === '') return { problem: `no seed nodes: expected e.g. ${scheme}//10.0.0.1:6379,10.0.0.2:6379` };
  const seeds: RedisSeed[] = [];
  for (const item of rest.split(',')) {
    const seed = parseSeed(item.trim());
    if ('problem' in seed) return seed;
    seeds.push(seed);
  }
  return {
    kind: 'cluster',
    seeds,
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    tls: scheme === 'rediss+cluster:',
  };
}

/** `host:port`, `host` (port 6379) or `[ipv6]:port`. */
function parseSeed(item: string): RedisSeed | { problem: string } {
  if (item === '') return { problem: 'an empty seed node (two commas in a row, or a trailing comma)' };
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+))(?::([^:]*))?$/.exec(item);
  const host = match?.[1] ?? match?.[2];
  if (!match || host === undefined) return { problem: `seed node "${item}" is not host:port` };
  const rawPort = match[3];
  if (rawPort === undefined) return { host, port: DEFAULT_PORT };
  const port = /^\d{1,5}$/.test(rawPort) ? Number(rawPort) : NaN;
  if (!(port >= 1 && port <= 65535)) return { problem: `seed node "${item}": bad port "${rawPort}" (1..65535)` };
  return { host, port };
}

/** The URL with its password replaced, for messages. */
function redact(value: string): string {
  return JSON.stringify(value.replace(/^([^:/]+:\/\/[^:@/]*:).*@/, '$1***@'));
}
