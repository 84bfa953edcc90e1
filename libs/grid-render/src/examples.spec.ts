import { readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import {
  GRID_NAME_ANNOTATION,
  isWorkloadGrid,
  MANAGED_BY_LABEL,
  maxMemberNameLength,
  validateGrid,
  type AnyGrid,
} from '#gridfed/grid-api';
import { desiredHash, renderService, renderWorkload, unusedTemplates, type RenderedObject } from './index.js';
import { example } from './spec-support.js';

const EXAMPLES = new URL('../../../deploy/examples/', import.meta.url);
const exampleFiles = readdirSync(EXAMPLES).filter((file) => file.endsWith('.yaml'));

function renderAll(grid: AnyGrid): RenderedObject[] {
  if (!isWorkloadGrid(grid)) return [renderService(grid, 'member-1')];
  return ['zone1', 'zone2', 'zone3'].map((nodeUnit) => renderWorkload(grid, nodeUnit, 'member-1'));
}

describe('every seed example', () => {
  it('is there to render', () => {
    expect(exampleFiles).toEqual(expect.arrayContaining(['deploymentgrid-canary.yaml', 'servicegrid-headless.yaml']));
    expect(exampleFiles.length).toBeGreaterThanOrEqual(7);
  });

  it.each(exampleFiles)('%s is valid and renders owned, hashed member objects', (file) => {
    const grid = example<AnyGrid>(file);
    expect(validateGrid(grid).ok).toBe(true);
    const rendered = renderAll(grid);
    for (const { object, hash } of rendered) {
      expect(object.metadata.namespace).toBe(grid.metadata.namespace);
      expect(object.metadata.name.startsWith(`${grid.metadata.name}-`)).toBe(true);
      expect(object.metadata.name.length).toBeLessThanOrEqual(maxMemberNameLength(grid.kind));
      expect(object.metadata.labels[MANAGED_BY_LABEL]).toBe('gridfed');
      expect(object.metadata.annotations[GRID_NAME_ANNOTATION]).toBe(grid.metadata.name);
      expect(desiredHash(object)).toBe(hash);
      expect(JSON.stringify(object)).not.toContain('creationTimestamp');
    }
    expect(new Set(rendered.map((r) => r.object.metadata.name)).size).toBe(rendered.length);
    if (isWorkloadGrid(grid)) expect(unusedTemplates(grid)).toEqual([]);
  });
});
