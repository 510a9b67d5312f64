/**
 * Known-benign words (session 9, docs/guardrails-toxicity.md): a Bloom filter of ordinary
 * English dictionary words that are not profanity or slurs, baked into the model file by the
 * trainer. A word of plain lower-case ASCII letters that the filter holds contributes only
 * through its whole-word features: no character n-gram made only of its letters (and spaces)
 * is a feature. Why: "push", "bits", "hit" and "nightmare" share character n-grams with slurs
 * and swear words, and the tune data never says the innocent words are benign, so their
 * n-grams carried the slurs' weight ("git push" scored 0.98). Out-of-dictionary tokens —
 * obfuscations ("b1tch", "fuuck"), slang, slurs, names — keep their n-grams, and so does every
 * n-gram with a CJK character, a digit or punctuation in it (Chinese is untouched).
 *
 * `scanWords` is the pre-pass of the feature loops (it finds every word for them). A character counts as evidence for a
 * character n-gram unless it is a space (prepared text has only U+0020, never two in a row) or
 * a letter of a benign word; an n-gram is a feature iff it covers at least one evidence
 * character.
 */
import { CHAR_CLASS, CLASS_LETTER, CLASS_WORD } from './prepare-text.js';

export interface BenignWordSet {
  /** The filter's bit array (bit i = byte i >>> 3, bit i & 7). */
  bits: Uint8Array;
  /** log2 of the number of bits. */
  log2Bits: number;
  /** Bit positions per word (1–4). */
  hashes: number;
  /** A benign word this long or longer also gives its first `prefix` letters as a feature (0: none). */
  prefix: number;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** The word hash seed of features.ts: the filter is keyed by the word feature's own hash. */
const WORD_SEED = 0x5bd1e995;
const WORD_START = FNV_OFFSET ^ WORD_SEED;
const SALTS = [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344];

function fmix32(input: number): number {
  let hash = input;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}

/** The word hash of `word` (FNV-1a of its UTF-16 code units, features.ts hashWord). */
function wordHash(word: string): number {
  let hash = WORD_START;
  for (let index = 0; index < word.length; index++)
    hash = Math.imul(hash ^ word.charCodeAt(index), FNV_PRIME);
  return hash;
}

function filterHas(set: BenignWordSet, hash: number): boolean {
  const shift = 32 - set.log2Bits;
  for (let round = 0; round < set.hashes; round++) {
    const position = fmix32(hash ^ SALTS[round]!) >>> shift;
    if ((set.bits[position >>> 3]! & (1 << (position & 7))) === 0) return false;
  }
  return true;
}

/**
 * A direct-mapped cache of filter answers by word hash (ordinary text repeats a few hundred
 * words): the filter's bits are spread over 256 KB, and its three look-ups per word missed the
 * processor's caches often enough to cost as much as the feature loop. Exact: it stores the
 * filter's own answer for the full hash, so results do not depend on it.
 */
const CACHE_SLOTS = 4096;
const cacheHashes = new Int32Array(CACHE_SLOTS);
/** 0 empty, 1 not in the set, 2 in the set. */
const cacheAnswers = new Uint8Array(CACHE_SLOTS);
let cachedSet: BenignWordSet | null = null;

function has(set: BenignWordSet, hash: number): boolean {
  if (set !== cachedSet) {
    cacheAnswers.fill(0);
    cachedSet = set;
  }
  const slot = (hash ^ (hash >>> 12)) & (CACHE_SLOTS - 1);
  if (cacheHashes[slot] === hash && cacheAnswers[slot] !== 0) return cacheAnswers[slot] === 2;
  const answer = filterHas(set, hash);
  cacheHashes[slot] = hash;
  cacheAnswers[slot] = answer ? 2 : 1;
  return answer;
}

/** Whether the set holds `word` (a prepared, lower-case word; Bloom filter: rare false positives). */
export function hasBenignWord(set: BenignWordSet, word: string): boolean {
  return filterHas(set, wordHash(word));
}

/** Builds the filter of `words` (each plain lower-case a–z; others are skipped). */
export function buildBenignWordSet(
  words: Iterable<string>,
  log2Bits: number,
  hashes: number,
  prefix = 0,
): BenignWordSet {
  if (!(log2Bits >= 10 && log2Bits <= 24 && hashes >= 1 && hashes <= SALTS.length))
    throw new Error('benign words: bad filter size');
  if (!(Number.isInteger(prefix) && prefix >= 0 && prefix <= 16)) throw new Error('benign words: bad prefix');
  const set: BenignWordSet = { bits: new Uint8Array((1 << log2Bits) >>> 3), log2Bits, hashes, prefix };
  const shift = 32 - log2Bits;
  for (const word of words) {
    if (!/^[a-z]+$/.test(word)) continue;
    const hash = wordHash(word);
    for (let round = 0; round < hashes; round++) {
      const position = fmix32(hash ^ SALTS[round]!) >>> shift;
      set.bits[position >>> 3]! |= 1 << (position & 7);
    }
  }
  return set;
}

/**
 * Per code unit: 0 not a word character (CLASS_WORD), 1 a–z, 2 another letter (CLASS_LETTER),
 * 4 another word character (digits, apostrophe, underscore).
 */
const WORD_KIND = (() => {
  const table = new Uint8Array(65536);
  for (let code = 0; code < 65536; code++) {
    const kind = CHAR_CLASS[code]!;
    if ((kind & CLASS_WORD) === 0) continue;
    table[code] = code >= 0x61 && code <= 0x7a ? 1 : (kind & CLASS_LETTER) !== 0 ? 2 : 4;
  }
  return table;
})();

/** Beyond any position: the start of the sentinel record that ends a word list. */
export const NO_POSITION = 0x7fffffff;
/** Numbers per word record of scanWords: start, end, word hash, prefix hash, benign (0/1). */
export const WORD_STRIDE = 5;
let records = new Int32Array(1024);
/** Set by scanWords: the letters (CLASS_LETTER) in the words of the last text. */
export const wordScan = { letters: 0 };

/**
 * The words of the prepared text `codes[0 … length)` (runs of CLASS_WORD characters), valid
 * until the next call: one record of WORD_STRIDE numbers per word, in order — start, end (the
 * position after its last character), its word hash (features.ts hashWord), the hash of its
 * first `set.prefix` characters (when it has that many), and 1 if it is a benign word (plain
 * a–z and in the set) — then a sentinel record starting at NO_POSITION (marked benign, so a
 * search for the next benign word stops there). The feature loops read the words from here
 * instead of tracking them character by character, so the benign look-up costs no second walk.
 */
export function scanWords(codes: Uint16Array, length: number, set: BenignWordSet | null): Int32Array {
  // At most one word per two code units (a word and its separator), plus the sentinel.
  const needed = WORD_STRIDE * ((length >>> 1) + 2);
  if (records.length < needed) records = new Int32Array(Math.max(needed, 2 * records.length));
  const found = records;
  const prefix = set?.prefix ?? 0;
  let count = 0;
  let letters = 0;
  let wordStart = -1;
  let hash = 0;
  let prefixHash = 0;
  let plain = 0;
  for (let index = 0; index <= length; index++) {
    const code = index < length ? codes[index]! : 0x20;
    const kind = WORD_KIND[code]!;
    if (kind !== 0) {
      if (wordStart < 0) {
        wordStart = index;
        hash = WORD_START;
        plain = 1;
      }
      hash = Math.imul(hash ^ code, FNV_PRIME);
      if (index - wordStart === prefix - 1) prefixHash = hash;
      plain &= kind;
      letters += kind >>> 2 === 0 ? 1 : 0;
      continue;
    }
    if (wordStart >= 0) {
      found[count] = wordStart;
      found[count + 1] = index;
      found[count + 2] = hash;
      found[count + 3] = prefixHash;
      found[count + 4] = set !== null && plain === 1 && has(set, hash) ? 1 : 0;
      count += WORD_STRIDE;
      wordStart = -1;
    }
  }
  found[count] = NO_POSITION;
  found[count + 1] = NO_POSITION;
  found[count + 2] = 0;
  found[count + 3] = 0;
  found[count + 4] = 1;
  wordScan.letters = letters;
  return found;
}
