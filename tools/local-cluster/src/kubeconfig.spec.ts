import { describe, expect, it } from '@jest/globals';
import { KubeConfig } from '@kubernetes/client-node';
import { renderKubeconfig } from './kubeconfig.js';

describe('renderKubeconfig', () => {
  it('is read by client-node as one context named after the cluster, with the CA and token', () => {
    const kc = new KubeConfig();
    kc.loadFromString(
      renderKubeconfig({
        clusterName: 'member-1',
        server: 'https://127.0.0.1:6443',
        caPem: 'PEM',
        user: 'admin',
        token: 't0k',
      }),
    );
    expect(kc.getCurrentContext()).toBe('member-1');
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
    expect(kc.getCurrentCluster()?.caData).toBe(Buffer.from('PEM').toString('base64'));
    expect(kc.getCurrentUser()?.token).toBe('t0k');
  });
});
