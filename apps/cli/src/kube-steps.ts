// Small idempotent building blocks the commands share: create-unless-present (recording
// an undo only for what this run created) and delete-if-present.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CoreV1Api, KubernetesObject, V1Namespace } from '@kubernetes/client-node';
import { isConflict, isNotFound } from '#gridfed/kube';
import { CliError, step, type Output } from './cli-output.js';
import type { UndoLog } from './undo.js';

/** How long an object on its way out (being deleted, or its owner gone) is waited for. */
export const LEAVING_WAIT_MS = 60_000;
const POLL_MS = 250;

export interface EnsureSpec<T extends KubernetesObject> {
  /** `member-1: ServiceAccount gridfed-system/gridfed-hub`. */
  what: string;
  create: () => Promise<T>;
  read: () => Promise<T>;
  remove: () => Promise<unknown>;
  /**
   * An existing object that is about to go and so cannot be kept (besides one being deleted):
   * e.g. owned by a ClusterRole an earlier `unregister` deleted, which the garbage collector
   * has not reached yet.
   */
  leaving?: (obj: T) => boolean;
}

/**
 * Creates the object, or keeps the one that exists; only a created one is recorded for undo.
 * One on its way out is waited for (bounded) and then created anew, so register right after
 * unregister does not keep objects the garbage collector is about to delete.
 */
export async function ensureObject<T extends KubernetesObject>(
  spec: EnsureSpec<T>,
  undo: UndoLog,
  out: Output,
): Promise<T> {
  const deadline = Date.now() + LEAVING_WAIT_MS;
  let told = false;
  for (;;) {
    const created = await step(`create ${spec.what}`, () => createUnlessPresent(spec.create));
    if (created !== undefined) {
      undo.record(spec.what, async () => {
        await deleteIfPresent(spec.remove);
      });
      out.done(`created ${spec.what}`);
      return created;
    }
    const existing = await step(`read ${spec.what}`, () => readIfPresent(spec.read));
    if (existing && !existing.metadata?.deletionTimestamp && !spec.leaving?.(existing)) {
      out.done(`${spec.what} already exists: kept`);
      return existing;
    }
    if (Date.now() >= deadline) {
      throw new CliError(`${spec.what} is being deleted and still there after ${LEAVING_WAIT_MS / 1000} s`);
    }
    if (existing && !told) out.line(`  ${spec.what} is being deleted (an earlier unregister?): waiting for it to go`);
    told ||= existing !== undefined;
    await sleep(POLL_MS);
  }
}

async function createUnlessPresent<T>(create: () => Promise<T>): Promise<T | undefined> {
  try {
    return await create();
  } catch (err) {
    if (isConflict(err)) return undefined;
    throw err;
  }
}

/** Deletes; an object already gone counts as deleted. Returns whether it was there. */
export async function deleteIfPresent(remove: () => Promise<unknown>): Promise<boolean> {
  try {
    await remove();
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** Reads; undefined when the object does not exist. */
export async function readIfPresent<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * A namespace, created or kept. A created one is undone by deleting it and waiting until it
 * is gone, so a retry right after a failed run does not meet it terminating.
 */
export function ensureNamespace(
  core: CoreV1Api,
  body: V1Namespace,
  what: string,
  undo: UndoLog,
  out: Output,
  leaving?: (ns: V1Namespace) => boolean,
): Promise<V1Namespace> {
  const name = body.metadata?.name ?? '';
  const spec: EnsureSpec<V1Namespace> = {
    what,
    create: () => core.createNamespace({ body }),
    read: () => core.readNamespace({ name }),
    remove: () => deleteNamespaceAndWait(core, name),
  };
  return ensureObject(leaving ? { ...spec, leaving } : spec, undo, out);
}

/** Deletes a namespace and waits (bounded) until the namespace controller removed it. */
export async function deleteNamespaceAndWait(core: CoreV1Api, name: string): Promise<void> {
  await core.deleteNamespace({ name });
  const deadline = Date.now() + LEAVING_WAIT_MS;
  while (await readIfPresent(() => core.readNamespace({ name }))) {
    if (Date.now() >= deadline) throw new Error(`still terminating after ${LEAVING_WAIT_MS / 1000} s`);
    await sleep(POLL_MS);
  }
}
