export * from './types.js';
export * from './validation/index.js';
export { copyContent, defaultsContent, siteConfigDigest, type CopyContent, type SecretLookup } from './content.js';
export { keptCopyName, siteConfigCopyName } from './names.js';
export { SiteConfigRenderError } from './render-error.js';
export {
  renderSiteConfig,
  siteConfigCopyRef,
  type CopyMeta,
  type CopyNaming,
  type CopyRef,
  type MemberConfigMap,
  type MemberCopy,
  type MemberSecret,
  type RenderedCopy,
} from './render-site-config.js';
export { copyOwnerOf, copySelector, siteConfigOfMemberObject, type CopyOwner } from './copy-ownership.js';
export { desiredCopies, type DesiredCopies, type KeptCopies } from './desired-copies.js';
export {
  ledgerNames,
  ledgerOwnerOf,
  secretCopyLedger,
  secretCopyLedgerName,
  type SecretCopyLedger,
} from './secret-copy-ledger.js';
export {
  memberCopyOutcome,
  type CopyFailure,
  type CopyRun,
  type MemberCopyOutcome,
  type NodeUnitCopyOutcome,
} from './copy-outcome.js';
export { siteConfigStatus, type CopyMemberView, type SiteConfigStatusInput } from './site-config-status.js';
