/**
 * Data exfiltration through the rendered answer: markdown images, reference definitions and
 * auto-loading HTML tags (and, on request, links) whose URL leads to a host the policy does not
 * allow, scored by the data the URL carries.
 */

export {
  createExfiltrationScanner,
  EXFILTRATION_OPTIONS,
  type ExfiltrationScannerOptions,
  exfiltrationOptions,
} from './exfiltration-scanner.js';
export { type Construct, type ConstructKind, MAX_CONSTRUCT_CHARS, scanMarkup } from './markup-scan.js';
export { hostAllowed, normaliseAllowedDomain, resolveUrl } from './url-risk.js';
