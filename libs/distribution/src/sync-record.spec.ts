import { describe, expect, it } from '@jest/globals';
import { SyncRecords, type SyncedObject, type SyncRecord } from './sync-record.js';

const object = (name: string, hash: string): SyncedObject => ({
  name,
  nodeUnits: ['zone1'],
  hash,
  generation: 1,
  outcome: 'applied',
});
const record = (cluster: string, grid: string, objects: SyncedObject[]): SyncRecord => ({
  cluster,
  grid,
  generation: 1,
  at: '2026-12-01T00:00:00Z',
  skippedNodeUnits: [],
  objects: Object.fromEntries(objects.map((o) => [o.name, o])),
});

describe('SyncRecords', () => {
  it("answers what was applied from a running sync's note first, then from the published record", () => {
    const records = new SyncRecords();
    records.set(record('m1', 'DeploymentGrid/ns/web', [object('ns/web-zone1', 'old')]));
    expect(records.applied('m1', 'DeploymentGrid/ns/web', 'ns/web-zone1')?.hash).toBe('old');
    records.noteApplied('m1', 'DeploymentGrid/ns/web', object('ns/web-zone1', 'new'));
    expect(records.applied('m1', 'DeploymentGrid/ns/web', 'ns/web-zone1')?.hash).toBe('new');
    // Status reads only published records.
    expect(records.get('m1', 'DeploymentGrid/ns/web')?.objects['ns/web-zone1']?.hash).toBe('old');
    records.set(record('m1', 'DeploymentGrid/ns/web', []));
    expect(records.applied('m1', 'DeploymentGrid/ns/web', 'ns/web-zone1')).toBeUndefined();
  });

  it('indexes records by grid and forgets a grid or a cluster', () => {
    const records = new SyncRecords();
    records.set(record('m1', 'g1', []));
    records.set(record('m2', 'g1', []));
    records.set(record('m1', 'g2', []));
    records.noteApplied('m1', 'g2', object('x', 'h'));
    expect(records.ofGrid('g1').map((r) => r.cluster)).toEqual(['m1', 'm2']);
    records.deleteGrid('g1');
    expect(records.ofGrid('g1')).toEqual([]);
    records.deleteCluster('m1');
    expect(records.get('m1', 'g2')).toBeUndefined();
    expect(records.applied('m1', 'g2', 'x')).toBeUndefined();
  });
});
