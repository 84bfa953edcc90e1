// The benchmark's knobs, read from the environment. The defaults finish in under
// ten minutes on the project's 2-core machine.

export interface BenchConfig {
  /** DeploymentGrids to create; each becomes 6 member Deployments (BENCH_GRIDS). */
  grids: number;
  /** Samples per latency figure: propagation, drift and status each (BENCH_EDITS). */
  edits: number;
  /** Quiet window after convergence in which the hub must write nothing (BENCH_IDLE_SECONDS). */
  idleSeconds: number;
  /** The hub's MEMBER_CONCURRENCY and the floor loop's requests in flight per member (BENCH_CONCURRENCY). */
  concurrency: number;
  /** Deadline of each wait for convergence: fan-out, floor cleanup, settling (BENCH_TIMEOUT_SECONDS). */
  timeoutSeconds: number;
  /** Deadline of one latency sample (BENCH_SAMPLE_TIMEOUT_SECONDS). */
  sampleTimeoutSeconds: number;
  /**
   * Hub replicas (BENCH_HUB_REPLICAS). Above 1 the run measures the fan-out, each replica's
   * memory and the handover of a replica's members instead of the single-hub figures.
   */
  hubReplicas: number;
}

export const BENCH_DEFAULTS: BenchConfig = {
  grids: 200,
  edits: 50,
  idleSeconds: 60,
  concurrency: 8,
  timeoutSeconds: 300,
  sampleTimeoutSeconds: 30,
  hubReplicas: 1,
};

const VARIABLES: Record<keyof BenchConfig, { name: string; min: number }> = {
  grids: { name: 'BENCH_GRIDS', min: 1 },
  edits: { name: 'BENCH_EDITS', min: 1 },
  idleSeconds: { name: 'BENCH_IDLE_SECONDS', min: 0 },
  concurrency: { name: 'BENCH_CONCURRENCY', min: 1 },
  timeoutSeconds: { name: 'BENCH_TIMEOUT_SECONDS', min: 1 },
  sampleTimeoutSeconds: { name: 'BENCH_SAMPLE_TIMEOUT_SECONDS', min: 1 },
  hubReplicas: { name: 'BENCH_HUB_REPLICAS', min: 1 },
};

/** The configuration `env` asks for, defaults filling the gaps; a malformed value is an error naming it. */
export function readBenchConfig(env: Record<string, string | undefined>): BenchConfig {
  const config = { ...BENCH_DEFAULTS };
  for (const key of Object.keys(VARIABLES) as (keyof BenchConfig)[]) {
    const { name, min } = VARIABLES[key];
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') continue;
    if (!/^\d+$/.test(raw) || Number(raw) < min) {
      throw new Error(`${name}="${raw}" must be a whole number of at least ${min}`);
    }
    config[key] = Number(raw);
  }
  return config;
}
