// Fed NodeUnits and NodeGroups on real clusters: the hub labels the matching nodes of both
// members (registered with --manage-nodes), keeps them so (new nodes, hand edits), removes
// exactly what it set, makes grids follow a NodeGroup, aggregates status across members
// and reports a node wanted by two NodeUnits of one NodeGroup as a stable conflict.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type V1Node } from '@kubernetes/client-node';
import { MEMBER_CLUSTER_PLURAL } from '#gridfed/cluster-registry';
import { GRIDFED_GROUP, GRIDFED_VERSION, type DeploymentGrid } from '#gridfed/grid-api';
import {
  NODE_GROUP_RESOURCE,
  NODE_UNIT_RESOURCE,
  SITE_API_VERSION,
  SITE_GROUP,
  SITE_MANAGED_ANNOTATION,
  SITE_VERSION,
  type NodeGroup,
  type NodeUnit,
} from '#gridfed/site-api';
import type { Browser } from 'playwright-core';
import type { LocalCluster } from '../../tools/local-cluster/src/local-cluster.js';
import { eventually } from '../cluster/jest/eventually.js';
import { core, deploymentNames, gridfed, hubSuite, launchBrowser, redisClient } from './fixtures.js';

const NS = 'sites';
const FED = { 'superedge.io/fed': 'yes' };
const M1 = ['s1-east-a'];
const M2 = ['s2-east-a'];
const LATE = 's2-east-late';

const suite = hubSuite('hub-sites', NS, {
  registerArgs: ['--manage-nodes'],
  setUp: async (s) => {
    for (const [member, names] of [
      [s.fleet.member1, M1],
      [s.fleet.member2, M2],
    ] as const) {
      for (const name of names) await member.addNode({ name, labels: { site: 'east' } }, { ifMissing: true });
      await member.waitNodesReady([...names]);
      // Someone else's label: the hub never removes it.
      for (const name of names) await patchLabels(member, name, { owner: 'ops' });
    }
    await s.fleet.member2.addNode({ name: 's2-west', labels: { site: 'west' } }, { ifMissing: true });
  },
  tearDown: async (s) => {
    await s.grids.delete(grid).catch(() => undefined);
    for (const name of ['east', 'east-b'])
      await sites()
        .delete('NodeUnit', name)
        .catch(() => undefined);
    await sites()
      .delete('NodeGroup', 'shops')
      .catch(() => undefined);
    for (const name of M1) await s.fleet.member1.deleteNode(name).catch(() => undefined);
    for (const name of [...M2, LATE, 's2-west']) await s.fleet.member2.deleteNode(name).catch(() => undefined);
  },
});

const east: NodeUnit = {
  apiVersion: SITE_API_VERSION,
  kind: 'NodeUnit',
  metadata: { name: 'east', labels: FED },
  spec: { type: 'edge', selector: { matchLabels: { site: 'east' } }, setnode: { labels: { zone: 'east' } } },
};
const shops: NodeGroup = {
  apiVersion: SITE_API_VERSION,
  kind: 'NodeGroup',
  metadata: { name: 'shops', labels: FED },
  spec: { nodeunits: ['east'] },
};
const grid: DeploymentGrid = {
  apiVersion: 'superedge.io/v1',
  kind: 'DeploymentGrid',
  metadata: { name: 'shop-app', namespace: NS, labels: FED },
  spec: {
    gridUniqKey: 'shops',
    template: {
      replicas: 1,
      selector: { matchLabels: { app: 'shop-app' } },
      template: {
        metadata: { labels: { app: 'shop-app' } },
        spec: { containers: [{ name: 'echo', image: 'superedge/echoserver:1' }] },
      },
    },
  },
};

