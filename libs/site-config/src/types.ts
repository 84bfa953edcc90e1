// The SiteConfig API (gridfed.io/v1alpha1, namespaced): configuration that differs per NodeUnit.
import type { V1Condition, V1ObjectMeta } from '@kubernetes/client-node';
import { GRIDFED_API_VERSION } from '#gridfed/grid-api';

export const SITE_CONFIG_KIND = 'SiteConfig';
export const SITE_CONFIG_PLURAL = 'siteconfigs';
/** Not `sc`: kubectl resolves that to StorageClass. */
export const SITE_CONFIG_SHORT_NAME = 'scfg';

/** What each NodeUnit gets in the member that hosts it. */
export type SiteConfigType = 'ConfigMap' | 'Secret';
export const SITE_CONFIG_TYPES: readonly SiteConfigType[] = ['ConfigMap', 'Secret'];

/** A Secret of the control cluster, in the SiteConfig's namespace: all its keys, or only `key`. */
export interface SecretKeyRef {
  name: string;
  key?: string;
}

/** The values of the defaults or of one NodeUnit. */
export interface SiteConfigValues {
  /** ConfigMap keys and values (type ConfigMap only). */
  data?: Record<string, string>;
  /** Where a Secret's values come from (type Secret only); later entries win. */
  secretRefs?: SecretKeyRef[];
}

export interface SiteConfigSpec {
  /** The node label key that groups nodes into NodeUnits, as the grids using this configuration have it. */
  gridUniqKey: string;
  /** Absent means ConfigMap (the CRD defaults it). */
  type?: SiteConfigType;
  /** Keys every NodeUnit's copy must have: a NodeUnit lacking one gets no copy, and an error says so. */
  required?: string[];
  /** Values every NodeUnit gets unless its own entry sets the same key. */
  defaults?: SiteConfigValues;
  /** NodeUnit -> its own values, over the defaults. */
  nodeUnits?: Record<string, SiteConfigValues>;
}

/**
 * What one NodeUnit's copy is in one member: Applied (the copy holds what the SiteConfig
 * says), Held (no copy can be made: values missing, or the spec is invalid), NotPermitted
 * (the member agent may not manage that kind), InTheWay (an object gridfed did not make holds
 * the name), Failed (the apply failed), Pending (not yet done for this generation),
 * Unreachable (the member is: the last known state).
 */
export type CopyState = 'Applied' | 'Held' | 'NotPermitted' | 'InTheWay' | 'Failed' | 'Pending' | 'Unreachable';

/** `status.states[]`: one NodeUnit's copy in one member. Hashes only, never a value. */
export interface SiteConfigCopyState {
  nodeUnit: string;
  member: string;
  /** The copy's name in the member (`{siteconfig}-{nodeunit}`). */
  copy: string;
  state: CopyState;
  /** Content hash of the copy as applied (an HMAC for a Secret): grid pods carry it. */
  hash?: string;
  reason: string;
  message?: string;
}

export interface SiteConfigStatus {
  observedGeneration?: number;
  conditions?: V1Condition[];
  /** NodeUnits of gridUniqKey hosted by member clusters. */
  nodeUnits?: number;
  /** NodeUnits whose copy is applied in every member hosting them. */
  readyNodeUnits?: number;
  /** Sorted by NodeUnit, then member. */
  states?: SiteConfigCopyState[];
}

export interface SiteConfig {
  apiVersion: typeof GRIDFED_API_VERSION;
  kind: typeof SITE_CONFIG_KIND;
  metadata: V1ObjectMeta;
  spec: SiteConfigSpec;
  status?: SiteConfigStatus;
}

/** What a SiteConfig of `spec.type` renders: absent means ConfigMap. */
export function siteConfigType(siteConfig: SiteConfig): SiteConfigType {
  return siteConfig.spec.type ?? 'ConfigMap';
}

/** `namespace/name`, for messages and keys. */
export function siteConfigRef(siteConfig: SiteConfig): string {
  return `${siteConfig.metadata.namespace ?? 'default'}/${siteConfig.metadata.name ?? '<unnamed>'}`;
}
