// What must exist in one member cluster for one grid: pure, from the grid, the topology
// and the revisions a rollout keeps NodeUnits on. A grid that is not distributed (no fed
// label, being deleted, gone) wants nothing there; an invalid grid wants "leave
// everything as it is".
import {
  FED_LABEL,
  FED_LABEL_VALUE,
  formatGridErrors,
  isValidNodeUnit,
  isWorkloadGrid,
  maxMemberNameLength,
  validateGrid,
  workloadName,
  type AnyGrid,
  type WorkloadGrid,
} from '#gridfed/grid-api';
import {
  renderService,
  renderWorkload,
  SiteConfigReferenceError,
  type RenderedObject,
  type SiteConfigInputs,
} from '#gridfed/grid-render';
import { gridWithTemplates, revisionFor, revisionHash, templateSetOf, type TemplateSet } from '#gridfed/rollout';
import type { NodeUnitIndex } from '#gridfed/topology';
import { currentTemplateSet, keepsCopies, keptCopiesFor } from './kept-copies.js';

export type DesiredState =
  | {
      kind: 'objects';
      objects: DesiredObject[];
      skippedNodeUnits: string[];
      /**
       * Objects to leave exactly as they are (`namespace/name`): the rollout has not decided
       * their NodeUnit's revision yet, or its ControllerRevision is not known here.
       */
      held: string[];
      /** Revisions a rollout keeps NodeUnits on whose ControllerRevision is not known here. */
      missingRevisions: string[];
      /**
       * NodeUnit -> why its workload cannot point at its SiteConfig copy (names grid field,
       * SiteConfig, NodeUnit and key; never a value). Its workload is held: left as it is.
       */
      siteConfigErrors: Record<string, string>;
    }
  | { kind: 'invalid'; message: string };

/** The SiteConfigs (and control-cluster Secrets) of a grid's namespace, as rendering reads them. */
export type SiteConfigSource = (grid: WorkloadGrid) => SiteConfigInputs | undefined;

/** The templates of one of a grid's revisions, from its ControllerRevision; undefined when unknown. */
export type RevisionLookup = (grid: WorkloadGrid, revision: string) => TemplateSet | undefined;

export interface DesiredObject {
  rendered: RenderedObject;
  /** The NodeUnits it serves: a workload's one; every one the member hosts for a ServiceGrid's Service. */
  nodeUnits: string[];
}

export function isDistributed(grid: AnyGrid | undefined): grid is AnyGrid {
  return (
    grid !== undefined && grid.metadata.labels?.[FED_LABEL] === FED_LABEL_VALUE && !grid.metadata.deletionTimestamp
  );
}

/**
 * Validation per grid version. What validation reads (name, namespace, spec) changes only
 * with a new generation, so a server's grid is validated once per uid and generation,
 * however often its status is written; one without them (a preview) once per object.
 */
const validationsByVersion = new Map<string, ReturnType<typeof validateGrid>>();
const validationsByObject = new WeakMap<AnyGrid, ReturnType<typeof validateGrid>>();
const MAX_REMEMBERED_VALIDATIONS = 20_000;

function validated(grid: AnyGrid): ReturnType<typeof validateGrid> {
  const { uid, generation } = grid.metadata;
  const version = uid && generation !== undefined ? `${uid}/${generation}` : undefined;
  let validation = version ? validationsByVersion.get(version) : validationsByObject.get(grid);
  if (validation) return validation;
  validation = validateGrid(grid);
  if (!version) validationsByObject.set(grid, validation);
  else {
    if (validationsByVersion.size >= MAX_REMEMBERED_VALIDATIONS) validationsByVersion.clear();
    validationsByVersion.set(version, validation);
  }
  return validation;
}

/** Why the grid's spec is invalid, every problem with its field path; undefined when valid. */
export function invalidSpec(grid: AnyGrid): string | undefined {
  const validation = validated(grid);
  return validation.ok ? undefined : formatGridErrors(validation.ref, validation.errors);
}

