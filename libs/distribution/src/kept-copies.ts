// Grids rolled out in waves (Progressive) take configuration through their waves too: the
// SiteConfigs their templates name are part of each revision (a digest, and each NodeUnit's copy
// hash and keys, never a value), and their workloads point at kept copies, named by content and
// never changed, so a NodeUnit the rollout has not reached keeps reading the configuration of the
// revision it runs. Pure: what a revision holds, and which kept copies a member must keep.
import { isWorkloadGrid, type AnyGrid, type WorkloadGrid } from '#gridfed/grid-api';
import { gridConfigReferences, type SiteConfigInputs } from '#gridfed/grid-render';
import {
  recordedCopy,
  templateSetOf,
  type KeptCopy,
  type SiteConfigSnapshot,
  type TemplateSet,
} from '#gridfed/rollout';
import {
  copyContent,
  defaultsContent,
  keptCopyName,
  siteConfigDigest,
  SiteConfigRenderError,
  siteConfigType,
  type CopyContent,
  type KeptCopies,
  type SecretLookup,
  type SiteConfig,
} from '#gridfed/site-config';

/** A grid whose revisions carry its configuration, and whose workloads read kept copies. */
export function keepsCopies(grid: AnyGrid | undefined): grid is WorkloadGrid {
  return grid !== undefined && isWorkloadGrid(grid) && grid.spec.rolloutStrategy?.type === 'Progressive';
}

/** The SiteConfigs the grid's templates (base and pool) name, of their kind and with its gridUniqKey; by name. */
export function siteConfigsOf(grid: WorkloadGrid, inputs: SiteConfigInputs): SiteConfig[] {
  const found = new Map<string, SiteConfig>();
  for (const ref of gridConfigReferences(grid)) {
    const siteConfig = inputs.siteConfig(ref.name);
    if (siteConfig && siteConfigType(siteConfig) === ref.kind && siteConfig.spec.gridUniqKey === grid.spec.gridUniqKey)
      found.set(ref.name, siteConfig);
  }
  return [...found].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, siteConfig]) => siteConfig);
}

/**
 * The grid's current templates as a revision. A grid that keeps copies and names SiteConfigs also
 * gets their snapshot; every other grid: its templates only, as before.
 */
export function currentTemplateSet(grid: WorkloadGrid, inputs: SiteConfigInputs | undefined): TemplateSet {
  const set = templateSetOf(grid);
  if (!inputs || !keepsCopies(grid)) return set;
  const configs = siteConfigsOf(grid, inputs);
  if (configs.length === 0) return set;
  const siteConfigs = Object.fromEntries(configs.map((sc) => [sc.metadata.name ?? '', snapshotOf(sc, inputs.secrets)]));
  return { ...set, siteConfigs };
}

/**
 * The SiteConfig's copies from its spec alone, never the topology (a revision is made before any
 * member reports a NodeUnit): each NodeUnit with an entry, and the defaults every other one gets.
 */
function snapshotOf(siteConfig: SiteConfig, secrets: SecretLookup | undefined): SiteConfigSnapshot {
  const snapshot: SiteConfigSnapshot = { digest: siteConfigDigest(siteConfig, secrets), copies: {} };
  const withoutCopy: string[] = [];
  for (const nodeUnit of Object.keys(siteConfig.spec.nodeUnits ?? {}).sort()) {
    const copy = madeOrUndefined(() => copyContent(siteConfig, nodeUnit, secrets));
    if (copy) snapshot.copies[nodeUnit] = copy;
    else withoutCopy.push(nodeUnit);
  }
  const defaults = madeOrUndefined(() => defaultsContent(siteConfig, secrets));
  if (defaults) snapshot.defaults = defaults;
  if (withoutCopy.length > 0) snapshot.withoutCopy = withoutCopy;
  return snapshot;
}

/** Hash and keys of the content `make` renders; undefined when it makes no complete copy (reported by the copy sync). */
function madeOrUndefined(make: () => CopyContent): KeptCopy | undefined {
  try {
    const { data, hash } = make();
    return { hash, keys: Object.keys(data).sort() };
  } catch (err) {
    if (!(err instanceof SiteConfigRenderError)) throw err;
    return undefined;
  }
}

/**
 * What rendering a revision reads of kept copies: for the grid's current revision, every
 * NodeUnit's copy as it is now; for an older one, the copy each NodeUnit had then; undefined for
 * a grid that does not keep copies, or a revision made before gridfed kept them (plain copies).
 */
export function keptCopiesFor(grid: WorkloadGrid, older: TemplateSet | undefined): SiteConfigInputs['keptCopies'] {
  if (!keepsCopies(grid)) return undefined;
  if (!older) return { recorded: () => undefined };
  const snapshots = older.siteConfigs;
  if (!snapshots) return undefined;
  return {
    recorded: (siteConfig, nodeUnit) => {
      const snapshot = Object.hasOwn(snapshots, siteConfig) ? snapshots[siteConfig] : undefined;
      return snapshot && recordedCopy(snapshot, nodeUnit);
    },
  };
}

/** The templates of one of a grid's revisions (its ControllerRevision), when known. */
export type TemplateSetLookup = (grid: WorkloadGrid, revision: string) => TemplateSet | undefined;

/**
 * What one member's copies of `siteConfig` must include for `grids` (those of its namespace whose
 * templates name it): its kept copies as they are now when one of them keeps copies, and the kept
 * copies of the member's `nodeUnits` that a revision those grids' rollouts use recorded.
 */
export function keptCopiesIn(
  siteConfig: SiteConfig,
  nodeUnits: readonly string[],
  grids: readonly AnyGrid[],
  revisions: TemplateSetLookup,
): KeptCopies {
  const name = siteConfig.metadata.name ?? '';
  const keepers = grids.filter(keepsCopies);
  const keep = new Set<string>();
  for (const grid of keepers) {
    const rollout = grid.status?.rollout;
    const inUse = [
      rollout?.stableRevision,
      rollout?.updateRevision,
      ...Object.values(rollout?.moved ?? {}).map((m) => m.revision),
    ];
    for (const hash of new Set(inUse)) {
      const snapshots = hash ? revisions(grid, hash)?.siteConfigs : undefined;
      const snapshot = snapshots && Object.hasOwn(snapshots, name) ? snapshots[name] : undefined;
      if (!snapshot) continue;
      for (const nodeUnit of nodeUnits) {
        const copy = recordedCopy(snapshot, nodeUnit);
        if (copy) keep.add(keptCopyName(name, nodeUnit, copy.hash));
      }
    }
  }
  return { current: keepers.length > 0, keep: [...keep].sort() };
}
