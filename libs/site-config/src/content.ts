// What one NodeUnit's copy of a SiteConfig holds: the defaults under its own values, checked
// against spec.required. Pure: control-cluster Secrets come in through a lookup.
import { createHmac } from 'node:crypto';
import type { V1Secret } from '@kubernetes/client-node';
import stringify from 'safe-stable-stringify';
import { joinPath, shortHash, type GridFieldError } from '#gridfed/grid-api';
import { SiteConfigRenderError } from './render-error.js';
import { siteConfigRef, siteConfigType, type SecretKeyRef, type SiteConfig, type SiteConfigValues } from './types.js';

/** A Secret of the control cluster in the SiteConfig's namespace, by name; undefined when there is none. */
export type SecretLookup = (name: string) => V1Secret | undefined;

export interface CopyContent {
  /** ConfigMap data (plain), or Secret data (base64, as the control cluster's Secrets hold it). */
  data: Record<string, string>;
  /** 16 hex digits; for a Secret keyed by its sources' uids, so it cannot be used to guess a value. */
  hash: string;
}

const HASH_LENGTH = 16;
const noSecrets: SecretLookup = () => undefined;

/**
 * The content of `nodeUnit`'s copy. Throws SiteConfigRenderError naming the SiteConfig, the
 * NodeUnit, the field and the key when a required key is missing, a Secret or key it names is
 * not there, or the copy would be empty. Messages name Secrets and keys, never a value.
 */
export function copyContent(siteConfig: SiteConfig, nodeUnit: string, secrets: SecretLookup = noSecrets): CopyContent {
  return contentWith(siteConfig, nodeUnit, ownValues(siteConfig, nodeUnit), secrets);
}

/**
 * The content every NodeUnit without an entry of its own in spec.nodeUnits gets: the defaults
 * alone, the same for all of them (the hash does not depend on the NodeUnit). Throws like
 * copyContent when the defaults alone make no complete copy.
 */
export function defaultsContent(siteConfig: SiteConfig, secrets: SecretLookup = noSecrets): CopyContent {
  return contentWith(siteConfig, '<any NodeUnit without an entry>', undefined, secrets);
}

function contentWith(
  siteConfig: SiteConfig,
  nodeUnit: string,
  own: SiteConfigValues | undefined,
  secrets: SecretLookup,
): CopyContent {
  const resolved =
    siteConfigType(siteConfig) === 'Secret'
      ? secretData(siteConfig, nodeUnit, own, secrets)
      : { data: { ...siteConfig.spec.defaults?.data, ...own?.data }, problems: [], keys: [] };
  const problems = [...resolved.problems, ...completenessProblems(siteConfig, nodeUnit, own, resolved.data)];
  if (problems.length > 0) throw new SiteConfigRenderError(siteConfigRef(siteConfig), nodeUnit, problems);
  return { data: resolved.data, hash: contentHash(resolved.data, resolved.keys) };
}

function ownValues(siteConfig: SiteConfig, nodeUnit: string): SiteConfigValues | undefined {
  const nodeUnits = siteConfig.spec.nodeUnits ?? {};
  // hasOwn: a NodeUnit called `constructor` must not find Object.prototype's.
  return Object.hasOwn(nodeUnits, nodeUnit) ? nodeUnits[nodeUnit] : undefined;
}

interface ResolvedSecrets {
  data: Record<string, string>;
  problems: GridFieldError[];
  /** The uids of the Secrets read: the key of the content hash. */
  keys: string[];
}

/** The defaults' secretRefs, then the NodeUnit's: later references win key by key. */
function secretData(
  siteConfig: SiteConfig,
  nodeUnit: string,
  own: SiteConfigValues | undefined,
  secrets: SecretLookup,
): ResolvedSecrets {
  const refs: [string, SecretKeyRef][] = [
    ...refsAt('spec.defaults.secretRefs', siteConfig.spec.defaults?.secretRefs),
    ...refsAt(`${joinPath('spec.nodeUnits', nodeUnit)}.secretRefs`, own?.secretRefs),
  ];
  const resolved: ResolvedSecrets = { data: {}, problems: [], keys: [] };
  const namespace = siteConfig.metadata.namespace ?? 'default';
  for (const [path, ref] of refs) {
    const secret = secrets(ref.name);
    if (!secret) {
      const message = `names Secret ${namespace}/${ref.name}, which the control cluster does not have: NodeUnit ${nodeUnit} gets no copy until it does`;
      resolved.problems.push({ path, message });
      continue;
    }
    resolved.keys.push(secret.metadata?.uid ?? `${namespace}/${ref.name}`);
    const data = secret.data ?? {};
    if (ref.key === undefined) Object.assign(resolved.data, data);
    else if (Object.hasOwn(data, ref.key)) resolved.data[ref.key] = data[ref.key]!;
    else resolved.problems.push({ path: `${path}.key`, message: missingSecretKey(ref.key, namespace, ref.name, data) });
  }
  return resolved;
}

