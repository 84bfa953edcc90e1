// kubectl as a user runs it, with the binary the harness built.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ensureKubeBinaries } from '../local-cluster/src/binaries.js';

const run = promisify(execFile);

export async function kubectl(kubeconfig: string, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await run(ensureKubeBinaries().kubectl, ['--kubeconfig', kubeconfig, ...args], {
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`kubectl ${args.join(' ')}: ${stderr.trim() || String(err)}`, { cause: err });
  }
}
