import { describe, expect, it } from '@jest/globals';
import { validateGrid } from './index.js';
import { error, errorsOf } from './spec-support.js';

type Plain = Record<string, unknown>;

/** A valid Deployment or StatefulSet spec whose pods carry `app: web`. */
function workloadSpec(image = 'nginx:1.27'): Plain {
  return {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web', tier: 'edge' } }, spec: { containers: [{ name: 'web', image }] } },
  };
}

function workloadGrid(spec: Plain, kind = 'DeploymentGrid', name = 'web'): Plain {
  return {
    apiVersion: 'superedge.io/v1',
    kind,
    metadata: { name, namespace: 'default' },
    spec: { gridUniqKey: 'zone', template: workloadSpec(), ...spec },
  };
}

/** `workloadSpec()` with `edit` applied. */
function templateWith(edit: (template: Plain) => void): Plain {
  const template = workloadSpec();
  edit(template);
  return template;
}

const podTemplateOf = (template: Plain): Plain => template['template'] as Plain;

describe('workload templates', () => {
  it('the base grid is valid, as DeploymentGrid and StatefulSetGrid', () => {
    expect(validateGrid(workloadGrid({})).ok).toBe(true);
    expect(validateGrid(workloadGrid({}, 'StatefulSetGrid')).ok).toBe(true);
  });

  it('need a selector', () => {
    const template = templateWith((t) => delete t['selector']);
    expect(errorsOf(workloadGrid({ template }))).toEqual([
      error('spec.template.selector', 'is required', 'matchLabels'),
    ]);
  });

  it.each([{}, { matchLabels: {} }, { matchExpressions: [] }])('need selector terms, not %j', (selector) => {
    const template = templateWith((t) => (t['selector'] = selector));
    expect(errorsOf(workloadGrid({ template }, 'StatefulSetGrid'))).toEqual([
      error('spec.template.selector', 'must have matchLabels or matchExpressions'),
    ]);
  });

  it('accept a selector with only matchExpressions', () => {
    const template = templateWith(
      (t) => (t['selector'] = { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] }),
    );
    expect(validateGrid(workloadGrid({ template })).ok).toBe(true);
  });

  it('need a pod template', () => {
    const template = templateWith((t) => delete t['template']);
    expect(errorsOf(workloadGrid({ template }))).toEqual([
      error('spec.template.template', 'is required', 'pod template'),
    ]);
  });

  it('need a pod spec', () => {
    const template = templateWith((t) => delete podTemplateOf(t)['spec']);
    expect(errorsOf(workloadGrid({ template }))).toEqual([
      error('spec.template.template.spec', 'is required', 'pod spec', 'containers'),
    ]);
  });

  it.each([
    ['missing', undefined, ['is required', 'list at least one container']],
    ['empty', [], ['must list at least one container']],
  ])('need containers (%s)', (_, containers, words) => {
    const template = templateWith((t) => ((podTemplateOf(t)['spec'] as Plain)['containers'] = containers));
    expect(errorsOf(workloadGrid({ template }))).toEqual([error('spec.template.template.spec.containers', ...words)]);
  });

  it('need each matchLabels label on the pods, with the same value', () => {
    const template = templateWith((t) => {
      t['selector'] = { matchLabels: { app: 'web', 'app.kubernetes.io/part-of': 'shop', tier: 'edge' } };
      (podTemplateOf(t)['metadata'] as Plain)['labels'] = { app: 'api', tier: 'edge' };
    });
    expect(errorsOf(workloadGrid({ template }))).toEqual([
      error('spec.template.template.metadata.labels.app', 'is "api"', 'matchLabels requires app: "web"'),
      error(
        'spec.template.template.metadata.labels["app.kubernetes.io/part-of"]',
        'is missing',
        `matchLabels requires app.kubernetes.io/part-of: "shop"`,
      ),
    ]);
  });

  it('report every matchLabels label when the pods have no labels', () => {
    const template = templateWith((t) => delete podTemplateOf(t)['metadata']);
    expect(errorsOf(workloadGrid({ template }))).toEqual([
      error('spec.template.template.metadata.labels.app', 'is missing', 'matchLabels requires app: "web"'),
    ]);
  });

  it('check every templatePool entry, on its own path', () => {
    const broken = templateWith((t) => {
      delete t['selector'];
      delete podTemplateOf(t)['spec'];
    });
    const grid = workloadGrid({ templatePool: { stable: workloadSpec(), 'v1.2': broken, bad: 'nginx' } });
    expect(errorsOf(grid)).toEqual([
      error('spec.templatePool.bad', 'must be a Deployment or StatefulSet spec', '"nginx"'),
      error('spec.templatePool["v1.2"].selector', 'is required'),
      error('spec.templatePool["v1.2"].template.spec', 'is required'),
    ]);
  });

  it('need replicas, when given, to be a whole number of at least 0', () => {
    const pool = {
      text: templateWith((t) => (t['replicas'] = 'three')),
      half: templateWith((t) => (t['replicas'] = 1.5)),
      negative: templateWith((t) => (t['replicas'] = -1)),
      none: templateWith((t) => delete t['replicas']),
    };
    expect(errorsOf(workloadGrid({ templatePool: pool }))).toEqual([
      error('spec.templatePool.half.replicas', 'must be a whole number, not 1.5'),
      error('spec.templatePool.negative.replicas', 'must be at least 0, not -1'),
      error('spec.templatePool.text.replicas', 'must be a whole number, not "three"'),
    ]);
  });

  it('check a pool entry selector against its own labels', () => {
    const canary = templateWith((t) => ((podTemplateOf(t)['metadata'] as Plain)['labels'] = { app: 'web-canary' }));
    expect(errorsOf(workloadGrid({ templatePool: { canary } }))).toEqual([
      error('spec.templatePool.canary.template.metadata.labels.app', 'is "web-canary"', 'requires app: "web"'),
    ]);
  });
});

