import { describe, expect, it } from '@jest/globals';
import { BENCH_DEFAULTS, readBenchConfig } from '../../bench/src/config.js';

describe('readBenchConfig', () => {
  it('uses the defaults for what the environment leaves unset or empty', () => {
    expect(readBenchConfig({})).toEqual(BENCH_DEFAULTS);
    expect(readBenchConfig({ BENCH_GRIDS: '' })).toEqual(BENCH_DEFAULTS);
    expect(BENCH_DEFAULTS).toMatchObject({ grids: 200, edits: 50, idleSeconds: 60, concurrency: 8 });
  });

  it('reads every variable', () => {
    expect(
      readBenchConfig({
        BENCH_GRIDS: '20',
        BENCH_EDITS: '5',
        BENCH_IDLE_SECONDS: '0',
        BENCH_CONCURRENCY: ' 4 ',
        BENCH_TIMEOUT_SECONDS: '60',
        BENCH_SAMPLE_TIMEOUT_SECONDS: '10',
        BENCH_HUB_REPLICAS: '2',
      }),
    ).toEqual({
      grids: 20,
      edits: 5,
      idleSeconds: 0,
      concurrency: 4,
      timeoutSeconds: 60,
      sampleTimeoutSeconds: 10,
      hubReplicas: 2,
    });
  });

  it('names the variable and its bound when a value is malformed', () => {
    expect(() => readBenchConfig({ BENCH_GRIDS: 'many' })).toThrow(
      'BENCH_GRIDS="many" must be a whole number of at least 1',
    );
    expect(() => readBenchConfig({ BENCH_CONCURRENCY: '0' })).toThrow('BENCH_CONCURRENCY="0"');
    expect(() => readBenchConfig({ BENCH_EDITS: '2.5' })).toThrow('BENCH_EDITS="2.5"');
    expect(() => readBenchConfig({ BENCH_IDLE_SECONDS: '-1' })).toThrow('BENCH_IDLE_SECONDS="-1"');
  });
});
