import { describe, expect, it } from '@jest/globals';
import type { MemberCluster } from './member-cluster.js';
import { memberStatus, unreachableReason } from './member-status.js';

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
