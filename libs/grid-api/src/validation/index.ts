export { validateGrid } from './validate-grid.js';
export { formatGridErrors, type GridFieldError, type GridValidation } from './grid-errors.js';
export { isValidLabelKey, labelKeyProblem } from './label-key.js';
export { parseMaxUnavailable } from './rollout.dto.js';
