import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { V1Secret } from '@kubernetes/client-node';
import stringify from 'safe-stable-stringify';
import {
  desiredCopies,
  memberCopyOutcome,
  siteConfigStatus,
  type CopyMemberView,
  type CopyRun,
  type MemberCopyOutcome,
  type SiteConfig,
} from './index.js';
import { deepFreeze, siteConfigExample } from './spec-support.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const LATER = new Date('2026-12-01T12:05:00Z');

function mallConfig(generation = 2): SiteConfig {
  const sc = siteConfigExample('siteconfig-configmap.yaml');
  return { ...sc, metadata: { ...sc.metadata, uid: 'uid-1', generation } };
}

const reachable = (name: string): CopyMemberView => ({ name, facts: { reachable: true, synced: true } });

/** What the owner of `member` reports after a copy sync that did everything desiredCopies asked. */
function synced(sc: SiteConfig, member: string, nodeUnits: string[], run: Partial<CopyRun> = {}): MemberCopyOutcome {
  const desired = desiredCopies(sc, nodeUnits, member, run.desired ? undefined : lookup);
  return memberCopyOutcome({ member, siteConfig: sc, nodeUnits, desired, ...run });
}

function status(sc: SiteConfig, outcomes: MemberCopyOutcome[], members = outcomes.map((o) => reachable(o.member))) {
  return siteConfigStatus({
    siteConfig: deepFreeze(sc),
    members,
    outcomes: new Map(outcomes.map((o) => [o.member, o])),
    now: NOW,
  });
}

const SECRET_VALUE = 'pa55-w0rd-xian';
const controlSecrets: Record<string, V1Secret> = {
  'mall-common': { metadata: { uid: 'u-c' }, data: { 'api-token': Buffer.from('tok-123').toString('base64') } },
  'mall-xian-db': { metadata: { uid: 'u-x' }, data: { 'db-password': Buffer.from(SECRET_VALUE).toString('base64') } },
};
const lookup = (name: string): V1Secret | undefined => controlSecrets[name];

