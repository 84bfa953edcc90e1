import { describe, expect, it } from '@jest/globals';
import type { GridPreview } from '#gridfed/distribution';
import { formatPreview, hasChanges } from './diff-view.js';

const preview: GridPreview = {
  kind: 'DeploymentGrid',
  namespace: 'shop',
  name: 'web',
  valid: true,
  members: [
    {
      cluster: 'member-1',
      reachable: true,
      objects: [
        {
          name: 'shop/web-zone1',
          nodeUnits: ['zone1'],
          action: 'update',
          changes: [{ path: 'spec.template.spec.containers[0].image', from: 'echo:1', to: 'echo:2' }],
        },
        {
          name: 'shop/web-zone3',
          nodeUnits: ['zone3'],
          action: 'conflict',
          detail: "Deployment shop/web-zone3 exists and is not gridfed's",
        },
      ],
    },
    { cluster: 'member-2', reachable: false, objects: [] },
  ],
  waves: [['zone1'], ['zone3']],
};

describe('formatPreview', () => {
  it('shows each object with its action, its field changes, unreachable members and the waves', () => {
    expect(formatPreview(preview)).toBe(
      [
        'DeploymentGrid shop/web',
        '  member-1  shop/web-zone1 (zone1)  update',
        '      spec.template.spec.containers[0].image: "echo:1" -> "echo:2"',
        "  member-1  shop/web-zone3 (zone3)  conflict: Deployment shop/web-zone3 exists and is not gridfed's",
        '  member-2: unreachable, not previewed',
        '  waves (Progressive):',
        '    1: zone1',
        '    2: zone3',
        '',
      ].join('\n'),
    );
    expect(hasChanges(preview)).toBe(true);
  });

  it('lists every problem of an invalid manifest', () => {
    const invalid: GridPreview = {
      ...preview,
      valid: false,
      errors: [{ path: 'spec.gridUniqKey', message: 'is required' }],
      members: [],
    };
    expect(formatPreview(invalid)).toBe(
      'DeploymentGrid shop/web: invalid, nothing would be applied\n  spec.gridUniqKey is required\n',
    );
    expect(hasChanges(invalid)).toBe(true);
  });

  it('has no changes when every object is unchanged', () => {
    const same: GridPreview = {
      ...preview,
      members: [{ cluster: 'member-1', reachable: true, objects: [{ name: 'a', nodeUnits: [], action: 'unchanged' }] }],
    };
    expect(hasChanges(same)).toBe(false);
  });
});
