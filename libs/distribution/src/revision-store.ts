// A workload grid's revisions as ControllerRevisions in the control cluster (the
// Kubernetes convention for workload history): `<grid>-<dg|ssg>-<hash>` in the grid's
// namespace, owned by the grid, holding the template set, numbered in the order they
// became the grid's templates. Watched into a cache the member sync renders old
// revisions from; written only by the lifecycle reconciler.
import type { V1ControllerRevision } from '@kubernetes/client-node';
import {
  CHANGE_CAUSE_ANNOTATION,
  GRID_API_VERSION,
  GRID_KIND_LABEL,
  GRID_NAME_ANNOTATION,
  GRID_NAME_LABEL,
  GRID_RESOURCES,
  labelValueFor,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  REVISION_HASH_LABEL,
  type WorkloadGrid,
} from '#gridfed/grid-api';
import {
  isConflict,
  isNotFound,
  Reflector,
  withContext,
  withoutManagedFields,
  type KubeClients,
  type RequestObserver,
} from '#gridfed/kube';
import { revisionHash, templateSetOf, type TemplateSet } from '#gridfed/rollout';

export function revisionName(grid: WorkloadGrid, hash: string): string {
  return `${grid.metadata.name ?? ''}-${GRID_RESOURCES[grid.kind].shortName}-${hash}`;
}

/** One revision as `gridfed rollout history` lists it. */
export interface RevisionInfo {
  hash: string;
  number: number;
  created?: Date;
  changeCause?: string;
}

export interface RevisionStoreOptions {
  control: KubeClients;
  observe?: RequestObserver;
  log: (level: 'info' | 'warn', message: string) => void;
  onChange?: (revision: V1ControllerRevision) => void;
}

export class RevisionStore {
  readonly reflector: Reflector<V1ControllerRevision>;
  /** `namespace/Kind/grid` -> cache keys of its revisions: a grid's revisions without a scan of all. */
  private readonly byGrid = new Map<string, Set<string>>();

  constructor(private readonly opts: RevisionStoreOptions) {
    const { control } = opts;
    const selector = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;
    this.reflector = new Reflector<V1ControllerRevision>({
      kc: control.kc,
      name: 'control/controllerrevisions',
      path: '/apis/apps/v1/controllerrevisions',
      labelSelector: selector,
      list: (labelSelector) => control.apps.listControllerRevisionForAllNamespaces({ labelSelector }),
      log: opts.log,
      onRequest: (method, path) => opts.observe?.({ cluster: control.cluster, method, path }),
      transform: withoutManagedFields,
    });
    const changed = (r: V1ControllerRevision): void => opts.onChange?.(r);
    this.reflector.on({
      add: (r) => {
        this.index(r, true);
        changed(r);
      },
      update: changed,
      delete: (r) => {
        this.index(r, false);
        changed(r);
      },
    });
  }

  private index(r: V1ControllerRevision, present: boolean): void {
    const grid = `${r.metadata?.namespace ?? ''}/${r.metadata?.labels?.[GRID_KIND_LABEL] ?? ''}/${r.metadata?.annotations?.[GRID_NAME_ANNOTATION] ?? ''}`;
    const key = `${r.metadata?.namespace ?? ''}/${r.metadata?.name ?? ''}`;
    let keys = this.byGrid.get(grid);
    if (present) {
      if (!keys) this.byGrid.set(grid, (keys = new Set()));
      keys.add(key);
    } else {
      keys?.delete(key);
      if (keys?.size === 0) this.byGrid.delete(grid);
    }
  }

  /** The templates of one of `grid`'s revisions, when its ControllerRevision is known. */
  templates(grid: WorkloadGrid, hash: string): TemplateSet | undefined {
    const data = this.get(grid, hash)?.data as TemplateSet | undefined;
    return data && typeof data === 'object' && 'template' in data ? data : undefined;
  }

