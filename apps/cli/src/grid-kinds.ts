// Grid kinds as users type them: short names, singular and plural, any case.
import type { GridKind } from '#gridfed/grid-api';

const KINDS: Record<string, GridKind> = {
  dg: 'DeploymentGrid',
  deploymentgrid: 'DeploymentGrid',
  deploymentgrids: 'DeploymentGrid',
  ssg: 'StatefulSetGrid',
  statefulsetgrid: 'StatefulSetGrid',
  statefulsetgrids: 'StatefulSetGrid',
  sg: 'ServiceGrid',
  servicegrid: 'ServiceGrid',
  servicegrids: 'ServiceGrid',
};

export function gridKindOf(arg: string): GridKind | undefined {
  return KINDS[arg.toLowerCase()];
}
