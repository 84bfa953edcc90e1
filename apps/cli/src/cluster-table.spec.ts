import { describe, expect, it } from '@jest/globals';
import type { MemberCluster } from '#gridfed/cluster-registry';
import { parse } from 'yaml';
import { clusterRow, formatAge, formatClusters } from './cluster-table.js';

const NOW = new Date('2025-06-01T12:00:00Z');

function mc(name: string, status?: MemberCluster['status'], created = '2025-06-01T11:00:00Z'): MemberCluster {
  return {
    apiVersion: 'gridfed.io/v1alpha1',
    kind: 'MemberCluster',
    metadata: { name, creationTimestamp: new Date(created) },
    spec: { secretRef: { name: `member-${name}` } },
    ...(status ? { status } : {}),
  };
}

const reachable = (status: 'True' | 'False'): MemberCluster['status'] => ({
  conditions: [
    { type: 'Ready', status: 'False', reason: 'X', message: '', lastTransitionTime: NOW },
    { type: 'Reachable', status, reason: 'Probe', message: '', lastTransitionTime: NOW },
  ],
  kubernetesVersion: 'v1.35.4',
  nodeUnitCount: 2,
  owner: 'hub-a',
});

describe('clusterRow', () => {
  it('shows the Reachable condition, version, NodeUnit count and age', () => {
    expect(clusterRow(mc('member-1', reachable('True')), NOW)).toEqual([
      'member-1',
      'True',
      'v1.35.4',
      '2',
      'hub-a',
      '60m',
    ]);
    expect(clusterRow(mc('member-2', reachable('False')), NOW)[1]).toBe('False');
  });

  it('says Unknown and <unknown> for a member the hub has not probed yet', () => {
    expect(clusterRow(mc('fresh'), NOW)).toEqual(['fresh', 'Unknown', '<unknown>', '<unknown>', '<unknown>', '60m']);
  });

  it('counts zero NodeUnits as 0, not unknown', () => {
    expect(clusterRow(mc('empty', { nodeUnitCount: 0 }), NOW)[3]).toBe('0');
  });
});

describe('formatAge', () => {
  const ago = (seconds: number): string => formatAge(new Date(NOW.getTime() - seconds * 1000), NOW);

  it.each([
    [0, '0s'],
    [119, '119s'],
    [120, '2m'],
    [119 * 60, '119m'],
    [2 * 3600, '2h'],
    [47 * 3600, '47h'],
    [48 * 3600, '2d'],
    [729 * 86400, '729d'],
    [730 * 86400, '2y'],
  ])('%i seconds ago is %s', (seconds, age) => {
    expect(ago(seconds)).toBe(age);
  });

  it('treats a clock skewed into the future as 0s', () => {
    expect(ago(-30)).toBe('0s');
  });
});

describe('formatClusters', () => {
  const clusters = [mc('member-2', reachable('False')), mc('member-1', reachable('True'))];

  it('prints a borderless table sorted by name, columns aligned', () => {
    const lines = formatClusters(clusters, 'table', NOW).trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s+/))).toEqual([
      ['NAME', 'REACHABLE', 'VERSION', 'NODEUNITS', 'OWNER', 'AGE'],
      ['member-1', 'True', 'v1.35.4', '2', 'hub-a', '60m'],
      ['member-2', 'False', 'v1.35.4', '2', 'hub-a', '60m'],
    ]);
    const column = (line: string): number => line.indexOf(line.includes('NAME') ? 'REACHABLE' : 'True');
    expect(column(lines[0] ?? '')).toBe(column(lines[1] ?? ''));
    expect(lines.join('')).not.toMatch(/[│─┌┐└┘]/);
  });

  it('leaves managedFields out, as kubectl does', () => {
    const managed = mc('member-1');
    managed.metadata.managedFields = [{ manager: 'gridfed', operation: 'Update' }];
    expect(formatClusters([managed], 'yaml', NOW)).not.toContain('managedFields');
    expect(formatClusters([managed], 'json', NOW)).toContain('"name": "member-1"');
    expect(managed.metadata.managedFields).toHaveLength(1);
  });

  it('prints the objects themselves as a List in JSON and YAML', () => {
    const json = JSON.parse(formatClusters(clusters, 'json', NOW)) as {
      kind: string;
      items: { metadata: { name: string } }[];
    };
    expect(json.kind).toBe('List');
    expect(json.items.map((i) => i.metadata.name)).toEqual(['member-1', 'member-2']);
    const yaml = parse(formatClusters(clusters, 'yaml', NOW)) as typeof json;
    expect(yaml.items.map((i) => i.metadata.name)).toEqual(['member-1', 'member-2']);
  });
});