describe('memberCopyOutcome', () => {
  it('says Applied with the content hash for each copy the sync applied, and Held naming key and NodeUnit for one without its override', () => {
    const sc = mallConfig();
    const outcome = synced(sc, 'member-1', ['zone1', 'zone3']);
    expect(outcome).toMatchObject({ member: 'member-1', uid: 'uid-1', generation: 2 });
    expect(outcome.nodeUnits['zone1']).toEqual({
      copy: 'mall-config-zone1',
      state: 'Applied',
      reason: 'CopyApplied',
      hash: expect.stringMatching(/^[0-9a-f]{16}$/) as unknown as string,
    });
    expect(outcome.nodeUnits['zone3']).toMatchObject({
      copy: 'mall-config-zone3',
      state: 'Held',
      reason: 'OverrideMissing',
    });
    expect(outcome.nodeUnits['zone3']?.message).toContain('NodeUnit zone3 lacks required key "mall-id"');
    expect(outcome.nodeUnits['zone3']?.hash).toBeUndefined();
  });

  it('tells a NodeUnit whose own entry lacks a key from one that has no entry', () => {
    const sc = mallConfig();
    const partial = { ...sc, spec: { ...sc.spec, nodeUnits: { ...sc.spec.nodeUnits, zone3: { data: { x: 'y' } } } } };
    expect(synced(partial, 'member-1', ['zone3']).nodeUnits['zone3']).toMatchObject({
      state: 'Held',
      reason: 'ValuesIncomplete',
    });
  });

  it('says which copies were not permitted, in the way or failed, and which wait for their namespace', () => {
    const sc = mallConfig();
    const desired = desiredCopies(sc, ['zone1', 'zone2'], 'member-1');
    const run = (extra: Partial<CopyRun>) =>
      memberCopyOutcome({ member: 'member-1', siteConfig: sc, nodeUnits: ['zone1', 'zone2'], desired, ...extra })
        .nodeUnits;
    expect(run({ notPermitted: 'ConfigMap' })['zone1']).toMatchObject({
      state: 'NotPermitted',
      reason: 'MemberNotPermitted',
    });
    const inTheWay = run({ inTheWay: new Set(['mall-config-zone2']) });
    expect(inTheWay['zone1']?.state).toBe('Applied');
    expect(inTheWay['zone2']).toMatchObject({ state: 'InTheWay', reason: 'UnownedObjectInTheWay' });
    expect(inTheWay['zone2']?.message).toContain(
      "ConfigMap default/mall-config-zone2 exists and is not this SiteConfig's copy",
    );
    const failed = run({
      failed: new Map([['mall-config-zone1', { message: 'member-1: apply: boom (HTTP 500)', code: 500 }]]),
    });
    expect(failed['zone1']).toMatchObject({
      state: 'Failed',
      reason: 'ApplyFailed',
      message: 'member-1: apply: boom (HTTP 500)',
    });
    expect(run({ waiting: true })['zone2']).toMatchObject({ state: 'Pending', reason: 'NamespaceMissing' });
    expect(run({ error: { message: 'list failed' } })['zone2']).toMatchObject({
      state: 'Failed',
      reason: 'SyncFailed',
    });
  });

  it('holds every copy of an invalid SiteConfig', () => {
    const sc = mallConfig();
    const invalid = { ...sc, spec: { ...sc.spec, type: 'Secret' as const } };
    const outcome = synced(invalid, 'member-1', ['zone1'], { desired: desiredCopies(invalid, ['zone1'], 'member-1') });
    expect(outcome.nodeUnits['zone1']).toMatchObject({ state: 'Held', reason: 'InvalidSpec' });
  });

  it("never carries a Secret value: the hash is an HMAC, and a Secret copy's failure says only the HTTP status", () => {
    const sc = siteConfigExample('siteconfig-secret.yaml');
    const secretConfig = { ...sc, metadata: { ...sc.metadata, uid: 'uid-2', generation: 1 } };
    const desired = desiredCopies(secretConfig, ['zone1'], 'member-1', lookup);
    const failure = { message: `apply failed: data ${SECRET_VALUE}`, code: 422 };
    const applied = memberCopyOutcome({ member: 'member-1', siteConfig: secretConfig, nodeUnits: ['zone1'], desired });
    const failed = memberCopyOutcome({
      member: 'member-1',
      siteConfig: secretConfig,
      nodeUnits: ['zone1'],
      desired,
      failed: new Map([['mall-credentials-zone1', failure]]),
    });
    const data = desired.kind === 'copies' ? desired.copies[0]!.object.data : {};
    const plain = createHash('sha256').update(stringify(data)).digest('hex').slice(0, 16);
    expect(applied.nodeUnits['zone1']?.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(applied.nodeUnits['zone1']?.hash).not.toBe(plain);
    expect(failed.nodeUnits['zone1']?.message).toBe(
      "the Secret copy's sync failed (HTTP 422); the hub's log says more",
    );
    const shown = JSON.stringify([applied, failed, status(secretConfig, [applied]), status(secretConfig, [failed])]);
    for (const value of [SECRET_VALUE, Buffer.from(SECRET_VALUE).toString('base64'), 'tok-123'])
      expect(shown).not.toContain(value);
  });
});

describe('siteConfigStatus', () => {
  it('is Ready when every NodeUnit has its copy in every member hosting it, one row per NodeUnit and member', () => {
    const sc = mallConfig();
    const s = status(sc, [synced(sc, 'member-2', ['zone2']), synced(sc, 'member-1', ['zone1', 'zone2'])]);
    expect(s).toMatchObject({ observedGeneration: 2, nodeUnits: 2, readyNodeUnits: 2 });
    expect(s?.states?.map((r) => [r.nodeUnit, r.member, r.copy, r.state])).toEqual([
      ['zone1', 'member-1', 'mall-config-zone1', 'Applied'],
      ['zone2', 'member-1', 'mall-config-zone2', 'Applied'],
      ['zone2', 'member-2', 'mall-config-zone2', 'Applied'],
    ]);
    expect(s?.conditions).toEqual([
      {
        type: 'Valid',
        status: 'True',
        reason: 'SpecValid',
        message: 'the spec is valid',
        observedGeneration: 2,
        lastTransitionTime: NOW,
      },
      {
        type: 'Ready',
        status: 'True',
        reason: 'AllCopiesApplied',
        message: '2/2 NodeUnits have their copy in every member hosting them',
        observedGeneration: 2,
        lastTransitionTime: NOW,
      },
    ]);
  });

  it('names each NodeUnit without its copy, where and why, in the Ready condition', () => {
    const sc = mallConfig();
    const s = status(sc, [synced(sc, 'member-1', ['zone1', 'zone3'])]);
    expect(s).toMatchObject({ nodeUnits: 2, readyNodeUnits: 1 });
    const ready = s?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'OverrideMissing' });
    expect(ready?.message).toMatch(
      /^1\/2 NodeUnits have their copy in every member hosting them; NodeUnit zone3 in member-1: Held: siteconfig default\/mall-config: spec\.nodeUnits\.zone3 is missing: NodeUnit zone3 lacks required key "mall-id"/,
    );
  });

  it('gives reason CopiesMissing when NodeUnits lack their copy for different reasons', () => {
    const sc = mallConfig();
    const desired = desiredCopies(sc, ['zone1', 'zone3'], 'member-1');
    const outcome = memberCopyOutcome({
      member: 'member-1',
      siteConfig: sc,
      nodeUnits: ['zone1', 'zone3'],
      desired,
      inTheWay: new Set(['mall-config-zone1']),
    });
    expect(status(sc, [outcome])?.conditions?.[1]).toMatchObject({ status: 'False', reason: 'CopiesMissing' });
  });

  it('waits while a reachable member has no outcome of this generation, or no facts yet', () => {
    const sc = mallConfig(3);
    const old = synced(mallConfig(2), 'member-1', ['zone1']);
    expect(status(sc, [old])).toBeUndefined();
    expect(
      status(sc, [synced(sc, 'member-1', ['zone1'])], [reachable('member-1'), reachable('member-2')]),
    ).toBeUndefined();
    expect(status(sc, [synced(sc, 'member-1', ['zone1'])], [{ name: 'member-1' }])).toBeUndefined();
    const recreated = { ...synced(sc, 'member-1', ['zone1']), uid: 'uid-of-an-older-one' };
    expect(status(sc, [recreated])).toBeUndefined();
  });

  it("keeps an unreachable member's last known copies, marked Unreachable, and one not listed yet as Pending", () => {
    const sc = mallConfig(3);
    const members: CopyMemberView[] = [
      {
        name: 'member-1',
        facts: { reachable: false, synced: false, lastSeen: '2026-12-01T11:00:00Z', detail: 'connect ECONNREFUSED' },
      },
      { name: 'member-2', facts: { reachable: true, synced: false } },
    ];
    const s = status(
      sc,
      [synced(mallConfig(2), 'member-1', ['zone1']), synced(mallConfig(2), 'member-2', ['zone2'])],
      members,
    );
    expect(s?.states).toEqual([
      expect.objectContaining({
        nodeUnit: 'zone1',
        state: 'Unreachable',
        reason: 'MemberUnreachable',
        hash: expect.stringMatching(/^[0-9a-f]{16}$/) as unknown as string,
        message: 'member-1 unreachable since 2026-12-01T11:00:00Z (connect ECONNREFUSED): last known Applied',
      }),
      expect.objectContaining({ nodeUnit: 'zone2', state: 'Pending', reason: 'NotSyncedYet' }),
    ]);
    expect(s?.conditions?.[1]).toMatchObject({ status: 'False', reason: 'CopiesMissing' });
  });

  it('says an invalid spec by field, and that no NodeUnit has the key', () => {
    const sc = mallConfig();
    const invalid = { ...sc, spec: { ...sc.spec, type: 'Secret' as const } };
    const s = status(invalid, [synced(invalid, 'member-1', [], { desired: desiredCopies(invalid, [], 'member-1') })]);
    expect(s?.conditions?.[0]).toMatchObject({ type: 'Valid', status: 'False', reason: 'InvalidSpec' });
    expect(s?.conditions?.[0]?.message).toContain(
      'siteconfig default/mall-config: spec.defaults.data is not allowed on a SiteConfig of type Secret',
    );
    expect(s?.conditions?.[1]).toMatchObject({ status: 'False', reason: 'InvalidSpec' });
    const none = status(sc, [synced(sc, 'member-1', [])]);
    expect(none).toMatchObject({ nodeUnits: 0, readyNodeUnits: 0, states: [] });
    expect(none?.conditions?.[1]).toMatchObject({ status: 'False', reason: 'NoNodeUnits' });
    expect(none?.conditions?.[1]?.message).toContain('spec.gridUniqKey "zone"');
  });

  it('keeps lastTransitionTime while a condition holds, and is then exactly what it was: nothing to write', () => {
    const sc = mallConfig();
    const outcomes = [synced(sc, 'member-1', ['zone1'])];
    const first = status(sc, outcomes)!;
    const again = siteConfigStatus({
      siteConfig: { ...sc, status: first },
      members: [reachable('member-1')],
      outcomes: new Map(outcomes.map((o) => [o.member, o])),
      now: LATER,
    });
    expect(again).toEqual(first);
    const flipped = siteConfigStatus({
      siteConfig: { ...sc, status: first },
      members: [reachable('member-1')],
      outcomes: new Map([['member-1', synced(sc, 'member-1', ['zone1', 'zone3'])]]),
      now: LATER,
    });
    expect(flipped?.conditions?.map((c) => c.lastTransitionTime)).toEqual([NOW, LATER]);
  });

  it('lists at most ten rows in the Ready message', () => {
    const sc = mallConfig();
    const units = Array.from({ length: 12 }, (_, i) => `site${String(i).padStart(2, '0')}`);
    const s = status(sc, [synced(sc, 'member-1', units)]);
    expect(s?.conditions?.[1]?.message).toContain('NodeUnit site09 in member-1');
    expect(s?.conditions?.[1]?.message).not.toContain('NodeUnit site10');
    expect(s?.conditions?.[1]?.message).toMatch(/; 2 more in status\.states$/);
    expect(s?.states).toHaveLength(12);
  });
});
