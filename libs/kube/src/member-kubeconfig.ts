// A member's kubeconfig comes from a Secret in the control cluster: untrusted input. A
// kubeconfig can make its client run a program (exec, auth-provider), read local files
// (token-file, client-certificate, client-key, certificate-authority) or send everything
// through another host (proxy-url). The hub accepts only what needs none of that: one
// cluster at an https:// server (CA inline, or the system's), one user with an inline token
// or an inline client certificate and key, one context joining them. Everything is checked
// on the parsed document before client-node sees it (its parser reads token-file at once).
// Problems name the field and never quote a value that could be a credential.
import type { Cluster, Context, User } from '@kubernetes/client-node';
import { parseDocument } from 'yaml';

/** What client-node's KubeConfig.loadFromOptions takes, built only from allowed fields. */
export interface MemberKubeconfigOptions {
  clusters: Cluster[];
  users: User[];
  contexts: Context[];
  currentContext: string;
}

export type MemberKubeconfigCheck = { ok: true; options: MemberKubeconfigOptions } | { ok: false; problems: string[] };

type Doc = Record<string, unknown>;

const TOP_LEVEL = ['apiVersion', 'kind', 'clusters', 'users', 'contexts', 'current-context', 'preferences'];
const CLUSTER_FIELDS = ['server', 'certificate-authority-data', 'tls-server-name', 'insecure-skip-tls-verify'];
const USER_FIELDS = ['token', 'client-certificate-data', 'client-key-data'];
const CONTEXT_FIELDS = ['cluster', 'user', 'namespace'];

/** Fields refused for what they would make the hub do. */
const REFUSED: Record<string, string> = {
  'certificate-authority':
    'is a file path: the hub never reads local files for a member (use certificate-authority-data)',
  'proxy-url': 'is not allowed: the hub talks only to the apiserver the kubeconfig names',
  exec: 'is not allowed: the hub never runs a program for a member (use a ServiceAccount token)',
  'auth-provider': 'is not allowed: auth providers run programs or read files (use a ServiceAccount token)',
  tokenFile: 'is a file path: the hub never reads local files for a member (use token)',
  'token-file': 'is a file path: the hub never reads local files for a member (use token)',
  'client-certificate': 'is a file path: the hub never reads local files for a member (use client-certificate-data)',
  'client-key': 'is a file path: the hub never reads local files for a member (use client-key-data)',
  username: 'is not allowed: basic authentication is not supported (use token)',
  password: 'is not allowed: basic authentication is not supported (use token)',
  as: 'is not allowed: the hub does not impersonate',
  'as-groups': 'is not allowed: the hub does not impersonate',
  'as-uid': 'is not allowed: the hub does not impersonate',
  'as-user-extra': 'is not allowed: the hub does not impersonate',
};

const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Checks a kubeconfig document from a member Secret; `options` holds only the allowed fields. */
export function checkMemberKubeconfig(text: string): MemberKubeconfigCheck {
  const parsed = parseYaml(text);
  if (typeof parsed === 'string') return { ok: false, problems: [parsed] };
  const problems: string[] = [];
  const cluster = checkCluster(parsed, problems);
  const user = checkUser(parsed, problems);
  const context = checkContext(parsed, cluster?.name, user?.name, problems);
  for (const key of Object.keys(parsed)) if (!TOP_LEVEL.includes(key)) problems.push(unknownField(key, TOP_LEVEL));
  if (problems.length > 0 || !cluster || !user || !context) return { ok: false, problems };
  return {
    ok: true,
    options: { clusters: [cluster], users: [user], contexts: [context], currentContext: context.name },
  };
}

function parseYaml(text: string): Doc | string {
  // Aliases are capped by the parser (no billion laughs); its messages may quote the text: say only where.
  const doc = parseDocument(text, { uniqueKeys: true });
  const first = doc.errors[0];
  if (first) return `the document is not valid YAML (${first.code} at line ${first.linePos?.[0].line ?? '?'})`;
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch {
    return 'the document is not valid YAML (too many aliases)';
  }
  return isObject(value)
    ? value
    : 'the document is not a kubeconfig (a YAML mapping with clusters, users and contexts)';
}

/** The one entry of a list field, with its `name` and its `inner` mapping. */
function single(doc: Doc, list: string, inner: string, problems: string[]): { name: string; body: Doc } | undefined {
  const entries = doc[list];
  if (!Array.isArray(entries) || entries.length !== 1) {
    const count = Array.isArray(entries) ? `${entries.length} entries` : 'none';
    problems.push(`${list} must have exactly one entry (it has ${count})`);
    return undefined;
  }
  const entry: unknown = entries[0];
  if (!isObject(entry) || !isText(entry['name'])) {
    problems.push(`${list}[0].name is required`);
    return undefined;
  }
  const body = entry[inner];
  if (!isObject(body)) {
    problems.push(`${list}[0].${inner} is required`);
    return undefined;
  }
  return { name: entry['name'], body };
}

