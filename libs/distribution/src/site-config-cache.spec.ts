import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { DeploymentGrid } from '#gridfed/grid-api';
import type { SiteConfig } from '#gridfed/site-config';
import { referencedNames, secretNamesOf } from './site-config-cache.js';

const example = <T>(file: string): T => parse(readFileSync(`deploy/examples/${file}`, 'utf8')) as T;

describe('referencedNames', () => {
  it('lists the ConfigMaps and Secrets of the base template and of every pool template, once each', () => {
    const grid = example<DeploymentGrid>('deploymentgrid-fed.yaml');
    grid.spec.template.template.spec!.volumes = [{ name: 'c', configMap: { name: 'mall-config' } }];
    const [first, second] = Object.values(grid.spec.templatePool ?? {});
    first!.template.spec!.containers[0]!.envFrom = [{ secretRef: { name: 'mall-credentials' } }];
    second!.template.spec!.volumes = [{ name: 'c', configMap: { name: 'mall-config' } }];
    expect(referencedNames(grid)).toEqual(['mall-config', 'mall-credentials']);
  });
});

describe('secretNamesOf', () => {
  it('names the Secrets of Secret SiteConfigs only, from defaults and every NodeUnit', () => {
    const secret = example<SiteConfig>('site-config/siteconfig-secret.yaml');
    secret.spec.nodeUnits = {
      zone9: { secretRefs: [{ name: 'zone9-db', key: 'password' }] },
      ...secret.spec.nodeUnits,
    };
    const configMap = example<SiteConfig>('site-config/siteconfig-configmap.yaml');
    expect(secretNamesOf([secret, configMap, secret])).toEqual([
      'mall-common',
      'mall-hebei-db',
      'mall-xian-db',
      'zone9-db',
    ]);
    expect(secretNamesOf([configMap])).toEqual([]);
  });
});
