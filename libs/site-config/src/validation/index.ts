export { formatSiteConfigErrors, validateSiteConfig, type SiteConfigValidation } from './validate-site-config.js';
export { configKeyProblem } from './value-checks.js';
