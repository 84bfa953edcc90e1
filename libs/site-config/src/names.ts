// The name of a NodeUnit's copy of a SiteConfig: `{siteconfig}-{nodeunit}`, like grid workloads.
import { MAX_SUBDOMAIN, nodeUnitNamePart, shortHash } from '#gridfed/grid-api';

/**
 * `{siteconfig}-{nodeunit}` (`mall-config-zone1`), with the NodeUnit as grid workloads name it
 * (`Zone_A` -> `zone-a-1a2b3c`), so NodeUnits sharing a member and namespace never share a copy.
 * A ConfigMap or Secret name is a DNS subdomain: past 253 characters the name is cut and a hash
 * of the whole appended, so it still fits and stays distinct.
 */
export function siteConfigCopyName(siteConfigName: string, nodeUnit: string): string {
  const name = `${siteConfigName}-${nodeUnitNamePart(nodeUnit)}`;
  if (name.length <= MAX_SUBDOMAIN) return name;
  const prefix = name.slice(0, MAX_SUBDOMAIN - 11).replace(/[-.]+$/, '');
  return `${prefix}-${shortHash(name, 10)}`;
}

const KEPT_HASH_LENGTH = 10;

/**
 * `{siteconfig}-{nodeunit}-{hash}`: a copy named by its content, for grids rolled out in waves.
 * A change of content is a new object, so NodeUnits a rollout has not reached yet keep reading
 * the old one untouched; the hash is the first 10 hex digits of the content hash.
 */
export function keptCopyName(siteConfigName: string, nodeUnit: string, contentHash: string): string {
  const suffix = `-${contentHash.slice(0, KEPT_HASH_LENGTH)}`;
  const base = `${siteConfigName}-${nodeUnitNamePart(nodeUnit)}`;
  if (base.length + suffix.length <= MAX_SUBDOMAIN) return `${base}${suffix}`;
  const prefix = base.slice(0, MAX_SUBDOMAIN - suffix.length - 11).replace(/[-.]+$/, '');
  return `${prefix}-${shortHash(base, 10)}${suffix}`;
}