function checkFields(body: Doc, path: string, allowed: string[], problems: string[]): void {
  for (const key of Object.keys(body)) {
    if (REFUSED[key]) problems.push(`${path}.${key} ${REFUSED[key]}`);
    else if (!allowed.includes(key)) problems.push(`${path}.${unknownField(key, allowed)}`);
  }
}

function unknownField(key: string, allowed: string[]): string {
  return `${JSON.stringify(key).slice(0, 80)} is not a field the hub accepts here (allowed: ${allowed.join(', ')})`;
}

function checkCluster(doc: Doc, problems: string[]): Cluster | undefined {
  const found = single(doc, 'clusters', 'cluster', problems);
  if (!found) return undefined;
  const { name, body } = found;
  const before = problems.length;
  checkFields(body, 'clusters[0].cluster', CLUSTER_FIELDS, problems);
  const server = serverProblem(body['server']);
  if (server) problems.push(`clusters[0].cluster.server ${server}`);
  if (body['insecure-skip-tls-verify'] !== undefined && body['insecure-skip-tls-verify'] !== false) {
    problems.push(
      `clusters[0].cluster.insecure-skip-tls-verify is not allowed: the hub verifies the member's certificate`,
    );
  }
  const ca = body['certificate-authority-data'];
  if (ca !== undefined && !isPem(ca, 'CERTIFICATE')) {
    problems.push('clusters[0].cluster.certificate-authority-data must be a base64-encoded PEM certificate');
  }
  const tlsServerName = body['tls-server-name'];
  if (tlsServerName !== undefined && !isText(tlsServerName)) {
    problems.push('clusters[0].cluster.tls-server-name must be a host name');
  }
  if (problems.length > before) return undefined;
  return {
    name,
    server: String(body['server']).replace(/\/$/, ''),
    skipTLSVerify: false,
    ...(isText(ca) ? { caData: ca } : {}),
    ...(isText(tlsServerName) ? { tlsServerName } : {}),
  };
}

function serverProblem(server: unknown): string | undefined {
  if (!isText(server)) return 'is required (an https:// URL)';
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return 'must be an https:// URL (it is not a URL)';
  }
  if (url.protocol !== 'https:') return `must be an https:// URL (it is ${url.protocol}//)`;
  // user:password@ in a URL is a credential the hub would send along: refuse, and never echo it.
  if (url.username || url.password) return 'must not carry a user name or password';
  return undefined;
}

function isPem(value: unknown, label: string): boolean {
  if (!isText(value) || !/^[A-Za-z0-9+/=\s]+$/.test(value)) return false;
  return Buffer.from(value, 'base64').toString('utf8').includes(`-----BEGIN ${label}`);
}

function checkUser(doc: Doc, problems: string[]): User | undefined {
  const found = single(doc, 'users', 'user', problems);
  if (!found) return undefined;
  const { name, body } = found;
  const before = problems.length;
  checkFields(body, 'users[0].user', USER_FIELDS, problems);
  const token = body['token'];
  const cert = body['client-certificate-data'];
  const key = body['client-key-data'];
  if (token !== undefined && !isText(token)) problems.push('users[0].user.token must be a non-empty string');
  if ((cert === undefined) !== (key === undefined)) {
    problems.push('users[0].user needs client-certificate-data and client-key-data together');
  } else if (cert !== undefined && (!isPem(cert, 'CERTIFICATE') || !isPem(key, ''))) {
    problems.push('users[0].user.client-certificate-data and client-key-data must be base64-encoded PEM');
  }
  if (token === undefined && cert === undefined && problems.length === before) {
    problems.push('users[0].user has no credential: give token, or client-certificate-data and client-key-data');
  }
  if (problems.length > before) return undefined;
  return {
    name,
    ...(isText(token) ? { token } : {}),
    ...(cert ? { certData: String(cert), keyData: String(key) } : {}),
  };
}

function checkContext(
  doc: Doc,
  cluster: string | undefined,
  user: string | undefined,
  problems: string[],
): Context | undefined {
  const found = single(doc, 'contexts', 'context', problems);
  if (!found) return undefined;
  const { name, body } = found;
  const before = problems.length;
  checkFields(body, 'contexts[0].context', CONTEXT_FIELDS, problems);
  if (cluster !== undefined && body['cluster'] !== cluster) {
    problems.push(`contexts[0].context.cluster must name the cluster "${cluster}"`);
  }
  if (user !== undefined && body['user'] !== user)
    problems.push(`contexts[0].context.user must name the user "${user}"`);
  const current = doc['current-context'];
  if (current !== undefined && current !== name) problems.push(`current-context must be "${name}", the one context`);
  if (problems.length > before || cluster === undefined || user === undefined) return undefined;
  return { name, cluster, user };
}
