import { describe, expect, it } from '@jest/globals';
import { formatGridErrors, joinPath, manifestRef } from './grid-errors.js';

describe('formatGridErrors', () => {
  it('writes one line per error: grid, ref, path, message', () => {
    const text = formatGridErrors('default/web', [
      { path: 'spec.templates.zone1', message: 'names "canary", which is not in templatePool' },
      { path: 'spec.gridUniqKey', message: 'is required' },
    ]);
    expect(text).toBe(
      'grid default/web: spec.templates.zone1 names "canary", which is not in templatePool\n' +
        'grid default/web: spec.gridUniqKey is required',
    );
  });

  it('leaves the path out when the error is about the whole manifest', () => {
    expect(formatGridErrors('<unnamed>', [{ path: '', message: 'must be a grid manifest' }])).toBe(
      'grid <unnamed>: must be a grid manifest',
    );
  });

  it('is empty for no errors', () => {
    expect(formatGridErrors('default/web', [])).toBe('');
  });
});

describe('manifestRef', () => {
  it('is namespace/name', () => {
    expect(manifestRef({ metadata: { name: 'web', namespace: 'edge' } })).toBe('edge/web');
  });

  it('uses the default namespace when none is set', () => {
    expect(manifestRef({ metadata: { name: 'web' } })).toBe('default/web');
  });

  it('is <unnamed> without a usable name', () => {
    expect(manifestRef(null)).toBe('<unnamed>');
    expect(manifestRef({})).toBe('<unnamed>');
    expect(manifestRef({ metadata: { namespace: 'edge' } })).toBe('<unnamed>');
    expect(manifestRef({ metadata: { name: '' } })).toBe('<unnamed>');
    expect(manifestRef({ metadata: { name: 7 } })).toBe('<unnamed>');
  });
});

describe('joinPath', () => {
  it('joins plain keys with a dot', () => {
    expect(joinPath('spec.templates', 'zone-1_a')).toBe('spec.templates.zone-1_a');
    expect(joinPath('', 'spec')).toBe('spec');
  });

  it('brackets keys that would make the path ambiguous', () => {
    expect(joinPath('spec.templates', 'rack.7')).toBe('spec.templates["rack.7"]');
    expect(joinPath('labels', 'app.kubernetes.io/name')).toBe('labels["app.kubernetes.io/name"]');
    expect(joinPath('spec.templates', '')).toBe('spec.templates[""]');
  });
});
