import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { formatGridErrors, validateGrid } from './index.js';
import { error, errorsOf } from './spec-support.js';

const EXAMPLES = new URL('../../../../deploy/examples/', import.meta.url);
const exampleFiles = readdirSync(EXAMPLES).filter((file) => file.endsWith('.yaml'));

function example(file: string): Record<string, unknown> {
  return parse(readFileSync(new URL(file, EXAMPLES), 'utf8')) as Record<string, unknown>;
}

/** An example with `edit` applied to a copy of its spec. */
function edited(file: string, edit: (spec: Record<string, unknown>) => void): Record<string, unknown> {
  const grid = structuredClone(example(file));
  edit(grid['spec'] as Record<string, unknown>);
  return grid;
}

describe('seed examples', () => {
  it('are all there', () => {
    expect(exampleFiles.length).toBeGreaterThanOrEqual(7);
  });

  it.each(exampleFiles)('%s is valid and comes back unchanged', (file) => {
    const input = example(file);
    const result = validateGrid(input);
    expect(result).toEqual({ ok: true, grid: example(file) });
    expect(result.ok && result.grid).toBe(input);
  });
});

describe('the envelope', () => {
  it('rejects what is not an object', () => {
    expect(validateGrid('kind: DeploymentGrid')).toEqual({
      ok: false,
      ref: '<unnamed>',
      errors: [error('', 'must be a grid manifest', '"kind: DeploymentGrid"')],
    });
    expect(errorsOf(null)).toEqual([error('', 'must be a grid manifest', 'null')]);
    expect(errorsOf([])).toEqual([error('', 'must be a grid manifest', '[]')]);
  });

  it('requires apiVersion superedge.io/v1', () => {
    const grid = { ...example('deploymentgrid.yaml'), apiVersion: 'apps/v1' };
    expect(errorsOf(grid)).toEqual([error('apiVersion', 'must be superedge.io/v1', '"apps/v1"')]);
    const missing = example('deploymentgrid.yaml');
    delete missing['apiVersion'];
    expect(errorsOf(missing)).toEqual([error('apiVersion', 'is required', 'superedge.io/v1')]);
  });

  it('requires a grid kind', () => {
    const grid = { ...example('deploymentgrid.yaml'), kind: 'Deployment' };
    expect(errorsOf(grid)).toEqual([
      error('kind', 'must be one of DeploymentGrid, StatefulSetGrid, ServiceGrid', '"Deployment"'),
    ]);
  });

  it('still checks what every grid has when the kind is unknown', () => {
    const grid = edited('deploymentgrid.yaml', (spec) => delete spec['gridUniqKey']);
    expect(errorsOf({ ...grid, kind: 'Grid' })).toEqual([
      error('kind', 'must be one of', 'not "Grid"'),
      error('spec.gridUniqKey', 'is required'),
    ]);
  });

  it('requires metadata.name, and calls the grid <unnamed> without one', () => {
    const grid = { ...example('deploymentgrid.yaml'), metadata: { namespace: 'edge' } };
    expect(validateGrid(grid)).toEqual({
      ok: false,
      ref: '<unnamed>',
      errors: [error('metadata.name', 'is required', 'name')],
    });
    expect(errorsOf({ ...grid, metadata: { name: '' } })).toEqual([error('metadata.name', 'must not be empty')]);
    expect(errorsOf({ ...grid, metadata: undefined })).toEqual([error('metadata', 'is required')]);
  });

  it('requires a spec', () => {
    const grid = example('deploymentgrid.yaml');
    delete grid['spec'];
    expect(validateGrid(grid)).toEqual({
      ok: false,
      ref: 'default/deploymentgrid-demo',
      errors: [error('spec', 'is required', 'gridUniqKey and template')],
    });
  });
});

describe('spec.gridUniqKey', () => {
  it('is required', () => {
    const grid = edited('deploymentgrid.yaml', (spec) => delete spec['gridUniqKey']);
    expect(errorsOf(grid)).toEqual([error('spec.gridUniqKey', 'is required', 'node label key')]);
  });

  it('must not be empty', () => {
    const grid = edited('servicegrid.yaml', (spec) => (spec['gridUniqKey'] = ''));
    expect(errorsOf(grid)).toEqual([error('spec.gridUniqKey', 'must not be empty', 'node label key')]);
  });

  it('must be a string', () => {
    const grid = edited('deploymentgrid.yaml', (spec) => (spec['gridUniqKey'] = 5));
    expect(errorsOf(grid)).toEqual([error('spec.gridUniqKey', 'must be a string', 'not 5')]);
  });

  it.each([
    ['zone/', 'the name after the prefix is empty'],
    ['Topology.io/zone', 'prefix "Topology.io" must be a DNS subdomain'],
    ['-zone', 'starting and ending with a letter or digit'],
    ['z'.repeat(64), 'is 64 characters, over 63'],
  ])('must be a valid label key: %j', (key, reason) => {
    const grid = edited('statefulsetgrid.yaml', (spec) => (spec['gridUniqKey'] = key));
    expect(errorsOf(grid)).toEqual([
      error('spec.gridUniqKey', JSON.stringify(key), 'not a valid node label key', reason),
    ]);
  });

  it('may carry a prefix', () => {
    const grid = edited('deploymentgrid.yaml', (spec) => (spec['gridUniqKey'] = 'topology.kubernetes.io/zone'));
    expect(validateGrid(grid).ok).toBe(true);
  });
});

