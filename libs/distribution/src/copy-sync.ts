// Per-(member, SiteConfig) copies, on the replica that owns the member: applies what
// desiredCopies wants there (server-side apply, gridfed's field manager), puts back a copy
// edited by hand, deletes copies no longer wanted, and never touches an object that is not
// this SiteConfig's copy. Secret copies are found by name (secret-copies.ts): the member
// agent may not list Secrets, and writes them only if the member opted in (--manage-secrets).
// In-process and level-triggered: callers only add keys; a failed run is retried with
// backoff; the periodic resync adds every key.
import { FIELD_MANAGER, GRIDFED_API_VERSION, NODE_UNIT_LABEL } from '#gridfed/grid-api';
import type { ClusterRegistry, MemberConnection } from '#gridfed/cluster-registry';
import {
  applyConfigObject,
  deleteConfigObject,
  describeError,
  isForbidden,
  isNotFound,
  listConfigObjects,
  readConfigObject,
  statusCodeOf,
  withContext,
  type ConfigObject,
  type ConfigObjectKind,
  type EventRecorder,
} from '#gridfed/kube';
import {
  copySelector,
  desiredCopies,
  ledgerNames,
  ledgerOwnerOf,
  SITE_CONFIG_KIND,
  siteConfigType,
  type CopyFailure,
  type CopyRun,
  type DesiredCopies,
  type KeptCopies,
  type RenderedCopy,
  type SiteConfig,
} from '#gridfed/site-config';
import type { NodeUnitIndex } from '#gridfed/topology';
import { WorkQueue, type Requeue } from '#gridfed/workqueue';
import { copyKey } from './copy-key.js';
import { planCopies, type CopyObjectRef, type CopyPlan } from './copy-plan.js';
import { ledgerAfter, ledgerBefore, readSecretCopies, writeLedger } from './secret-copies.js';
import type { SiteConfigCache } from './site-config-cache.js';

export interface CopySyncOptions {
  siteConfigs: SiteConfigCache;
  registry: ClusterRegistry;
  topology: NodeUnitIndex;
  /** This replica owns the member now: checked before writing. */
  mayWrite: (member: string) => boolean;
  events: EventRecorder;
  log: (level: 'info' | 'warn', message: string) => void;
  /** What a sync of a SiteConfig on a member this replica owns did (its status reads it). */
  onOutcome?: (run: CopyRun) => void;
  /**
   * Copies were created or changed on a member: the grids pointing at them render their pod
   * templates' hash again. A SiteConfig's own edits reach them anyway; a Secret SiteConfig's
   * control Secret changing is seen only here (the copy check reads it again).
   */
  onCopiesWritten?: (member: string, ref: { namespace: string; name: string }) => void;
  /** The kept copies the grids rolled out in waves need of `siteConfig` among `nodeUnits` (kept-copies.ts). */
  keptCopies?: (siteConfig: SiteConfig, nodeUnits: readonly string[]) => KeptCopies;
}

/** A run's record of what happened to each copy, filled in as it goes. */
type RunRecord = CopyRun & { inTheWay: Set<string>; failed: Map<string, CopyFailure> };

/** What a member holds of one SiteConfig: its copies, and the ledger naming its Secret copies. */
interface LiveCopies {
  copies: ConfigObject[];
  ledger: ConfigObject | undefined;
}

export class CopySync {
  readonly queue: WorkQueue;

  constructor(private readonly opts: CopySyncOptions) {
    this.queue = new WorkQueue({
      name: 'site-config-copies',
      debounceMs: 100,
      maxInFlight: 4,
      retry: { initialMs: 500, maxMs: 30_000 },
      reconcile: (key) => this.reconcile(key),
      onError: (key, err, failures) => {
        if (failures === 1 || failures % 10 === 0)
          opts.log('warn', `${key.replace('\u0000', ': ')}: ${describeError(err)}`);
      },
    });
  }

  /** A SiteConfig changed (or went): every member looks again. */
  siteConfigChanged(namespace: string, name: string): void {
    for (const member of this.opts.registry.names()) this.queue.add(copyKey(member, namespace, name));
  }

  /** A member's NodeUnits may have changed (nodes, connection): its copies of the SiteConfigs keyed by `keys` (all when absent). */
  memberChanged(member: string, keys?: Set<string>): void {
    for (const sc of this.opts.siteConfigs.list()) {
      if (keys && !keys.has(sc.spec.gridUniqKey)) continue;
      this.queue.add(copyKey(member, sc.metadata.namespace ?? 'default', sc.metadata.name ?? ''));
    }
  }

  resyncAll(): void {
    for (const member of this.opts.registry.names()) this.memberChanged(member);
  }

  stop(): void {
    this.queue.stop();
  }

