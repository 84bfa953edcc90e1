// What an e2e test uses to reach the shared fleet that global-setup started.
import { resolve } from 'node:path';
import { ensureKubeBinaries } from '../../../tools/local-cluster/src/binaries.js';
import { LocalCluster } from '../../../tools/local-cluster/src/local-cluster.js';

export function testFleetRoot(): string {
  return resolve(process.env['GRIDFED_TEST_CLUSTERS_DIR'] ?? '.gridfed/test-clusters');
}

/** A handle on one running fleet cluster (control, member-1, member-2). */
export function fleetCluster(name: string): Promise<LocalCluster> {
  return LocalCluster.open(testFleetRoot(), name, ensureKubeBinaries());
}
