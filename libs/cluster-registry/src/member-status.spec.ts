import { describe, expect, it } from '@jest/globals';
import type { MemberCluster, MemberClusterStatus } from './member-cluster.js';
import { memberStatus, reachabilityEvent, unreachableReason } from './member-status.js';

describe('unreachableReason', () => {
  it('tells rejected credentials apart and says how to heal them', () => {
    const r = unreachableReason('member-2', 'Unauthorized (HTTP 401)');
    expect(r.reason).toBe('CredentialsRejected');
    expect(r.message).toContain('gridfed register member-2');
    expect(r.message).toContain('Unauthorized (HTTP 401)');
  });

  it('tells a refused request apart', () => {
    expect(unreachableReason('m', 'forbidden (HTTP 403)').reason).toBe('Forbidden');
  });

  it('keeps what a failed probe said otherwise', () => {
    expect(unreachableReason('m', 'connect ECONNREFUSED 127.0.0.1:1')).toEqual({
      reason: 'ProbeFailed',
      message: 'connect ECONNREFUSED 127.0.0.1:1',
    });
  });
});

describe('reachabilityEvent', () => {
  const status = (s: 'True' | 'False', reason: string, message = `${reason} message`): MemberClusterStatus => ({
    conditions: [{ type: 'Reachable', status: s, reason, message, lastTransitionTime: new Date(0) }],
    nodeUnits: {},
    nodeUnitCount: 0,
  });

  it('warns when a member becomes unreachable, with the reason and the message that says what to do', () => {
    expect(reachabilityEvent(status('True', 'ProbeSucceeded'), status('False', 'CredentialsRejected'))).toEqual({
      type: 'Warning',
      reason: 'CredentialsRejected',
      message: 'CredentialsRejected message',
    });
  });

  it('warns again when the reason changes while unreachable', () => {
    expect(reachabilityEvent(status('False', 'ProbeFailed'), status('False', 'CredentialsRejected'))?.reason).toBe(
      'CredentialsRejected',
    );
  });

  it('says Normal Reachable when it comes back', () => {
    expect(reachabilityEvent(status('False', 'ProbeFailed'), status('True', 'ProbeSucceeded'))).toMatchObject({
      type: 'Normal',
      reason: 'Reachable',
    });
  });

  it('records nothing when reachability did not change, or on a first reachable status', () => {
    expect(reachabilityEvent(status('False', 'ProbeFailed', 'a'), status('False', 'ProbeFailed', 'b'))).toBeUndefined();
    expect(reachabilityEvent(status('True', 'ProbeSucceeded'), status('True', 'ProbeSucceeded'))).toBeUndefined();
    expect(reachabilityEvent(undefined, status('True', 'ProbeSucceeded'))).toBeUndefined();
  });

  it('warns on a first status that says unreachable', () => {
    expect(reachabilityEvent(undefined, status('False', 'ProbeFailed'))?.type).toBe('Warning');
  });
});

describe('memberStatus of a member whose Secret the hub refused', () => {
  const mc = {
    apiVersion: 'gridfed.io/v1alpha1',
    kind: 'MemberCluster',
    metadata: { name: 'edge-7', generation: 3 },
    spec: { secretRef: { name: 'member-edge-7' } },
  } as MemberCluster;
  const problem = 'Secret gridfed-system/member-edge-7 key "kubeconfig": users[0].user.exec is not allowed';

  it('is Reachable=False with reason UnusableSecret, naming the MemberCluster, the field and the fix', () => {
    const status = memberStatus(
      mc,
      { reachable: false, detail: '', kubernetesVersion: undefined, nodeUnits: {}, unusable: problem },
      new Date(0),
    );
    expect(status.conditions?.[0]).toMatchObject({ type: 'Reachable', status: 'False', reason: 'UnusableSecret' });
    expect(status.conditions?.[0]?.message).toContain(`MemberCluster edge-7: ${problem}`);
    expect(status.conditions?.[0]?.message).toContain('gridfed register edge-7 --renew-credentials');
    expect(status.nodeUnitCount).toBe(0);
  });
});
