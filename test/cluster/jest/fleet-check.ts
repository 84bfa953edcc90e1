// A test file starts on a whole fleet: a component that died during an earlier file (or a
// kwok that stopped keeping its nodes Ready) is started again here, and said so on stderr,
// so one file's accident shows as its own note instead of as failures in the files after it.
import type { LocalCluster } from '../../../tools/local-cluster/src/local-cluster.js';

const NODES_READY_MS = 30_000;

function note(text: string): void {
  process.stderr.write(`fleet check: ${text}\n`);
}

function indented(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line.slice(0, 300)}`)
    .join('\n');
}

/** Starts what is not running, then restarts kwok where nodes stay NotReady. */
export async function checkFleet(clusters: LocalCluster[]): Promise<void> {
  for (const cluster of clusters) {
    for (const name of await cluster.revive())
      note(
        `${cluster.name}/${name} was not running; started again. Its log ended:\n${indented(cluster.logTail(name))}`,
      );
    if (cluster.profile !== 'full') continue;
    const notReady = (await cluster.nodeReadiness()).filter((n) => !n.ready).map((n) => n.name);
    if (notReady.length === 0) continue;
    try {
      await cluster.waitNodesReady(notReady, NODES_READY_MS);
    } catch {
      note(`${cluster.name}: nodes ${notReady.join(', ')} NotReady for ${NODES_READY_MS / 1000} s; restarting kwok`);
      await cluster.restartKwok();
      await cluster.waitNodesReady(notReady, 90_000);
    }
  }
}
