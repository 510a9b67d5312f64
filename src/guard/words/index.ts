/**
 * Custom sensitive-word lists for the guard module: an Aho–Corasick automaton over
 * NFKC-equivalent, case-folded text with CJK-aware word boundaries, as a `Scanner`.
 */
export { AhoCorasick } from './aho-corasick.js';
export { foldText } from './fold.js';
export {
  createSensitiveWordsScanner,
  createWordMatcher,
  type SensitiveTerm,
  type SensitiveWordsOptions,
  type WordMatch,
  type WordMatcher,
  type WordsScanner,
} from './words-scanner.js';
