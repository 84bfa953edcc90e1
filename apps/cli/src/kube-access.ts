// How the CLI reaches clusters: which kubeconfig, which context, and typed clients whose
// every request has a deadline (an unreachable apiserver fails the command, never hangs it).
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  RbacAuthorizationV1Api,
  VersionApi,
} from '@kubernetes/client-node';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describeError, makeClient } from '#gridfed/kube';
import { CliError } from './cli-output.js';

/** Deadline of one ordinary request. */
export const REQUEST_TIMEOUT_MS = 15_000;
/** Deadline of the reachability probe: a member that does not answer /version in this is unreachable. */
export const PROBE_TIMEOUT_MS = 5_000;

export interface CliClients {
  /** For messages: `control`, or the member's name. */
  cluster: string;
  server: string;
  core: CoreV1Api;
  apps: AppsV1Api;
  rbac: RbacAuthorizationV1Api;
  custom: CustomObjectsApi;
}

export function cliClients(kc: KubeConfig, cluster: string, timeoutMs = REQUEST_TIMEOUT_MS): CliClients {
  const options = { cluster, timeoutMs };
  return {
    cluster,
    server: kc.getCurrentCluster()?.server ?? '',
    core: makeClient(kc, CoreV1Api, options),
    apps: makeClient(kc, AppsV1Api, options),
    rbac: makeClient(kc, RbacAuthorizationV1Api, options),
    custom: makeClient(kc, CustomObjectsApi, options),
  };
}

/** The control cluster: `--control-kubeconfig`, else $KUBECONFIG, else ~/.kube/config (never in-cluster guessing). */
export function loadControlKubeConfig(path: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  const fromEnv = process.env['KUBECONFIG'];
  const home = join(homedir(), '.kube', 'config');
  const source = path ?? fromEnv ?? home;
  if (!path && !fromEnv && !existsSync(home)) {
    throw new CliError(`control cluster: no kubeconfig (pass --control-kubeconfig, set KUBECONFIG or create ${home})`);
  }
  try {
    if (path) kc.loadFromFile(path);
    else if (fromEnv) kc.loadFromDefault();
    else kc.loadFromFile(home);
  } catch (err) {
    throw new CliError(`control cluster: kubeconfig ${source}: ${unreadableReason(err)}`);
  }
  if (!kc.getCurrentCluster()) {
    throw new CliError(`control cluster: kubeconfig ${source} has no current context with a cluster`);
  }
  return kc;
}

/** Why a kubeconfig did not load, without the parser's message: it may quote the file, and so credentials. */
function unreadableReason(err: unknown): string {
  return (err as { code?: unknown }).code === 'ENOENT' ? 'no such file' : 'not a readable kubeconfig';
}

/** The member's admin kubeconfig, switched to `context` when given (a missing one lists those there are). */
export function loadMemberKubeConfig(path: string, context: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(path);
  } catch (err) {
    throw new CliError(`member kubeconfig ${path}: ${unreadableReason(err)}`);
  }
  if (context !== undefined) {
    const known = kc.getContexts().map((c) => c.name);
    if (!known.includes(context)) {
      throw new CliError(
        `member kubeconfig ${path} has no context "${context}" (it has: ${known.join(', ') || 'none'})`,
      );
    }
    kc.setCurrentContext(context);
  }
  if (!kc.getCurrentCluster()) {
    throw new CliError(`member kubeconfig ${path}: the current context "${kc.getCurrentContext()}" has no cluster`);
  }
  return kc;
}

/** Asks the cluster for its version within PROBE_TIMEOUT_MS; a CliError names the server when it does not answer. */
export async function probeVersion(kc: KubeConfig, what: string): Promise<string> {
  const server = kc.getCurrentCluster()?.server ?? '?';
  const version = makeClient(kc, VersionApi, { cluster: what, timeoutMs: PROBE_TIMEOUT_MS });
  try {
    const info = await version.getCode();
    return info.gitVersion;
  } catch (err) {
    throw new CliError(`${what} at ${server} is not reachable: ${describeError(err)}`);
  }
}

/** The base64 CA the kubeconfig trusts for its current cluster (inline, or read from its file). */
export function kubeconfigCaData(kc: KubeConfig): string | undefined {
  const cluster = kc.getCurrentCluster();
  if (cluster?.caData) return cluster.caData;
  if (cluster?.caFile) return readFileSync(cluster.caFile).toString('base64');
  return undefined;
}
