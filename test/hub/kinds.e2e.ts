// StatefulSetGrid and ServiceGrid (normal and headless) distribute like DeploymentGrid.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '../cluster/jest/eventually.js';
import {
  apps,
  core,
  ensureNamespace,
  example,
  gridApi,
  openFleet,
  registerMembers,
  startHub,
  unregisterMembers,
  type Fleet,
} from './fixtures.js';
import type { HubProcess } from './hub-process.js';

const NS = 'kinds';
let fleet: Fleet;
let hub: HubProcess;
let grids: ReturnType<typeof gridApi>;

beforeAll(async () => {
  fleet = await openFleet();
  grids = gridApi(fleet.control.kubeConfig());
  hub = startHub('hub-kinds');
  await hub.start();
  await registerMembers(fleet);
  await ensureNamespace(fleet.control.kubeConfig(), NS);
}, 120_000);

afterAll(async () => {
  await unregisterMembers(fleet);
  await hub?.stop();
}, 120_000);

describe('StatefulSetGrid with a headless ServiceGrid', () => {
  const ssg = example('statefulsetgrid.yaml', NS);
  const sg = example('servicegrid-headless.yaml', NS);
  ssg.metadata.labels = { 'superedge.io/fed': 'yes' };
  sg.metadata.labels = { 'superedge.io/fed': 'yes' };

  it('puts one ready StatefulSet per NodeUnit in the member hosting it, serviceName kept', async () => {
    await grids.create(ssg);
    await grids.create(sg);
    for (const [member, zone] of [
      [fleet.member1, 'zone1'],
      [fleet.member2, 'zone2'],
    ] as const) {
      const sts = await eventually(async () => {
        const s = await apps(member).readNamespacedStatefulSet({ name: `statefulsetgrid-demo-${zone}`, namespace: NS });
        expect(s.status?.readyReplicas).toBe(3);
        return s;
      }, 30_000);
      expect(sts.spec?.serviceName).toBe('servicegrid-demo-svc');
      expect(sts.spec?.template.spec?.nodeSelector).toEqual({ zone });
      const list = await apps(member).listNamespacedStatefulSet({ namespace: NS });
      expect(list.items).toHaveLength(1);
    }
  });

  it('puts the headless Service in both members', async () => {
    for (const member of [fleet.member1, fleet.member2]) {
      const svc = await eventually(
        () => core(member).readNamespacedService({ name: 'servicegrid-demo-svc', namespace: NS }),
        15_000,
      );
      expect(svc.spec?.clusterIP).toBe('None');
    }
  });

  it('reverts a StatefulSet edit and cleans up on delete', async () => {
    await apps(fleet.member2).patchNamespacedStatefulSet({
      name: 'statefulsetgrid-demo-zone2',
      namespace: NS,
      body: [{ op: 'replace', path: '/spec/replicas', value: 1 }],
    });
    await eventually(async () => {
      const s = await apps(fleet.member2).readNamespacedStatefulSet({
        name: 'statefulsetgrid-demo-zone2',
        namespace: NS,
      });
      expect(s.spec?.replicas).toBe(3);
    }, 15_000);
    await grids.delete(ssg);
    await grids.delete(sg);
    await eventually(async () => {
      for (const member of [fleet.member1, fleet.member2]) {
        expect((await apps(member).listNamespacedStatefulSet({ namespace: NS })).items).toHaveLength(0);
        expect((await core(member).listNamespacedService({ namespace: NS })).items).toHaveLength(0);
      }
    }, 20_000);
  });
});