  private async reconcile(key: string): Promise<void | Requeue> {
    const [member = '', ref = ''] = key.split('\u0000');
    const [namespace = '', name = ''] = ref.split('/');
    const connection = this.opts.registry.get(member);
    if (!connection?.isHealthy || !connection.synced || !this.opts.mayWrite(member)) return;
    // An unlisted cache holds no SiteConfig: every copy would look unwanted.
    if (!this.opts.siteConfigs.reflector.synced) return { requeueAfterMs: NAMESPACE_WAIT_MS };
    const found = this.opts.siteConfigs.get(namespace, name);
    const siteConfig = found && !found.metadata.deletionTimestamp ? found : undefined;
    const nodeUnits = siteConfig ? this.opts.topology.nodeUnits(member, siteConfig.spec.gridUniqKey) : [];
    const run: RunRecord | undefined = siteConfig && {
      member,
      siteConfig,
      nodeUnits,
      inTheWay: new Set<string>(),
      failed: new Map<string, CopyFailure>(),
    };
    try {
      return await this.converge(connection, siteConfig, { namespace, name }, run);
    } finally {
      if (run && this.opts.mayWrite(member)) this.opts.onOutcome?.(run);
    }
  }

  private async converge(
    connection: MemberConnection,
    siteConfig: SiteConfig | undefined,
    ref: { namespace: string; name: string },
    run: RunRecord | undefined,
  ): Promise<void | Requeue> {
    const member = connection.name;
    const secrets = siteConfig
      ? await failsRun(run, this.opts.siteConfigs.secretsOf(ref.namespace, [siteConfig]))
      : undefined;
    const nodeUnits = run?.nodeUnits ?? [];
    const kept = siteConfig && this.opts.keptCopies?.(siteConfig, nodeUnits);
    const desired = siteConfig ? desiredCopies(siteConfig, nodeUnits, member, secrets, kept) : none();
    if (run) run.desired = desired;
    // An invalid SiteConfig leaves every copy as it is (its validation is reported on it).
    if (desired.kind === 'invalid') return this.warn(siteConfig, 'InvalidSpec', desired.message);
    for (const message of Object.values(desired.failed)) this.warn(siteConfig, 'NoCopy', `${member}: ${message}`);
    const wanted = desired.copies.map((c) => c.object.metadata.name);
    const live = await failsRun(run, this.listCopies(connection, siteConfig, ref, wanted));
    if (!live) {
      if (run && siteConfig) run.notPermitted = siteConfigType(siteConfig);
      return;
    }
    const plan = planCopies(ref, desired, live.copies);
    if (!this.opts.mayWrite(member)) return;
    // The namespace is made by the first sync of a grid there: until then, look again soon.
    if (plan.create.length > 0 && !(await failsRun(run, namespaceExists(connection, ref.namespace)))) {
      if (run) run.waiting = true;
      return { requeueAfterMs: NAMESPACE_WAIT_MS };
    }
    await this.write(connection, siteConfig, ref, live, plan, run);
  }

  /** Runs `plan`; the ledger names every Secret copy before it is written, and after it is gone. */
  private async write(
    member: MemberConnection,
    siteConfig: SiteConfig | undefined,
    ref: { namespace: string; name: string },
    live: LiveCopies,
    plan: CopyPlan,
    run: RunRecord | undefined,
  ): Promise<void> {
    const recorded = ledgerNames(live.ledger);
    const before = ledgerBefore(recorded, plan);
    await failsRun(run, writeLedger(member, ref, before, recorded));
    // Settled, not all: the outcome says what became of every copy before the first error is retried.
    const results = await Promise.allSettled([
      ...plan.create.map((copy) => this.create(member, siteConfig, copy, run)),
      ...plan.apply.map((copy) => this.apply(member, copy, run)),
      ...plan.delete.map((ref) => this.remove(member, ref)),
    ]);
    if (plan.create.length + plan.apply.length > 0) this.opts.onCopiesWritten?.(member.name, ref);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    await writeLedger(member, ref, ledgerAfter(live.copies, plan, ref), before);
  }

  /**
   * This SiteConfig's copies in the member: its ConfigMaps by label (copies, and the ledger of
   * its Secret copies), and its Secrets by the names the ledger records and `wanted` adds.
   * undefined when the member may not hold what it needs (said on the SiteConfig), and then
   * nothing is written.
   */
  private async listCopies(
    member: MemberConnection,
    siteConfig: SiteConfig | undefined,
    ref: { namespace: string; name: string },
    wanted: string[],
  ): Promise<LiveCopies | undefined> {
    const configMaps = await this.listConfigMaps(member, siteConfig, ref);
    if (!configMaps) return undefined;
    const ledger = configMaps.find(
      (obj) => ledgerOwnerOf(obj)?.namespace === ref.namespace && ledgerOwnerOf(obj)?.name === ref.name,
    );
    const secretType = siteConfig !== undefined && siteConfigType(siteConfig) === 'Secret';
    if (!secretType && !ledger) return { copies: configMaps, ledger };
    if (!this.opts.registry.memberCluster(member.name)?.spec?.manageSecrets) {
      if (secretType) return this.notPermitted(member, siteConfig, 'Secret');
      return { copies: configMaps, ledger }; // its Secret copies stay until the member opts in again
    }
    const names = [...ledgerNames(ledger), ...(secretType ? wanted : [])];
    try {
      return { copies: [...configMaps, ...(await readSecretCopies(member, ref.namespace, names))], ledger };
    } catch (err) {
      if (isForbidden(err)) return this.notPermitted(member, siteConfig, 'Secret');
      throw err;
    }
  }

