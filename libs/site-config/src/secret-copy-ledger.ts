// The names of a Secret SiteConfig's copies in one member, kept in a ConfigMap next to them
// (`gridfed-secret-copies-{siteconfig}`). The member agent may get, create, patch and delete
// Secrets but never list or watch them, so the hub finds its Secret copies by name: the ledger
// is written with a name before the Secret of that name is, and a name leaves it only once its
// Secret is gone. A hub that dies between the two writes leaves a name without a Secret (read
// as "not found"), never a Secret without a name. Pure builders and readers; the I/O is in
// libs/distribution.
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  labelValueFor,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  MAX_SUBDOMAIN,
  SECRET_COPY_LEDGER_LABEL,
  shortHash,
  SITE_CONFIG_NAME_ANNOTATION,
  SITE_CONFIG_NAME_LABEL,
  SITE_CONFIG_NAMESPACE_LABEL,
} from '#gridfed/grid-api';
import type { CopyMeta } from './render-site-config.js';

const PREFIX = 'gridfed-secret-copies-';

export interface SecretCopyLedger {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: CopyMeta;
  /** One key per Secret copy name (a DNS subdomain is a valid key); values are empty. */
  data: Record<string, string>;
}

/** `gridfed-secret-copies-{siteconfig}`, cut and hashed past 253 characters. */
export function secretCopyLedgerName(siteConfigName: string): string {
  const name = `${PREFIX}${siteConfigName}`;
  if (name.length <= MAX_SUBDOMAIN) return name;
  return `${name.slice(0, MAX_SUBDOMAIN - 11).replace(/[-.]+$/, '')}-${shortHash(name, 10)}`;
}

/** The ledger of SiteConfig `namespace/name` holding `names` (sorted, each once). */
export function secretCopyLedger(namespace: string, name: string, names: readonly string[]): SecretCopyLedger {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: secretCopyLedgerName(name),
      namespace,
      labels: {
        [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
        [SITE_CONFIG_NAMESPACE_LABEL]: namespace,
        [SITE_CONFIG_NAME_LABEL]: labelValueFor(name),
        [SECRET_COPY_LEDGER_LABEL]: 'true',
      },
      annotations: { [SITE_CONFIG_NAME_ANNOTATION]: name },
    },
    data: Object.fromEntries([...new Set(names)].sort().map((n) => [n, ''])),
  };
}

/** The SiteConfig whose ledger `obj` is, or undefined when it is not a ledger gridfed wrote. */
export function ledgerOwnerOf(obj: KubernetesObject): { namespace: string; name: string } | undefined {
  const labels = obj.metadata?.labels ?? {};
  const namespace = labels[SITE_CONFIG_NAMESPACE_LABEL];
  const name = obj.metadata?.annotations?.[SITE_CONFIG_NAME_ANNOTATION];
  if (labels[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE || labels[SECRET_COPY_LEDGER_LABEL] !== 'true') return undefined;
  if (!namespace || !name || obj.metadata?.name !== secretCopyLedgerName(name)) return undefined;
  return { namespace, name };
}

/** The Secret copy names a ledger records. */
export function ledgerNames(ledger: { data?: Record<string, string> } | undefined): string[] {
  return Object.keys(ledger?.data ?? {}).sort();
}
