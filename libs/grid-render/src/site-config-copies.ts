// A grid's pod template names a SiteConfig by its plain name; each NodeUnit's workload is
// pointed at that NodeUnit's copy, and carries the copy's hash so a change rolls its pods.
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { SITE_CONFIG_HASH_ANNOTATION, type WorkloadGrid } from '#gridfed/grid-api';
import {
  keptCopyName,
  siteConfigCopyRef,
  SiteConfigRenderError,
  siteConfigType,
  type CopyRef,
  type SecretLookup,
  type SiteConfig,
} from '#gridfed/site-config';
import { configReferences, type ConfigReference } from './config-references.js';
import { gridError } from './grid-context.js';

/**
 * One NodeUnit's workload cannot point at its copy of a SiteConfig (no copy for it, a key the
 * pod takes that the copy lacks, another gridUniqKey). It concerns that NodeUnit only: the
 * grid's other NodeUnits still render. The message names grid, field, SiteConfig, NodeUnit and key.
 */
export class SiteConfigReferenceError extends Error {
  constructor(
    readonly siteConfig: string,
    readonly nodeUnit: string,
    error: Error,
  ) {
    super(error.message, { cause: error.cause });
    this.name = 'SiteConfigReferenceError';
  }
}

/** What rendering needs to know of SiteConfigs; all in the grid's namespace. */
export interface SiteConfigInputs {
  /** The SiteConfig of that name, or undefined: the name is then an ordinary ConfigMap or Secret. */
  siteConfig(name: string): SiteConfig | undefined;
  /** The control cluster's Secrets, for SiteConfigs of type Secret. */
  secrets?: SecretLookup;
  /**
   * Set when the revision rendered keeps its copies (a grid rolled out in waves): references
   * point at kept copies, named by content. `recorded` is the copy a NodeUnit had when an older
   * revision was made; undefined (the current revision, or none then): its copy as it is now.
   */
  keptCopies?: { recorded(siteConfig: string, nodeUnit: string): KeptCopySnapshot | undefined };
}

/** One NodeUnit's copy as a revision recorded it: content hash and key names. */
export interface KeptCopySnapshot {
  hash: string;
  keys: string[];
}

/**
 * Points every reference of `podTemplate` (a copy the caller owns) that names a SiteConfig of
 * its kind at `nodeUnit`'s copy, and sets `gridfed.io/site-config-hash` to `{siteconfig}={hash}`
 * of each one used (sorted). References to other names are left as they are; a template that
 * uses no SiteConfig is not changed at all. `templateField` says where the template sits.
 */
export function pointAtSiteConfigCopies(
  grid: WorkloadGrid,
  templateField: string,
  podTemplate: V1PodTemplateSpec,
  nodeUnit: string,
  inputs: SiteConfigInputs,
): void {
  const copies = new Map<string, CopyRef>();
  for (const ref of configReferences(podTemplate.spec ?? { containers: [] })) {
    const siteConfig = inputs.siteConfig(ref.name);
    if (!siteConfig || siteConfigType(siteConfig) !== ref.kind) continue;
    const at = `${templateField}.template.spec.${ref.path}`;
    let copy = copies.get(ref.name);
    if (!copy) copies.set(ref.name, (copy = copyFor(grid, at, siteConfig, nodeUnit, inputs)));
    missingKeyCheck(grid, templateField, ref, copy, nodeUnit);
    ref.point(copy.name);
  }
  if (copies.size === 0) return;
  const hashes = [...copies].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, copy]) => `${name}=${copy.contentHash}`);
  const metadata = (podTemplate.metadata ??= {});
  metadata.annotations = { ...metadata.annotations, [SITE_CONFIG_HASH_ANNOTATION]: hashes.join(',') };
}

/** A key the pod takes, without `optional: true`, must be in the copy: else the pod would never start. */
function missingKeyCheck(
  grid: WorkloadGrid,
  templateField: string,
  ref: ConfigReference,
  copy: CopyRef,
  nodeUnit: string,
): void {
  if (ref.optional) return;
  const missing = ref.keys.find(({ key }) => !copy.keys.includes(key));
  if (!missing) return;
  const has = copy.keys.length > 0 ? copy.keys.join(', ') : 'no key';
  const message =
    `names key ${JSON.stringify(missing.key)}, which NodeUnit ${nodeUnit}'s copy of SiteConfig ${JSON.stringify(ref.name)} ` +
    `does not have (it has ${has}): add it to the SiteConfig (or its spec.required), or mark the reference optional`;
  const error = gridError(grid, `${templateField}.template.spec.${missing.path}`, message);
  throw new SiteConfigReferenceError(ref.name, nodeUnit, error);
}

function copyFor(
  grid: WorkloadGrid,
  at: string,
  siteConfig: SiteConfig,
  nodeUnit: string,
  { secrets, keptCopies }: SiteConfigInputs,
): CopyRef {
  const name = siteConfig.metadata.name ?? '';
  const named = `names SiteConfig ${JSON.stringify(name)}`;
  const { gridUniqKey } = siteConfig.spec;
  if (gridUniqKey !== grid.spec.gridUniqKey) {
    const why = `whose gridUniqKey is ${JSON.stringify(gridUniqKey)}, not the grid's ${JSON.stringify(grid.spec.gridUniqKey)}: it has no copy per NodeUnit of this grid`;
    throw new SiteConfigReferenceError(name, nodeUnit, gridError(grid, at, `${named}, ${why}`));
  }
  const kept = keptCopies?.recorded(name, nodeUnit);
  if (kept) {
    const { hash: contentHash, keys } = kept;
    return { type: siteConfigType(siteConfig), name: keptCopyName(name, nodeUnit, contentHash), contentHash, keys };
  }
  try {
    const live = siteConfigCopyRef(siteConfig, nodeUnit, secrets);
    return keptCopies ? { ...live, name: keptCopyName(name, nodeUnit, live.contentHash) } : live;
  } catch (err) {
    if (!(err instanceof SiteConfigRenderError)) throw err;
    const error = gridError(grid, at, `${named}, which has no copy for NodeUnit ${nodeUnit}: ${err.message}`);
    error.cause = err;
    throw new SiteConfigReferenceError(name, nodeUnit, error);
  }
}
