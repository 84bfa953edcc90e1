// The registered member clusters, from the control cluster's MemberCluster objects
// and the Secrets they point at. One MemberConnection per member, rebuilt when its
// kubeconfig changes, dropped when the MemberCluster goes. Credentials stay inside
// the KubeConfig objects: nothing here logs or reports them.
import { createHash } from 'node:crypto';
import type { KubeConfig, V1Secret } from '@kubernetes/client-node';
import { GRIDFED_GROUP, GRIDFED_VERSION } from '#gridfed/grid-api';
import {
  kubeConfigFromString,
  MemberKubeconfigError,
  Reflector,
  type KubeClients,
  type RequestObserver,
  type WatchTiming,
} from '#gridfed/kube';
import { MemberConnection, type MemberHandlers } from './member-connection.js';
import { MemberStatusReconciler } from './member-status.js';
import {
  DEFAULT_HUB_NAMESPACE,
  KUBECONFIG_SECRET_KEY,
  MEMBER_CLUSTER_PLURAL,
  type MemberCluster,
} from './member-cluster.js';

export interface ClusterRegistryOptions {
  control: KubeClients;
  /** Namespace of the member Secrets (the hub's own). */
  namespace?: string;
  requestTimeoutMs?: number;
  probeIntervalMs?: number;
  /** Of the member watches (the reflectors' defaults when unset). */
  watchTiming?: WatchTiming;
  failureThreshold?: number;
  observe?: RequestObserver;
  log: (level: 'info' | 'warn', message: string) => void;
  /** Hooks of every member connection, told which member they concern. */
  handlersFor: (member: string) => MemberHandlers;
  /** gridUniqKey -> NodeUnits a member hosts, for the keys grids use (its status shows them). */
  nodeUnitsOf: (member: string) => Record<string, string[]>;
  /**
   * Whether this hub replica owns a registered member (its shard). Only owned members get
   * a connection here; the others are someone else's. Default: every member.
   */
  owns?: (member: string) => boolean;
  /** This hub replica's name (the owner its members' status shows). */
  replica?: string;
  onMemberAdded?: (member: MemberConnection) => void;
  /** After the connection was dropped; what it returns is awaited by release(). */
  onMemberRemoved?: (member: string) => void | Promise<void>;
  /** After the registered members were compared with the connections (any MemberCluster or Secret change). */
  onReconciled?: () => void;
}

interface Entry {
  connection: MemberConnection;
  credentialHash: string;
}

export class ClusterRegistry {
  readonly memberClusters: Reflector<MemberCluster>;
  readonly secrets: Reflector<V1Secret>;
  private readonly members = new Map<string, Entry>();
  private readonly problems = new Map<string, string>();
  /** Members being dropped: done once their connection stopped and onMemberRemoved finished. */
  private readonly removals = new Map<string, Promise<void>>();
  private readonly namespace: string;
  private readonly status: MemberStatusReconciler;

  constructor(private readonly opts: ClusterRegistryOptions) {
    this.namespace = opts.namespace ?? DEFAULT_HUB_NAMESPACE;
    this.status = new MemberStatusReconciler({
      control: opts.control,
      memberCluster: (name) => this.memberCluster(name),
      connection: (name) => this.get(name),
      problem: (name) => this.problem(name),
      nodeUnitsOf: opts.nodeUnitsOf,
      replica: opts.replica,
      log: opts.log,
    });
    const { control } = opts;
    const base = {
      kc: control.kc,
      log: opts.log,
      onRequest: (method: string, path: string) => opts.observe?.({ cluster: control.cluster, method, path }),
    };
    this.memberClusters = new Reflector<MemberCluster>({
      ...base,
      name: 'control/memberclusters',
      path: `/apis/${GRIDFED_GROUP}/${GRIDFED_VERSION}/${MEMBER_CLUSTER_PLURAL}`,
      list: () =>
        control.custom.listClusterCustomObject({
          group: GRIDFED_GROUP,
          version: GRIDFED_VERSION,
          plural: MEMBER_CLUSTER_PLURAL,
        }) as Promise<{ items: MemberCluster[]; metadata?: { resourceVersion?: string } }>,
    });
    this.secrets = new Reflector<V1Secret>({
      ...base,
      name: `control/secrets/${this.namespace}`,
      path: `/api/v1/namespaces/${this.namespace}/secrets`,
      list: () => control.core.listNamespacedSecret({ namespace: this.namespace }),
    });
    const reconcileAll = (): void => this.reconcileAll();
    this.memberClusters.on({ add: reconcileAll, update: reconcileAll, delete: reconcileAll, synced: reconcileAll });
    this.secrets.on({ add: reconcileAll, update: reconcileAll, delete: reconcileAll, synced: reconcileAll });
  }

  start(): void {
    this.memberClusters.start();
    this.secrets.start();
  }

  async waitForSync(): Promise<void> {
    await Promise.all([this.memberClusters.waitForSync(), this.secrets.waitForSync()]);
  }

  async stop(): Promise<void> {
    this.status.stop();
    await Promise.all([this.memberClusters.stop(), this.secrets.stop()]);
    await Promise.all([...this.members.values()].map((e) => e.connection.stop()));
    this.members.clear();
  }

  get(name: string): MemberConnection | undefined {
    return this.members.get(name)?.connection;
  }

  list(): MemberConnection[] {
    return [...this.members.values()].map((e) => e.connection);
  }

  /** The members connected here. */
  names(): string[] {
    return [...this.members.keys()].sort();
  }

