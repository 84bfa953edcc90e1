import { describe, expect, it } from '@jest/globals';
import {
  counterDelta,
  counterDeltaBy,
  isWriteMethod,
  parseLabels,
  parsePrometheusText,
  parseRedisInfo,
  sumMetric,
} from '../../bench/src/prom.js';

const scrape = (lines: string[]) => parsePrometheusText(lines.join('\n'));

const BEFORE = scrape([
  '# HELP gridfed_kube_requests_total Requests the hub sent',
  '# TYPE gridfed_kube_requests_total counter',
  'gridfed_kube_requests_total{cluster="control",method="LIST"} 4',
  'gridfed_kube_requests_total{cluster="member-1",method="GET"} 10',
  'gridfed_kube_requests_total{cluster="member-1",method="PATCH"} 5',
  '',
]);
const AFTER = scrape([
  'gridfed_kube_requests_total{cluster="control",method="LIST"} 4',
  'gridfed_kube_requests_total{cluster="control",method="PATCH"} 3',
  'gridfed_kube_requests_total{cluster="member-1",method="GET"} 12',
  'gridfed_kube_requests_total{cluster="member-1",method="PATCH"} 25',
  'gridfed_kube_requests_total{cluster="member-2",method="WATCH"} 1',
]);

describe('parsePrometheusText', () => {
  it('reads names, labels and values, skipping comments and blank lines', () => {
    expect(BEFORE).toHaveLength(3);
    expect(BEFORE[1]).toEqual({
      name: 'gridfed_kube_requests_total',
      labels: { cluster: 'member-1', method: 'GET' },
      value: 10,
    });
  });

  it('reads samples without labels, with timestamps, and special values', () => {
    const samples = scrape([
      'gridfed_hub_process_resident_memory_bytes 123456789',
      'gridfed_sync_duration_seconds_bucket{member="m",le="+Inf"} 7 1700000000000',
      'x_total +Inf',
      'y NaN',
      'z Nan',
      'w -Inf',
    ]);
    expect(samples.map((s) => s.value)).toEqual([123456789, 7, Infinity, NaN, NaN, -Infinity]);
    expect(samples[1]!.labels).toEqual({ member: 'm', le: '+Inf' });
  });

  it('fails on a line it cannot read, quoting it', () => {
    expect(() => scrape(['not a sample line at all'])).toThrow('cannot read line "not a sample line at all"');
    expect(() => scrape(['x_total abc'])).toThrow('"abc" is not a sample value');
  });
});

describe('parseLabels', () => {
  it('unescapes quotes, backslashes and newlines, and allows a trailing comma', () => {
    expect(parseLabels('{a="say \\"hi\\"",b="c:\\\\d",n="1\\n2",}')).toEqual({
      a: 'say "hi"',
      b: 'c:\\d',
      n: '1\n2',
    });
  });

  it('keeps commas and braces inside values', () => {
    expect(parseLabels('{path="/a,b}",m="GET"}')).toEqual({ path: '/a,b}', m: 'GET' });
  });

  it('fails on malformed labels', () => {
    expect(() => parseLabels('{a=unquoted}')).toThrow('cannot read labels');
  });
});

describe('sums and deltas', () => {
  it('sums a metric over the samples a filter keeps', () => {
    expect(sumMetric(AFTER, 'gridfed_kube_requests_total')).toBe(45);
    expect(sumMetric(AFTER, 'gridfed_kube_requests_total', (l) => l['cluster'] === 'member-1')).toBe(37);
    expect(sumMetric(AFTER, 'missing_metric')).toBe(0);
  });

  it('takes the growth between two scrapes, counting series that appeared in between', () => {
    expect(counterDelta(BEFORE, AFTER, 'gridfed_kube_requests_total')).toBe(26);
    expect(counterDelta(BEFORE, AFTER, 'gridfed_kube_requests_total', (l) => l['cluster'] !== 'control')).toBe(23);
  });

  it('breaks the growth down by one label, leaving out what did not grow', () => {
    expect(counterDeltaBy(BEFORE, AFTER, 'gridfed_kube_requests_total', 'method')).toEqual({
      GET: 2,
      PATCH: 23,
      WATCH: 1,
    });
    const writes = (l: Record<string, string>) => isWriteMethod(l['method']);
    expect(counterDeltaBy(BEFORE, AFTER, 'gridfed_kube_requests_total', 'cluster', writes)).toEqual({
      control: 3,
      'member-1': 20,
    });
  });

  it('breaks the growth down by several labels, joined by spaces', () => {
    expect(counterDeltaBy(BEFORE, AFTER, 'gridfed_kube_requests_total', ['cluster', 'method'])).toEqual({
      'control PATCH': 3,
      'member-1 GET': 2,
      'member-1 PATCH': 20,
      'member-2 WATCH': 1,
    });
  });
});

describe('isWriteMethod', () => {
  it('treats reads, lists and watches as reads, everything else as a write', () => {
    for (const read of ['GET', 'LIST', 'WATCH', 'HEAD', 'get']) expect(isWriteMethod(read)).toBe(false);
    for (const write of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(isWriteMethod(write)).toBe(true);
  });
});

describe('parseRedisInfo', () => {
  it('reads field:value lines under section headers', () => {
    const info = parseRedisInfo(
      '# Memory\r\nused_memory:2324416\r\nused_memory_human:2.22M\r\n\r\n# Other\r\nx:a:b\r\n',
    );
    expect(info['used_memory']).toBe('2324416');
    expect(info['used_memory_human']).toBe('2.22M');
    expect(info['x']).toBe('a:b');
  });
});
