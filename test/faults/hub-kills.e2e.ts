// Fault 6 of issue 13: the hub SIGKILLed again and again, during a fan-out and during the
// deletion of what it fanned out. Every object ends as declared, no member object is left
// behind, and no grid stays stuck in deletion.
import { describe, expect, it } from '@jest/globals';
import type { DeploymentGrid } from '#gridfed/grid-api';
import { eventually } from '../cluster/jest/eventually.js';
import { apps, example, hubSuite } from '../hub/fixtures.js';
import { faultSeconds, timedFault } from './fault-record.js';

const NS = 'faults-kills';
const GRIDS = 12;
const grids = Array.from(
  { length: GRIDS },
  (_, i) => example('deploymentgrid-fed.yaml', NS, `storm-${i}`) as DeploymentGrid,
);
const suite = hubSuite('hub-faults-kills', NS, {
  tearDown: async (s) => {
    for (const g of grids) await s.grids.delete(g).catch(() => undefined);
  },
});

/** gridfed's Deployments of this namespace in both members. */
async function memberDeployments(): Promise<string[]> {
  const names: string[] = [];
  for (const member of [suite.fleet.member1, suite.fleet.member2]) {
    const list = await apps(member).listNamespacedDeployment({ namespace: NS });
    names.push(...list.items.map((d) => `${member.name}/${d.metadata?.name ?? ''}`));
  }
  return names.sort();
}

/** SIGKILLs the hub `times` times over `seconds`, starting it again after each. */
async function killRepeatedly(times: number, seconds: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    await new Promise((r) => setTimeout(r, (seconds * 1000) / times / 2));
    await suite.hub.kill();
    await suite.hub.start();
  }
}

describe('the hub SIGKILLed repeatedly', () => {
  const seconds = faultSeconds('HUB_KILLS', 20);

  it(`5 times during a fan-out of ${GRIDS} grids: every member object ends as declared`, async () => {
    await timedFault(
      `hub SIGKILLed 5x in ${seconds} s, fan-out`,
      `${GRIDS} grids x 2 NodeUnits all created`,
      async () => {
        const creating = (async () => {
          for (const g of grids) await suite.grids.create(g);
        })();
        await killRepeatedly(5, seconds);
        await creating;
        const expected = grids
          .flatMap((g) => [`member-1/${g.metadata.name}-zone1`, `member-2/${g.metadata.name}-zone2`])
          .sort();
        await eventually(async () => expect(await memberDeployments()).toEqual(expected), 90_000);
      },
    );
  });

  it('5 times during their deletion: nothing left in the members, no grid stuck in deletion', async () => {
    await timedFault(`hub SIGKILLed 5x in ${seconds} s, deletion`, 'no orphan, every grid gone', async () => {
      const deleting = (async () => {
        for (const g of grids) await suite.grids.delete(g);
      })();
      await killRepeatedly(5, seconds);
      await deleting;
      await eventually(async () => {
        expect(await memberDeployments()).toEqual([]);
        for (const g of grids) expect(await suite.grids.exists(g)).toBe(false);
      }, 90_000);
    });
  });
});