function sites() {
  const custom = suite.fleet.control.kubeConfig().makeApiClient(CustomObjectsApi);
  const target = (kind: 'NodeUnit' | 'NodeGroup') => ({
    group: SITE_GROUP,
    version: SITE_VERSION,
    plural: kind === 'NodeUnit' ? NODE_UNIT_RESOURCE.plural : NODE_GROUP_RESOURCE.plural,
  });
  return {
    create: (o: NodeUnit | NodeGroup) => custom.createClusterCustomObject({ ...target(o.kind!), body: o }),
    get: async (kind: 'NodeUnit' | 'NodeGroup', name: string) =>
      (await custom.getClusterCustomObject({ ...target(kind), name })) as NodeUnit & NodeGroup,
    delete: (kind: 'NodeUnit' | 'NodeGroup', name: string) =>
      custom.deleteClusterCustomObject({ ...target(kind), name }),
  };
}

async function patchLabels(member: LocalCluster, name: string, labels: Record<string, string | null>) {
  await core(member).patchNode(
    { name, body: { metadata: { labels } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
}

const node = (member: LocalCluster, name: string): Promise<V1Node> => core(member).readNode({ name });
const labelsOf = async (member: LocalCluster, name: string) => (await node(member, name)).metadata?.labels ?? {};

/** Every east node, with the member that has it. */
const eastNodes = (): [LocalCluster, string][] => [
  ...M1.map((n): [LocalCluster, string] => [suite.fleet.member1, n]),
  ...M2.map((n): [LocalCluster, string] => [suite.fleet.member2, n]),
];

describe('fed NodeUnit membership across members', () => {
  beforeAll(async () => {
    await sites().create(east);
  });

  it('labels the matching nodes of both members within seconds, and no other node', async () => {
    const started = Date.now();
    await eventually(async () => {
      for (const [member, name] of eastNodes()) {
        const n = await node(member, name);
        expect(n.metadata?.labels).toMatchObject({ zone: 'east', owner: 'ops', site: 'east' });
        expect(JSON.parse(n.metadata?.annotations?.[SITE_MANAGED_ANNOTATION] ?? '{}')).toEqual({
          east: { labels: ['zone'] },
        });
      }
    }, 30_000);
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`sites: both members' east nodes labelled ${seconds.toFixed(1)} s after the NodeUnit\n`);
    expect(seconds).toBeLessThan(10);
    expect(await labelsOf(suite.fleet.member2, 's2-west')).not.toHaveProperty('zone');
  });

  it('labels a matching node added later', async () => {
    await suite.fleet.member2.addNode({ name: LATE, labels: { site: 'east' } }, { ifMissing: true });
    await suite.fleet.member2.waitNodesReady([LATE]);
    await eventually(
      async () => expect(await labelsOf(suite.fleet.member2, LATE)).toMatchObject({ zone: 'east' }),
      20_000,
    );
  });

  it('puts back a label relabelled by hand', async () => {
    await patchLabels(suite.fleet.member1, M1[0]!, { zone: 'by-hand' });
    await eventually(
      async () => expect(await labelsOf(suite.fleet.member1, M1[0]!)).toMatchObject({ zone: 'east' }),
      20_000,
    );
  });

  it('shows ready and not-ready nodes by member, the ready rate and the hosting members in status', async () => {
    await eventually(async () => {
      const status = (await sites().get('NodeUnit', 'east')).status;
      expect(status?.readynodes).toEqual(['member-1/s1-east-a', 'member-2/s2-east-a', `member-2/${LATE}`]);
      expect(status?.notreadynodes).toEqual([]);
      expect(status?.readyrate).toBe('3/3');
      expect(status?.members).toEqual(['member-1', 'member-2']);
      expect(status?.conditions?.find((c) => c.type === 'NodesManaged')?.status).toBe('True');
    }, 30_000);
  });
});

/** A GET of the hub's API (this hub runs with HTTP_AUTH=none on loopback): status and JSON. */
async function hubGet<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${suite.hub.url}${path}`, { signal: AbortSignal.timeout(15_000) });
  return { status: res.status, body: (await res.json()) as T };
}

interface NodeUnitAnswer {
  name: string;
  fed: boolean;
  members: string[];
  readyNodes: string[];
  notReadyNodes: string[];
  readyRate?: string;
  nodesPerMember: { member: string; ready: number; total: number }[];
  conflicts: { node: string; key: string; nodeUnits: string[] }[];
  conditions: { type: string; status: string }[];
}

describe('the hub API and dashboard show the fed NodeUnit', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('/api/nodeunits lists it with its members, nodes by member and readiness, as its status says', async () => {
    const expected = {
      name: 'east',
      fed: true,
      members: ['member-1', 'member-2'],
      readyNodes: ['member-1/s1-east-a', 'member-2/s2-east-a', `member-2/${LATE}`],
      notReadyNodes: [],
      readyRate: '3/3',
      nodesPerMember: [
        { member: 'member-1', ready: 1, total: 1 },
        { member: 'member-2', ready: 2, total: 2 },
      ],
      conflicts: [],
    };
    await eventually(async () => {
      const list = await hubGet<NodeUnitAnswer[]>('/api/nodeunits');
      expect(list.status).toBe(200);
      expect(list.body.find((u) => u.name === 'east')).toMatchObject(expected);
    }, 30_000);
    const one = await hubGet<NodeUnitAnswer>('/api/nodeunits/east');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject(expected);
    expect(one.body.conditions.find((c) => c.type === 'NodesManaged')?.status).toBe('True');
    expect((await hubGet('/api/nodeunits/no-such-site')).status).toBe(404);
  });

  it('the dashboard draws it: members, ready/total nodes, ready rate and no problem', async () => {
    const page = await browser.newPage();
    await page.goto(`${suite.hub.url}/dashboard`);
    const row = page.locator('tr[data-site-nodeunit="east"]');
    await row.waitFor();
    expect(await row.locator('td[data-members]').innerText()).toBe('member-1, member-2');
    expect(await row.locator('td[data-nodes]').innerText()).toBe('3/3 (member-1 1/1, member-2 2/2)');
    expect(await row.locator('td[data-readyrate]').innerText()).toBe('3/3');
    expect(await row.locator('td[data-problems]').innerText()).toBe('none');
    await page.screenshot({ path: '.gridfed/dashboard-nodeunits.png' });
    await page.close();
  });
});

describe('a member that does not let the hub manage its nodes', () => {
  const manageNodes = (member: string, value: boolean) =>
    suite.fleet.control
      .kubeConfig()
      .makeApiClient(CustomObjectsApi)
      .patchClusterCustomObject(
        {
          group: GRIDFED_GROUP,
          version: GRIDFED_VERSION,
          plural: MEMBER_CLUSTER_PLURAL,
          name: member,
          body: { spec: { manageNodes: value } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );

  it('is named in the NodesManaged condition and a Warning Event, its nodes counted and left as they are', async () => {
    await manageNodes('member-2', false);
    try {
      await eventually(async () => {
        const status = (await sites().get('NodeUnit', 'east')).status;
        const managed = status?.conditions?.find((c) => c.type === 'NodesManaged');
        expect([managed?.status, managed?.reason]).toEqual(['False', 'MemberNotOptedIn']);
        expect(managed?.message).toContain('member-2');
        expect(status?.readyrate).toBe('3/3');
      }, 30_000);
      await eventually(async () => {
        const events = await core(suite.fleet.control).listNamespacedEvent({ namespace: 'default' });
        const mine = events.items.filter(
          (e) => e.involvedObject.kind === 'NodeUnit' && e.involvedObject.name === 'east',
        );
        expect(mine.map((e) => [e.type, e.reason])).toContainEqual(['Warning', 'MemberNotOptedIn']);
      }, 30_000);
      // Not put back while the member is not opted in.
      await patchLabels(suite.fleet.member2, M2[0]!, { zone: 'by-hand' });
      await new Promise((r) => setTimeout(r, 3000));
      expect((await labelsOf(suite.fleet.member2, M2[0]!))['zone']).toBe('by-hand');
    } finally {
      await manageNodes('member-2', true);
    }
    await eventually(
      async () => expect(await labelsOf(suite.fleet.member2, M2[0]!)).toMatchObject({ zone: 'east' }),
      20_000,
    );
    await eventually(async () => {
      const status = (await sites().get('NodeUnit', 'east')).status;
      expect(status?.conditions?.find((c) => c.type === 'NodesManaged')?.status).toBe('True');
    }, 30_000);
  });
});

describe('a NodeGroup and the grids that follow it', () => {
  beforeAll(async () => {
    await sites().create(shops);
  });

  it('gives each node of its NodeUnit `<nodegroup>: <nodeunit>`, and a grid keyed on it runs in each member', async () => {
    await eventually(async () => {
      for (const [member, name] of eastNodes()) {
        expect(await labelsOf(member, name)).toMatchObject({ shops: 'east', zone: 'east' });
      }
    }, 30_000);
    await suite.grids.create(grid);
    await eventually(async () => {
      expect(await deploymentNames(suite.fleet.member1, NS)).toEqual(['shop-app-east']);
      expect(await deploymentNames(suite.fleet.member2, NS)).toEqual(['shop-app-east']);
    }, 60_000);
    await eventually(async () => {
      const status = (await sites().get('NodeGroup', 'shops')).status;
      expect(status?.nodeunits).toEqual(['east']);
      expect(status?.unitnumber).toBe(1);
      expect(status?.workloadstatus?.map((w) => w.workloadname)).toEqual([`DeploymentGrid/${NS}/shop-app`]);
    }, 30_000);
    const api = await hubGet<{ nodeUnits: string[]; workloads: { workloadname: string }[] }>('/api/nodegroups/shops');
    expect(api.status).toBe(200);
    expect(api.body.nodeUnits).toEqual(['east']);
    expect(api.body.workloads.map((w) => w.workloadname)).toEqual([`DeploymentGrid/${NS}/shop-app`]);
  });

  it('the dashboard and `gridfed nodegroups` show its NodeUnit and the grid ready there', async () => {
    const gridName = `DeploymentGrid/${NS}/shop-app`;
    await eventually(async () => {
      const status = (await sites().get('NodeGroup', 'shops')).status;
      expect(status?.workloadstatus).toEqual([{ workloadname: gridName, readyunit: ['east'], notreadyunit: [] }]);
    }, 60_000);
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(`${suite.hub.url}/dashboard`);
      const row = page.locator('tr[data-site-nodegroup="shops"]');
      await row.waitFor();
      expect(await row.locator('td[data-units]').innerText()).toBe('east');
      expect(await row.locator('td[data-grids]').innerText()).toBe(`${gridName}: east / –`);
      expect(await row.locator('td[data-problems]').innerText()).toBe('none');
      await page.screenshot({ path: '.gridfed/dashboard-nodegroups.png' });
    } finally {
      await browser.close();
    }
    const rows = (await gridfed(suite.fleet, 'nodegroups'))
      .trim()
      .split('\n')
      .map((line) => line.split(/\s{2,}/));
    expect(rows[0]).toEqual(['NAME', 'FED', 'NODEUNITS', 'GRIDS', 'PROBLEMS', 'AGE']);
    expect(rows.find((r) => r[0] === 'shops')?.slice(0, 5)).toEqual([
      'shops',
      'yes',
      'east',
      `${gridName} 1/1`,
      'none',
    ]);
  });

  it('reports a node wanted by two NodeUnits of the NodeGroup as a conflict on both, without flapping', async () => {
    const b: NodeUnit = { ...east, metadata: { name: 'east-b', labels: FED }, spec: { nodes: ['member-1/s1-east-a'] } };
    await sites().create(b);
    await sites()
      .get('NodeGroup', 'shops')
      .then(async (g) => {
        const custom = suite.fleet.control.kubeConfig().makeApiClient(CustomObjectsApi);
        await custom.patchClusterCustomObject(
          {
            group: SITE_GROUP,
            version: SITE_VERSION,
            plural: NODE_GROUP_RESOURCE.plural,
            name: g.metadata.name,
            body: { spec: { nodeunits: ['east', 'east-b'] } },
          },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        );
      });
    /** The conflicts, and the object's resourceVersion: unchanged while idle, the status did not move at all. */
    const conflicted = async (name: string) => {
      const nu = await sites().get('NodeUnit', name);
      const status = nu.status;
      expect(status?.conflicts?.map((c) => [c.node, c.kind, c.key, c.nodeUnits])).toEqual([
        ['member-1/s1-east-a', 'label', 'shops', ['east', 'east-b']],
      ]);
      expect(status?.conditions?.find((c) => c.type === 'NoConflicts')?.status).toBe('False');
      return `${nu.metadata.resourceVersion} ${JSON.stringify(status?.conflicts)}`;
    };
    await eventually(async () => Promise.all([conflicted('east'), conflicted('east-b')]), 30_000);
    // Settled: the status queue debounces 300 ms and writes a key at most once a second.
    await new Promise((r) => setTimeout(r, 2000));
    const first = await Promise.all([conflicted('east'), conflicted('east-b')]);
    const api = await hubGet<NodeUnitAnswer>('/api/nodeunits/east-b');
    expect(api.body.conflicts.map((c) => [c.node, c.key, c.nodeUnits])).toEqual([
      ['member-1/s1-east-a', 'shops', ['east', 'east-b']],
    ]);
    expect(api.body.conditions.find((c) => c.type === 'NoConflicts')?.status).toBe('False');
    const label = (await labelsOf(suite.fleet.member1, 's1-east-a'))['shops'];
    for (let i = 0; i < 12; i++) {
      await new Promise((r) => setTimeout(r, 500));
      expect(await Promise.all([conflicted('east'), conflicted('east-b')])).toEqual(first);
      expect((await labelsOf(suite.fleet.member1, 's1-east-a'))['shops']).toBe(label);
    }
    await sites().delete('NodeUnit', 'east-b');
    await eventually(async () => {
      const status = (await sites().get('NodeUnit', 'east')).status;
      expect(status?.conflicts).toEqual([]);
    }, 30_000);
  });
});

describe('removing exactly what the hub set', () => {
  it('a node that stops matching loses the hub labels and keeps the others', async () => {
    await patchLabels(suite.fleet.member2, LATE, { site: 'west', owner: 'ops' });
    await eventually(async () => {
      const n = await node(suite.fleet.member2, LATE);
      expect(n.metadata?.labels).not.toHaveProperty('zone');
      expect(n.metadata?.labels).not.toHaveProperty('shops');
      expect(n.metadata?.labels).toMatchObject({ owner: 'ops', site: 'west' });
      expect(n.metadata?.annotations ?? {}).not.toHaveProperty(SITE_MANAGED_ANNOTATION);
    }, 30_000);
  });

  it('a deleted NodeUnit: every node loses what the hub set, others keep theirs, and the grid leaves', async () => {
    await sites().delete('NodeUnit', 'east');
    await eventually(async () => {
      for (const [member, name] of eastNodes()) {
        const n = await node(member, name);
        expect(n.metadata?.labels).not.toHaveProperty('zone');
        expect(n.metadata?.labels).not.toHaveProperty('shops');
        expect(n.metadata?.labels).toMatchObject({ owner: 'ops', site: 'east' });
        expect(n.metadata?.annotations ?? {}).not.toHaveProperty(SITE_MANAGED_ANNOTATION);
      }
    }, 30_000);
    await eventually(async () => {
      expect(await deploymentNames(suite.fleet.member1, NS)).toEqual([]);
      expect(await deploymentNames(suite.fleet.member2, NS)).toEqual([]);
    }, 60_000);
  });
});

describe('an unregistered member', () => {
  it('loses its field in the shared hash of site facts; the other member keeps its own', async () => {
    const redis = redisClient();
    const members = async () => (await redis.hkeys('gridfed:{state}:sites')).sort();
    try {
      await eventually(async () => expect(await members()).toEqual(['member-1', 'member-2']), 30_000);
      await gridfed(suite.fleet, 'unregister', 'member-2');
      await eventually(async () => expect(await members()).toEqual(['member-1']), 30_000);
    } finally {
      redis.disconnect();
    }
  });
});
