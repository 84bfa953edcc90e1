// The standard local fleet that `make clusters`, `make demo` and the e2e suites share:
// a control cluster and two members, whose nodes form NodeUnits zone1 and zone2.
import { resolve } from 'node:path';
import type { ClusterSpec } from './local-cluster.js';
import type { NodeSpec } from './nodes.js';

export const FLEET: ClusterSpec[] = [
  { name: 'control', nodes: [{ name: 'control-node-1' }] },
  {
    name: 'member-1',
    nodes: [
      { name: 'member-1-node-1', labels: { zone: 'zone1' } },
      { name: 'member-1-node-2', labels: { zone: 'zone1' } },
    ],
  },
  {
    name: 'member-2',
    nodes: [
      { name: 'member-2-node-1', labels: { zone: 'zone2' } },
      { name: 'member-2-node-2', labels: { zone: 'zone2' } },
    ],
  },
];

/**
 * `make demo`'s new shop: a node that joins member-2 with only the label its installer gives it
 * (`site: hangzhou`), no `zone`; the NodeUnit of deploy/examples/new-site makes it site zone3.
 * Added with `cli.ts add-new-shop`, not part of FLEET, so the e2e suites never see it.
 */
export const NEW_SHOP: { cluster: string; node: NodeSpec } = {
  cluster: 'member-2',
  node: { name: 'member-2-node-3', labels: { site: 'hangzhou' } },
};

/**
 * `count` light members (member-001, ...) named with `prefix`, each one NodeUnit of one node:
 * `<key>=nu<i>`. Start them with ClusterHarness.startLightClusters.
 */
export function lightMemberSpecs(count: number, prefix = 'member', key = 'zone'): ClusterSpec[] {
  return Array.from({ length: count }, (_, i) => {
    const index = String(i + 1).padStart(3, '0');
    const name = `${prefix}-${index}`;
    return { name, nodes: [{ name: `${name}-node-1`, labels: { [key]: `nu${index}` } }] };
  });
}

/** Where `make clusters` keeps the fleet: `.gridfed/clusters/<name>/kubeconfig`. */
export function fleetRoot(): string {
  return resolve(process.env['GRIDFED_CLUSTERS_DIR'] ?? '.gridfed/clusters');
}
