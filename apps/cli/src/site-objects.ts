// Reads the control cluster's NodeUnits or NodeGroups (site.superedge.io) for the list
// commands, failing clearly when the CRD is not installed.
import { SITE_GROUP, SITE_VERSION, type NodeGroup, type NodeUnit } from '#gridfed/site-api';
import { describeError, isNotFound } from '#gridfed/kube';
import { CliError, step } from './cli-output.js';
import type { CliClients } from './kube-access.js';

export async function listSiteObjects<T extends NodeUnit | NodeGroup>(
  control: CliClients,
  kind: 'NodeUnits' | 'NodeGroups',
  plural: string,
): Promise<T[]> {
  const list = (await step(`control cluster: list ${kind}`, async () => {
    try {
      return await control.custom.listClusterCustomObject({ group: SITE_GROUP, version: SITE_VERSION, plural });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      throw new CliError(
        `control cluster at ${control.server} does not serve ${plural}.${SITE_GROUP}: ` +
          `apply deploy/crds/${plural}.${SITE_GROUP}.yaml first (${describeError(err)})`,
      );
    }
  })) as { items?: T[] };
  return list.items ?? [];
}