  private async listConfigMaps(
    member: MemberConnection,
    siteConfig: SiteConfig | undefined,
    { namespace, name }: { namespace: string; name: string },
  ): Promise<ConfigObject[] | undefined> {
    try {
      return await listConfigObjects(member.clients, 'ConfigMap', namespace, copySelector(namespace, name));
    } catch (err) {
      if (!isForbidden(err)) throw withContext(`${member.name}: list ConfigMap copies in ${namespace}`, err);
      return siteConfig ? this.notPermitted(member, siteConfig, 'ConfigMap') : [];
    }
  }

  /** Said on the SiteConfig, naming the member and what heals it. */
  private notPermitted(
    member: MemberConnection,
    siteConfig: SiteConfig | undefined,
    kind: ConfigObjectKind,
  ): undefined {
    const heal =
      kind === 'Secret'
        ? `the member did not opt in to Secret copies: run gridfed register ${member.name} --renew-credentials --manage-secrets --kubeconfig <its kubeconfig>`
        : `the member agent may not manage ConfigMaps: run gridfed register ${member.name} --renew-credentials --kubeconfig <its kubeconfig>`;
    this.warn(siteConfig, 'MemberNotPermitted', `${member.name}: NodeUnits there get no ${kind} copy; ${heal}`);
    return undefined;
  }

  /** A name not listed as this SiteConfig's copy: applied only if nothing holds it. */
  private async create(
    member: MemberConnection,
    siteConfig: SiteConfig | undefined,
    copy: RenderedCopy,
    run?: RunRecord,
  ): Promise<void> {
    const { kind, metadata } = copy.object;
    try {
      await readConfigObject(member.clients, kind, metadata.namespace, metadata.name);
      run?.inTheWay.add(metadata.name);
      const message = `${member.name}: ${kind} ${metadata.namespace}/${metadata.name} exists and is not this SiteConfig's copy: left untouched, NodeUnit ${metadata.labels[NODE_UNIT_LABEL] ?? ''} has no copy`;
      this.warn(siteConfig, 'UnownedObjectInTheWay', message);
      return;
    } catch (err) {
      if (!isNotFound(err)) {
        const failure = withContext(`${member.name}: read ${kind} ${metadata.namespace}/${metadata.name}`, err);
        run?.failed.set(metadata.name, copyFailure(failure, err));
        throw failure;
      }
    }
    await this.apply(member, copy, run);
  }

  private async apply(member: MemberConnection, copy: RenderedCopy, run?: RunRecord): Promise<void> {
    const { kind, metadata } = copy.object;
    try {
      await applyConfigObject(member.clients, copy.object, { fieldManager: FIELD_MANAGER, force: true });
    } catch (err) {
      const failure = withContext(`${member.name}: apply ${kind} ${metadata.namespace}/${metadata.name}`, err);
      run?.failed.set(metadata.name, copyFailure(failure, err));
      throw failure;
    }
  }

  private async remove(member: MemberConnection, { kind, namespace, name }: CopyObjectRef): Promise<void> {
    try {
      await deleteConfigObject(member.clients, kind, namespace, name);
    } catch (err) {
      if (!isNotFound(err)) throw withContext(`${member.name}: delete ${kind} ${namespace}/${name}`, err);
    }
  }

  private warn(siteConfig: SiteConfig | undefined, reason: string, message: string): void {
    if (!siteConfig) return;
    const { namespace, name, uid } = siteConfig.metadata;
    const subject = { apiVersion: GRIDFED_API_VERSION, kind: SITE_CONFIG_KIND, namespace, name: name ?? '', uid };
    this.opts.events.report(subject, 'Warning', reason, message);
  }
}

const NAMESPACE_WAIT_MS = 5000;

async function namespaceExists(member: MemberConnection, namespace: string): Promise<boolean> {
  try {
    await member.clients.core.readNamespace({ name: namespace });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw withContext(`${member.name}: read namespace ${namespace}`, err);
  }
}

/** Awaits `step`; a failure before any copy is applied fails the whole run's outcome. */
async function failsRun<T>(run: RunRecord | undefined, step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (err) {
    if (run) run.error = copyFailure(err, err);
    throw err;
  }
}

function copyFailure(described: unknown, cause: unknown): CopyFailure {
  const code = statusCodeOf(cause) ?? statusCodeOf((cause as { cause?: unknown } | undefined)?.cause);
  return { message: describeError(described), ...(code ? { code } : {}) };
}

function none(): Extract<DesiredCopies, { kind: 'copies' }> {
  return { kind: 'copies', copies: [], failed: {}, keep: [] };
}
