import { describe, expect, it } from '@jest/globals';
import { stringify } from 'yaml';
import { checkMemberKubeconfig } from './member-kubeconfig.js';
import { kubeConfigFromString, MemberKubeconfigError } from './kubeconfig.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const CA = b64('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const KEY = b64('-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----\n');
const TOKEN = 'sekret-token-value';

type Doc = Record<string, unknown>;

/** A good member kubeconfig, edited by `edit`. */
function kubeconfig(edit: (doc: { cluster: Doc; user: Doc; context: Doc; top: Doc }) => void = () => undefined) {
  const cluster: Doc = { server: 'https://10.0.0.1:6443', 'certificate-authority-data': CA };
  const user: Doc = { token: TOKEN };
  const context: Doc = { cluster: 'm1', user: 'hub@m1' };
  const top: Doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'm1', cluster }],
    users: [{ name: 'hub@m1', user }],
    contexts: [{ name: 'm1', context }],
    'current-context': 'm1',
  };
  edit({ cluster, user, context, top });
  return stringify(top);
}

const problemsOf = (text: string): string[] => {
  const result = checkMemberKubeconfig(text);
  return result.ok ? [] : result.problems;
};

describe('checkMemberKubeconfig accepts', () => {
  it('one cluster with an https server and inline CA, one user with a token, one context', () => {
    expect(checkMemberKubeconfig(kubeconfig())).toEqual({
      ok: true,
      options: {
        clusters: [{ name: 'm1', server: 'https://10.0.0.1:6443', caData: CA, skipTLSVerify: false }],
        users: [{ name: 'hub@m1', token: TOKEN }],
        contexts: [{ name: 'm1', cluster: 'm1', user: 'hub@m1' }],
        currentContext: 'm1',
      },
    });
  });

  it('inline client certificate and key, no CA (the system trust), tls-server-name, skip-tls false', () => {
    const text = kubeconfig(({ cluster, user }) => {
      delete cluster['certificate-authority-data'];
      cluster['tls-server-name'] = 'kubernetes';
      cluster['insecure-skip-tls-verify'] = false;
      delete user['token'];
      user['client-certificate-data'] = CA;
      user['client-key-data'] = KEY;
    });
    const result = checkMemberKubeconfig(text);
    expect(result.ok && result.options.users).toEqual([{ name: 'hub@m1', certData: CA, keyData: KEY }]);
    expect(result.ok && result.options.clusters[0]?.tlsServerName).toBe('kubernetes');
  });
});

