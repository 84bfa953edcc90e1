// How commands talk to the user: progress lines on stdout, one error line on stderr
// and a non-zero exit code. Messages never include credentials: errors are reduced to
// the apiserver's Status message (describeError), never a request or body dump.
import { describeError } from '#gridfed/kube';

/** A failure the user can act on; its message is the whole story. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

export interface Output {
  /** A step done: `✓ member: created ServiceAccount gridfed-system/gridfed-hub`. */
  done(line: string): void;
  /** A plain line (results, notes). */
  line(text: string): void;
}

export const consoleOutput: Output = {
  done: (line) => process.stdout.write(`✓ ${line}\n`),
  line: (text) => process.stdout.write(`${text}\n`),
};

/** Runs `fn`; a failure becomes a CliError saying what was being done and why it failed. */
export async function step<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`${what}: ${describeError(err)}`, { cause: err });
  }
}

/**
 * Wraps a command action: its error is printed as one line and the process exits with
 * `errorCode` (1, or 2 for commands whose 1 means something else, like `diff`).
 */
export function action<A extends unknown[]>(
  run: (...args: A) => Promise<void>,
  errorCode = 1,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await run(...args);
    } catch (err) {
      const message = err instanceof CliError ? err.message : describeError(err);
      process.stderr.write(`error: ${message}\n`);
      process.exitCode = errorCode;
    }
  };
}