describe('spec.template beside a pool default', () => {
  it('may be minimal when defaultTemplateName names a pool entry', () => {
    const grid = workloadGrid({
      template: {},
      templatePool: { v2: workloadSpec('nginx:2') },
      defaultTemplateName: 'v2',
    });
    expect(validateGrid(grid).ok).toBe(true);
  });

  it('must still be an object then', () => {
    const grid = workloadGrid({ template: [], templatePool: { v2: workloadSpec() }, defaultTemplateName: 'v2' });
    expect(errorsOf(grid)).toEqual([error('spec.template', 'must be an object', '[]')]);
  });

  it('is fully checked when defaultTemplateName is default', () => {
    const grid = workloadGrid({ template: {}, templatePool: { v2: workloadSpec() }, defaultTemplateName: 'default' });
    expect(errorsOf(grid)).toEqual([
      error('spec.template.selector', 'is required'),
      error('spec.template.template', 'is required'),
    ]);
  });
});

describe('template names', () => {
  const pool = { stable: workloadSpec(), canary: workloadSpec('nginx:2') };

  it('accepts NodeUnits and a default that name pool entries', () => {
    const grid = workloadGrid({ templatePool: pool, templates: { zone1: 'canary' }, defaultTemplateName: 'stable' });
    expect(validateGrid(grid).ok).toBe(true);
  });

  it('reports a spec.templates value missing from templatePool, listing what is there', () => {
    const grid = workloadGrid({ templatePool: pool, templates: { zone1: 'canry', zone2: 'stable' } });
    expect(errorsOf(grid)).toEqual([
      error('spec.templates.zone1', 'names "canry", which is not in templatePool', 'templatePool has stable, canary'),
    ]);
  });

  it('reports it against an empty pool and a missing one', () => {
    expect(errorsOf(workloadGrid({ templatePool: {}, templates: { zone1: 'canary' } }))).toEqual([
      error('spec.templates.zone1', 'names "canary", which is not in templatePool', 'templatePool is empty'),
    ]);
    expect(errorsOf(workloadGrid({ templates: { zone1: 'canary' } }))).toEqual([
      error('spec.templates.zone1', 'names "canary", which is not in templatePool', 'there is no templatePool'),
    ]);
  });

  it('reports a spec.templates value that is not a name', () => {
    expect(errorsOf(workloadGrid({ templatePool: pool, templates: { zone1: 2 } }))).toEqual([
      error('spec.templates.zone1', 'must name a templatePool entry', 'not 2'),
    ]);
  });

  it('reports a defaultTemplateName missing from templatePool', () => {
    expect(errorsOf(workloadGrid({ templatePool: pool, defaultTemplateName: 'beta' }))).toEqual([
      error('spec.defaultTemplateName', 'names "beta", which is not in templatePool', 'set "default"'),
    ]);
    expect(errorsOf(workloadGrid({ defaultTemplateName: 'beta' }))).toEqual([
      error('spec.defaultTemplateName', 'names "beta", which is not in templatePool', 'there is no templatePool'),
    ]);
  });

  it('takes defaultTemplateName default to mean spec.template, pool or not', () => {
    expect(validateGrid(workloadGrid({ defaultTemplateName: 'default' })).ok).toBe(true);
  });

  it('rejects an empty defaultTemplateName', () => {
    expect(errorsOf(workloadGrid({ defaultTemplateName: '' }))).toEqual([
      error('spec.defaultTemplateName', 'must not be empty', '"default"'),
    ]);
  });
});

