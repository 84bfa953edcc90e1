import { describe, expect, it } from '@jest/globals';
import type { AnyGrid, DeploymentGrid, ServiceGrid } from './types.js';
import { nodeUnitRows } from './status-rows.js';

const deploymentGrid = (status: DeploymentGrid['status']): AnyGrid => ({
  apiVersion: 'superedge.io/v1',
  kind: 'DeploymentGrid',
  metadata: { name: 'web', namespace: 'default', generation: 2 },
  spec: { gridUniqKey: 'zone', template: {} as never },
  status,
});

describe('nodeUnitRows', () => {
  it('gives one row per NodeUnit and member, read from the status gridfed wrote', () => {
    const rows = nodeUnitRows(
      deploymentGrid({
        states: {
          zone2: {
            clusters: {
              'member-2': {
                status: { readyReplicas: 1 },
                ready: false,
                synced: true,
                template: 'test2',
                desiredReplicas: 3,
              },
            },
          },
          zone1: {
            clusters: {
              'member-1': {
                status: { readyReplicas: 5 },
                ready: true,
                synced: true,
                template: 'test1',
                desiredReplicas: 5,
                lastSeen: 't',
              },
            },
          },
        },
      }),
    );
    expect(rows).toEqual([
      {
        nodeUnit: 'zone1',
        cluster: 'member-1',
        template: 'test1',
        readyReplicas: 5,
        desiredReplicas: 5,
        ready: true,
        synced: true,
        reachable: true,
        stale: false,
        lastSeen: 't',
      },
      {
        nodeUnit: 'zone2',
        cluster: 'member-2',
        template: 'test2',
        readyReplicas: 1,
        desiredReplicas: 3,
        ready: false,
        synced: true,
        reachable: true,
        stale: false,
      },
    ]);
  });

  it('never calls a stale member ready, and shows an invalid spec on every row', () => {
    const grid = deploymentGrid({
      conditions: [
        { type: 'Valid', status: 'False', reason: 'InvalidSpec', message: 'bad', lastTransitionTime: new Date(0) },
      ],
      states: {
        zone1: { clusters: { 'member-1': { status: { readyReplicas: 2 }, ready: true, synced: true, stale: true } } },
      },
    });
    expect(nodeUnitRows(grid)).toEqual([
      expect.objectContaining({ ready: false, stale: true, reachable: false, error: 'bad' }),
    ]);
  });

  it('has no replica counts for a ServiceGrid, and nothing for a grid without status', () => {
    const sg: ServiceGrid = {
      apiVersion: 'superedge.io/v1',
      kind: 'ServiceGrid',
      metadata: { name: 's', namespace: 'default' },
      spec: { gridUniqKey: 'zone', template: {} },
      status: { states: { zone1: { clusters: { 'member-1': { status: {}, ready: true, synced: true } } } } },
    };
    expect(nodeUnitRows(sg)).toEqual([
      { nodeUnit: 'zone1', cluster: 'member-1', ready: true, synced: true, reachable: true, stale: false },
    ]);
    expect(nodeUnitRows({ ...sg, status: undefined })).toEqual([]);
  });
});
