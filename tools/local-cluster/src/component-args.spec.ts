import { describe, expect, it } from '@jest/globals';
import { apiserverArgs, controllerManagerArgs, extraComponents } from './component-args.js';
import type { ClusterPki } from './pki.js';

const pki: ClusterPki = {
  caCertFile: '/p/ca.crt',
  caKeyFile: '/p/ca.key',
  servingCertFile: '/p/apiserver.crt',
  servingKeyFile: '/p/apiserver.key',
  serviceAccountKeyFile: '/p/sa.key',
  serviceAccountPubFile: '/p/sa.pub',
  tokenFile: '/p/tokens.csv',
  adminToken: 'not-in-args',
};

const flag = (args: string[], name: string): string | undefined =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

describe('apiserverArgs', () => {
  const light = apiserverArgs({
    profile: 'light',
    pki,
    securePort: 6443,
    etcdClientPort: 2379,
    etcdPrefix: '/clusters/m1',
  });
  const full = apiserverArgs({ profile: 'full', pki, securePort: 6443, etcdClientPort: 2379 });

  it('keeps a light member a TLS apiserver with its own serving certificate, CA, tokens and RBAC', () => {
    for (const args of [light, full]) {
      expect(flag(args, 'tls-cert-file')).toBe('/p/apiserver.crt');
      expect(flag(args, 'client-ca-file')).toBe('/p/ca.crt');
      expect(flag(args, 'token-auth-file')).toBe('/p/tokens.csv');
      expect(flag(args, 'authorization-mode')).toBe('RBAC');
      expect(flag(args, 'secure-port')).toBe('6443');
    }
    expect(light.join(' ')).not.toContain('not-in-args');
  });

  it('puts a member on a shared etcd under its own prefix, and a full cluster on the default one', () => {
    expect(flag(light, 'etcd-prefix')).toBe('/clusters/m1');
    expect(flag(full, 'etcd-prefix')).toBeUndefined();
    expect(flag(light, 'etcd-servers')).toBe('http://127.0.0.1:2379');
  });

  it('turns the watch cache, priority and fairness and unused APIs off only when light', () => {
    expect(flag(light, 'watch-cache')).toBe('false');
    expect(flag(full, 'watch-cache')).toBeUndefined();
    expect(flag(light, 'enable-priority-and-fairness')).toBe('false');
    const runtime = flag(light, 'runtime-config')?.split(',') ?? [];
    expect(runtime[0]).toBe('api/all=false');
    // What the hub writes (Deployments, Leases, Events) and what registration needs (RBAC, token reviews).
    for (const gv of ['v1', 'apps/v1', 'coordination.k8s.io/v1', 'rbac.authorization.k8s.io/v1', 'events.k8s.io/v1'])
      expect(runtime).toContain(`${gv}=true`);
    expect(flag(full, 'runtime-config')).toBeUndefined();
  });

  it('names every admission plugin once, and keeps NamespaceLifecycle on', () => {
    const disabled = flag(light, 'disable-admission-plugins')?.split(',') ?? [];
    expect(new Set(disabled).size).toBe(disabled.length);
    expect(disabled).not.toContain('NamespaceLifecycle');
    expect(disabled).toContain('ResourceQuota');
    expect(flag(full, 'disable-admission-plugins')).toBe('ServiceAccount');
    expect(light.filter((a) => a.startsWith('--disable-admission-plugins='))).toHaveLength(1);
  });
});

describe('controllerManagerArgs and extraComponents', () => {
  it('runs only the token controller for a light member, and no scheduler or kwok', () => {
    expect(flag(controllerManagerArgs('light', '/k', pki), 'controllers')).toBe('serviceaccount-token');
    expect(flag(controllerManagerArgs('full', '/k', pki), 'controllers')).toBeUndefined();
    expect(extraComponents('light')).toEqual(['kube-controller-manager']);
    expect(extraComponents('full')).toEqual(['kube-controller-manager', 'kube-scheduler', 'kwok']);
  });
});
