export { validateGrid } from './validate-grid.js';
export {
  formatFieldErrors,
  formatGridErrors,
  isPlainObject,
  joinPath,
  manifestRef,
  type GridFieldError,
  type GridValidation,
} from './grid-errors.js';
// The building blocks, for the validation of gridfed's other resources (SiteConfig).
export { validateDto } from './dto-errors.js';
export { notAnObject, shown } from './messages.js';
export { UniqKeyedSpecDto } from './spec.dto.js';
export { isValidLabelKey, labelKeyProblem } from './label-key.js';
export { parseMaxUnavailable } from './rollout.dto.js';
