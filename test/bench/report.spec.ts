import { describe, expect, it } from '@jest/globals';
import { BENCH_DEFAULTS } from '../../bench/src/config.js';
import { evaluateTargets, renderSummary, renderTable, type BenchResult } from '../../bench/src/report.js';
import { summarizeLatencies } from '../../bench/src/stats.js';

const MIB = 1024 * 1024;

function result(overrides: Partial<BenchResult> = {}): BenchResult {
  return {
    startedAt: '2026-01-02T03:04:05.000Z',
    finishedAt: '2026-01-02T03:10:00.000Z',
    config: BENCH_DEFAULTS,
    machine: { cpus: 2, node: '20.20.2', loadAverage1m: 0.5 },
    memberObjects: 1200,
    fanout: { objects: 1200, seconds: 30, objectsPerSecond: 40, hashMismatches: 0 },
    floor: { objects: 1200, seconds: 25, objectsPerSecond: 48 },
    floors: {
      pooled: { objects: 1200, seconds: 25, objectsPerSecond: 48 },
      perRequest: { objects: 1200, seconds: 40, objectsPerSecond: 30 },
    },
    runSeconds: 420,
    milestones: {
      hub: { appliedSeconds: 30, existsSeconds: 31, readySeconds: 60 },
      floor: { appliedSeconds: 25, existsSeconds: 26, readySeconds: 55 },
      floors: {
        pooled: { appliedSeconds: 25, existsSeconds: 26, readySeconds: 55 },
        perRequest: { appliedSeconds: 40, existsSeconds: 41, readySeconds: 70 },
      },
    },
    ratios: { applied: 1.2, exists: 1.19, ready: 1.09 },
    propagation: summarizeLatencies([300, 400, 500]),
    drift: summarizeLatencies([100, 200]),
    status: summarizeLatencies([50, 60]),
    samplesMs: { propagation: [300, 400, 500], drift: [100, 200], status: [50, 60] },
    cost: {
      memberRequestsDuringFanout: 1250,
      requestsPerMemberObject: 1.04,
      fanoutRequestsByMethod: { PATCH: 1200, POST: 50 },
      fanoutRequestsByResource: { 'member-1 PATCH deployments': 400 },
      hubCpuSecondsDuringFanout: 12.5,
      statusWritesPerGrid: 2.5,
      idleSeconds: 60,
      idleWrites: 0,
      idleWritesByCluster: {},
      idleLeaseRenewals: 30,
      hubRssBytes: 150 * MIB,
      hubHeapUsedBytes: 60 * MIB,
      hubExternalBytes: 5 * MIB,
      redisUsedMemoryBytes: 2 * MIB,
    },
    notes: [],
    ...overrides,
  };
}

const APPLIED = 'hub / floor, applied (floor: loop returned; hub: every object as desired)';
const EXISTS = 'hub / floor, every member workload exists';
const READY = 'hub / floor, every member workload ready (end to end)';
const ratios = (applied: number | null, exists: number | null, ready: number | null) => ({ applied, exists, ready });

const verdicts = (r: BenchResult) => Object.fromEntries(evaluateTargets(r).map((c) => [c.figure, c.pass]));

