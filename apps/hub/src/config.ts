// The hub's configuration, from the environment, validated once at start-up.
import { isIPv4 } from 'node:net';
import { hostname } from 'node:os';
import { z } from 'zod';
import { redisUrlProblem } from '#gridfed/distribution';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const hubConfigSchema = z.object({
  /** Control cluster kubeconfig; unset means KUBECONFIG's default chain, then in-cluster. */
  KUBECONFIG: z.string().optional(),
  /** One redis-server (`redis://host:port`) or a Redis Cluster (`redis+cluster://host1:port1,host2:port2`). */
  REDIS_URL: z.string().superRefine((value, ctx) => {
    const problem = redisUrlProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  GRIDFED_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
    .default('gridfed-system'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HTTP_HOST: z.string().default('0.0.0.0'),
  MEMBER_CONCURRENCY: positiveInt(8),
  RESYNC_INTERVAL_SECONDS: positiveInt(300),
  REQUEST_TIMEOUT_SECONDS: positiveInt(15),
  /**
   * Member watches: each ends on the server after WATCH_TIMEOUT_SECONDS and resumes; one
   * silent (no event, no bookmark: the apiserver sends one about every minute) for
   * WATCH_INACTIVITY_SECONDS counts as stalled and is restarted, with a warning.
   */
  WATCH_TIMEOUT_SECONDS: positiveInt(300),
  WATCH_INACTIVITY_SECONDS: positiveInt(90),
  PROBE_INTERVAL_SECONDS: positiveInt(5),
  SHUTDOWN_DEADLINE_SECONDS: positiveInt(20),
  /**
   * Sharding of the members over the replicas (coordination.k8s.io Leases, client-go's
   * defaults): a replica silent for LEASE_DURATION loses its members; one that could not
   * renew for LEASE_RENEW_DEADLINE stops writing first; renewals every LEASE_RETRY_PERIOD.
   */
  LEASE_DURATION_SECONDS: positiveInt(15),
  LEASE_RENEW_DEADLINE_SECONDS: positiveInt(10),
  LEASE_RETRY_PERIOD_SECONDS: positiveInt(2),
  /**
   * Who may use the HTTP surface (README, "Access control"). `kubernetes`: a bearer token
   * checked by TokenReview and SubjectAccessReview in the control cluster. `none`: no check
   * at all, allowed only on a loopback HTTP_HOST (the demo, local test hubs).
   */
  HTTP_AUTH: z.enum(['kubernetes', 'none']).default('kubernetes'),
  /** How long a TokenReview or SubjectAccessReview answer is reused (the dashboard polls every 2 s). */
  HTTP_AUTH_CACHE_SECONDS: positiveInt(10),
  BULL_BOARD_READ_ONLY: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
  /** This replica's name: its Lease and the owner shown for its members. Default: POD_NAME, else the host name and pid. */
  HUB_REPLICA_ID: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { message: 'must be a DNS subdomain (it names a Lease)' })
    .optional(),
});

export type HubConfig = z.infer<typeof hubConfigSchema>;

/** Why the lease timings cannot work together, if they cannot. */
function leaseTimingProblem(c: HubConfig): string | undefined {
  if (
    c.LEASE_RETRY_PERIOD_SECONDS < c.LEASE_RENEW_DEADLINE_SECONDS &&
    c.LEASE_RENEW_DEADLINE_SECONDS < c.LEASE_DURATION_SECONDS
  )
    return undefined;
  return `  LEASE_*: need LEASE_RETRY_PERIOD_SECONDS (${c.LEASE_RETRY_PERIOD_SECONDS}) < LEASE_RENEW_DEADLINE_SECONDS (${c.LEASE_RENEW_DEADLINE_SECONDS}) < LEASE_DURATION_SECONDS (${c.LEASE_DURATION_SECONDS})`;
}

/** Loopback addresses: only a hub bound to one of these may run without authentication. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1' || h === '::ffff:127.0.0.1') return true;
  return isIPv4(h) && h.startsWith('127.');
}

/** Why the hub would serve its data to anyone who reaches it, if it would. */
function openHttpProblem(c: HubConfig): string | undefined {
  if (c.HTTP_AUTH !== 'none' || isLoopback(c.HTTP_HOST)) return undefined;
  return `  HTTP_AUTH: none (no authentication) is allowed only with a loopback HTTP_HOST (127.0.0.1, ::1 or localhost), but HTTP_HOST is ${c.HTTP_HOST}: set HTTP_AUTH=kubernetes or bind HTTP_HOST to loopback`;
}

/** Parses the environment; throws one error listing every bad variable. */
export function loadHubConfig(env: Record<string, string | undefined>): HubConfig {
  const result = hubConfigSchema.safeParse(env);
  if (result.success) {
    const problems = [leaseTimingProblem(result.data), openHttpProblem(result.data)].filter(Boolean);
    if (problems.length > 0) throw new Error(`invalid hub configuration:\n${problems.join('\n')}`);
    return { ...result.data, HUB_REPLICA_ID: result.data.HUB_REPLICA_ID ?? defaultReplicaId(env) };
  }
  const problems = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
  throw new Error(`invalid hub configuration:\n${problems}`);
}

export const HUB_CONFIG = Symbol('HUB_CONFIG');

/** POD_NAME in a Deployment (the downward API); elsewhere the host name and process id. */
function defaultReplicaId(env: Record<string, string | undefined>): string {
  const raw = env['POD_NAME'] ?? `${hostname()}-${process.pid}`;
  return (
    raw
      .toLowerCase()
      .replace(/[^a-z0-9.-]+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '') || `hub-${process.pid}`
  );
}
