// What the owner of a member found of one SiteConfig's copies there, after a copy sync: per
// NodeUnit the member hosts, its copy's state. Pure: the executor says what it did, this says
// what that means. Published per member for any hub replica's status reconciler; carries no
// value and no time, so an unchanged outcome is not published again.
import type { DesiredCopies } from './desired-copies.js';
import { siteConfigCopyName } from './names.js';
import { siteConfigType, type CopyState, type SiteConfig } from './types.js';

/** One NodeUnit's copy in the member. */
export interface NodeUnitCopyOutcome {
  copy: string;
  state: Exclude<CopyState, 'Unreachable'>;
  hash?: string;
  reason: string;
  message?: string;
}

export interface MemberCopyOutcome {
  member: string;
  /** Of the SiteConfig the sync read: an outcome of an older one (same name) is ignored. */
  uid?: string;
  generation?: number;
  /** Every NodeUnit of the SiteConfig's key that the member hosts. */
  nodeUnits: Record<string, NodeUnitCopyOutcome>;
}

/** A failed request: the apiserver's message, and its HTTP status when it answered. */
export interface CopyFailure {
  message: string;
  code?: number;
}

/** What one copy sync of the SiteConfig on the member did. */
export interface CopyRun {
  member: string;
  siteConfig: SiteConfig;
  /** NodeUnits of the key the member hosts. */
  nodeUnits: readonly string[];
  desired?: DesiredCopies;
  /** The kind the member agent may not list or write there. */
  notPermitted?: string;
  /** Copy names an object gridfed did not make holds. */
  inTheWay?: ReadonlySet<string>;
  /** Copy name -> why its apply failed. */
  failed?: ReadonlyMap<string, CopyFailure>;
  /** The namespace is not in the member yet: copies wait for it. */
  waiting?: boolean;
  /** The sync failed before it could apply anything. */
  error?: CopyFailure;
}

export function memberCopyOutcome(run: CopyRun): MemberCopyOutcome {
  const { siteConfig, member } = run;
  const name = siteConfig.metadata.name ?? '';
  const nodeUnits: Record<string, NodeUnitCopyOutcome> = {};
  for (const nodeUnit of [...run.nodeUnits].sort()) {
    const copy = siteConfigCopyName(name, nodeUnit);
    nodeUnits[nodeUnit] = { copy, ...nodeUnitOutcome(run, nodeUnit, copy) };
  }
  const { uid, generation } = siteConfig.metadata;
  return { member, ...(uid ? { uid } : {}), ...(generation === undefined ? {} : { generation }), nodeUnits };
}

type Outcome = Omit<NodeUnitCopyOutcome, 'copy'>;

function nodeUnitOutcome(run: CopyRun, nodeUnit: string, copy: string): Outcome {
  const { member, desired, siteConfig } = run;
  const kind = siteConfigType(siteConfig);
  if (run.error) return { state: 'Failed', reason: 'SyncFailed', message: failureMessage(siteConfig, run.error) };
  if (!desired) return { state: 'Pending', reason: 'NotSyncedYet' };
  if (desired.kind === 'invalid') {
    return {
      state: 'Held',
      reason: 'InvalidSpec',
      message: 'the spec is invalid (see Valid): the copy is left as it is',
    };
  }
  const held = desired.failed[nodeUnit];
  if (held !== undefined) {
    const own = Object.hasOwn(siteConfig.spec.nodeUnits ?? {}, nodeUnit);
    return { state: 'Held', reason: own ? 'ValuesIncomplete' : 'OverrideMissing', message: held };
  }
  if (run.notPermitted) {
    const heal =
      run.notPermitted === 'Secret'
        ? `the member did not opt in to Secret copies (gridfed register ${member} --renew-credentials --manage-secrets)`
        : `the member agent may not manage ConfigMaps (gridfed register ${member} --renew-credentials)`;
    const message = `${member}: NodeUnits there get no ${run.notPermitted} copy: ${heal}`;
    return { state: 'NotPermitted', reason: 'MemberNotPermitted', message };
  }
  if (run.inTheWay?.has(copy)) {
    const message = `${member}: ${kind} ${siteConfig.metadata.namespace ?? 'default'}/${copy} exists and is not this SiteConfig's copy: left untouched`;
    return { state: 'InTheWay', reason: 'UnownedObjectInTheWay', message };
  }
  const failure = run.failed?.get(copy);
  if (failure) return { state: 'Failed', reason: 'ApplyFailed', message: failureMessage(siteConfig, failure) };
  const rendered = desired.copies.find((c) => c.object.metadata.name === copy);
  if (!rendered) return { state: 'Pending', reason: 'NotSyncedYet' };
  if (run.waiting) {
    const message = `${member}: namespace ${siteConfig.metadata.namespace ?? 'default'} does not exist there yet (a grid's first sync makes it)`;
    return { state: 'Pending', reason: 'NamespaceMissing', message };
  }
  return { state: 'Applied', reason: 'CopyApplied', hash: rendered.contentHash };
}

/**
 * A Secret copy's failure says only the HTTP status: an apiserver message about a Secret is
 * not copied into a status that people without rights on Secrets may read.
 */
function failureMessage(siteConfig: SiteConfig, failure: CopyFailure): string {
  if (siteConfigType(siteConfig) !== 'Secret') return failure.message;
  const answer = failure.code ? `HTTP ${failure.code}` : 'no answer';
  return `the Secret copy's sync failed (${answer}); the hub's log says more`;
}
