import { describe, expect, it } from '@jest/globals';
import { render } from './status.js';

const grid = {
  kind: 'DeploymentGrid',
  namespace: 'default',
  name: 'web',
  nodeUnits: [
    {
      nodeUnit: 'zone1',
      cluster: 'member-1',
      template: 'test1',
      readyReplicas: 2,
      desiredReplicas: 2,
      ready: true,
      synced: true,
      reachable: true,
      stale: false,
    },
    {
      nodeUnit: 'zone2',
      cluster: 'member-2',
      template: 'test2',
      readyReplicas: 3,
      desiredReplicas: 3,
      ready: true,
      synced: false,
      reachable: false,
      stale: true,
      lastSeen: '2026-11-23T10:00:00Z',
      error: 'member-2: unreachable',
    },
  ],
  conditions: [
    { type: 'Ready', status: 'True', message: '2/2 NodeUnits ready' },
    { type: 'MembersReachable', status: 'False', message: 'member-2 unreachable since 2026-11-23T10:00:00Z' },
  ],
};

describe('gridfed status rendering', () => {
  it('prints one row per NodeUnit and member, and the conditions that are not True', () => {
    const out = render([grid], 'table');
    expect(out).toContain('DeploymentGrid default/web');
    expect(out).toMatch(/zone1\s*│\s*member-1\s*│\s*test1\s*│\s*2\/2\s*│\s*yes/);
    expect(out).toMatch(
      /zone2\s*│\s*member-2\s*│\s*test2\s*│\s*3\/3 \(stale since 2026-11-23T10:00:00Z\)\s*│\s*no\s*│\s*member-2: unreachable/,
    );
    expect(out).toContain('MembersReachable: member-2 unreachable');
    expect(out).not.toContain('Ready: 2/2');
  });

  it('prints json and yaml for scripts', () => {
    expect(JSON.parse(render([grid], 'json'))).toEqual([grid]);
    expect(render([grid], 'yaml')).toContain('nodeUnit: zone1');
    expect(render([], 'table')).toBe('no distributed grids\n');
  });
});
