// A revision: one distinct set of templates a workload grid renders. Its hash names it
// (the member objects' `gridfed.io/revision` label, the ControllerRevision `<grid>-<hash>`).
import stringify from 'safe-stable-stringify';
import { shortHash, type WorkloadGrid } from '#gridfed/grid-api';

/** What a revision holds: every field that decides which template a NodeUnit renders. */
export interface TemplateSet {
  template: unknown;
  templatePool?: Record<string, unknown>;
  templates?: Record<string, string>;
  defaultTemplateName?: string;
}

const REVISION_HASH_LENGTH = 10;

export function templateSetOf(grid: WorkloadGrid): TemplateSet {
  const { template, templatePool, templates, defaultTemplateName } = grid.spec;
  return {
    template,
    ...(templatePool === undefined ? {} : { templatePool }),
    ...(templates === undefined ? {} : { templates }),
    ...(defaultTemplateName === undefined ? {} : { defaultTemplateName }),
  };
}

/**
 * The revision hash of a template set. An absent defaultTemplateName and "default" mean
 * the same, and key order never matters, so equal sets always hash equal.
 */
export function revisionHash(set: TemplateSet): string {
  const normal = { ...set, defaultTemplateName: set.defaultTemplateName || 'default' };
  return shortHash(stringify(normal) ?? '', REVISION_HASH_LENGTH);
}

/** The grid as it would be with `set` for templates (a copy; the grid is not changed). */
export function gridWithTemplates<G extends WorkloadGrid>(grid: G, set: TemplateSet): G {
  const spec = { ...grid.spec };
  delete spec.templatePool;
  delete spec.templates;
  delete spec.defaultTemplateName;
  return { ...grid, spec: { ...spec, ...set } } as G;
}
