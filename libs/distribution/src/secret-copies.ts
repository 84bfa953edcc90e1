// A Secret SiteConfig's copies in one member, found by name: the member agent may get, create,
// patch and delete Secrets (register --manage-secrets) but never list or watch them. The names
// come from the SiteConfig's ledger ConfigMap there (libs/site-config secret-copy-ledger.ts) and
// from what is wanted now; the ledger gains a name before its Secret is written, and loses it
// only after its Secret is gone. Values are read into memory to compare, never said anywhere:
// errors name the member, kind and object only.
import type { MemberConnection } from '#gridfed/cluster-registry';
import { FIELD_MANAGER } from '#gridfed/grid-api';
import {
  applyConfigObject,
  deleteConfigObject,
  isForbidden,
  isNotFound,
  readConfigObject,
  withContext,
  type ConfigObject,
} from '#gridfed/kube';
import { copyOwnerOf, secretCopyLedger, secretCopyLedgerName } from '#gridfed/site-config';
import type { CopyPlan } from './copy-plan.js';

/** The Secrets named `names` in `namespace` that exist, each with its kind set. */
export async function readSecretCopies(
  member: MemberConnection,
  namespace: string,
  names: readonly string[],
): Promise<ConfigObject[]> {
  const read = await Promise.all(
    [...new Set(names)].sort().map(async (name): Promise<ConfigObject[]> => {
      try {
        return [{ ...(await readConfigObject(member.clients, 'Secret', namespace, name)), kind: 'Secret' }];
      } catch (err) {
        if (isNotFound(err)) return [];
        if (isForbidden(err)) throw err; // the caller says so on the SiteConfig
        throw withContext(`${member.name}: read Secret ${namespace}/${name}`, err);
      }
    }),
  );
  return read.flat();
}

/** The Secret copy names the ledger must hold before `plan` runs: what it held, and every Secret about to be written. */
export function ledgerBefore(recorded: readonly string[], plan: CopyPlan): string[] {
  const written = [...plan.create, ...plan.apply].filter((c) => c.object.kind === 'Secret');
  return [...new Set([...recorded, ...written.map((c) => c.object.metadata.name)])].sort();
}

/**
 * The names the ledger holds once `plan` ran: every Secret copy of this SiteConfig still in the
 * member (those listed and not deleted, and those just written).
 */
export function ledgerAfter(live: readonly ConfigObject[], plan: CopyPlan, siteConfig: SiteConfigRef): string[] {
  const deleted = new Set(plan.delete.filter((d) => d.kind === 'Secret').map((d) => d.name));
  const kept = live
    .filter((obj) => obj.kind === 'Secret' && isCopyOf(obj, siteConfig))
    .map((obj) => obj.metadata?.name ?? '')
    .filter((name) => !deleted.has(name));
  return ledgerBefore(kept, { ...plan, delete: [] });
}

interface SiteConfigRef {
  namespace: string;
  name: string;
}

function isCopyOf(obj: ConfigObject, sc: SiteConfigRef): boolean {
  const owner = copyOwnerOf(obj);
  return owner?.namespace === sc.namespace && owner.name === sc.name;
}

/** Makes the ledger of `siteConfig` hold `names` (it holds `current`); deleted when there are none. */
export async function writeLedger(
  member: MemberConnection,
  siteConfig: SiteConfigRef,
  names: readonly string[],
  current: readonly string[],
): Promise<void> {
  const { namespace, name } = siteConfig;
  if (sameNames(current, names)) return;
  const ledgerName = secretCopyLedgerName(name);
  try {
    if (names.length === 0) await deleteConfigObject(member.clients, 'ConfigMap', namespace, ledgerName);
    else
      await applyConfigObject(member.clients, secretCopyLedger(namespace, name, names), {
        fieldManager: FIELD_MANAGER,
        force: true,
      });
  } catch (err) {
    if (!isNotFound(err)) throw withContext(`${member.name}: write ConfigMap ${namespace}/${ledgerName}`, err);
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}
