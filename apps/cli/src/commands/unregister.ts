// `gridfed unregister <name>`: removes from the member everything gridfed created there
// (unless --orphan), then the member's Secret and MemberCluster from the control cluster.
// The member is reached with the hub's own kubeconfig from that Secret: no admin needed.
import type { KubeConfig } from '@kubernetes/client-node';
import { Command } from 'commander';
import { DEFAULT_HUB_NAMESPACE, KUBECONFIG_SECRET_KEY, type MemberCluster } from '#gridfed/cluster-registry';
import { kubeConfigFromString, MemberKubeconfigError } from '#gridfed/kube';
import { action, CliError, consoleOutput, step, type Output } from '../cli-output.js';
import { deleteMemberCluster, readMemberCluster, requireMemberClusterApi } from '../control-store.js';
import { cliClients, loadControlKubeConfig, probeVersion, type CliClients } from '../kube-access.js';
import { deleteIfPresent, readIfPresent } from '../kube-steps.js';
import { cleanMember } from '../member-cleanup.js';

export interface UnregisterOptions {
  orphan?: boolean;
  controlKubeconfig?: string;
}

export function unregisterCommand(): Command {
  return new Command('unregister')
    .description('unregister a member cluster: remove what gridfed created there, then its registration')
    .argument('<name>', 'member cluster name')
    .option('--orphan', 'leave the member untouched (its workloads and the hub agent stay)')
    .option('--control-kubeconfig <file>', 'control cluster kubeconfig (default: $KUBECONFIG, else ~/.kube/config)')
    .action(action((name: string, opts: UnregisterOptions) => unregister(name, opts, consoleOutput)));
}

export async function unregister(name: string, opts: UnregisterOptions, out: Output): Promise<void> {
  const control = cliClients(loadControlKubeConfig(opts.controlKubeconfig), 'control');
  await requireMemberClusterApi(control);
  const mc = await readMemberCluster(control, name);
  if (!mc) {
    throw new CliError(
      `MemberCluster "${name}" is not registered in the control cluster at ${control.server} ("gridfed clusters" lists those that are)`,
    );
  }
  const ref = secretRefOf(mc);
  if (opts.orphan) {
    out.done(`--orphan: member ${name} is left as it is`);
  } else {
    await cleanMemberOf(control, name, ref, out);
  }
  const removed = await step(`control cluster: delete Secret ${ref.namespace}/${ref.name}`, () =>
    deleteIfPresent(() => control.core.deleteNamespacedSecret({ namespace: ref.namespace, name: ref.name })),
  );
  out.done(`control: ${removed ? 'deleted' : 'no'} Secret ${ref.namespace}/${ref.name}`);
  await deleteMemberCluster(control, name);
  out.done(`control: deleted MemberCluster ${name}`);
  out.line(`unregistered member cluster ${name}`);
}

/** Cleans the member through the hub's kubeconfig; any failure keeps the registration for a retry. */
async function cleanMemberOf(control: CliClients, member: string, secretRef: SecretRef, out: Output): Promise<void> {
  const kubeconfig = await readMemberKubeconfig(control, member, secretRef);
  const server = kubeconfig.getCurrentCluster()?.server ?? '?';
  try {
    const version = await probeVersion(kubeconfig, `member ${member}`);
    out.done(`member ${member} at ${server} is reachable (Kubernetes ${version})`);
    await cleanMember(cliClients(kubeconfig, member), out);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new CliError(
      `${reason}\nthe registration is kept; run unregister again once that is fixed, or pass --orphan to leave the member as it is`,
      { cause: err },
    );
  }
}

interface SecretRef {
  name: string;
  namespace: string;
  key: string;
}

function secretRefOf(mc: MemberCluster): SecretRef {
  const ref = mc.spec?.secretRef;
  return {
    name: ref?.name ?? '',
    namespace: ref?.namespace ?? DEFAULT_HUB_NAMESPACE,
    key: ref?.key ?? KUBECONFIG_SECRET_KEY,
  };
}

async function readMemberKubeconfig(control: CliClients, member: string, ref: SecretRef): Promise<KubeConfig> {
  const where = `Secret ${ref.namespace}/${ref.name} of MemberCluster ${member}`;
  const hint = 'pass --orphan to unregister without cleaning the member';
  const secret = await step(`control cluster: read ${where}`, () =>
    readIfPresent(() => control.core.readNamespacedSecret({ namespace: ref.namespace, name: ref.name })),
  );
  const data = secret?.data?.[ref.key];
  if (!data) throw new CliError(`${where} ${secret ? `has no key "${ref.key}"` : 'does not exist'}: ${hint}`);
  try {
    return kubeConfigFromString(Buffer.from(data, 'base64').toString('utf8'));
  } catch (err) {
    // Only the checker's problems: they name fields and never quote a value (the token).
    const why = err instanceof MemberKubeconfigError ? err.message : 'it is not a usable kubeconfig';
    throw new CliError(`${where} key "${ref.key}": ${why}: ${hint}`);
  }
}
