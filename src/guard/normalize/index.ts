/**
 * Text normalisation before detection (guard module): canonical form (NFKC, invisible
 * characters, confusables, case, whitespace), variant views (leetspeak, spaced-out letters,
 * ROT13), decoded payloads (base64, hex, percent, \u escapes, tag characters) and overlapping
 * windows for long texts. Pure functions; no I/O.
 */

export { canonicalize, canonicalizeKeepSpacing, foldConfusables, stripInvisible } from './canonicalize.js';
export { inertRangeEnd, inertWholeOf, inertWindowRange } from './inert-views.js';
export { type DecodedPayload, findPayloads, type PayloadKind, type PayloadOptions } from './payloads.js';
export { buildScanViews, type ScanView, type ScanViewKind, type ScanViewOptions } from './scan-views.js';
export { foldLeetspeak, joinSpacedLetters, rot13, rot13IfMentioned } from './variants.js';
export {
  DEFAULT_WINDOW_OVERLAP,
  DEFAULT_WINDOW_SIZE,
  type TextWindow,
  textWindows,
  type WindowOptions,
  windowRanges,
} from './windows.js';
