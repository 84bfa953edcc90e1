// What to do with one SiteConfig's copies in one member: pure, from what the SiteConfig wants
// there (desiredCopies) and the copies listed by its selector. A NodeUnit that cannot have a
// copy keeps whatever copy it has (its pods still run on it); a copy of a NodeUnit the member no
// longer hosts, or of a SiteConfig that is gone, is deleted; a kept copy a staged rollout still
// keeps NodeUnits on is left as it is (its content may not be known any more: it is never
// rewritten). Only objects copyOwnerOf says are this SiteConfig's are ever changed or deleted.
import type { KubernetesObject } from '@kubernetes/client-node';
import stringify from 'safe-stable-stringify';
import { DESIRED_HASH_ANNOTATION } from '#gridfed/grid-api';
import { copyOwnerOf, type DesiredCopies, type RenderedCopy } from '#gridfed/site-config';

export interface CopyPlan {
  /** Missing, or changed by someone (drift), or out of date: server-side applied. */
  apply: RenderedCopy[];
  /** Not listed as this SiteConfig's: the name may be taken by an object gridfed does not own. */
  create: RenderedCopy[];
  /** Names (`namespace/name`) of copies no longer wanted. */
  delete: string[];
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
  const byName = new Map(ours.map((obj) => [obj.metadata?.name ?? '', obj]));
  const plan: CopyPlan = { apply: [], create: [], delete: [] };
  for (const copy of desired.copies) {
    const current = byName.get(copy.object.metadata.name);
    if (!current) plan.create.push(copy);
    else if (!upToDate(current, copy)) plan.apply.push(copy);
  }
  const wanted = new Set([...desired.copies.map((c) => c.object.metadata.name), ...desired.keep]);
  for (const obj of ours) {
    const nodeUnit = copyOwnerOf(obj)?.nodeUnit ?? '';
    if (wanted.has(obj.metadata?.name ?? '') || Object.hasOwn(desired.failed, nodeUnit)) continue;
    plan.delete.push(`${obj.metadata?.namespace ?? siteConfig.namespace}/${obj.metadata?.name ?? ''}`);
  }
  return plan;
}

/** The member's copy holds exactly what was rendered: same desired hash, same data (an edit is drift). */
function upToDate(live: LiveCopy, copy: RenderedCopy): boolean {
  return (
    live.metadata?.annotations?.[DESIRED_HASH_ANNOTATION] === copy.hash &&
    stringify(live.data ?? {}) === stringify(copy.object.data)
  );
}