function refsAt(path: string, refs: SecretKeyRef[] | undefined): [string, SecretKeyRef][] {
  return (refs ?? []).map((ref, i) => [`${path}[${i}]`, ref]);
}

function missingSecretKey(key: string, namespace: string, name: string, data: Record<string, string>): string {
  const keys = Object.keys(data).sort();
  const has = keys.length === 0 ? 'it has no keys' : `it has ${keys.join(', ')}`;
  return `names key ${JSON.stringify(key)}, which Secret ${namespace}/${name} does not have (${has})`;
}

/** Every key of spec.required is there, and the copy is not empty. */
function completenessProblems(
  siteConfig: SiteConfig,
  nodeUnit: string,
  own: SiteConfigValues | undefined,
  data: Record<string, string>,
): GridFieldError[] {
  const path = joinPath('spec.nodeUnits', nodeUnit);
  const field = siteConfigType(siteConfig) === 'Secret' ? 'secretRefs' : 'data';
  // Without an entry the NodeUnit itself is what is missing: say so first.
  const start = own === undefined ? `is missing: NodeUnit ${nodeUnit}` : '';
  const outcome = `NodeUnit ${nodeUnit} gets no copy until then`;
  const missing = (siteConfig.spec.required ?? []).filter((key) => !Object.hasOwn(data, key));
  if (missing.length > 0) {
    const keys = `key${missing.length > 1 ? 's' : ''} ${missing.map((key) => JSON.stringify(key)).join(', ')}`;
    const message = `${start} lacks required ${keys} (spec.required), which spec.defaults.${field} does not give: set it in ${path}.${field}; ${outcome}`;
    return [{ path, message: message.trimStart() }];
  }
  if (Object.keys(data).length > 0) return [];
  const message = `${start} has no key at all, with spec.defaults.${field} giving none either: set ${path}.${field} (never an empty copy); ${outcome}`;
  return [{ path, message: message.trimStart() }];
}

/**
 * A ConfigMap's hash is sha256 of its data. A Secret's is an HMAC keyed by the uids of the
 * control-cluster Secrets it was read from: pod templates carry the hash, and a plain hash
 * of a short password could be searched offline by anyone who can read pods in a member.
 */
function contentHash(data: Record<string, string>, keys: string[]): string {
  const text = stringify(data);
  if (keys.length === 0) return shortHash(text, HASH_LENGTH);
  return createHmac('sha256', keys.join(',')).update(text).digest('hex').slice(0, HASH_LENGTH);
}

/**
 * What every NodeUnit's copy is made from, in one hash: the spec, and for a Secret SiteConfig
 * an HMAC (keyed by uid, like a copy's hash) of each control-cluster Secret it names. Equal
 * digests give equal copies whatever the topology: a grid's revision includes it, so a change
 * of configuration is a new revision a staged rollout takes through its waves.
 */
export function siteConfigDigest(siteConfig: SiteConfig, secrets: SecretLookup = noSecrets): string {
  const { gridUniqKey, type, required, defaults, nodeUnits } = siteConfig.spec;
  const sources: Record<string, string> = {};
  if (siteConfigType(siteConfig) === 'Secret') {
    const values = [defaults, ...Object.values(nodeUnits ?? {})];
    for (const name of new Set(values.flatMap((v) => v?.secretRefs ?? []).map((ref) => ref.name))) {
      const secret = secrets(name);
      sources[name] = secret ? contentHash(secret.data ?? {}, [secret.metadata?.uid ?? name]) : 'absent';
    }
  }
  const spec = { gridUniqKey, type: type ?? 'ConfigMap', required, defaults, nodeUnits };
  return shortHash(stringify({ spec, sources }) ?? '', HASH_LENGTH);
}
