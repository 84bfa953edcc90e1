// A member apiserver's own /metrics, read with the member's admin token over its TLS:
// the watches it serves are counted where they are served.
import { request } from 'node:https';
import type { LocalCluster } from '../../../tools/local-cluster/src/local-cluster.js';
import { parsePrometheusText, sumMetric } from '../prom.js';

function getText(url: string, ca: string, token: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const req = request(url, { ca, headers: { Authorization: `Bearer ${token}` }, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        res.statusCode === 200 ? resolvePromise(body) : reject(new Error(`GET ${url}: HTTP ${res.statusCode}`)),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer in 10 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** Watches the member's apiserver serves right now (apiserver_longrunning_requests, verb WATCH). */
export async function openWatches(member: LocalCluster): Promise<number> {
  const token = member.kubeConfig().getCurrentUser()?.token ?? '';
  const text = await getText(`${member.server}/metrics`, member.caPem, token);
  return sumMetric(parsePrometheusText(text), 'apiserver_longrunning_requests', (l) => l['verb'] === 'WATCH');
}

/** Open watches summed over `members`. */
export async function openWatchesOn(members: readonly LocalCluster[]): Promise<number> {
  return (await Promise.all(members.map(openWatches))).reduce((a, b) => a + b, 0);
}
