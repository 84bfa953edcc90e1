// Which NodeUnits a Progressive rollout has moved by the end of each wave: cumulative
// sets, decided only by the strategy and the NodeUnits there are, so every run of the
// reconciler (and every hub replica) arrives at the same plan.
import { maxUnavailableOf, type Strategy } from './strategy.js';

/**
 * `nodeUnits` sorted; the result's wave i lists every NodeUnit on the new revision once
 * wave i is done. Named NodeUnits come first, in wave order, then the rest by name; a
 * percentage is of all NodeUnits, rounded up; a last wave below 100 % is followed by all.
 * Without waves, each batch of maxUnavailableNodeUnits is a wave. Waves that would add
 * no NodeUnit (names that do not exist yet) are left out.
 */
export function waveTargets(strategy: Strategy, nodeUnits: readonly string[]): string[][] {
  const all = [...nodeUnits].sort();
  if (all.length === 0) return [];
  if (strategy.waves.length === 0) {
    const batch = maxUnavailableOf(strategy, all.length);
    const waves: string[][] = [];
    for (let end = batch; end < all.length + batch; end += batch) waves.push(all.slice(0, Math.min(end, all.length)));
    return waves;
  }
  const exists = new Set(all);
  const namedIn = strategy.waves.map((w) => (w.nodeUnits ?? []).filter((n) => exists.has(n)));
  const named = namedIn.flat();
  const order = [...new Set([...named, ...all])];
  const moved = new Set<string>();
  const waves: string[][] = [];
  const push = (): void => {
    if (moved.size > (waves.at(-1)?.length ?? 0)) waves.push(order.filter((n) => moved.has(n)));
  };
  strategy.waves.forEach((wave, i) => {
    for (const nodeUnit of namedIn[i] ?? []) moved.add(nodeUnit);
    // A share is filled by name, never with NodeUnits a later wave names.
    const later = new Set(namedIn.slice(i + 1).flat());
    const count = Math.ceil(((wave.percent ?? 0) * all.length) / 100);
    for (const nodeUnit of all) {
      if (moved.size >= count) break;
      if (!later.has(nodeUnit)) moved.add(nodeUnit);
    }
    push();
  });
  for (const nodeUnit of order) moved.add(nodeUnit);
  push();
  return waves;
}
