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

/** One member cluster's copy of one NodeUnit's configuration. */
export interface SiteConfigMemberState {
  synced: boolean;
  lastSeen?: string;
  error?: string;
}

/** `status.states[<nodeunit>]`: the copy's name and content hash (never a value), per member. */
export interface SiteConfigNodeUnitState {
  name?: string;
  hash?: string;
  /** Why the NodeUnit has no copy, e.g. a required key it lacks. */
  error?: string;
  clusters?: Record<string, SiteConfigMemberState>;
}

export interface SiteConfigStatus {
  observedGeneration?: number;
  conditions?: V1Condition[];
  nodeUnits?: number;
  syncedNodeUnits?: number;
  states?: Record<string, SiteConfigNodeUnitState>;
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
