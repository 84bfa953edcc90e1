import { describe, expect, it } from '@jest/globals';
import { describeCheck, type AccessCheck } from './checks.js';
import type { Permissions } from './permissions.js';
import type { GridRef } from '#gridfed/grid-api';
import {
  gridNamedBy,
  mayGetGrid,
  mayGetSiteObject,
  visibleGrids,
  visibleMembers,
  visibleSiteObjects,
} from './visibility.js';

/** A requester allowed exactly the checks listed (as describeCheck writes them); records what was asked. */
function allowedOnly(...allowed: string[]): Permissions & { asked: string[] } {
  const asked: string[] = [];
  return {
    user: 'test',
    asked,
    may: (check: AccessCheck) => {
      asked.push(describeCheck(check));
      return Promise.resolve(allowed.includes(describeCheck(check)));
    },
  };
}

const grid = (namespace: string, name: string, kind: GridRef['kind'] = 'DeploymentGrid'): GridRef => ({
  kind,
  namespace,
  name,
});
const grids = [grid('a', 'web'), grid('a', 'db'), grid('b', 'web'), grid('a', 'svc', 'ServiceGrid')];
const names = (list: GridRef[]) => list.map((g) => `${g.kind} ${g.namespace}/${g.name}`);

describe('visibleGrids', () => {
  it('shows the grids of a kind and namespace the requester may list, asking once per namespace', async () => {
    const who = allowedOnly('list superedge.io/deploymentgrids a');
    expect(names(await visibleGrids(grids, (g) => g, who))).toEqual(['DeploymentGrid a/web', 'DeploymentGrid a/db']);
    expect(who.asked.filter((q) => q === 'list superedge.io/deploymentgrids a')).toHaveLength(1);
  });

  it('shows a single grid the requester may get by name', async () => {
    const who = allowedOnly('get superedge.io/deploymentgrids b/web');
    expect(names(await visibleGrids(grids, (g) => g, who))).toEqual(['DeploymentGrid b/web']);
  });

  it('does not take list of one kind for another kind', async () => {
    const who = allowedOnly('list superedge.io/servicegrids a');
    expect(names(await visibleGrids(grids, (g) => g, who))).toEqual(['ServiceGrid a/svc']);
  });

  it('shows nothing to a requester with no grid permission', async () => {
    expect(await visibleGrids(grids, (g) => g, allowedOnly('get /metrics'))).toEqual([]);
  });

  it('asks get of one grid for a detail page', async () => {
    const who = allowedOnly('get superedge.io/deploymentgrids a/web');
    expect(await mayGetGrid(grid('a', 'web'), who)).toBe(true);
    expect(await mayGetGrid(grid('b', 'web'), who)).toBe(false);
  });
});

describe('visibleMembers', () => {
  const members = ['member-1', 'member-2'];

  it('shows every member to a requester who may list them, with one question', async () => {
    const who = allowedOnly('list gridfed.io/memberclusters');
    expect(await visibleMembers(members, (m) => m, who)).toEqual(members);
    expect(who.asked).toEqual(['list gridfed.io/memberclusters']);
  });

  it('shows only the members the requester may get by name', async () => {
    const who = allowedOnly('get gridfed.io/memberclusters member-2');
    expect(await visibleMembers(members, (m) => m, who)).toEqual(['member-2']);
  });

  it('shows none without a MemberCluster permission', async () => {
    expect(await visibleMembers(members, (m) => m, allowedOnly('list superedge.io/deploymentgrids a'))).toEqual([]);
  });
});

describe('visibleSiteObjects', () => {
  const units = ['east', 'west'];
  it('shows every NodeUnit to a requester who may list NodeUnits, with one question', async () => {
    const who = allowedOnly('list site.superedge.io/nodeunits');
    expect(await visibleSiteObjects(units, (u) => u, 'nodeunits', who)).toEqual(units);
    expect(who.asked).toEqual(['list site.superedge.io/nodeunits']);
  });

  it('shows only the NodeUnits the requester may get by name', async () => {
    const who = allowedOnly('get site.superedge.io/nodeunits west');
    expect(await visibleSiteObjects(units, (u) => u, 'nodeunits', who)).toEqual(['west']);
    expect(await mayGetSiteObject('nodeunits', 'west', who)).toBe(true);
    expect(await mayGetSiteObject('nodeunits', 'east', who)).toBe(false);
  });

  it('does not take list of NodeGroups, or of MemberClusters, for NodeUnits', async () => {
    const who = allowedOnly('list site.superedge.io/nodegroups', 'list gridfed.io/memberclusters');
    expect(await visibleSiteObjects(units, (u) => u, 'nodeunits', who)).toEqual([]);
    expect(await visibleSiteObjects(['shops'], (g) => g, 'nodegroups', who)).toEqual(['shops']);
  });
});

describe('gridNamedBy', () => {
  it('reads kind, namespace and name, the namespace defaulting to default', () => {
    expect(gridNamedBy({ kind: 'ServiceGrid', metadata: { name: 'web', namespace: 'a' } })).toEqual(
      grid('a', 'web', 'ServiceGrid'),
    );
    expect(gridNamedBy({ kind: 'DeploymentGrid', metadata: { name: 'web' } })).toEqual(grid('default', 'web'));
  });

  it.each([
    [null],
    ['text'],
    [{ kind: 'Deployment', metadata: { name: 'web' } }],
    [{ kind: 'DeploymentGrid' }],
    [{ kind: 'DeploymentGrid', metadata: { name: 7 } }],
  ])('names no grid in %j', (manifest) => expect(gridNamedBy(manifest)).toBeUndefined());
});
