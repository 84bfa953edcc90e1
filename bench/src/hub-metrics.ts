// The hub's /metrics, scraped and parsed.
import { parsePrometheusText, type MetricSample } from './prom.js';

export const KUBE_REQUESTS = 'gridfed_kube_requests_total';
export const STATUS_WRITES = 'gridfed_status_writes_total';
/** Writes of status.rollout by the lifecycle reconciler: status writes too. */
export const ROLLOUT_WRITES = 'gridfed_rollout_writes_total';
export const HUB_RSS = 'gridfed_hub_process_resident_memory_bytes';
export const HUB_CPU = 'gridfed_hub_process_cpu_seconds_total';
/** One observation per member sync (a job run for one grid on one member). */
export const MEMBER_SYNCS = 'gridfed_sync_duration_seconds_count';
export const HUB_HEAP_USED = 'gridfed_hub_nodejs_heap_size_used_bytes';
export const HUB_EXTERNAL = 'gridfed_hub_nodejs_external_memory_bytes';
export const MEMBER_REACHABLE = 'gridfed_member_reachable';
export const CONTROL_CLUSTER = 'control';

export async function scrapeHubText(hubUrl: string): Promise<string> {
  const res = await fetch(`${hubUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`hub ${hubUrl}/metrics answered HTTP ${res.status}`);
  return res.text();
}

export async function scrapeHub(hubUrl: string): Promise<MetricSample[]> {
  return parsePrometheusText(await scrapeHubText(hubUrl));
}
