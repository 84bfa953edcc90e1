// A SiteConfig's status from what every member's owner found of its copies (copy-outcome.ts)
// and whether each member is reachable: one row per (NodeUnit, member), the counts `kubectl
// get scfg` shows, and the conditions Valid and Ready. Pure; the status reconciler gathers
// the inputs and writes the result only when it differs from what the SiteConfig shows.
import type { V1Condition } from '@kubernetes/client-node';
import type { MemberCopyOutcome } from './copy-outcome.js';
import { siteConfigRef, type SiteConfig, type SiteConfigCopyState, type SiteConfigStatus } from './types.js';
import { formatSiteConfigErrors, validateSiteConfig } from './validation/index.js';

/** A registered member, as its owner last published its facts (absent: not yet). */
export interface CopyMemberView {
  name: string;
  facts?: { reachable: boolean; synced: boolean; lastSeen?: string; detail?: string };
}

export interface SiteConfigStatusInput {
  siteConfig: SiteConfig;
  /** Every registered member. */
  members: CopyMemberView[];
  /** Member -> its owner's last outcome for this SiteConfig. */
  outcomes: ReadonlyMap<string, MemberCopyOutcome>;
  now: Date;
}

/** Rows listed in the Ready message at most; status.states has them all. */
const LISTED = 10;

/**
 * The status to show, or undefined while a reachable, listed member's owner has not reported
 * this generation yet (writing then would only flap).
 */
export function siteConfigStatus(input: SiteConfigStatusInput): SiteConfigStatus | undefined {
  const { siteConfig } = input;
  const { uid, generation } = siteConfig.metadata;
  const states: SiteConfigCopyState[] = [];
  for (const member of input.members) {
    const found = input.outcomes.get(member.name);
    const outcome = found && found.uid === uid ? found : undefined;
    const current = outcome !== undefined && outcome.generation === generation;
    if (!member.facts || (member.facts.reachable && member.facts.synced && !current)) return undefined;
    if (outcome) states.push(...rowsOf(outcome, member, current));
  }
  states.sort((a, b) => compare(a.nodeUnit, b.nodeUnit) || compare(a.member, b.member));
  const nodeUnits = [...new Set(states.map((s) => s.nodeUnit))];
  const notReady = new Set(states.filter((s) => s.state !== 'Applied').map((s) => s.nodeUnit));
  const ready = nodeUnits.length - notReady.size;
  const previous = siteConfig.status?.conditions ?? [];
  const stamp = (c: Pick<V1Condition, 'type' | 'status' | 'reason' | 'message'>): V1Condition => {
    const before = previous.find((p) => p.type === c.type);
    const kept = before?.status === c.status && before.lastTransitionTime;
    return { ...c, observedGeneration: generation, lastTransitionTime: kept ? before.lastTransitionTime : input.now };
  };
  const validation = validateSiteConfig(siteConfig);
  const invalid = validation.ok ? undefined : formatSiteConfigErrors(validation.ref, validation.errors);
  return {
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    conditions: [
      stamp(
        invalid === undefined
          ? { type: 'Valid', status: 'True', reason: 'SpecValid', message: 'the spec is valid' }
          : { type: 'Valid', status: 'False', reason: 'InvalidSpec', message: invalid },
      ),
      stamp({ type: 'Ready', ...readiness(siteConfig, invalid !== undefined, states, nodeUnits.length, ready) }),
    ],
    nodeUnits: nodeUnits.length,
    readyNodeUnits: ready,
    states,
  };
}

/** One row per NodeUnit the member hosts: as reported, Pending when of an older generation, Unreachable when the member is. */
function rowsOf(outcome: MemberCopyOutcome, member: CopyMemberView, current: boolean): SiteConfigCopyState[] {
  return Object.entries(outcome.nodeUnits).map(([nodeUnit, o]) => {
    const row: SiteConfigCopyState = { nodeUnit, member: member.name, copy: o.copy, state: o.state, reason: o.reason };
    if (o.hash) row.hash = o.hash;
    if (o.message) row.message = o.message;
    if (member.facts?.reachable === false) {
      const { lastSeen, detail } = member.facts;
      const message = `${member.name} unreachable since ${lastSeen ?? 'the hub started'}${detail ? ` (${detail})` : ''}: last known ${o.state}`;
      return { ...row, state: 'Unreachable', reason: 'MemberUnreachable', message };
    }
    if (!current)
      return {
        ...row,
        state: 'Pending',
        reason: 'NotSyncedYet',
        message: `${member.name} has not synced this generation yet`,
      };
    return row;
  });
}

type Readiness = Pick<V1Condition, 'status' | 'reason' | 'message'>;

function readiness(
  siteConfig: SiteConfig,
  invalid: boolean,
  states: SiteConfigCopyState[],
  total: number,
  ready: number,
): Readiness {
  if (invalid)
    return {
      status: 'False',
      reason: 'InvalidSpec',
      message: 'the spec is invalid (see Valid): every copy is left as it is',
    };
  if (total === 0) {
    const message = `siteconfig ${siteConfigRef(siteConfig)}: no node in any member cluster has the label spec.gridUniqKey "${siteConfig.spec.gridUniqKey}", so there is no NodeUnit and no copy`;
    return { status: 'False', reason: 'NoNodeUnits', message };
  }
  const counted = `${ready}/${total} NodeUnits have their copy in every member hosting them`;
  const missing = states.filter((s) => s.state !== 'Applied');
  if (missing.length === 0) return { status: 'True', reason: 'AllCopiesApplied', message: counted };
  const reasons = [...new Set(missing.map((s) => s.reason))];
  const listed = missing
    .slice(0, LISTED)
    .map((s) => `NodeUnit ${s.nodeUnit} in ${s.member}: ${s.state}${s.message ? `: ${s.message}` : ` (${s.reason})`}`);
  const more = missing.length > LISTED ? [`${missing.length - LISTED} more in status.states`] : [];
  return {
    status: 'False',
    reason: reasons.length === 1 ? reasons[0]! : 'CopiesMissing',
    message: [counted, ...listed, ...more].join('; '),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
