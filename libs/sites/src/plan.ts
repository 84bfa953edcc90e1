// planNodeMembership: from the fed NodeUnits and NodeGroups and every member's nodes, the patch for
// each node (what the hub sets and removes) and the status of each NodeUnit and NodeGroup.
// Pure: the reconciler reads its inputs from informer caches and writes what it returns.
import {
  FED_LABEL,
  FED_LABEL_VALUE,
  SITE_MANAGED_ANNOTATION,
  formatSiteErrors,
  validateNodeGroup,
  validateNodeUnit,
  type NodeGroup,
  type NodeUnit,
  type NodeUnitConflict,
} from '#gridfed/site-api';
import { addWish, emptyWants, nodeUnitsOf, nodesOf, wishesOf, type SelectedNode, type Wants } from './membership.js';
import { nodePatch } from './node-patch.js';
import { planNode, type Frozen } from './node-plan.js';
import { invalidNodeGroupStatus, invalidNodeUnitStatus, nodeGroupStatus, nodeUnitStatus } from './status.js';
import type { MembershipInput, MembershipPlan, NodePatch } from './types.js';
import { nodeGroupWorkloadStatus } from './workload-status.js';

export function planNodeMembership(input: MembershipInput): MembershipPlan {
  const units = input.nodeUnits.filter(isFed);
  const groups = input.nodeGroups.filter(isFed);
  const invalidUnits = problems(units, (u) => validateNodeUnit(u), 'NodeUnit');
  const invalidGroups = problems(groups, (g) => validateNodeGroup(g), 'NodeGroup');
  const validUnits = units.filter((u) => !invalidUnits.has(u.metadata.name));
  const validGroups = groups.filter((g) => !invalidGroups.has(g.metadata.name));

  const groupMembers = new Map(validGroups.map((g) => [g.metadata.name, nodeUnitsOf(g, units)]));
  const selected = new Map(validUnits.map((u) => [u.metadata.name, nodesOf(u, input.members)]));
  const wants = wantsByNode(validUnits, selected, groupMembers);
  const frozen: Frozen = { nodeUnits: new Set(invalidUnits.keys()), labelKeys: new Set(invalidGroups.keys()) };

  const patches: NodePatch[] = [];
  const conflicts = new Map<string, NodeUnitConflict[]>();
  const warnings: string[] = [];
  for (const { member, manageNodes, nodes } of sortedBy(input.members, (m) => m.member)) {
    for (const node of sortedBy(nodes, (n) => n.name)) {
      const changes = planNode(member, node, wants.get(`${member}/${node.name}`) ?? emptyWants(), frozen);
      if (changes.unreadableRecord) {
        warnings.push(
          `node ${member}/${node.name}: annotation ${SITE_MANAGED_ANNOTATION} is not a record the hub wrote; the hub treats the node as carrying nothing of its own and rewrites it`,
        );
      }
      for (const c of changes.conflicts)
        for (const nu of c.nodeUnits) conflicts.set(nu, [...(conflicts.get(nu) ?? []), c]);
      const patch = manageNodes ? nodePatch(member, node, changes) : undefined;
      if (patch) patches.push(patch);
    }
  }

  const optedOut = new Set(input.members.filter((m) => !m.manageNodes).map((m) => m.member));
  const nodeUnitStatuses = new Map(
    units.map((u) => {
      const name = u.metadata.name;
      const invalid = invalidUnits.get(name);
      if (invalid !== undefined) return [name, invalidNodeUnitStatus(u, invalid, input.now)];
      const nodes = selected.get(name) ?? [];
      const notOptedIn = [...new Set(nodes.map((s) => s.member).filter((m) => optedOut.has(m)))].sort();
      return [
        name,
        nodeUnitStatus(u, { selected: nodes, conflicts: conflicts.get(name) ?? [], notOptedIn }, input.now),
      ];
    }),
  );
  const nodeGroupStatuses = new Map(
    groups.map((g) => {
      const name = g.metadata.name;
      const invalid = invalidGroups.get(name);
      if (invalid !== undefined) return [name, invalidNodeGroupStatus(g, invalid, input.now)];
      const { nodeUnits, missing } = groupMembers.get(name) ?? { nodeUnits: [], missing: [] };
      const workloads = nodeGroupWorkloadStatus(name, nodeUnits, input.grids ?? []);
      return [name, { ...nodeGroupStatus(g, nodeUnits, missing, input.now), workloadstatus: workloads }];
    }),
  );
  return { patches, nodeUnitStatus: nodeUnitStatuses, nodeGroupStatus: nodeGroupStatuses, warnings };
}

/** Per node (`member/node`), every valid NodeUnit's wishes for it. */
function wantsByNode(
  units: NodeUnit[],
  selected: Map<string, SelectedNode[]>,
  groupMembers: Map<string, { nodeUnits: string[] }>,
): Map<string, Wants> {
  const wants = new Map<string, Wants>();
  for (const unit of units) {
    const name = unit.metadata.name;
    const groups = [...groupMembers].filter(([, g]) => g.nodeUnits.includes(name)).map(([group]) => group);
    const wishes = wishesOf(unit, groups);
    for (const { member, node } of selected.get(name) ?? []) {
      const key = `${member}/${node.name}`;
      const nodeWants = wants.get(key) ?? emptyWants();
      for (const wish of wishes) addWish(nodeWants, wish);
      wants.set(key, nodeWants);
    }
  }
  return wants;
}

/** Name -> the formatted problems of each object that fails `validate`. */
function problems<T extends NodeUnit | NodeGroup>(
  objects: T[],
  validate: (o: T) => ReturnType<typeof validateNodeUnit> | ReturnType<typeof validateNodeGroup>,
  kind: 'NodeUnit' | 'NodeGroup',
): Map<string, string> {
  const out = new Map<string, string>();
  for (const object of objects) {
    const result = validate(object);
    if (!result.ok) out.set(object.metadata.name, formatSiteErrors(kind, result.name, result.errors));
  }
  return out;
}

function isFed(object: NodeUnit | NodeGroup): boolean {
  return typeof object.metadata?.name === 'string' && object.metadata.labels?.[FED_LABEL] === FED_LABEL_VALUE;
}

function sortedBy<T>(items: T[], key: (item: T) => string): T[] {
  return [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
