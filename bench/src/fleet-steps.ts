// Steps both bench entries take to build their fleet: Redis up and down, and a member
// registered with the hub through the gridfed CLI, as an operator does it.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `scripts/redis.sh up <dir>`; resolves with the URL it printed. */
export async function startRedis(dir: string): Promise<string> {
  const { stdout } = await run('bash', [resolve('scripts/redis.sh'), 'up', dir]);
  const url = stdout.trim().split('\n').at(-1) ?? '';
  if (!url.startsWith('redis://')) throw new Error(`scripts/redis.sh up printed no redis:// URL: "${stdout}"`);
  return url;
}

export async function stopRedis(dir: string): Promise<void> {
  await run('bash', [resolve('scripts/redis.sh'), 'down', dir]);
}

/** `gridfed register <name> --kubeconfig <member>` against the control cluster (compiled CLI in dist/). */
export async function registerMember(name: string, memberKubeconfig: string, controlKubeconfig: string): Promise<void> {
  try {
    await run(
      process.execPath,
      [resolve('dist/apps/cli/src/main.js'), 'register', name, '--kubeconfig', memberKubeconfig],
      { env: { ...process.env, KUBECONFIG: controlKubeconfig } },
    );
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`gridfed register ${name}: ${stderr.trim() || String(err)}`, { cause: err });
  }
}
