// `spec.autoDeleteUnusedTemplate`: which templatePool entries nothing refers to.
import { DEFAULT_TEMPLATE_NAME, type WorkloadGrid } from '#gridfed/grid-api';

/**
 * templatePool entries that neither `spec.templates` nor `spec.defaultTemplateName`
 * names, sorted. A name the user wrote down is in use even when no NodeUnit with nodes
 * needs it right now (its NodeUnit may have no nodes yet, or the default may serve only
 * NodeUnits still to come), so the NodeUnits currently present cannot make anything
 * unused: `_nodeUnits` is accepted for callers that have them, and never deletes more.
 */
export function unusedTemplates(grid: WorkloadGrid, _nodeUnits: readonly string[]): string[] {
  const { templatePool, templates, defaultTemplateName } = grid.spec;
  // An absent defaultTemplateName is `default`: keep a pool entry of that name too.
  const named = new Set<unknown>([...Object.values(templates ?? {}), defaultTemplateName ?? DEFAULT_TEMPLATE_NAME]);
  return Object.keys(templatePool ?? {})
    .filter((name) => !named.has(name))
    .sort();
}

/**
 * A copy of `grid` without its unused templatePool entries, when the grid asks for that
 * (`autoDeleteUnusedTemplate: true`) and there is any; otherwise undefined.
 */
export function pruneUnusedTemplates<G extends WorkloadGrid>(grid: G, nodeUnits: readonly string[]): G | undefined {
  if (grid.spec.autoDeleteUnusedTemplate !== true) return undefined;
  const unused = unusedTemplates(grid, nodeUnits);
  if (unused.length === 0) return undefined;
  const pruned = structuredClone(grid);
  for (const name of unused) delete pruned.spec.templatePool?.[name];
  return pruned;
}
