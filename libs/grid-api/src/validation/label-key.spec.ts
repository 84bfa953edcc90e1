import { describe, expect, it } from '@jest/globals';
import { isValidLabelKey, labelKeyProblem } from './label-key.js';

describe('label keys', () => {
  it.each(['zone', 'Zone_A', 'a', 'topology.kubernetes.io/zone', 'example.com/rack.7', 'a'.repeat(63)])(
    'accept %s',
    (key) => {
      expect(labelKeyProblem(key)).toBeUndefined();
      expect(isValidLabelKey(key)).toBe(true);
    },
  );

  it.each([
    ['', /name after the prefix is empty/],
    ['example.com/', /name after the prefix is empty/],
    ['a/b/c', /at most one "\/"/],
    ['/zone', /prefix "" must be a DNS subdomain/],
    ['Example.com/zone', /prefix "Example.com" must be a DNS subdomain/],
    [`${'a'.repeat(254)}/zone`, /must be a DNS subdomain .*at most 253/],
    ['a'.repeat(64), /is 64 characters, over 63/],
    ['-zone', /starting and ending with a letter or digit/],
    ['zone.', /starting and ending with a letter or digit/],
    ['my zone', /must be letters, digits/],
  ])('reject %j', (key, reason) => {
    expect(labelKeyProblem(key)).toMatch(reason);
    expect(isValidLabelKey(key)).toBe(false);
  });
});
