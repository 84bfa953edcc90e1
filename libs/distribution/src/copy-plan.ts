// What to do with one SiteConfig's copies in one member: pure, from what the SiteConfig wants
// there (desiredCopies) and the copies listed by its selector. A NodeUnit that cannot have a
// copy keeps whatever copy it has (its pods still run on it); a copy of a NodeUnit the member no
// longer hosts, or of a SiteConfig that is gone, is deleted; a kept copy a staged rollout still
// keeps NodeUnits on is left as it is (its content may not be known any more: it is never
// rewritten). Only objects copyOwnerOf says are this SiteConfig's are ever changed or deleted.
import type { KubernetesObject } from '@kubernetes/client-node';
import stringify from 'safe-stable-stringify';
import { DESIRED_HASH_ANNOTATION } from '#gridfed/grid-api';
import type { ConfigObjectKind } from '#gridfed/kube';
import { copyOwnerOf, type DesiredCopies, type RenderedCopy } from '#gridfed/site-config';

export interface CopyPlan {
  /** Missing, or changed by someone (drift), or out of date: server-side applied. */
  apply: RenderedCopy[];
  /** Not listed as this SiteConfig's: the name may be taken by an object gridfed does not own. */
  create: RenderedCopy[];
  /** Copies no longer wanted (a ConfigMap copy of a SiteConfig now of type Secret among them). */
  delete: CopyObjectRef[];
}

export interface CopyObjectRef {
  kind: ConfigObjectKind;
  namespace: string;
  name: string;
}

type LiveCopy = KubernetesObject & { data?: Record<string, string> };

export function planCopies(
  siteConfig: { namespace: string; name: string },
  desired: Extract<DesiredCopies, { kind: 'copies' }>,
  live: readonly LiveCopy[],
): CopyPlan {
  const ours = live.filter((obj) => {
    const owner = copyOwnerOf(obj);
    return owner?.namespace === siteConfig.namespace && owner.name === siteConfig.name;
  });
  // By kind and name: after a switch of type, a ConfigMap copy is not the Secret copy of its name.
  const byKey = new Map(ours.map((obj) => [keyOf(obj.kind, obj.metadata?.name), obj]));
  const plan: CopyPlan = { apply: [], create: [], delete: [] };
  for (const copy of desired.copies) {
    const current = byKey.get(keyOf(copy.object.kind, copy.object.metadata.name));
    if (!current) plan.create.push(copy);
    else if (!upToDate(current, copy)) plan.apply.push(copy);
  }
  const wanted = new Set(desired.copies.map((c) => keyOf(c.object.kind, c.object.metadata.name)));
  const keep = new Set(desired.keep);
  for (const obj of ours) {
    const { name = '', namespace = siteConfig.namespace } = obj.metadata ?? {};
    const nodeUnit = copyOwnerOf(obj)?.nodeUnit ?? '';
    if (wanted.has(keyOf(obj.kind, name)) || keep.has(name) || Object.hasOwn(desired.failed, nodeUnit)) continue;
    plan.delete.push({ kind: obj.kind === 'Secret' ? 'Secret' : 'ConfigMap', namespace, name });
  }
  return plan;
}

function keyOf(kind: string | undefined, name: string | undefined): string {
  return `${kind === 'Secret' ? 'Secret' : 'ConfigMap'}/${name ?? ''}`;
}

/** The member's copy holds exactly what was rendered: same desired hash, same data (an edit is drift). */
function upToDate(live: LiveCopy, copy: RenderedCopy): boolean {
  return (
    live.metadata?.annotations?.[DESIRED_HASH_ANNOTATION] === copy.hash &&
    stringify(live.data ?? {}) === stringify(copy.object.data)
  );
}