/** A NodeUnit found on nodes whose value cannot name a member object is reported, not applied. */
export function nodeUnitFits(grid: AnyGrid, nodeUnit: string): boolean {
  return (
    isValidNodeUnit(nodeUnit) &&
    (!isWorkloadGrid(grid) || workloadName(grid.metadata.name ?? '', nodeUnit).length <= maxMemberNameLength(grid.kind))
  );
}

/** The revision of a grid's templates as they are now (hashed once per grid version). */
const currentRevisions = new WeakMap<WorkloadGrid, string>();

/**
 * The revision of the grid as it is now. For a grid that keeps copies, `inputs` adds the
 * digests of the SiteConfigs it names (kept-copies.ts); without them, its templates only.
 */
export function currentRevision(grid: WorkloadGrid, inputs?: SiteConfigInputs): string {
  if (inputs && keepsCopies(grid)) {
    const set = currentTemplateSet(grid, inputs);
    if (set.siteConfigs) return revisionHash(set);
  }
  let revision = currentRevisions.get(grid);
  if (!revision) currentRevisions.set(grid, (revision = revisionHash(templateSetOf(grid))));
  return revision;
}

export function desiredState(
  grid: AnyGrid | undefined,
  cluster: string,
  topology: NodeUnitIndex,
  revisions: RevisionLookup = () => undefined,
  siteConfigs: SiteConfigSource = () => undefined,
): DesiredState {
  if (!isDistributed(grid))
    return { kind: 'objects', objects: [], skippedNodeUnits: [], held: [], missingRevisions: [], siteConfigErrors: {} };
  const invalid = invalidSpec(grid);
  if (invalid) return { kind: 'invalid', message: invalid };
  const all = topology.nodeUnits(cluster, grid.spec.gridUniqKey);
  const nodeUnits = all.filter((u) => nodeUnitFits(grid, u));
  const skippedNodeUnits = all.filter((u) => !nodeUnitFits(grid, u));
  if (!isWorkloadGrid(grid)) {
    const objects = nodeUnits.length > 0 ? [{ rendered: renderService(grid, cluster), nodeUnits }] : [];
    return { kind: 'objects', objects, skippedNodeUnits, held: [], missingRevisions: [], siteConfigErrors: {} };
  }
  const inputs = siteConfigs(grid);
  const current = currentRevision(grid, inputs);
  const objects: DesiredObject[] = [];
  const held: string[] = [];
  const missing = new Set<string>();
  const siteConfigErrors: Record<string, string> = {};
  const hold = (nodeUnit: string): void => {
    held.push(`${grid.metadata.namespace ?? 'default'}/${workloadName(grid.metadata.name ?? '', nodeUnit)}`);
  };
  for (const nodeUnit of nodeUnits) {
    const revision = revisionFor(grid, nodeUnit, current);
    const set = revision === undefined || revision === current ? undefined : revisions(grid, revision);
    if (revision === undefined || (revision !== current && !set)) {
      if (revision !== undefined) missing.add(revision);
      hold(nodeUnit);
      continue;
    }
    const source = set ? gridWithTemplates(grid, set) : grid;
    const keptCopies = keptCopiesFor(grid, set);
    const rendered = renderFor(source, nodeUnit, cluster, revision, inputs && { ...inputs, keptCopies });
    if (typeof rendered === 'string') {
      // This NodeUnit only: its workload stays as it is, the others go on.
      siteConfigErrors[nodeUnit] = rendered;
      hold(nodeUnit);
    } else objects.push({ rendered, nodeUnits: [nodeUnit] });
  }
  return { kind: 'objects', objects, skippedNodeUnits, held, missingRevisions: [...missing], siteConfigErrors };
}

/** The NodeUnit's workload, or why it cannot point at its SiteConfig copy. */
function renderFor(
  grid: WorkloadGrid,
  nodeUnit: string,
  cluster: string,
  revision: string,
  inputs: SiteConfigInputs | undefined,
): RenderedObject | string {
  try {
    return renderWorkload(grid, nodeUnit, cluster, revision, inputs);
  } catch (err) {
    if (err instanceof SiteConfigReferenceError) return err.message;
    throw err;
  }
}
