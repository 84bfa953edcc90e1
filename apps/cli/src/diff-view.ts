// What `gridfed diff` prints of the hub's preview of a grid edit: pure, unit tested.
import type { GridPreview } from '#gridfed/distribution';

const shown = (value: unknown): string => (value === undefined ? '(none)' : JSON.stringify(value));

/** True when applying the manifest would change something (or it is invalid). */
export function hasChanges(preview: GridPreview): boolean {
  return !preview.valid || preview.members.some((m) => m.objects.some((o) => o.action !== 'unchanged'));
}

export function formatPreview(preview: GridPreview): string {
  const head = `${preview.kind} ${preview.namespace}/${preview.name}`;
  if (!preview.valid) {
    return [
      `${head}: invalid, nothing would be applied`,
      ...(preview.errors ?? []).map((e) => `  ${e.path} ${e.message}`),
      '',
    ].join('\n');
  }
  const lines = [head];
  for (const member of preview.members) {
    if (!member.reachable) {
      lines.push(`  ${member.cluster}: unreachable, not previewed`);
      continue;
    }
    if (member.objects.length === 0) lines.push(`  ${member.cluster}: nothing`);
    for (const o of member.objects) {
      const where = o.nodeUnits.length ? ` (${o.nodeUnits.join(', ')})` : '';
      lines.push(`  ${member.cluster}  ${o.name}${where}  ${o.action}${o.detail ? `: ${o.detail}` : ''}`);
      for (const c of o.changes ?? []) lines.push(`      ${c.path}: ${shown(c.from)} -> ${shown(c.to)}`);
    }
  }
  if (preview.waves) {
    lines.push('  waves (Progressive):');
    preview.waves.forEach((wave, i) => lines.push(`    ${i + 1}: ${wave.join(', ')}`));
  }
  return `${lines.join('\n')}\n`;
}