describe('checkMemberKubeconfig refuses, naming the field', () => {
  it.each<[string, (d: { cluster: Doc; user: Doc; context: Doc; top: Doc }) => void, string]>([
    ['an exec plugin', ({ user }) => (user['exec'] = { command: '/bin/sh' }), 'users[0].user.exec is not allowed'],
    [
      'an auth provider',
      ({ user }) => (user['auth-provider'] = { name: 'oidc' }),
      'users[0].user.auth-provider is not allowed',
    ],
    ['a token file', ({ user }) => (user['tokenFile'] = '/etc/passwd'), 'users[0].user.tokenFile is a file path'],
    ['a token-file', ({ user }) => (user['token-file'] = '/etc/passwd'), 'users[0].user.token-file is a file path'],
    [
      'a client certificate file',
      ({ user }) => (user['client-certificate'] = '/etc/x.crt'),
      'users[0].user.client-certificate is a file path',
    ],
    ['a client key file', ({ user }) => (user['client-key'] = '/etc/x.key'), 'users[0].user.client-key is a file path'],
    [
      'a CA file',
      ({ cluster }) => (cluster['certificate-authority'] = '/etc/ca.crt'),
      'clusters[0].cluster.certificate-authority is a file path',
    ],
    [
      'a proxy',
      ({ cluster }) => (cluster['proxy-url'] = 'http://10.9.9.9:3128'),
      'clusters[0].cluster.proxy-url is not allowed',
    ],
    [
      'skipping TLS verification',
      ({ cluster }) => (cluster['insecure-skip-tls-verify'] = true),
      'clusters[0].cluster.insecure-skip-tls-verify is not allowed',
    ],
    [
      'a plain http server',
      ({ cluster }) => (cluster['server'] = 'http://10.0.0.1:8080'),
      'clusters[0].cluster.server must be an https:// URL (it is http://)',
    ],
    [
      'a server that is not a URL',
      ({ cluster }) => (cluster['server'] = 'not a url'),
      'clusters[0].cluster.server must be an https:// URL (it is not a URL)',
    ],
    ['no server', ({ cluster }) => delete cluster['server'], 'clusters[0].cluster.server is required'],
    [
      'credentials in the server URL',
      ({ cluster }) => (cluster['server'] = 'https://admin:hunter2@10.0.0.1'),
      'clusters[0].cluster.server must not carry a user name or password',
    ],
    [
      'a CA that is not PEM',
      ({ cluster }) => (cluster['certificate-authority-data'] = b64('hello')),
      'clusters[0].cluster.certificate-authority-data must be a base64-encoded PEM certificate',
    ],
    [
      'two clusters',
      ({ top }) =>
        (top['clusters'] = [...(top['clusters'] as Doc[]), { name: 'm2', cluster: { server: 'https://x' } }]),
      'clusters must have exactly one entry (it has 2 entries)',
    ],
    [
      'two contexts',
      ({ top }) => (top['contexts'] = [...(top['contexts'] as Doc[]), { name: 'm2', context: { cluster: 'm1' } }]),
      'contexts must have exactly one entry (it has 2 entries)',
    ],
    ['no users', ({ top }) => delete top['users'], 'users must have exactly one entry (it has none)'],
    ['no credential', ({ user }) => delete user['token'], 'users[0].user has no credential'],
    [
      'a certificate without its key',
      ({ user }) => (user['client-certificate-data'] = CA),
      'users[0].user needs client-certificate-data and client-key-data together',
    ],
    ['basic auth', ({ user }) => (user['password'] = 'pw'), 'users[0].user.password is not allowed'],
    ['impersonation', ({ user }) => (user['as'] = 'system:admin'), 'users[0].user.as is not allowed'],
    [
      'a context naming another cluster',
      ({ context }) => (context['cluster'] = 'elsewhere'),
      'contexts[0].context.cluster must name the cluster "m1"',
    ],
    [
      'a current-context that is not the context',
      ({ top }) => (top['current-context'] = 'other'),
      'current-context must be "m1"',
    ],
    ['an unknown top-level field', ({ top }) => (top['extra'] = 1), '"extra" is not a field the hub accepts here'],
  ])('%s', (_case, edit, fragment) => {
    const problems = problemsOf(kubeconfig(edit));
    expect(problems.join('\n')).toContain(fragment);
    expect(problems.join('\n')).not.toContain(TOKEN);
  });

  it('malformed YAML, without quoting it', () => {
    const problems = problemsOf(`clusters: [\n  token: ${TOKEN}\n  : :`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^the document is not valid YAML \(\w+ at line \d+\)$/);
    expect(problems[0]).not.toContain(TOKEN);
  });

  it('a YAML alias bomb', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 9; i++)
      lines.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(', ')}]`,
      );
    expect(problemsOf(lines.join('\n'))[0]).toMatch(/^the document is not valid YAML/);
  });

  it('a document that is not a mapping', () => {
    expect(problemsOf('- a\n- b')).toEqual([
      'the document is not a kubeconfig (a YAML mapping with clusters, users and contexts)',
    ]);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf(
      kubeconfig(({ cluster, user }) => {
        cluster['proxy-url'] = 'socks5://h:1';
        user['exec'] = { command: 'x' };
      }),
    );
    expect(problems).toHaveLength(2);
  });
});

describe('kubeConfigFromString', () => {
  it('builds a KubeConfig of the allowed fields only', () => {
    const kc = kubeConfigFromString(kubeconfig());
    expect(kc.getCurrentCluster()).toMatchObject({ server: 'https://10.0.0.1:6443', skipTLSVerify: false });
    expect(kc.getCurrentUser()).toEqual({ name: 'hub@m1', token: TOKEN });
  });

  it('never reads a token file: the check comes before client-node parses', () => {
    const text = kubeconfig(({ user }) => {
      delete user['token'];
      user['token-file'] = '/nonexistent/gridfed-never-read';
    });
    expect(() => kubeConfigFromString(text)).toThrow(MemberKubeconfigError);
    expect(() => kubeConfigFromString(text)).toThrow('users[0].user.token-file is a file path');
  });
});
