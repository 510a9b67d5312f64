/**
 * Custom patterns for the guard module: a policy's own entity types found by RE2-syntax
 * regular expressions in linear time, as a `Scanner`.
 */
export {
  createRegexScanner,
  MAX_PATTERN_LENGTH,
  MAX_PATTERNS,
  type RegexPattern,
  type RegexScanner,
  type RegexScannerOptions,
} from './regex-scanner.js';
