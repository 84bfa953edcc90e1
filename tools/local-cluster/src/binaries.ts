// Where the control-plane binaries live, building them first when they are missing.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface KubeBinaries {
  dir: string;
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kwok: string;
  kubectl: string;
  /** kwok's stages (node initialize and heartbeat, pod ready/complete/delete), from the kwok module. */
  kwokStages: string;
}

const buildScript = join(dirname(fileURLToPath(import.meta.url)), '..', 'build-kube-bin.sh');

export function binariesIn(dir: string): KubeBinaries {
  return {
    dir,
    etcd: join(dir, 'etcd'),
    kubeApiserver: join(dir, 'kube-apiserver'),
    kubeControllerManager: join(dir, 'kube-controller-manager'),
    kubeScheduler: join(dir, 'kube-scheduler'),
    kwok: join(dir, 'kwok'),
    kubectl: join(dir, 'kubectl'),
    kwokStages: join(dir, 'kwok-stages.yaml'),
  };
}

/**
 * Runs the build script (a no-op when the cache is warm) and returns the binaries.
 * GRIDFED_KUBE_BIN points at a prepared folder instead.
 */
export function ensureKubeBinaries(): KubeBinaries {
  const preset = process.env['GRIDFED_KUBE_BIN'];
  if (preset) return binariesIn(preset);
  const dir = runBuildScript();
  process.env['GRIDFED_KUBE_BIN'] = dir;
  return binariesIn(dir);
}

/**
 * The fleet's binaries with the kube-apiserver of the Kubernetes minor version before the
 * fleet's (tools/local-cluster/kube-previous), built on first use: a member cluster on
 * another version than the control cluster.
 */
export function previousMinorBinaries(): KubeBinaries {
  const dir = runBuildScript('previous');
  return { ...ensureKubeBinaries(), kubeApiserver: join(dir, 'kube-apiserver') };
}

/** Runs the build script (a no-op when the cache is warm); returns the folder it printed last. */
function runBuildScript(...args: string[]): string {
  const out = execFileSync('bash', [buildScript, ...args], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  const dir = out.trim().split('\n').pop() ?? '';
  if (!dir) throw new Error(`${buildScript} ${args.join(' ')} did not print the binaries folder`);
  return dir;
}
