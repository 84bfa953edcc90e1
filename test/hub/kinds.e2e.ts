// StatefulSetGrid and ServiceGrid (normal and headless) distribute like DeploymentGrid.
import { describe, expect, it } from '@jest/globals';
import { eventually } from '../cluster/jest/eventually.js';
import { apps, core, example, hubSuite } from './fixtures.js';

const NS = 'kinds';
const suite = hubSuite('hub-kinds', NS);

describe('StatefulSetGrid with a headless ServiceGrid', () => {
  const ssg = example('statefulsetgrid.yaml', NS);
  const sg = example('servicegrid-headless.yaml', NS);
  ssg.metadata.labels = { 'superedge.io/fed': 'yes' };
  sg.metadata.labels = { 'superedge.io/fed': 'yes' };

  it('puts one ready StatefulSet per NodeUnit in the member hosting it, serviceName kept', async () => {
    await suite.grids.create(ssg);
    await suite.grids.create(sg);
    for (const [member, zone] of [
      [suite.fleet.member1, 'zone1'],
      [suite.fleet.member2, 'zone2'],
    ] as const) {
      const sts = await eventually(async () => {
        const s = await apps(member).readNamespacedStatefulSet({ name: `statefulsetgrid-demo-${zone}`, namespace: NS });
        expect(s.status?.readyReplicas).toBe(3);
        return s;
        // Three pods one after another (OrderedReady), each made ready by the member's kwok.
      }, 60_000);
      expect(sts.spec?.serviceName).toBe('servicegrid-demo-svc');
      expect(sts.spec?.template.spec?.nodeSelector).toEqual({ zone });
      const list = await apps(member).listNamespacedStatefulSet({ namespace: NS });
      expect(list.items).toHaveLength(1);
    }
  });

  it('puts the headless Service in both members', async () => {
    for (const member of [suite.fleet.member1, suite.fleet.member2]) {
      const svc = await eventually(
        () => core(member).readNamespacedService({ name: 'servicegrid-demo-svc', namespace: NS }),
        15_000,
      );
      expect(svc.spec?.clusterIP).toBe('None');
    }
  });

  it('reverts a StatefulSet edit and cleans up on delete', async () => {
    await apps(suite.fleet.member2).patchNamespacedStatefulSet({
      name: 'statefulsetgrid-demo-zone2',
      namespace: NS,
      body: [{ op: 'replace', path: '/spec/replicas', value: 1 }],
    });
    await eventually(async () => {
      const s = await apps(suite.fleet.member2).readNamespacedStatefulSet({
        name: 'statefulsetgrid-demo-zone2',
        namespace: NS,
      });
      expect(s.spec?.replicas).toBe(3);
    }, 15_000);
    await suite.grids.delete(ssg);
    await suite.grids.delete(sg);
    await eventually(async () => {
      for (const member of [suite.fleet.member1, suite.fleet.member2]) {
        expect((await apps(member).listNamespacedStatefulSet({ namespace: NS })).items).toHaveLength(0);
        expect((await core(member).listNamespacedService({ namespace: NS })).items).toHaveLength(0);
      }
    }, 20_000);
  });
});
