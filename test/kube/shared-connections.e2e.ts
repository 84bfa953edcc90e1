// Requests through a gridfed KubeConfig share keep-alive connections: client-node
// alone opens a TLS connection per request. (The very first connection of a pool is
// not reused by the second request; every later request reuses the second.)
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { createClients, kubeConfigFromString, releaseConnections, type KubeClients } from '#gridfed/kube';
import { fleetCluster } from '../cluster/jest/test-fleet.js';

/** undici reports each new connection here, whichever copy of undici made it. */
const CONNECTED = 'undici:client:connected';

describe('shared connections', () => {
  let clients: KubeClients;
  let kubeconfigPath: string;
  let connections = 0;
  const onConnected = (): void => {
    connections += 1;
  };

  beforeAll(async () => {
    kubeconfigPath = (await fleetCluster('member-1')).kubeconfigPath;
    clients = createClients(kubeConfigFromString(readFileSync(kubeconfigPath, 'utf8')), { cluster: 'member-1' });
    subscribe(CONNECTED, onConnected);
  });

  afterAll(async () => {
    unsubscribe(CONNECTED, onConnected);
    await releaseConnections(clients.kc);
  });

  it('opens one connection per request without sharing (why this exists)', async () => {
    const plain = new KubeConfig();
    plain.loadFromFile(kubeconfigPath);
    const core = plain.makeApiClient(CoreV1Api);
    connections = 0;
    for (let i = 0; i < 5; i++) await core.listNamespace();
    expect(connections).toBe(5);
  });

  it('opens at most two connections for twenty sequential requests', async () => {
    connections = 0;
    for (let i = 0; i < 20; i++) await clients.core.listNamespace();
    expect(connections).toBeLessThanOrEqual(2);
    connections = 0;
    for (let i = 0; i < 10; i++) await clients.apps.listDeploymentForAllNamespaces();
    expect(connections).toBe(0);
  });

  it('opens new connections once the pool is released', async () => {
    await releaseConnections(clients.kc);
    connections = 0;
    await clients.version.getCode();
    expect(connections).toBe(1);
  });
});
