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
 * `markEvidence` is the pre-pass of the feature loop: one flag per prepared code unit, 1 where
 * the character counts as evidence for a character n-gram (0 for spaces and for the letters
 * of a benign word); an n-gram is a feature iff it covers at least one evidence character.
 */
import { CHAR_CLASS, CLASS_SPACE, CLASS_WORD } from './prepare-text.js';

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

function has(set: BenignWordSet, hash: number): boolean {
  const shift = 32 - set.log2Bits;
  for (let round = 0; round < set.hashes; round++) {
    const position = fmix32(hash ^ SALTS[round]!) >>> shift;
    if ((set.bits[position >>> 3]! & (1 << (position & 7))) === 0) return false;
  }
  return true;
}

/** Whether the set holds `word` (a prepared, lower-case word; Bloom filter: rare false positives). */
export function hasBenignWord(set: BenignWordSet, word: string): boolean {
  return has(set, wordHash(word));
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

let evidence = new Uint8Array(1024);
let allEvidence = new Uint8Array(0);

/**
 * Evidence flags of the prepared text `codes[0 … length)` (valid until the next call): with
 * no set, every character is evidence (every n-gram is a feature, as before session 9).
 */
export function markEvidence(codes: Uint16Array, length: number, set: BenignWordSet | null): Uint8Array {
  if (set === null) {
    if (allEvidence.length < length)
      allEvidence = new Uint8Array(Math.max(length, 2 * allEvidence.length)).fill(1);
    return allEvidence;
  }
  if (evidence.length < length) evidence = new Uint8Array(Math.max(length, 2 * evidence.length));
  const flags = evidence;
  let wordStart = -1;
  let hash = 0;
  let plain = 1;
  for (let index = 0; index <= length; index++) {
    const code = index < length ? codes[index]! : 0x20;
    const kind = CHAR_CLASS[code]!;
    if ((kind & CLASS_WORD) !== 0 && index < length) {
      if (wordStart < 0) {
        wordStart = index;
        hash = WORD_START;
        plain = 1;
      }
      hash = Math.imul(hash ^ code, FNV_PRIME);
      // 1 while every code unit is a–z (0x61–0x7a).
      plain &= (code - 0x61) >>> 0 < 26 ? 1 : 0;
      flags[index] = 1;
      continue;
    }
    if (wordStart >= 0) {
      if (plain === 1 && has(set, hash)) flags.fill(0, wordStart, index);
      wordStart = -1;
    }
    if (index < length) flags[index] = (kind & CLASS_SPACE) !== 0 ? 0 : 1;
  }
  return flags;
}