  /** The grid's revisions, oldest first. */
  list(grid: WorkloadGrid): V1ControllerRevision[] {
    const { namespace, name } = grid.metadata;
    const keys = this.byGrid.get(`${namespace ?? ''}/${grid.kind}/${name ?? ''}`) ?? [];
    return [...keys]
      .map((key) => this.reflector.get(key))
      .filter((r): r is V1ControllerRevision => r !== undefined)
      .sort((a, b) => a.revision - b.revision);
  }

  /**
   * Makes the grid's current templates (`set`: with the snapshot of its SiteConfigs, for a grid
   * that keeps copies) its newest revision: creates the ControllerRevision, or (it went back to
   * an older revision, e.g. `rollout undo`) renumbers it.
   */
  async ensureCurrent(grid: WorkloadGrid, set: TemplateSet = templateSetOf(grid)): Promise<string> {
    const hash = revisionHash(set);
    const revisions = this.list(grid);
    const newest = revisions.at(-1)?.revision ?? 0;
    const existing = this.get(grid, hash);
    if (existing && existing.revision === newest) return hash;
    if (existing) await this.renumber(grid, existing, newest + 1);
    else await this.create(grid, set, hash, newest + 1);
    return hash;
  }

  /** Deletes the oldest revisions beyond `limit`, never one in `keep` (the ones in use). */
  async prune(grid: WorkloadGrid, keep: Set<string>, limit: number): Promise<void> {
    const removable = this.list(grid).filter((r) => !keep.has(r.metadata?.labels?.[REVISION_HASH_LABEL] ?? ''));
    for (const revision of removable.slice(0, Math.max(0, removable.length - limit))) {
      const { namespace = 'default', name = '' } = revision.metadata ?? {};
      try {
        await this.opts.control.apps.deleteNamespacedControllerRevision({ namespace, name });
      } catch (err) {
        if (!isNotFound(err)) throw withContext(`delete ControllerRevision ${namespace}/${name}`, err);
      }
    }
  }

  private get(grid: WorkloadGrid, hash: string): V1ControllerRevision | undefined {
    return this.reflector.get(`${grid.metadata.namespace ?? 'default'}/${revisionName(grid, hash)}`);
  }

  private async create(grid: WorkloadGrid, set: TemplateSet, hash: string, revision: number): Promise<void> {
    const namespace = grid.metadata.namespace ?? 'default';
    const name = grid.metadata.name ?? '';
    const cause = grid.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION];
    const body: V1ControllerRevision = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name: revisionName(grid, hash),
        namespace,
        labels: {
          [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
          [GRID_KIND_LABEL]: grid.kind,
          [GRID_NAME_LABEL]: labelValueFor(name),
          [REVISION_HASH_LABEL]: hash,
        },
        annotations: { [GRID_NAME_ANNOTATION]: name, ...(cause ? { [CHANGE_CAUSE_ANNOTATION]: cause } : {}) },
        // Same namespace as the grid: the garbage collector removes revisions with their grid.
        ownerReferences: [
          { apiVersion: GRID_API_VERSION, kind: grid.kind, name, uid: grid.metadata.uid ?? '', controller: true },
        ],
      },
      data: set,
      revision,
    };
    try {
      await this.opts.control.apps.createNamespacedControllerRevision({ namespace, body });
    } catch (err) {
      // Made by an earlier run whose watch event has not arrived: same name, same templates.
      if (isConflict(err)) return;
      throw withContext(`create ControllerRevision ${namespace}/${body.metadata?.name}`, err);
    }
  }

  private async renumber(grid: WorkloadGrid, existing: V1ControllerRevision, revision: number): Promise<void> {
    const cause = grid.metadata.annotations?.[CHANGE_CAUSE_ANNOTATION];
    const body: V1ControllerRevision = {
      ...existing,
      metadata: {
        ...existing.metadata,
        annotations: { ...existing.metadata?.annotations, ...(cause ? { [CHANGE_CAUSE_ANNOTATION]: cause } : {}) },
      },
      revision,
    };
    const { namespace = 'default', name = '' } = existing.metadata ?? {};
    try {
      await this.opts.control.apps.replaceNamespacedControllerRevision({ namespace, name, body });
    } catch (err) {
      throw withContext(`renumber ControllerRevision ${namespace}/${name}`, err);
    }
  }
}
