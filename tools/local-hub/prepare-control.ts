// Makes a control cluster ready for the hub, as a user following the README would:
// apply the CRDs and the hub's RBAC, then write a kubeconfig that acts as the hub's
// ServiceAccount (never the admin), so the hub runs with exactly the rights it ships with.
// Those include `create` on tokenreviews and subjectaccessreviews (deploy/hub/rbac.yaml): a
// hub with HTTP_AUTH=kubernetes asks the control cluster who calls it and what they may see.
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { kubectl } from './kubectl.js';

const HUB_NAMESPACE = 'gridfed-system';
const HUB_TOKEN_SECRET = 'gridfed-hub-token';

export async function prepareControl(controlKubeconfig: string, hubKubeconfigOut: string): Promise<void> {
  await kubectl(controlKubeconfig, 'apply', '--server-side', '--force-conflicts', '-f', resolve('deploy/crds'));
  await kubectl(controlKubeconfig, 'wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all');
  await kubectl(
    controlKubeconfig,
    'apply',
    '--server-side',
    '--force-conflicts',
    '-f',
    resolve('deploy/hub/rbac.yaml'),
  );
  const token = await waitForToken(controlKubeconfig);
  const admin = new KubeConfig();
  admin.loadFromFile(controlKubeconfig);
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error(`${controlKubeconfig}: no current cluster`);
  writeFileSync(
    hubKubeconfigOut,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'control', cluster: { server: cluster.server, 'certificate-authority-data': cluster.caData } },
      ],
      users: [{ name: 'gridfed-hub', user: { token } }],
      contexts: [{ name: 'gridfed-hub@control', context: { cluster: 'control', user: 'gridfed-hub' } }],
      'current-context': 'gridfed-hub@control',
    }),
    { mode: 0o600 },
  );
}

async function waitForToken(controlKubeconfig: string): Promise<string> {
  const kc = new KubeConfig();
  kc.loadFromFile(controlKubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const secret = await core.readNamespacedSecret({ name: HUB_TOKEN_SECRET, namespace: HUB_NAMESPACE });
    const token = secret.data?.['token'];
    if (token) return Buffer.from(token, 'base64').toString('utf8');
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${HUB_NAMESPACE}/${HUB_TOKEN_SECRET} has no token after 30 s (is the controller-manager running?)`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, ''))) {
  const [controlKubeconfig, out] = process.argv.slice(2);
  if (!controlKubeconfig || !out) {
    process.stderr.write('usage: prepare-control.ts <control kubeconfig> <hub kubeconfig to write>\n');
    process.exit(2);
  }
  prepareControl(controlKubeconfig, out).then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
