/**
 * PII detection and redaction for the guard module: a synchronous `Scanner` over emails,
 * phones, payment cards, IBANs, Chinese resident IDs, US SSNs, IP addresses and secrets, plus
 * mask / replace / reversible redaction and restore.
 */
export {
  createPiiScanner,
  findPii,
  type PiiFinding,
  type PiiScanner,
  type PiiScannerOptions,
} from './pii-scanner.js';
export { maskPiiValue, type RedactedText, type RedactionMode, redact, restore } from './redact.js';
export { PII_TYPES, type PiiType } from './types.js';
