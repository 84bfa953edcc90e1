// validateSiteConfig: every problem of a SiteConfig manifest at once, each on its field.
import {
  formatFieldErrors,
  isPlainObject,
  manifestRef,
  shown,
  validateDto,
  type GridFieldError,
} from '#gridfed/grid-api';
import type { SiteConfig } from '../types.js';
import { SiteConfigManifestDto } from './site-config.dto.js';
import { valueErrors } from './value-checks.js';

export type SiteConfigValidation =
  { ok: true; siteConfig: SiteConfig } | { ok: false; ref: string; errors: GridFieldError[] };

/** Every problem of `input`, sorted by path so each field's problems sit together. */
export function validateSiteConfig(input: unknown): SiteConfigValidation {
  const errors = siteConfigErrors(input).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (errors.length === 0) return { ok: true, siteConfig: input as SiteConfig };
  return { ok: false, ref: manifestRef(input), errors };
}

/** One line per error: `siteconfig default/app: spec.nodeUnits.zone1.data is not allowed ...`. */
export function formatSiteConfigErrors(ref: string, errors: GridFieldError[]): string {
  return formatFieldErrors('siteconfig', ref, errors);
}

function siteConfigErrors(input: unknown): GridFieldError[] {
  if (!isPlainObject(input)) {
    return [{ path: '', message: `must be a SiteConfig manifest (an object), not ${shown(input)}` }];
  }
  const spec = input['spec'];
  return [...validateDto(SiteConfigManifestDto, input, ''), ...(isPlainObject(spec) ? valueErrors(spec) : [])];
}
