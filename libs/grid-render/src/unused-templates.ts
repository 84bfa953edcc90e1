// `spec.autoDeleteUnusedTemplate`: which templatePool entries nothing refers to.
import { DEFAULT_TEMPLATE_NAME, type WorkloadGrid } from '#gridfed/grid-api';

/**
 * templatePool entries that neither `spec.templates` nor `spec.defaultTemplateName`
 * names, sorted. A name the user wrote down is in use even when no NodeUnit with nodes
 * needs it right now (its NodeUnit may have no nodes yet, or the default may serve only
 * NodeUnits still to come), so the NodeUnits currently present never make anything unused.
 */
export function unusedTemplates(grid: WorkloadGrid): string[] {
  const { templatePool, templates, defaultTemplateName } = grid.spec;
  // An absent defaultTemplateName is `default`: keep a pool entry of that name too.
  const named = new Set<unknown>([...Object.values(templates ?? {}), defaultTemplateName ?? DEFAULT_TEMPLATE_NAME]);
  return Object.keys(templatePool ?? {})
    .filter((name) => !named.has(name))
    .sort();
}
