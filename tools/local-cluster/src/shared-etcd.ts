// One etcd for several light clusters: each kube-apiserver keeps its objects under its
// own --etcd-prefix, so the clusters stay separate APIs while paying for one etcd.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeBinaries } from './binaries.js';
import { etcdArgs } from './component-args.js';
import type { SharedEtcdRef } from './local-cluster.js';
import { freePort, waitHealthy } from './net.js';
import { ComponentProcess } from './process.js';

export class SharedEtcd implements SharedEtcdRef {
  private readonly process: ComponentProcess;

  private constructor(
    readonly dir: string,
    readonly clientPort: number,
    peerPort: number,
    bin: KubeBinaries,
  ) {
    this.process = new ComponentProcess({
      name: 'etcd',
      dir,
      binary: bin.etcd,
      args: etcdArgs('shared-etcd', dir, { etcdClient: clientPort, etcdPeer: peerPort }),
    });
  }

  /** A fresh etcd in `<root>/<folder>`; its pid file sits there, so stopLeftovers(root) stops it too. */
  static async start(root: string, bin: KubeBinaries, folder = 'shared-etcd'): Promise<SharedEtcd> {
    const dir = join(root, folder);
    mkdirSync(dir, { recursive: true });
    const etcd = new SharedEtcd(dir, await freePort(), await freePort(), bin);
    etcd.process.start();
    await waitHealthy(
      `${folder}/etcd`,
      { url: `http://127.0.0.1:${etcd.clientPort}/health` },
      30_000,
      () => !etcd.process.isRunning(),
    );
    return etcd;
  }

  /** Each cluster's key space: /clusters/<name>/ (the apiserver's default is /registry). */
  prefixOf(cluster: string): string {
    return `/clusters/${cluster}`;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  detach(): void {
    this.process.detach();
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}
