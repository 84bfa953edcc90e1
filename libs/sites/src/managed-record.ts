// The node annotation gridfed.io/site-managed: per NodeUnit, the keys the hub set on the node for it.
// JSON, sorted, e.g. {"shop-xian":{"labels":["zone","zone-group"],"taints":["example.com/edge:NoSchedule"]}}.
// It lives on the node itself, so what the hub set survives a hub restart and moves with the node.
import type { NodeFieldKind } from '#gridfed/site-api';

export const FIELD_KINDS: readonly NodeFieldKind[] = ['label', 'annotation', 'taint'];
const JSON_NAMES: Record<NodeFieldKind, string> = { label: 'labels', annotation: 'annotations', taint: 'taints' };

/** NodeUnit -> kind -> keys the hub set for it (a taint's key is `key:effect`). */
export type ManagedRecord = Map<string, Record<NodeFieldKind, Set<string>>>;

export function emptyKeys(): Record<NodeFieldKind, Set<string>> {
  return { label: new Set(), annotation: new Set(), taint: new Set() };
}

/** The record in `value`; `unreadable` when it is there but not a record (then the hub owns nothing there). */
export function readManagedRecord(value: string | undefined): { record: ManagedRecord; unreadable: boolean } {
  const record: ManagedRecord = new Map();
  if (value === undefined) return { record, unreadable: false };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { record, unreadable: true };
  }
  if (!isObject(parsed)) return { record, unreadable: true };
  for (const [nodeUnit, kinds] of Object.entries(parsed)) {
    if (!isObject(kinds)) return { record: new Map(), unreadable: true };
    const keys = emptyKeys();
    for (const kind of FIELD_KINDS) {
      const list = kinds[JSON_NAMES[kind]] ?? [];
      if (!Array.isArray(list) || !list.every((k) => typeof k === 'string'))
        return { record: new Map(), unreadable: true };
      for (const key of list as string[]) keys[kind].add(key);
    }
    record.set(nodeUnit, keys);
  }
  return { record, unreadable: false };
}

/** The annotation value for `record`, sorted so equal records read equal; undefined when it holds nothing. */
export function writeManagedRecord(record: ManagedRecord): string | undefined {
  const out: Record<string, Record<string, string[]>> = {};
  for (const nodeUnit of [...record.keys()].sort()) {
    const keys = record.get(nodeUnit) as Record<NodeFieldKind, Set<string>>;
    const entry: Record<string, string[]> = {};
    for (const kind of FIELD_KINDS) if (keys[kind].size > 0) entry[JSON_NAMES[kind]] = [...keys[kind]].sort();
    if (Object.keys(entry).length > 0) out[nodeUnit] = entry;
  }
  return Object.keys(out).length > 0 ? JSON.stringify(out) : undefined;
}

/** Every key of `kind` the record holds, with the NodeUnits it was set for. */
export function ownersByKey(record: ManagedRecord, kind: NodeFieldKind): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const [nodeUnit, keys] of record) {
    for (const key of keys[kind]) owners.set(key, [...(owners.get(key) ?? []), nodeUnit]);
  }
  return owners;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
