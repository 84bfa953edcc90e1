// The hub's configuration, from the environment, validated once at start-up.
import { hostname } from 'node:os';
import { z } from 'zod';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const hubConfigSchema = z.object({
  /** Control cluster kubeconfig; unset means KUBECONFIG's default chain, then in-cluster. */
  KUBECONFIG: z.string().optional(),
  REDIS_URL: z.string().url({ message: 'REDIS_URL must be a redis:// URL, e.g. redis://127.0.0.1:6379' }),
  GRIDFED_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/)
    .default('gridfed-system'),
  HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HTTP_HOST: z.string().default('0.0.0.0'),
  MEMBER_CONCURRENCY: positiveInt(8),
  RESYNC_INTERVAL_SECONDS: positiveInt(300),
  REQUEST_TIMEOUT_SECONDS: positiveInt(15),
  PROBE_INTERVAL_SECONDS: positiveInt(5),
  SHUTDOWN_DEADLINE_SECONDS: positiveInt(20),
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

/** Parses the environment; throws one error listing every bad variable. */
export function loadHubConfig(env: Record<string, string | undefined>): HubConfig {
  const result = hubConfigSchema.safeParse(env);
  if (result.success) return { ...result.data, HUB_REPLICA_ID: result.data.HUB_REPLICA_ID ?? defaultReplicaId(env) };
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