  /** Every registered member (a MemberCluster), connected here or not. */
  registeredNames(): string[] {
    return this.memberClusters
      .list()
      .map((mc) => mc.metadata.name ?? '')
      .filter(Boolean)
      .sort();
  }

  /** Why a registered MemberCluster has no connection (bad Secret, bad kubeconfig), if it has none. */
  problem(name: string): string | undefined {
    return this.problems.get(name);
  }

  memberCluster(name: string): MemberCluster | undefined {
    return this.memberClusters.get(name);
  }

  /** Something a member's status shows may have changed (its NodeUnits): reconcile it. */
  reportStatus(member: string): void {
    this.status.enqueue(member);
  }

  /** Every member's status again (the periodic resync). */
  resyncStatus(): void {
    for (const name of this.members.keys()) this.status.enqueue(name);
    // A member with no connection because its Secret is unusable says why on its status.
    for (const name of this.problems.keys()) this.status.enqueue(name);
  }

  /** Compares wanted members with open connections again (the shard changed). */
  reconcileShard(): void {
    this.reconcileAll();
  }

  /** Drops the member if it is no longer owned here, and resolves once nothing of it runs here. */
  async release(member: string): Promise<void> {
    this.reconcileAll();
    await this.removals.get(member);
  }

  /** Level-triggered: compares wanted members with open connections and fixes the difference. */
  private reconcileAll(): void {
    if (!this.memberClusters.synced || !this.secrets.synced) return;
    const owns = this.opts.owns ?? (() => true);
    const wanted = new Map(
      this.memberClusters
        .list()
        .filter((mc) => owns(mc.metadata.name ?? ''))
        .map((mc) => [mc.metadata.name ?? '', mc]),
    );
    for (const name of this.problems.keys()) if (!wanted.has(name)) this.problems.delete(name);
    for (const name of this.members.keys()) if (!wanted.has(name)) this.drop(name);
    for (const [name, mc] of wanted) this.reconcile(name, mc);
    this.resyncStatus();
    this.opts.onReconciled?.();
  }

  private reconcile(name: string, mc: MemberCluster): void {
    const credentials = this.credentialsOf(mc);
    if (typeof credentials === 'string') {
      if (this.problems.get(name) !== credentials) this.opts.log('warn', `member ${name}: ${credentials}`);
      this.problems.set(name, credentials);
      this.drop(name);
      return;
    }
    this.problems.delete(name);
    const existing = this.members.get(name);
    if (existing?.credentialHash === credentials.hash) return;
    if (existing) this.drop(name);
    const connection = new MemberConnection(
      {
        name,
        kc: credentials.kc,
        requestTimeoutMs: this.opts.requestTimeoutMs ?? 10_000,
        probeIntervalMs: this.opts.probeIntervalMs ?? 5_000,
        watchTiming: this.opts.watchTiming,
        failureThreshold: this.opts.failureThreshold ?? 2,
        observe: this.opts.observe,
        log: this.opts.log,
      },
      this.withStatus(name, this.opts.handlersFor(name)),
    );
    this.members.set(name, { connection, credentialHash: credentials.hash });
    connection.start();
    this.opts.log('info', `member ${name}: connected to ${credentials.kc.getCurrentCluster()?.server ?? '?'}`);
    this.opts.onMemberAdded?.(connection);
  }

  /** The member's status follows its health and its listed nodes. */
  private withStatus(name: string, handlers: MemberHandlers): MemberHandlers {
    return {
      ...handlers,
      node: {
        ...handlers.node,
        synced: () => {
          handlers.node.synced();
          this.status.enqueue(name);
        },
      },
      health: (healthy, detail) => {
        handlers.health(healthy, detail);
        this.status.enqueue(name);
      },
    };
  }

  private drop(name: string): void {
    const entry = this.members.get(name);
    if (!entry) return;
    this.members.delete(name);
    this.opts.log('info', `member ${name}: disconnected`);
    const removal = Promise.all([entry.connection.stop(), this.opts.onMemberRemoved?.(name)])
      .then(() => undefined)
      .catch((err: unknown) => this.opts.log('warn', `member ${name}: removal: ${String(err)}`))
      .finally(() => {
        if (this.removals.get(name) === removal) this.removals.delete(name);
      });
    this.removals.set(name, removal);
  }

  /** The member's KubeConfig from its Secret, or a sentence saying what is wrong. */
  private credentialsOf(mc: MemberCluster): { kc: KubeConfig; hash: string } | string {
    const ref = mc.spec?.secretRef;
    if (!ref?.name) return 'spec.secretRef.name is empty';
    const namespace = ref.namespace ?? this.namespace;
    if (namespace !== this.namespace) {
      return `spec.secretRef.namespace "${namespace}" is not the hub's namespace "${this.namespace}"`;
    }
    const secret = this.secrets.get(`${namespace}/${ref.name}`);
    if (!secret) return `Secret ${namespace}/${ref.name} not found`;
    const key = ref.key ?? KUBECONFIG_SECRET_KEY;
    const data = secret.data?.[key];
    if (!data) return `Secret ${namespace}/${ref.name} has no key "${key}"`;
    const text = Buffer.from(data, 'base64').toString('utf8');
    try {
      return { kc: kubeConfigFromString(text), hash: createHash('sha256').update(text).digest('hex') };
    } catch (err) {
      // Only the checker's problems: they name fields and never quote a value.
      const why = err instanceof MemberKubeconfigError ? err.message : 'the document is not a usable kubeconfig';
      return `Secret ${namespace}/${ref.name} key "${key}": ${why}`;
    }
  }
}
