// The credentials an e2e run made (ServiceAccount tokens, kubeconfig tokens and client
// keys, the clusters' private keys), gathered into one file under the test fleet's root so
// that the scan at the end of the run (credential-scan.ts) can look for each of them in
// everything the hub said. Tokens are revoked and renewed during the run, so suites add
// what exists when they end, and the scan adds what exists at the end.
import { CoreV1Api, KubeConfig, type V1Secret } from '@kubernetes/client-node';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const CREDENTIALS_FILE = 'credentials.txt';

/** Shorter than this, a value is not worth scanning for (it would match by chance). */
const MIN_LENGTH = 24;

/** The secret parts of a kubeconfig's users: tokens and inline client keys. */
export function kubeconfigCredentials(text: string): string[] {
  const config = (parse(text) ?? {}) as { users?: { user?: Record<string, unknown> }[] };
  const out: string[] = [];
  for (const { user } of config.users ?? []) {
    for (const field of ['token', 'client-key-data', 'password']) {
      const value = user?.[field];
      if (typeof value === 'string') out.push(value);
    }
    const key = user?.['client-key-data'];
    if (typeof key === 'string') out.push(...pemCredentials(Buffer.from(key, 'base64').toString('utf8')));
  }
  return out;
}

/** A private key's PEM text and its lines of base64 (a log may show it wrapped or unwrapped). */
export function pemCredentials(pem: string): string[] {
  if (!/PRIVATE KEY-----/.test(pem)) return [];
  const body = pem
    .split('\n')
    .filter((line) => line && !line.startsWith('-----'))
    .map((line) => line.trim());
  return [body.join(''), ...body.filter((line) => line.length >= MIN_LENGTH)];
}

/** The secret values a Secret holds: tokens, kubeconfig credentials, keys. */
export function secretCredentials(secret: V1Secret): string[] {
  const out: string[] = [];
  for (const [key, encoded] of Object.entries(secret.data ?? {})) {
    const value = Buffer.from(encoded, 'base64').toString('utf8');
    if (key === 'token') out.push(value);
    else if (key === 'kubeconfig') out.push(...kubeconfigCredentials(value));
    else if (/key/i.test(key)) out.push(value, ...pemCredentials(value));
  }
  return out;
}

/** Every credential held in a cluster's Secrets (read as its admin). */
export async function clusterCredentials(adminKubeconfig: string): Promise<string[]> {
  const kc = new KubeConfig();
  kc.loadFromFile(adminKubeconfig);
  const secrets = await kc.makeApiClient(CoreV1Api).listSecretForAllNamespaces();
  return secrets.items.flatMap(secretCredentials);
}

/** The fleet's clusters under `root` that have a kubeconfig (control, member-1, ...). */
export function fleetKubeconfigs(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'kubeconfig')))
    .map((d) => join(root, d.name, 'kubeconfig'));
}

/** Adds credentials to the run's list. */
export function recordCredentials(root: string, values: string[]): void {
  const kept = values.filter((v) => v.length >= MIN_LENGTH);
  if (kept.length) appendFileSync(join(root, CREDENTIALS_FILE), kept.map((v) => JSON.stringify(v)).join('\n') + '\n');
}

/** Adds what every running cluster of the fleet holds now; a stopped cluster is skipped. */
export async function recordFleetCredentials(root: string): Promise<void> {
  for (const kubeconfig of fleetKubeconfigs(root)) {
    const values = await clusterCredentials(kubeconfig).catch(() => []);
    recordCredentials(root, [...values, ...kubeconfigCredentials(readFileSync(kubeconfig, 'utf8'))]);
  }
}

export function recordedCredentials(root: string): Set<string> {
  const file = join(root, CREDENTIALS_FILE);
  if (!existsSync(file)) return new Set();
  return new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as string),
  );
}

/** Something the hub or the CLI said, and where. */
export interface Haystack {
  place: string;
  text: string;
}

/** Each place a credential appears in, as "<place>: credential sha256:<prefix>" (never the credential). */
export function findCredentials(haystacks: Haystack[], credentials: Iterable<string>): string[] {
  const found: string[] = [];
  const list = [...credentials];
  for (const { place, text } of haystacks)
    for (const credential of list)
      if (text.includes(credential)) found.push(`${place}: credential sha256:${fingerprint(credential)}`);
  return found;
}

const fingerprint = (value: string): string => createHash('sha256').update(value).digest('hex').slice(0, 12);
