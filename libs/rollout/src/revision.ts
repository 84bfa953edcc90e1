// A revision: one distinct set of templates a workload grid renders. Its hash names it
// (the member objects' `gridfed.io/revision` label, the ControllerRevision `<grid>-<hash>`).
import stringify from 'safe-stable-stringify';
import { shortHash, type WorkloadGrid } from '#gridfed/grid-api';

/** One NodeUnit's copy of a SiteConfig as a revision keeps it: its content hash and key names, never a value. */
export interface KeptCopy {
  hash: string;
  keys: string[];
}

/**
 * A SiteConfig the templates name, as it was when a revision of a grid rolled out in waves was
 * made: the digest (part of the revision's identity) and the copies then, from the SiteConfig
 * alone, whatever the topology: one per NodeUnit with an entry of its own, and the one every
 * other NodeUnit got (the defaults).
 */
export interface SiteConfigSnapshot {
  digest: string;
  /** NodeUnits with an entry in spec.nodeUnits and a complete copy. */
  copies: Record<string, KeptCopy>;
  /** What a NodeUnit without an entry got; absent when the defaults alone made no complete copy. */
  defaults?: KeptCopy;
  /** NodeUnits with an entry but no complete copy then. */
  withoutCopy?: string[];
}

/** The copy `nodeUnit` had at the revision; undefined when it had none (it reads the copy as it is now). */
export function recordedCopy(snapshot: SiteConfigSnapshot, nodeUnit: string): KeptCopy | undefined {
  if (Object.hasOwn(snapshot.copies, nodeUnit)) return snapshot.copies[nodeUnit];
  if (snapshot.withoutCopy?.includes(nodeUnit)) return undefined;
  return snapshot.defaults;
}

/** What a revision holds: every field that decides which template a NodeUnit renders. */
export interface TemplateSet {
  template: unknown;
  templatePool?: Record<string, unknown>;
  templates?: Record<string, string>;
  defaultTemplateName?: string;
  /**
   * Progressive grids only: the SiteConfigs their templates name (by name). A revision with it
   * points NodeUnits at kept copies (named by content); one without (all others, and revisions
   * made before gridfed kept copies) at the plain `{siteconfig}-{nodeunit}` copy.
   */
  siteConfigs?: Record<string, SiteConfigSnapshot>;
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
  const { siteConfigs, ...templates } = set;
  // The digests name the configuration; the copies follow from it.
  const digests = siteConfigs && Object.fromEntries(Object.entries(siteConfigs).map(([n, s]) => [n, s.digest]));
  const normal = {
    ...templates,
    defaultTemplateName: set.defaultTemplateName || 'default',
    ...(digests ? { siteConfigs: digests } : {}),
  };
  return shortHash(stringify(normal) ?? '', REVISION_HASH_LENGTH);
}

/** The grid as it would be with `set` for templates (a copy; the grid is not changed). */
export function gridWithTemplates<G extends WorkloadGrid>(grid: G, set: TemplateSet): G {
  const spec = { ...grid.spec };
  delete spec.templatePool;
  delete spec.templates;
  delete spec.defaultTemplateName;
  const templates = { ...set };
  delete templates.siteConfigs;
  return { ...grid, spec: { ...spec, ...templates } } as G;
}
