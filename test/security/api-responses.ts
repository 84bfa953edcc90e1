// Keeps what a running hub answers on every read endpoint (the API, each grid's detail,
// the dashboard, the queue board's API, metrics, health) in the run's api-responses.log,
// which the credential scan at the end of the run reads.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

export const API_RESPONSES_FILE = 'api-responses.log';

const READ_PATHS = [
  '/api/clusters',
  '/api/grids',
  '/api/queues',
  '/api/nodeunits',
  '/api/nodegroups',
  '/dashboard',
  '/queues/api/queues',
  '/metrics',
];

interface GridSummary {
  kind: string;
  namespace: string;
  name: string;
}

export async function keepApiResponses(
  root: string,
  hubUrl: string,
  headers: Record<string, string> = {},
): Promise<void> {
  const get = async (path: string): Promise<string> => {
    const response = await fetch(`${hubUrl}${path}`, { headers });
    const body = await response.text();
    appendFileSync(join(root, API_RESPONSES_FILE), `GET ${path} -> ${response.status}\n${body}\n`);
    return body;
  };
  const bodies = await Promise.all(READ_PATHS.map(get));
  const grids = JSON.parse(bodies[1] ?? '[]') as GridSummary[];
  await Promise.all(grids.map((g) => get(`/api/grids/${g.kind}/${g.namespace}/${g.name}`)));
}
