// Why a NodeUnit gets no copy of a SiteConfig: every problem, each on its field, never a value.
import { formatFieldErrors, type GridFieldError } from '#gridfed/grid-api';

export class SiteConfigRenderError extends Error {
  constructor(
    /** `namespace/name` of the SiteConfig. */
    readonly siteConfig: string,
    readonly nodeUnit: string,
    readonly problems: GridFieldError[],
  ) {
    super(formatFieldErrors('siteconfig', siteConfig, problems));
    this.name = 'SiteConfigRenderError';
  }
}