describe('spec.template', () => {
  it.each(['deploymentgrid.yaml', 'statefulsetgrid.yaml', 'servicegrid.yaml'])('is required in %s', (file) => {
    const grid = edited(file, (spec) => delete spec['template']);
    expect(errorsOf(grid)).toEqual([error('spec.template', 'is required', 'spec each NodeUnit gets')]);
  });

  it('must be an object', () => {
    const grid = edited('deploymentgrid.yaml', (spec) => (spec['template'] = 'echo'));
    expect(errorsOf(grid)).toEqual([error('spec.template', 'must be an object', '"echo"')]);
  });
});

describe('spec.replicasManagedBy', () => {
  it.each(['grid', 'member'])('accepts %s', (owner) => {
    const grid = edited('statefulsetgrid.yaml', (spec) => (spec['replicasManagedBy'] = owner));
    expect(validateGrid(grid).ok).toBe(true);
  });

  it('rejects anything else', () => {
    const grid = edited('deploymentgrid.yaml', (spec) => (spec['replicasManagedBy'] = 'hpa'));
    expect(errorsOf(grid)).toEqual([error('spec.replicasManagedBy', 'must be "grid"', 'or "member"', 'not "hpa"')]);
  });
});

describe('spec.autoDeleteUnusedTemplate', () => {
  it('accepts a boolean', () => {
    const grid = edited('deploymentgrid-canary.yaml', (spec) => (spec['autoDeleteUnusedTemplate'] = true));
    expect(validateGrid(grid).ok).toBe(true);
  });

  it('rejects the string "true"', () => {
    const grid = edited('deploymentgrid-canary.yaml', (spec) => (spec['autoDeleteUnusedTemplate'] = 'true'));
    expect(errorsOf(grid)).toEqual([error('spec.autoDeleteUnusedTemplate', 'must be true or false', 'not "true"')]);
  });
});

describe('ServiceGrid', () => {
  it('requires ports', () => {
    const grid = edited('servicegrid.yaml', (spec) => delete (spec['template'] as Record<string, unknown>)['ports']);
    expect(errorsOf(grid)).toEqual([error('spec.template.ports', 'is required', 'at least one port')]);
  });

  it('requires at least one port', () => {
    const grid = edited(
      'servicegrid-headless.yaml',
      (spec) => ((spec['template'] as Record<string, unknown>)['ports'] = []),
    );
    expect(errorsOf(grid)).toEqual([error('spec.template.ports', 'must list at least one port')]);
  });

  it('rejects the canary fields and replicasManagedBy', () => {
    const grid = edited('servicegrid.yaml', (spec) => {
      spec['templatePool'] = { canary: {} };
      spec['templates'] = { zone1: 'canary' };
      spec['defaultTemplateName'] = 'canary';
      spec['autoDeleteUnusedTemplate'] = false;
      spec['replicasManagedBy'] = 'member';
    });
    const unsupported = [
      'autoDeleteUnusedTemplate',
      'defaultTemplateName',
      'replicasManagedBy',
      'templatePool',
      'templates',
    ];
    expect(errorsOf(grid)).toEqual(
      unsupported.map((field) => error(`spec.${field}`, 'is not supported on a ServiceGrid', 'remove it')),
    );
  });
});

describe('every problem at once', () => {
  it('reports each with its path, and formats them one per line', () => {
    const grid = edited('deploymentgrid-canary.yaml', (spec) => {
      spec['gridUniqKey'] = '';
      spec['templates'] = { zone1: 'canary', zone2: 'test2' };
      spec['replicasManagedBy'] = 'hpa';
      const test2 = (spec['templatePool'] as Record<string, Record<string, unknown>>)['test2'];
      delete test2?.['selector'];
    });
    const result = validateGrid({ ...grid, apiVersion: 'superedge.io/v2' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      error('apiVersion', 'must be superedge.io/v1', '"superedge.io/v2"'),
      error('spec.gridUniqKey', 'must not be empty'),
      error('spec.replicasManagedBy', 'not "hpa"'),
      error('spec.templatePool.test2.selector', 'is required'),
      error('spec.templates.zone1', 'names "canary", which is not in templatePool', 'templatePool has test1, test2'),
    ]);
    expect(formatGridErrors(result.ref, result.errors).split('\n')).toEqual([
      'grid default/deploymentgrid-demo: apiVersion must be superedge.io/v1, not "superedge.io/v2"',
      'grid default/deploymentgrid-demo: spec.gridUniqKey must not be empty: set it to the node label key that groups nodes into NodeUnits, e.g. zone',
      'grid default/deploymentgrid-demo: spec.replicasManagedBy must be "grid" (the template sets replicas) or "member" (the member cluster does, e.g. an HPA), not "hpa"',
      'grid default/deploymentgrid-demo: spec.templatePool.test2.selector is required: a label selector (matchLabels) that the pod template labels satisfy',
      'grid default/deploymentgrid-demo: spec.templates.zone1 names "canary", which is not in templatePool (templatePool has test1, test2)',
    ]);
  });
});
