import { describe, expect, it } from '@jest/globals';
import { dnsLabelError, hubNamespace, memberClusterObject, memberKubeconfigSecret } from './registration.js';

describe('dnsLabelError', () => {
  it.each(['member-1', 'a', 'edge01', 'x'.repeat(63)])('accepts %s', (name) => {
    expect(dnsLabelError('member cluster name', name)).toBeUndefined();
  });

  it.each([
    ['', 'member cluster name is empty'],
    ['Member', 'is not a DNS label'],
    ['-edge', 'is not a DNS label'],
    ['edge-', 'is not a DNS label'],
    ['edge.1', 'is not a DNS label'],
    ['edge_1', 'is not a DNS label'],
    ['x'.repeat(64), 'is 64 characters long; a DNS label has at most 63'],
  ])('refuses "%s" saying why', (name, why) => {
    expect(dnsLabelError('member cluster name', name)).toContain(why);
  });
});

describe('the control objects of a registration', () => {
  it('stores the kubeconfig in Secret member-<name>, key kubeconfig, labelled with the member', () => {
    const secret = memberKubeconfigSecret('member-1', 'gridfed-system', 'apiVersion: v1\n');
    expect(secret).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: {
        name: 'member-member-1',
        namespace: 'gridfed-system',
        labels: { 'app.kubernetes.io/managed-by': 'gridfed', 'gridfed.io/member-cluster': 'member-1' },
      },
      data: { kubeconfig: Buffer.from('apiVersion: v1\n').toString('base64') },
    });
  });

  it('points the MemberCluster at that Secret, with the description when one is given', () => {
    expect(memberClusterObject('member-1', 'hub-ns', 'Shanghai edge')).toEqual({
      apiVersion: 'gridfed.io/v1alpha1',
      kind: 'MemberCluster',
      metadata: {
        name: 'member-1',
        labels: { 'app.kubernetes.io/managed-by': 'gridfed', 'gridfed.io/member-cluster': 'member-1' },
      },
      spec: {
        secretRef: { name: 'member-member-1', namespace: 'hub-ns', key: 'kubeconfig' },
        description: 'Shanghai edge',
      },
    });
    expect(memberClusterObject('member-1', 'hub-ns').spec).not.toHaveProperty('description');
  });

  it('says the member opted in to node management only when it did (register --manage-nodes)', () => {
    expect(memberClusterObject('member-1', 'hub-ns', undefined, true).spec).toEqual({
      secretRef: { name: 'member-member-1', namespace: 'hub-ns', key: 'kubeconfig' },
      manageNodes: true,
    });
    expect(memberClusterObject('member-1', 'hub-ns', undefined, false).spec).not.toHaveProperty('manageNodes');
  });

  it("creates the hub's namespace unlabelled: gridfed does not own it", () => {
    expect(hubNamespace('gridfed-system')).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'gridfed-system' },
    });
  });
});
