// Kubernetes label selectors (matchLabels, matchExpressions) plus site-manager's `annotations`.
import type { SelectorRequirement, SiteSelector } from '#gridfed/site-api';

/**
 * Whether `selector` picks an object with these labels and annotations. A selector that asks for
 * nothing picks nothing (as in site-manager), so an empty selector never takes every node of the fleet.
 */
export function selects(
  selector: SiteSelector | undefined,
  labels: Record<string, string>,
  annotations: Record<string, string> = {},
): boolean {
  if (!selector || isEmpty(selector)) return false;
  const pairs = (map: Record<string, string> | undefined, on: Record<string, string>) =>
    Object.entries(map ?? {}).every(([key, value]) => on[key] === value);
  return (
    pairs(selector.matchLabels, labels) &&
    pairs(selector.annotations, annotations) &&
    (selector.matchExpressions ?? []).every((requirement) => meets(requirement, labels))
  );
}

function isEmpty(selector: SiteSelector): boolean {
  return (
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    Object.keys(selector.annotations ?? {}).length === 0 &&
    (selector.matchExpressions ?? []).length === 0
  );
}

function meets({ key, operator, values = [] }: SelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, key);
  switch (operator) {
    case 'In':
      return has && values.includes(labels[key] as string);
    case 'NotIn':
      return !has || !values.includes(labels[key] as string);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}
