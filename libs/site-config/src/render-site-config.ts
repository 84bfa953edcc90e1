// One NodeUnit's copy of a SiteConfig, as the member that hosts the NodeUnit gets it.
import type { V1ObjectMeta } from '@kubernetes/client-node';
import stringify from 'safe-stable-stringify';
import {
  DESIRED_HASH_ANNOTATION,
  FED_LABEL,
  labelValueFor,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  MEMBER_CLUSTER_LABEL,
  NODE_UNIT_LABEL,
  shortHash,
  SITE_CONFIG_HASH_ANNOTATION,
  SITE_CONFIG_NAME_ANNOTATION,
  SITE_CONFIG_NAME_LABEL,
  SITE_CONFIG_NAMESPACE_LABEL,
  SITE_CONFIG_UID_LABEL,
} from '#gridfed/grid-api';
import { copyContent, type SecretLookup } from './content.js';
import { keptCopyName, siteConfigCopyName } from './names.js';
import { SiteConfigRenderError } from './render-error.js';
import { siteConfigRef, siteConfigType, type SiteConfig, type SiteConfigType } from './types.js';

export interface CopyMeta extends V1ObjectMeta {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface MemberConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: CopyMeta;
  data: Record<string, string>;
}

export interface MemberSecret {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: CopyMeta;
  type: 'Opaque';
  /** base64, as read from the control cluster's Secrets. */
  data: Record<string, string>;
}

export type MemberCopy = MemberConfigMap | MemberSecret;

/** Where a grid's pods find a NodeUnit's copy, and the hash that rolls them when it changes. */
export interface CopyRef {
  type: SiteConfigType;
  name: string;
  contentHash: string;
  /** The keys the copy has (sorted): a pod taking another key would never start. */
  keys: string[];
}

export interface RenderedCopy {
  /** The full object, its `gridfed.io/desired-hash` annotation included. */
  object: MemberCopy;
  /** The desired hash: over the object with its data replaced by the content hash. */
  hash: string;
  contentHash: string;
}

/** Name, type, content hash and keys of `nodeUnit`'s copy: what a grid's pod template needs. */
export function siteConfigCopyRef(siteConfig: SiteConfig, nodeUnit: string, secrets?: SecretLookup): CopyRef {
  const { data, hash } = copyContent(siteConfig, nodeUnit, secrets);
  const name = siteConfigCopyName(nameOf(siteConfig), nodeUnit);
  return { type: siteConfigType(siteConfig), name, contentHash: hash, keys: Object.keys(data).sort() };
}

/**
 * `plain`: the copy every grid without a staged rollout reads, `{siteconfig}-{nodeunit}`,
 * changed in place. `kept`: named by its content (keptCopyName), never changed, for grids
 * whose rollout keeps NodeUnits on an older configuration for a while.
 */
export type CopyNaming = 'plain' | 'kept';

/**
 * The ConfigMap or Secret `{siteconfig}-{nodeunit}` (or its kept copy) in the SiteConfig's namespace, labelled
 * like every object gridfed makes in a member. Throws SiteConfigRenderError (SiteConfig,
 * NodeUnit, field, key; never a value) when the NodeUnit cannot have a complete copy.
 */
export function renderSiteConfig(
  siteConfig: SiteConfig,
  nodeUnit: string,
  memberCluster: string,
  secrets?: SecretLookup,
  naming: CopyNaming = 'plain',
): RenderedCopy {
  const content = copyContent(siteConfig, nodeUnit, secrets);
  const metadata = copyMeta(siteConfig, nodeUnit, memberCluster, content.hash);
  if (naming === 'kept') metadata.name = keptCopyName(nameOf(siteConfig), nodeUnit, content.hash);
  const object: MemberCopy =
    siteConfigType(siteConfig) === 'Secret'
      ? { apiVersion: 'v1', kind: 'Secret', metadata, type: 'Opaque', data: content.data }
      : { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: content.data };
  // The content hash stands in for the data: the desired hash of a Secret reveals nothing either.
  const hashed: object = { ...object, data: content.hash };
  const hash = shortHash(stringify(hashed), 16);
  object.metadata.annotations[DESIRED_HASH_ANNOTATION] = hash;
  return { object, hash, contentHash: content.hash };
}

function copyMeta(siteConfig: SiteConfig, nodeUnit: string, memberCluster: string, contentHash: string): CopyMeta {
  const name = nameOf(siteConfig);
  const namespace = siteConfig.metadata.namespace ?? 'default';
  const own = { ...siteConfig.metadata.labels };
  delete own[FED_LABEL];
  // gridfed's labels win: a SiteConfig cannot fake ownership of another's copies.
  const labels = {
    ...own,
    [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
    [SITE_CONFIG_NAMESPACE_LABEL]: namespace,
    [SITE_CONFIG_NAME_LABEL]: labelValueFor(name),
    ...(siteConfig.metadata.uid ? { [SITE_CONFIG_UID_LABEL]: siteConfig.metadata.uid } : {}),
    [NODE_UNIT_LABEL]: nodeUnit,
    [MEMBER_CLUSTER_LABEL]: labelValueFor(memberCluster),
  };
  const annotations = { [SITE_CONFIG_NAME_ANNOTATION]: name, [SITE_CONFIG_HASH_ANNOTATION]: contentHash };
  return { name: siteConfigCopyName(name, nodeUnit), namespace, labels, annotations };
}

function nameOf(siteConfig: SiteConfig): string {
  const name = siteConfig.metadata.name;
  if (!name) {
    const problem = { path: 'metadata.name', message: 'is missing: copies are named after the SiteConfig' };
    throw new SiteConfigRenderError(siteConfigRef(siteConfig), '', [problem]);
  }
  return name;
}
