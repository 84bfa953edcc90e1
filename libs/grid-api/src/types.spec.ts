import { describe, expect, it } from '@jest/globals';
import { gridKey, parseGridKey } from '#gridfed/grid-api';

describe('grid keys', () => {
  it('round-trip through gridKey and parseGridKey', () => {
    const ref = { kind: 'DeploymentGrid' as const, namespace: 'default', name: 'web' };
    expect(parseGridKey(gridKey(ref))).toEqual(ref);
  });

  it('reject what is not Kind/namespace/name', () => {
    expect(() => parseGridKey('Deployment/default/web')).toThrow(/not a grid key/);
    expect(() => parseGridKey('DeploymentGrid/default')).toThrow(/not a grid key/);
  });
});
