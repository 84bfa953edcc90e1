// Keys this library adds on top of the shared ones in #gridfed/grid-api.

/**
 * On a member workload: the templatePool entry it was rendered from, or `default` for
 * `spec.template`. Lets an operator see which canary release a NodeUnit runs.
 */
export const TEMPLATE_ANNOTATION = 'gridfed.io/template';