describe('NodeUnits in spec.templates', () => {
  const pool = { canary: workloadSpec() };

  it.each(['Zone_A', 'rack.7', 'z'.repeat(63)])('accepts the label value %s', (nodeUnit) => {
    expect(validateGrid(workloadGrid({ templatePool: pool, templates: { [nodeUnit]: 'canary' } })).ok).toBe(true);
  });

  it.each([
    ['my zone', 'spec.templates["my zone"]'],
    ['-zone1', 'spec.templates.-zone1'],
    ['zone1.', 'spec.templates["zone1."]'],
    ['z'.repeat(64), `spec.templates.${'z'.repeat(64)}`],
    ['', 'spec.templates[""]'],
  ])('rejects %j', (nodeUnit, path) => {
    expect(errorsOf(workloadGrid({ templatePool: pool, templates: { [nodeUnit]: 'canary' } }))).toEqual([
      error(path, 'cannot be a NodeUnit', 'not a valid label value', 'cannot form an object name'),
    ]);
  });
});

describe('member name lengths', () => {
  const pool = { canary: workloadSpec() };
  const withNodeUnit = (kind: string, gridName: string, nodeUnit: string): Plain =>
    workloadGrid({ templatePool: pool, templates: { [nodeUnit]: 'canary' } }, kind, gridName);

  it('allow a StatefulSet name of exactly 52 characters', () => {
    expect(validateGrid(withNodeUnit('StatefulSetGrid', 'a'.repeat(40), 'z'.repeat(11))).ok).toBe(true);
  });

  it('reject a StatefulSet name of 53, saying why the limit is 52', () => {
    const gridName = 'a'.repeat(40);
    expect(errorsOf(withNodeUnit('StatefulSetGrid', gridName, 'z'.repeat(12)))).toEqual([
      error(
        `spec.templates.${'z'.repeat(12)}`,
        `StatefulSet name "${gridName}-${'z'.repeat(12)}" of 53 characters`,
        'at most 52',
        'controller-revision-hash',
        'shorter grid name',
      ),
    ]);
  });

  it('measure the name a non-DNS NodeUnit really gets (with its hash)', () => {
    // `Zone_A` becomes `zone-a-<6 hex>`: 13 characters, not 6.
    expect(errorsOf(withNodeUnit('StatefulSetGrid', 'a'.repeat(39), 'Zone_A'))).toEqual([
      error('spec.templates.Zone_A', 'StatefulSet name', 'zone-a-', 'of 53 characters'),
    ]);
  });

  it('hold Deployments to 253', () => {
    expect(validateGrid(withNodeUnit('DeploymentGrid', 'a'.repeat(200), 'z'.repeat(52))).ok).toBe(true);
    expect(errorsOf(withNodeUnit('DeploymentGrid', 'a'.repeat(200), 'z'.repeat(53)))).toEqual([
      error(`spec.templates.${'z'.repeat(53)}`, 'Deployment name', 'of 254 characters', 'at most 253'),
    ]);
  });

  it('report a grid name too long for any NodeUnit once, on metadata.name', () => {
    const grid = withNodeUnit('StatefulSetGrid', 'a'.repeat(51), 'zone1');
    expect(errorsOf(grid)).toEqual([
      error(
        'metadata.name',
        'is too long',
        'one-letter NodeUnit',
        'of 53 characters',
        'controller-revision-hash',
        'at most 50',
      ),
    ]);
    expect(validateGrid(withNodeUnit('StatefulSetGrid', 'a'.repeat(50), 'x')).ok).toBe(true);
  });

  it('hold a ServiceGrid name to what fits {grid}-svc in 63', () => {
    const service = (name: string): Plain => ({
      apiVersion: 'superedge.io/v1',
      kind: 'ServiceGrid',
      metadata: { name },
      spec: { gridUniqKey: 'zone', template: { ports: [{ port: 80 }] } },
    });
    expect(validateGrid(service('s'.repeat(59))).ok).toBe(true);
    expect(errorsOf(service('s'.repeat(60)))).toEqual([
      error(
        'metadata.name',
        `Service name "${'s'.repeat(60)}-svc" of 64 characters`,
        'DNS label of at most 63',
        'at most 59',
      ),
    ]);
  });
});
