// Certificates and keys for one local cluster: a CA, the apiserver's serving
// certificate, the service-account signing key and an admin bearer token.
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ClusterPki {
  caCertFile: string;
  caKeyFile: string;
  servingCertFile: string;
  servingKeyFile: string;
  serviceAccountKeyFile: string;
  serviceAccountPubFile: string;
  tokenFile: string;
  adminToken: string;
}

/** Subject alternative names the serving certificate covers: loopback and the in-cluster names. */
const SERVING_SANS = [
  'IP:127.0.0.1',
  'IP:10.96.0.1',
  'DNS:localhost',
  'DNS:kubernetes',
  'DNS:kubernetes.default',
  'DNS:kubernetes.default.svc',
  'DNS:kubernetes.default.svc.cluster.local',
].join(',');

/** Creates the PKI in `dir` unless it is already there, so a restarted cluster keeps its identity. */
export async function ensurePki(dir: string, clusterName: string): Promise<ClusterPki> {
  const pki: ClusterPki = {
    caCertFile: join(dir, 'ca.crt'),
    caKeyFile: join(dir, 'ca.key'),
    servingCertFile: join(dir, 'apiserver.crt'),
    servingKeyFile: join(dir, 'apiserver.key'),
    serviceAccountKeyFile: join(dir, 'sa.key'),
    serviceAccountPubFile: join(dir, 'sa.pub'),
    tokenFile: join(dir, 'tokens.csv'),
    adminToken: '',
  };
  if (!existsSync(pki.tokenFile)) await createPki(pki, clusterName);
  pki.adminToken = (await readFile(pki.tokenFile, 'utf8')).split(',')[0] ?? '';
  return pki;
}

async function createPki(pki: ClusterPki, clusterName: string): Promise<void> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '3650'];
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    pki.caKeyFile,
    '-out',
    pki.caCertFile,
    '-subj',
    `/CN=gridfed-local-ca-${clusterName}`,
  ]);
  await run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    pki.servingKeyFile,
    '-out',
    pki.servingCertFile,
    '-subj',
    '/CN=kube-apiserver',
    '-addext',
    `subjectAltName=${SERVING_SANS}`,
    '-addext',
    'basicConstraints=critical,CA:FALSE',
    '-addext',
    'extendedKeyUsage=serverAuth',
    '-CA',
    pki.caCertFile,
    '-CAkey',
    pki.caKeyFile,
  ]);
  // ECDSA: generated in milliseconds, where RSA would cost a second of CPU per cluster.
  const sa = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  await writeFile(pki.serviceAccountKeyFile, sa.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  await writeFile(pki.serviceAccountPubFile, sa.publicKey.export({ type: 'spki', format: 'pem' }));
  const token = randomBytes(24).toString('hex');
  await writeFile(pki.tokenFile, `${token},gridfed-admin,gridfed-admin,"system:masters"\n`, { mode: 0o600 });
}
