import { describe, expect, it } from '@jest/globals';
import { MEMBERS_BENCH_DEFAULTS, readMembersBenchConfig } from '../../bench/src/members/config.js';
import {
  perMemberCost,
  renderMembersMarkdown,
  renderMembersSvg,
  slope,
  type MembersResult,
  type MembersRow,
} from '../../bench/src/members/report.js';
import { summarizePropagation } from '../../bench/src/members/propagation.js';
import { connectionsByPort, parseProcNetTcp, socketInodes } from '../../bench/src/members/sockets.js';

describe('readMembersBenchConfig', () => {
  it('defaults to 1, 5, 10 and 20 members', () => {
    expect(readMembersBenchConfig({})).toEqual(MEMBERS_BENCH_DEFAULTS);
    expect(MEMBERS_BENCH_DEFAULTS.counts).toEqual([1, 5, 10, 20]);
  });

  it('sorts and dedupes BENCH_MEMBER_COUNTS and reads the other knobs', () => {
    const config = readMembersBenchConfig({
      BENCH_MEMBER_COUNTS: '10, 1,5,10',
      BENCH_MEMBERS_GRIDS: '7',
      BENCH_MEMBERS_IDLE_SECONDS: '30',
    });
    expect(config).toMatchObject({ counts: [1, 5, 10], grids: 7, idleSeconds: 30 });
    expect(readMembersBenchConfig({ BENCH_MEMBERS_EDITS: '0' }).edits).toBe(0);
  });

  it('names the variable of a malformed value', () => {
    expect(() => readMembersBenchConfig({ BENCH_MEMBER_COUNTS: '1,x' })).toThrow('BENCH_MEMBER_COUNTS="x"');
    expect(() => readMembersBenchConfig({ BENCH_MEMBER_COUNTS: '0' })).toThrow('at least 1');
    expect(() => readMembersBenchConfig({ BENCH_MEMBERS_GRIDS: '-2' })).toThrow('BENCH_MEMBERS_GRIDS');
  });
});

const TCP = [
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 0100007F:A1B2 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 111 1 0',
  '   1: 0100007F:A1B3 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 112 1 0',
  '   2: 0100007F:A1B4 0100007F:1F91 06 00000000:00000000 00:00000000 00000000     0        0 113 1 0',
  '   3: 0100007F:A1B5 0100007F:1F92 01 00000000:00000000 00:00000000 00000000     0        0 999 1 0',
].join('\n');

describe('the hub connections from /proc', () => {
  it('reads remote ports, states and inodes', () => {
    expect(parseProcNetTcp(TCP)[0]).toEqual({ remotePort: 8080, state: '01', inode: '111' });
  });

  it("counts only established sockets that are the process's own, by remote port", () => {
    const inodes = socketInodes(['socket:[111]', 'socket:[112]', 'socket:[113]', '/dev/null', 'pipe:[999]']);
    expect([...inodes]).toEqual(['111', '112', '113']);
    const counts = connectionsByPort(parseProcNetTcp(TCP), inodes);
    expect(Object.fromEntries(counts)).toEqual({ 8080: 2 });
  });
});

const row = (members: number, rss: number, idle: number): MembersRow => ({
  members,
  grids: 20,
  memberObjects: members * 20,
  fanoutSeconds: 1,
  fanoutRequestsPerMemberObject: 1,
  hubCpuSecondsDuringFanout: 1,
  hubRssMiB: rss,
  hubHeapUsedMiB: 50,
  hubCpuSecondsIdle: 1,
  connectionsToMembers: members,
  connectionsToControl: 1,
  watchesOnMembers: 3 * members,
  idleRequestsPerSecond: idle * members,
  idleRequestsPerSecondPerMember: idle,
  idleWrites: 0,
  memberApiserverRssMiB: 180,
  sharedEtcdRssMiB: 60,
});

describe('the cost per member', () => {
  it('is the least-squares slope over the sizes', () => {
    expect(
      slope([
        [1, 102],
        [5, 110],
        [10, 120],
        [20, 140],
      ]),
    ).toBe(2);
    expect(slope([[5, 1]])).toBeNull();
    expect(
      slope([
        [5, 1],
        [5, 2],
      ]),
    ).toBeNull();
    const rows = [row(1, 102, 0.4), row(5, 110, 0.4), row(10, 120, 0.4)];
    expect(perMemberCost(rows)).toEqual({ hubRssMiB: 2, idleRequestsPerSecond: 0.4, connections: 1, watches: 3 });
  });

  it('renders a table row per size, the per-member line and a chart with a point per size', () => {
    const rows = [row(1, 102, 0.4), row(20, 140, 0.4)];
    const result: MembersResult = {
      startedAt: 's',
      finishedAt: 'f',
      config: { counts: [1, 20], grids: 20, idleSeconds: 60 },
      machine: { cpus: 2, loadAverage1m: 1 },
      rows,
      propagation: summarizePropagation(20, [300, 100, 200], 1),
      perMember: perMemberCost(rows),
      notes: ['a note'],
    };
    const md = renderMembersMarkdown(result);
    expect(md.split('\n').filter((l) => /^\| \d/.test(l))).toHaveLength(2);
    expect(md).toContain('hub RSS 2 MiB');
    expect(md).toContain('- a note');
    expect(md).toContain('p50 200 ms, p90 300 ms, p99 300 ms');
    expect(md).toContain('3 samples, 1 timeouts');
    const svg = renderMembersSvg(rows);
    expect(svg.match(/<circle/g)).toHaveLength(4);
    expect(svg).toContain('>140<');
  });
});
