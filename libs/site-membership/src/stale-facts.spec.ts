import { describe, expect, it } from '@jest/globals';
import { unregisteredFactMembers } from './stale-facts.js';

describe('unregisteredFactMembers', () => {
  it('names the members whose facts are stored but whose MemberCluster is gone', () => {
    expect(unregisteredFactMembers(['member-3', 'member-1', 'member-2'], ['member-1', 'member-2'])).toEqual([
      'member-3',
    ]);
  });

  it('keeps the facts of every registered member, connected here or not', () => {
    expect(unregisteredFactMembers(['member-1', 'member-2'], ['member-1', 'member-2', 'member-4'])).toEqual([]);
  });

  it('deletes nothing while the MemberClusters are not known (an unsynced cache lists none)', () => {
    expect(unregisteredFactMembers(['member-1', 'member-2'], undefined)).toEqual([]);
  });

  it('deletes every stored field once the last member is unregistered', () => {
    expect(unregisteredFactMembers(['member-2', 'member-1'], [])).toEqual(['member-1', 'member-2']);
  });
});
