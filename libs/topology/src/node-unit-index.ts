// Which member cluster hosts which NodeUnit, from the labels of the members' nodes.
// Pure and incremental: every node change says which (key, NodeUnit) pairs appeared in
// or vanished from that cluster, so only the grids using those keys are re-synced.

export interface NodeUnitChange {
  cluster: string;
  key: string;
  nodeUnit: string;
  /** true: the cluster's first node with key=nodeUnit arrived; false: its last one left. */
  present: boolean;
}

type Labels = Record<string, string>;

export class NodeUnitIndex {
  /** cluster -> node name -> labels */
  private readonly nodes = new Map<string, Map<string, Labels>>();
  /** cluster -> label key -> value -> number of nodes */
  private readonly counts = new Map<string, Map<string, Map<string, number>>>();

  /** Records a node's current labels (add or update). */
  setNode(cluster: string, name: string, labels: Labels): NodeUnitChange[] {
    const clusterNodes = this.nodesOf(cluster);
    const before = clusterNodes.get(name) ?? {};
    clusterNodes.set(name, { ...labels });
    return this.diff(cluster, before, labels);
  }

  deleteNode(cluster: string, name: string): NodeUnitChange[] {
    const clusterNodes = this.nodes.get(cluster);
    const before = clusterNodes?.get(name);
    if (!clusterNodes || !before) return [];
    clusterNodes.delete(name);
    return this.diff(cluster, before, {});
  }

  /** Replaces everything known about a cluster's nodes (after a relist). */
  resetCluster(cluster: string, nodes: { name: string; labels: Labels }[]): NodeUnitChange[] {
    const wanted = new Set(nodes.map((n) => n.name));
    const changes = [...(this.nodes.get(cluster)?.keys() ?? [])]
      .filter((name) => !wanted.has(name))
      .flatMap((name) => this.deleteNode(cluster, name));
    return changes.concat(nodes.flatMap((n) => this.setNode(cluster, n.name, n.labels)));
  }

  removeCluster(cluster: string): NodeUnitChange[] {
    return this.resetCluster(cluster, []);
  }

  /** NodeUnits of `key` that `cluster` hosts, sorted. */
  nodeUnits(cluster: string, key: string): string[] {
    return [...(this.counts.get(cluster)?.get(key)?.keys() ?? [])].sort();
  }

  hosts(cluster: string, key: string, nodeUnit: string): boolean {
    return (this.counts.get(cluster)?.get(key)?.get(nodeUnit) ?? 0) > 0;
  }

  /** Member clusters hosting the NodeUnit key=nodeUnit (more than one is allowed). */
  clustersHosting(key: string, nodeUnit: string): string[] {
    return [...this.counts.keys()].filter((cluster) => this.hosts(cluster, key, nodeUnit)).sort();
  }

  /** Every NodeUnit of `key` anywhere in the fleet, sorted. */
  allNodeUnits(key: string): string[] {
    const all = new Set<string>();
    for (const byKey of this.counts.values()) for (const v of byKey.get(key)?.keys() ?? []) all.add(v);
    return [...all].sort();
  }

  clusters(): string[] {
    return [...this.nodes.keys()].sort();
  }

  private nodesOf(cluster: string): Map<string, Labels> {
    let m = this.nodes.get(cluster);
    if (!m) this.nodes.set(cluster, (m = new Map()));
    return m;
  }

  private diff(cluster: string, before: Labels, after: Labels): NodeUnitChange[] {
    const changes: NodeUnitChange[] = [];
    for (const [key, value] of Object.entries(before)) {
      if (after[key] !== value && this.adjust(cluster, key, value, -1) === 0) {
        changes.push({ cluster, key, nodeUnit: value, present: false });
      }
    }
    for (const [key, value] of Object.entries(after)) {
      if (before[key] !== value && this.adjust(cluster, key, value, +1) === 1) {
        changes.push({ cluster, key, nodeUnit: value, present: true });
      }
    }
    return changes;
  }

  /** Adds `delta` to the count of key=value in the cluster; returns the new count. */
  private adjust(cluster: string, key: string, value: string, delta: number): number {
    let byKey = this.counts.get(cluster);
    if (!byKey) this.counts.set(cluster, (byKey = new Map()));
    let byValue = byKey.get(key);
    if (!byValue) byKey.set(key, (byValue = new Map()));
    const next = (byValue.get(value) ?? 0) + delta;
    if (next > 0) byValue.set(value, next);
    else {
      byValue.delete(value);
      if (byValue.size === 0) byKey.delete(key);
    }
    return next;
  }
}
