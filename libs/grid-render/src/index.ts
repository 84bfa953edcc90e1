export { TEMPLATE_ANNOTATION } from './keys.js';
export { chooseTemplate, type ChosenTemplate, type WorkloadSpec } from './template-choice.js';
export { memberLabels } from './member-labels.js';
export {
  desiredHash,
  type MemberDeployment,
  type MemberObject,
  type MemberObjectMeta,
  type MemberService,
  type MemberStatefulSet,
  type MemberWorkload,
  type RenderedObject,
} from './rendered-object.js';
export { renderWorkload } from './render-workload.js';
export { renderService } from './render-service.js';
export { withoutReplicas } from './apply-body.js';
export { unusedTemplates } from './unused-templates.js';
export {
  pointAtSiteConfigCopies,
  SiteConfigReferenceError,
  type KeptCopySnapshot,
  type SiteConfigInputs,
} from './site-config-copies.js';
export {
  configReferences,
  gridConfigReferences,
  type ConfigKind,
  type ConfigReference,
  type ReferencedKey,
} from './config-references.js';
