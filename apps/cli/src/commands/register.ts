// `gridfed register <name> --kubeconfig <member kubeconfig>`: installs the hub's
// least-privilege agent in the member, stores a kubeconfig with the agent's token (never
// the admin's credentials) in the control cluster, and creates the MemberCluster.
// Any failure undoes what this run created, in the member and in the control cluster.
import { Command } from 'commander';
import { DEFAULT_HUB_NAMESPACE, MEMBER_AGENT_NAMESPACE, MEMBER_AGENT_SERVICE_ACCOUNT } from '#gridfed/cluster-registry';
import { action, CliError, consoleOutput, type Output } from '../cli-output.js';
import { renewRegistration, requireFreeName, storeRegistration } from '../control-store.js';
import {
  cliClients,
  kubeconfigCaData,
  loadControlKubeConfig,
  loadMemberKubeConfig,
  probeVersion,
} from '../kube-access.js';
import { agentKubeconfig } from '../member-kubeconfig.js';
import { installAgent, verifyAgentAccess } from '../member-install.js';
import { dnsLabelError } from '../registration.js';
import { UndoLog, type UndoReport } from '../undo.js';

const AGENT_IDENTITY = `${MEMBER_AGENT_NAMESPACE}/${MEMBER_AGENT_SERVICE_ACCOUNT}`;

export interface RegisterOptions {
  kubeconfig: string;
  context?: string;
  controlKubeconfig?: string;
  namespace: string;
  description?: string;
  /** The member is registered; its token was revoked or expired: install what is missing, store new credentials. */
  renewCredentials?: boolean;
  /** Opt in to node management: the agent may patch nodes, and the MemberCluster says so (spec.manageNodes). */
  manageNodes?: boolean;
  /** Opt in to Secret copies of Secret SiteConfigs: the agent may write Secrets by name (spec.manageSecrets). */
  manageSecrets?: boolean;
}

export function registerCommand(): Command {
  return new Command('register')
    .description('register a member cluster: install the hub agent there and record it in the control cluster')
    .argument('<name>', 'member cluster name (a DNS label)')
    .requiredOption('--kubeconfig <file>', "the member's kubeconfig, with rights to create RBAC objects there")
    .option('--context <context>', 'context of the member kubeconfig (default: its current context)')
    .option('--control-kubeconfig <file>', 'control cluster kubeconfig (default: $KUBECONFIG, else ~/.kube/config)')
    .option('--namespace <namespace>', "the hub's namespace in the control cluster", DEFAULT_HUB_NAMESPACE)
    .option('--description <text>', 'a note kept in the MemberCluster spec')
    .option(
      '--renew-credentials',
      'the member is registered but its token was revoked or expired: issue a new one, keep everything else',
    )
    .option(
      '--manage-nodes',
      "let the hub patch the member's nodes: fed NodeUnits set labels, annotations and taints on them",
    )
    .option(
      '--manage-secrets',
      'let the hub write the Secret copies of Secret SiteConfigs there (get, create, patch, delete by name; no list or watch)',
    )
    .action(action((name: string, opts: RegisterOptions) => register(name, opts, consoleOutput)));
}

export async function register(name: string, opts: RegisterOptions, out: Output): Promise<void> {
  const invalid = dnsLabelError('member cluster name', name) ?? dnsLabelError('namespace', opts.namespace);
  if (invalid) throw new CliError(invalid);
  const memberKc = loadMemberKubeConfig(opts.kubeconfig, opts.context);
  const memberCluster = memberKc.getCurrentCluster();
  if (!memberCluster) throw new CliError(`member kubeconfig ${opts.kubeconfig}: no current cluster`);
  if (memberCluster.proxyUrl) {
    throw new CliError(
      `member kubeconfig ${opts.kubeconfig}: cluster "${memberCluster.name}" has proxy-url; the hub reaches members ` +
        `directly and refuses a proxy in a member Secret (register from where the apiserver is reachable directly)`,
    );
  }
  out.done(
    `member kubeconfig ${opts.kubeconfig}: context "${memberKc.getCurrentContext()}", server ${memberCluster.server}`,
  );
  const version = await probeVersion(memberKc, `member ${name}`);
  out.done(`member ${name} at ${memberCluster.server} is reachable (Kubernetes ${version})`);
  const control = cliClients(loadControlKubeConfig(opts.controlKubeconfig), 'control');
  if (!opts.renewCredentials) {
    await requireFreeName(control, name, opts.namespace);
    out.done(`the name "${name}" is free in the control cluster at ${control.server}`);
  }

  const undo = new UndoLog();
  try {
    const credentials = await installAgent(cliClients(memberKc, name), undo, out, {
      manageNodes: opts.manageNodes,
      manageSecrets: opts.manageSecrets,
    });
    const kubeconfig = agentKubeconfig({
      member: name,
      cluster: memberCluster,
      caData: kubeconfigCaData(memberKc) ?? credentials.caData,
      token: credentials.token,
    });
    await verifyAgentAccess(name, kubeconfig, out);
    const registration = {
      name,
      namespace: opts.namespace,
      kubeconfig,
      description: opts.description,
      manageNodes: opts.manageNodes,
      manageSecrets: opts.manageSecrets,
    };
    if (opts.renewCredentials) await renewRegistration(control, registration, out);
    else await storeRegistration(control, registration, undo, out);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new CliError(`register ${name} failed: ${reason}${rollbackSummary(await undo.undoAll())}`, { cause: err });
  }
  out.line(`registered member cluster ${name}: the hub reaches it as ServiceAccount ${AGENT_IDENTITY}`);
}

function rollbackSummary(report: UndoReport): string {
  const lines: string[] = [];
  if (report.undone.length === 0 && report.failed.length === 0) lines.push('nothing had been created; nothing changed');
  if (report.undone.length > 0) lines.push(`rolled back (deleted): ${report.undone.join('; ')}`);
  if (report.failed.length > 0) lines.push(`could NOT roll back, delete by hand: ${report.failed.join('; ')}`);
  return `\n${lines.join('\n')}`;
}
