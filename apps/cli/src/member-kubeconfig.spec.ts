import { describe, expect, it } from '@jest/globals';
import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { checkMemberKubeconfig } from '#gridfed/kube';
import { agentKubeconfig } from './member-kubeconfig.js';

const ADMIN_TOKEN = 'admin-token-0123456789';
const ADMIN_CERT = Buffer.from('ADMIN CLIENT CERT').toString('base64');
const ADMIN_KEY = Buffer.from('ADMIN CLIENT KEY').toString('base64');
const CA = Buffer.from('-----BEGIN CERTIFICATE-----\nMEMBER CA\n-----END CERTIFICATE-----\n').toString('base64');
const AGENT_TOKEN = 'agent-token-abcdef';

/** A member admin kubeconfig with every kind of credential a user may have. */
function adminKubeConfig(extra: Record<string, unknown> = {}): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'edge',
          cluster: { server: 'https://10.0.0.1:6443', 'certificate-authority-data': CA, ...extra },
        },
      ],
      users: [
        {
          name: 'admin',
          user: { token: ADMIN_TOKEN, 'client-certificate-data': ADMIN_CERT, 'client-key-data': ADMIN_KEY },
        },
      ],
      contexts: [{ name: 'admin@edge', context: { cluster: 'edge', user: 'admin' } }],
      'current-context': 'admin@edge',
    }),
  );
  return kc;
}

function build(kc: KubeConfig): string {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('test kubeconfig has no cluster');
  return agentKubeconfig({ member: 'member-1', cluster, caData: CA, token: AGENT_TOKEN });
}

describe('agentKubeconfig', () => {
  it("carries the agent's token and none of the admin credentials it was built from", () => {
    const text = build(adminKubeConfig());
    expect(text).toContain(AGENT_TOKEN);
    expect(text).not.toContain(ADMIN_TOKEN);
    expect(text).not.toContain(ADMIN_CERT);
    expect(text).not.toContain(ADMIN_KEY);
    expect(text).not.toMatch(/client-certificate|client-key|password|exec|auth-provider/);
  });

  it('is a kubeconfig client-node reads: the member server and CA, the agent user, one context', () => {
    const kc = new KubeConfig();
    kc.loadFromString(build(adminKubeConfig()));
    expect(kc.getCurrentContext()).toBe('member-1');
    expect(kc.getCurrentCluster()).toMatchObject({ name: 'member-1', server: 'https://10.0.0.1:6443', caData: CA });
    expect(kc.getCurrentUser()).toMatchObject({ name: 'gridfed-hub@member-1', token: AGENT_TOKEN });
    expect(kc.getUsers()).toHaveLength(1);
  });

  it('keeps the TLS server name; never a proxy or skipped TLS verification: the CA is always inline', () => {
    const doc = parse(
      build(
        adminKubeConfig({
          'tls-server-name': 'api.edge',
          'proxy-url': 'http://proxy:3128',
          'insecure-skip-tls-verify': true,
          'certificate-authority-data': undefined,
        }),
      ),
    );
    expect(doc.clusters[0].cluster).toEqual({
      server: 'https://10.0.0.1:6443',
      'certificate-authority-data': CA,
      'tls-server-name': 'api.edge',
    });
  });

  it('is what the hub accepts from a member Secret', () => {
    expect(checkMemberKubeconfig(build(adminKubeConfig()))).toMatchObject({ ok: true });
  });
});
