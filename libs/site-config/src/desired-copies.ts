// What one member cluster must hold for one SiteConfig: a copy per NodeUnit it hosts. Pure,
// like a grid's desired state: an invalid SiteConfig wants "leave everything as it is", and a
// NodeUnit that cannot have a complete copy is reported and keeps whatever copy it has.
import { formatFieldErrors } from '#gridfed/grid-api';
import type { SecretLookup } from './content.js';
import { SiteConfigRenderError } from './render-error.js';
import { renderSiteConfig, type RenderedCopy } from './render-site-config.js';
import type { SiteConfig } from './types.js';
import { validateSiteConfig } from './validation/index.js';

export type DesiredCopies =
  | {
      kind: 'copies';
      copies: RenderedCopy[];
      /** NodeUnit -> why it has no copy (names SiteConfig, field and key; never a value). */
      failed: Record<string, string>;
      /** Kept copies (by name) a staged rollout still has NodeUnits on: left exactly as they are. */
      keep: string[];
    }
  | { kind: 'invalid'; message: string };

/** What grids rolled out in waves need of a SiteConfig's kept copies in one member. */
export interface KeptCopies {
  /** Some such grid reads the SiteConfig: each NodeUnit also gets its copy as it is now, named by content. */
  current: boolean;
  /** Older kept copies their rollouts still keep NodeUnits on. */
  keep: string[];
}

/**
 * The copies `memberCluster` gets for the NodeUnits of `siteConfig.spec.gridUniqKey` it hosts:
 * the plain copy of each, and its kept copy too when `kept.current`.
 */
export function desiredCopies(
  siteConfig: SiteConfig,
  nodeUnits: readonly string[],
  memberCluster: string,
  secrets?: SecretLookup,
  kept: KeptCopies = { current: false, keep: [] },
): DesiredCopies {
  const validation = validateSiteConfig(siteConfig);
  if (!validation.ok)
    return { kind: 'invalid', message: formatFieldErrors('siteconfig', validation.ref, validation.errors) };
  const copies: RenderedCopy[] = [];
  const failed: Record<string, string> = {};
  for (const nodeUnit of nodeUnits) {
    try {
      copies.push(renderSiteConfig(siteConfig, nodeUnit, memberCluster, secrets));
      if (kept.current) copies.push(renderSiteConfig(siteConfig, nodeUnit, memberCluster, secrets, 'kept'));
    } catch (err) {
      if (!(err instanceof SiteConfigRenderError)) throw err;
      failed[nodeUnit] = err.message;
    }
  }
  return { kind: 'copies', copies, failed, keep: kept.keep };
}