describe('evaluateTargets', () => {
  it('passes a run that meets every target, and leaves context figures without a verdict', () => {
    expect(verdicts(result())).toEqual({
      'fan-out through the hub': null,
      'floor: direct apply, pooled connections': null,
      'floor: direct apply, a connection per request': null,
      [APPLIED]: true,
      [EXISTS]: null,
      [READY]: true,
      'propagation p50 / p95 / p99': true,
      'drift correction p50 / p95 / p99': true,
      'status p50 / p95 / p99': true,
      'API requests per member object (fan-out)': true,
      'hub CPU during fan-out': null,
      'grid status writes per grid (fan-out until settled)': null,
      'writes while idle (60 s)': true,
      "the replica's Lease renewals while idle (60 s; heartbeats, not counted above)": null,
      'hub resident memory': true,
      'of which JS heap used / external': null,
      'Redis used_memory': null,
      'bench run time (clusters, phases, results)': true,
    });
  });

  it('shows member syncs per grid and member when the run counted them, and no row for older results', () => {
    const r = result();
    r.cost.memberSyncsDuringFanout = 660;
    r.cost.memberSyncsPerGridAndMember = 1.1;
    const row = evaluateTargets(r).find((c) => c.figure === 'member syncs per grid and member (fan-out)');
    expect(row).toEqual({
      figure: 'member syncs per grid and member (fan-out)',
      value: '1.10 (660 syncs)',
      target: '',
      pass: null,
    });
    expect(evaluateTargets(result()).map((c) => c.figure)).not.toContain('member syncs per grid and member (fan-out)');
  });

  it('takes the targets as bounds: 1.5, 1.2 and 2 still pass, 2000 ms and 15 min do not', () => {
    const r = result({ ratios: ratios(1.5, 9, 1.2), propagation: summarizeLatencies([2000]), runSeconds: 900 });
    r.cost.requestsPerMemberObject = 2;
    const v = verdicts(r);
    expect(v[APPLIED]).toBe(true);
    expect(v[READY]).toBe(true);
    expect(v[EXISTS]).toBeNull();
    expect(v['bench run time (clusters, phases, results)']).toBe(false);
    expect(v['API requests per member object (fan-out)']).toBe(true);
    expect(v['propagation p50 / p95 / p99']).toBe(false);
  });

  it('misses each target it should', () => {
    const r = result({
      ratios: ratios(1.51, 1, 1.21),
      drift: summarizeLatencies([100], 1),
      status: summarizeLatencies([]),
    });
    r.cost = { ...r.cost, requestsPerMemberObject: 2.41, idleWrites: 1, hubRssBytes: 201 * MIB };
    const v = verdicts(r);
    expect(v[APPLIED]).toBe(false);
    expect(v[READY]).toBe(false);
    expect(v['drift correction p50 / p95 / p99']).toBe(false);
    expect(v['status p50 / p95 / p99']).toBe(false);
    expect(v['API requests per member object (fan-out)']).toBe(false);
    expect(v['writes while idle (60 s)']).toBe(false);
    expect(v['hub resident memory']).toBe(false);
  });

  it('meets the memory target at 200 MiB and misses it just above', () => {
    const at = (bytes: number): boolean | null | undefined => {
      const r = result();
      r.cost = { ...r.cost, hubRssBytes: bytes };
      return verdicts(r)['hub resident memory'];
    };
    expect(at(200 * MIB)).toBe(true);
    expect(at(200 * MIB + 1)).toBe(false);
  });

  it('misses targets whose figure could not be taken', () => {
    const r = result({ ratios: ratios(null, null, null) });
    r.cost = { ...r.cost, requestsPerMemberObject: null, hubRssBytes: null };
    const v = verdicts(r);
    expect(v[APPLIED]).toBe(false);
    expect(v[READY]).toBe(false);
    expect(v['API requests per member object (fan-out)']).toBe(false);
    expect(v['hub resident memory']).toBe(false);
  });

  it('writes latencies as p50 / p95 / p99 with the sample count and timeouts', () => {
    const r = result({ drift: summarizeLatencies([100.4, 200.6], 2) });
    const drift = evaluateTargets(r).find((c) => c.figure.startsWith('drift'));
    expect(drift?.value).toBe('100 / 201 / 201 ms (2 samples, 2 timed out)');
  });

  it('says when the memory target was set for another size than this run', () => {
    const memory = (r: BenchResult) => evaluateTargets(r).find((c) => c.figure === 'hub resident memory')?.target;
    expect(memory(result())).toBe('<= 200 MiB at 1,200 objects');
    expect(memory(result({ memberObjects: 120 }))).toBe('<= 200 MiB at 1,200 objects (120 here)');
  });
});

describe('renderTable', () => {
  it('pads every column to its widest cell', () => {
    expect(renderTable(['a', 'bb'], [['xxx', 'y']])).toBe(['| a   | bb |', '| --- | -- |', '| xxx | y  |'].join('\n'));
  });
});

describe('renderSummary', () => {
  it('gives the run, a row per figure with its target and verdict, and the count of misses', () => {
    const r = result({ ratios: ratios(3.2, 3.1, 1.09) });
    const md = renderSummary(r);
    expect(md).toContain('# gridfed benchmark');
    expect(md).toContain('200 DeploymentGrids x 6 NodeUnits = 1200 member Deployments');
    expect(md).toContain('2 CPUs (load 0.5 at the start)');
    expect(md).toMatch(/\| hub \/ floor, applied [^|]+\| 3\.20 \(hub 30 s, floor 25 s\)\s+\| <= 1\.5\s+\| MISSED \|/);
    expect(md).toMatch(
      /\| hub \/ floor, every member workload exists\s+\| 3\.10 \(hub 31 s, floor 26 s\)\s+\|\s+\|\s+\|/,
    );
    expect(md).toMatch(
      /\| hub \/ floor, every member workload ready \(end to end\)\s+\| 1\.09 \(hub 60 s, floor 55 s\)\s+\| <= 1\.2\s+\| ok\s+\|/,
    );
    expect(md).toMatch(/\| bench run time \(clusters, phases, results\)\s+\| 7 min 0 s\s+\| < 15 min\s+\| ok\s+\|/);
    expect(md).toMatch(/\| writes while idle \(60 s\)\s+\| 0\s+\| 0\s+\| ok\s+\|/);
    expect(md).toMatch(
      /\| fan-out through the hub\s+\| 1200 objects in 30 s \(40 objects\/s\); all exist 31 s, all ready 60 s/,
    );
    expect(md).toMatch(
      /\| floor: direct apply, a connection per request\s+\| 1200 objects in 40 s .*; all exist 41 s, all ready 70 s/,
    );
    expect(md).toContain('1 target missed.');
    expect(md).not.toContain('Notes:');
  });

  it('says when every target is met, and lists notes', () => {
    const md = renderSummary(result({ notes: ['the fleet did not settle before the idle window'] }));
    expect(md).toContain('Every target met.');
    expect(md).toContain('Notes:\n- the fleet did not settle before the idle window');
  });
});
