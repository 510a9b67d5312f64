/**
 * Hashed features of prepared text, extracted in one allocation-free pass: word unigrams and
 * bigrams (space-separated scripts), character 2–4-grams over the whole prepared string
 * (these carry Chinese without a segmenter and survive misspellings and obfuscation in
 * English), CJK character unigrams, and one feature per lexicon category hit. Every feature is
 * a 32-bit FNV-1a hash reduced to `bits` bits by Fibonacci hashing; collisions are the price
 * of a fixed-size model and no vocabulary file.
 *
 * The extractor writes feature indexes into a reusable `FeatureScratch` so the scanner's hot
 * path allocates nothing per text (the prepared text comes as code units: prepareUnits).
 */
import { CodeUnits } from '../normalize/code-units.js';
import { CHINESE_LEXICON, ENGLISH_LEXICON, LEXICON_CATEGORIES, type LexiconCategory } from './lexicon.js';
import {
  CHAR_CLASS,
  CLASS_CJK,
  CLASS_LETTER,
  CLASS_WORD,
  isWordCode,
  unitsStartWith,
} from './prepare-text.js';

export interface FeatureSettings {
  /** log2 of the number of weight buckets. */
  bits: number;
  /** Character n-gram lengths, inclusive. */
  charMin: number;
  charMax: number;
}

export const DEFAULT_FEATURE_SETTINGS: FeatureSettings = { bits: 18, charMin: 2, charMax: 4 };

export interface LexiconHit {
  category: LexiconCategory;
  /** Offsets into the prepared text. */
  start: number;
  end: number;
  term: string;
}

export interface FeatureScratch {
  indexes: Int32Array;
  count: number;
  hits: LexiconHit[];
  /** CJK characters and letters (CJK + Latin-like letters) of the last text. */
  cjk: number;
  letters: number;
  /** The weight sum of the last text scored by scoreFeatureUnits. */
  sum: number;
}

export function createScratch(capacity = 4096): FeatureScratch {
  return { indexes: new Int32Array(capacity), count: 0, hits: [], cjk: 0, letters: 0, sum: 0 };
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const CHAR_SEED = 0x2f6b1a3d;
const WORD_SEED = 0x5bd1e995;
const BIGRAM_MIX = 0x85ebca6b;
const BIGRAM_TAG = 0x3c6ef372;
const GOLDEN = 0x9e3779b1;
const WORD_TAG = 0x27d4eb2f;
const CHAR_START = FNV_OFFSET ^ CHAR_SEED;

function fmix32(input: number): number {
  let hash = input;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}

/** FNV-1a of a string's UTF-16 code units (the word hash used by the extractor). */
export function hashWord(text: string, start = 0, end = text.length): number {
  let hash = FNV_OFFSET ^ WORD_SEED;
  for (let index = start; index < end; index++) hash = Math.imul(hash ^ text.charCodeAt(index), FNV_PRIME);
  return hash >>> 0;
}

/** hashWord of the code units `codes[start … end)`. */
function hashUnits(codes: Uint16Array, start: number, end: number): number {
  let hash = FNV_OFFSET ^ WORD_SEED;
  for (let index = start; index < end; index++) hash = Math.imul(hash ^ codes[index]!, FNV_PRIME);
  return hash >>> 0;
}

const CATEGORY_FEATURES: Record<LexiconCategory, number> = Object.fromEntries(
  LEXICON_CATEGORIES.map((category, position) => [category, fmix32(0x6c657800 + position)]),
) as Record<LexiconCategory, number>;

// Keys are 30-bit so they stay small integers (a Map keyed by heap numbers is several times slower).
interface WordEntry {
  /** The lexicon entry this word is, if any. */
  entry: { term: string; category: LexiconCategory } | null;
  /** Some phrase starts with this word: only then are phrases searched. */
  startsPhrase: boolean;
}
const englishWords = new Map<number, WordEntry>();
const englishPhrases: Array<{ term: string; category: LexiconCategory }> = [];
for (const entry of ENGLISH_LEXICON) {
  const first = entry.term.split(' ')[0]!;
  const key = hashWord(first) >>> 2;
  const known = englishWords.get(key) ?? { entry: null, startsPhrase: false };
  if (entry.term.includes(' ')) {
    englishPhrases.push(entry);
    known.startsPhrase = true;
  } else known.entry = entry;
  englishWords.set(key, known);
}
const chineseByFirst = new Map<number, Array<{ term: string; category: LexiconCategory }>>();
/** 1 where a Chinese lexicon term starts with this code unit (skips the Map for other characters). */
const CHINESE_FIRST = new Uint8Array(65536);
for (const entry of CHINESE_LEXICON) {
  const first = entry.term.charCodeAt(0);
  CHINESE_FIRST[first] = 1;
  const list = chineseByFirst.get(first) ?? [];
  list.push(entry);
  chineseByFirst.set(first, list);
}

function ensureCapacity(scratch: FeatureScratch, needed: number): void {
  if (scratch.indexes.length >= needed) return;
  const grown = new Int32Array(Math.max(needed, scratch.indexes.length * 2));
  grown.set(scratch.indexes.subarray(0, scratch.count));
  scratch.indexes = grown;
}

function addHit(scratch: FeatureScratch, mask: number, hit: LexiconHit): void {
  scratch.hits.push(hit);
  ensureCapacity(scratch, scratch.count + 1);
  scratch.indexes[scratch.count++] = CATEGORY_FEATURES[hit.category] & mask;
}

function matchPhrases(codes: Uint16Array, length: number, scratch: FeatureScratch, mask: number): void {
  for (const phrase of englishPhrases) {
    const term = phrase.term;
    let from = unitsIndexOf(codes, length, term, 0);
    while (from !== -1) {
      const end = from + term.length;
      const before = from === 0 ? 0x20 : codes[from - 1]!;
      const after = end >= length ? 0x20 : codes[end]!;
      if (!isWordCode(before) && !isWordCode(after)) {
        addHit(scratch, mask, { category: phrase.category, start: from, end, term });
      }
      from = unitsIndexOf(codes, length, term, end);
    }
  }
}

/** `indexOf(term, from)` of the text held in `codes[0 … length)`. */
function unitsIndexOf(codes: Uint16Array, length: number, term: string, from: number): number {
  const first = term.charCodeAt(0);
  for (let index = from; index + term.length <= length; index++) {
    if (codes[index] === first && unitsStartWith(codes, length, index, term)) return index;
  }
  return -1;
}

/**
 * 1 where some English lexicon word or phrase opener has this key's low 16 bits (key = word
 * hash >>> 2, as in `englishWords`): the feature loop notes a word for the lexicon only then
 * (99 entries: about 1 ordinary word in 700 passes the filter).
 */
const ENGLISH_FILTER = new Uint8Array(65536);
for (const key of englishWords.keys()) ENGLISH_FILTER[key & 0xffff] = 1;

/**
 * Lexicon candidates noted by the feature loop, in the order the loop met them, four numbers
 * each: kind (CANDIDATE_CJK: a CJK character that starts a Chinese term; CANDIDATE_WORD: a
 * word that passed ENGLISH_FILTER), start, end (the word's end; unused for CJK), and the
 * feature count at that point (where the loop used to write the category feature).
 */
const CANDIDATE_CJK = 1;
const CANDIDATE_WORD = 2;
let candidates = new Int32Array(256);
/** The prepared text's code units (the loop reads a typed array, not the string). */
const codeUnits = new CodeUnits(1024);

/**
 * Resets `scratch` and fills it with the feature indexes of `prepared` (the output of
 * `prepareText`). Repeated features appear repeatedly (counts, not a set). One pass: the next
 * four code units slide through locals (each character is read once), character classes come
 * from a table (no data-dependent branches on ranges), indexes are the top `bits` bits of
 * hash × 2^32/φ (Fibonacci hashing: one multiply that mixes every input bit). It also counts
 * CJK characters and letters for the language mix.
 *
 * The loop itself only hashes and counts; lexicon look-ups (a Map, startsWith, hit objects)
 * happen afterwards for the few candidates it noted, and their category features are put
 * back at the positions the loop would have written them, so the features and hits are in
 * the same order as when the look-ups ran inside the loop. Why: with the look-ups inside,
 * TurboFan compiled the loop differently once it had seen Chinese and curly-quoted text, and
 * the same 2 KB English prompts then took 1.5–2× as long (0.055 → 0.085–0.12 ms per prompt,
 * measured after the equivalence corpus); it reads code units from a typed array for the same
 * reason (charCodeAt on strings of every representation).
 */
export function extractFeatures(prepared: string, settings: FeatureSettings, scratch: FeatureScratch): void {
  extractFeatureUnits(codeUnits.load(prepared), prepared.length, settings, scratch);
}

/**
 * extractFeatures of the prepared text held in `codes[0 … length)` (prepareUnits): the scan
 * path makes no prepared string (the lexicon look-ups read the code units too).
 */
export function extractFeatureUnits(
  codes: Uint16Array,
  length: number,
  settings: FeatureSettings,
  scratch: FeatureScratch,
): void {
  const mask = (1 << settings.bits) - 1;
  const shift = 32 - settings.bits;
  const { charMin, charMax } = settings;
  scratch.count = 0;
  scratch.hits.length = 0;
  // Upper bound: one unigram + (charMax − charMin + 1) n-grams per position, two per word end.
  ensureCapacity(scratch, length * (charMax - charMin + 4) + 16);
  const indexes = scratch.indexes;
  // At most two candidates per position (a CJK character that also ends a word), four numbers each.
  if (candidates.length < 8 * length + 8) candidates = new Int32Array(8 * length + 8);
  const noted = candidates;
  let candidateCount = 0;
  let count = 0;
  let cjkCount = 0;
  let letters = 0;
  let wordStart = -1;
  let wordHash = 0;
  let previousWord = 0;
  let hasPrevious = false;
  let next1 = length > 1 ? codes[1]! : 0;
  let next2 = length > 2 ? codes[2]! : 0;
  let code = length > 0 ? codes[0]! : 0x20;
  for (let index = 0; index <= length; index++) {
    const next3 = index + 3 < length ? codes[index + 3]! : 0;
    if (index === length) code = 0x20;
    const kind = CHAR_CLASS[code]!;
    if (index < length) {
      // Character n-grams starting here: FNV-1a over this and the next charMax − 1 code units.
      let hash = Math.imul(CHAR_START ^ code, FNV_PRIME);
      if ((kind & CLASS_CJK) !== 0 || charMin === 1) indexes[count++] = Math.imul(hash, GOLDEN) >>> shift;
      const limit = Math.min(charMax, length - index);
      if (limit >= 2) {
        hash = Math.imul(hash ^ next1, FNV_PRIME);
        if (charMin <= 2) indexes[count++] = Math.imul(hash, GOLDEN) >>> shift;
        if (limit >= 3) {
          hash = Math.imul(hash ^ next2, FNV_PRIME);
          if (charMin <= 3) indexes[count++] = Math.imul(hash, GOLDEN) >>> shift;
          if (limit >= 4) {
            hash = Math.imul(hash ^ next3, FNV_PRIME);
            indexes[count++] = Math.imul(hash, GOLDEN) >>> shift;
          }
        }
      }
      if ((kind & CLASS_CJK) !== 0) {
        cjkCount++;
        letters++;
        if (CHINESE_FIRST[code] === 1) {
          noted[candidateCount] = CANDIDATE_CJK;
          noted[candidateCount + 1] = index;
          noted[candidateCount + 3] = count;
          candidateCount += 4;
        }
      }
    }
    if ((kind & CLASS_WORD) !== 0 && index < length) {
      if ((kind & CLASS_LETTER) !== 0) letters++;
      if (wordStart < 0) {
        wordStart = index;
        wordHash = FNV_OFFSET ^ WORD_SEED;
      }
      wordHash = Math.imul(wordHash ^ code, FNV_PRIME);
    } else {
      if (wordStart >= 0) {
        const word = wordHash;
        indexes[count++] = Math.imul(word ^ WORD_TAG, GOLDEN) >>> shift;
        if (hasPrevious)
          indexes[count++] =
            Math.imul(Math.imul(previousWord, BIGRAM_MIX) ^ word ^ BIGRAM_TAG, GOLDEN) >>> shift;
        if (ENGLISH_FILTER[(word >>> 2) & 0xffff] === 1) {
          noted[candidateCount] = CANDIDATE_WORD;
          noted[candidateCount + 1] = wordStart;
          noted[candidateCount + 2] = index;
          noted[candidateCount + 3] = count;
          candidateCount += 4;
        }
        previousWord = word;
        hasPrevious = true;
        wordStart = -1;
      }
      if ((kind & CLASS_CJK) !== 0) hasPrevious = false;
    }
    code = next1;
    next1 = next2;
    next2 = next3;
  }
  scratch.count = count;
  scratch.cjk = cjkCount;
  scratch.letters = letters;
  if (candidateCount > 0 && lexiconHits(codes, length, scratch, mask, candidateCount))
    matchPhrases(codes, length, scratch, mask);
}

/**
 * The scan path's fused form of extractFeatureUnits followed by the window's dot product:
 * the same loop, but each feature's weight `codebook[weights[index] + 128]` is added to a sum
 * as the feature is made, instead of the index being stored and read back by a second loop.
 * The additions run in the order the indexes would have been stored, starting from 0, so the
 * sum is bit-for-bit the one of `for (feature of indexes) sum += …` — as long as no lexicon
 * category feature has to be inserted into the middle of that order. So the loop notes the
 * lexicon candidates as extractFeatureUnits does, and afterwards checks whether any of them
 * (or a phrase) would give a hit (lexiconMayHit); if one would, it returns false and the
 * caller takes the two-step path (a window in a few hundred of ordinary prompts). Otherwise it
 * returns true with `scratch.count`, `cjk`, `letters` set, `scratch.sum` the sum and no hits
 * (the indexes are not written).
 *
 * Why: the separate dot product is a chain of dependent floating-point additions (≈ 5 per
 * character) that ran after the hashing; fused, the chain overlaps the hashing work, and the
 * index stores and loads go away.
 */
export function scoreFeatureUnits(
  codes: Uint16Array,
  length: number,
  settings: FeatureSettings,
  weights: Int8Array,
  codebook: Float64Array,
  scratch: FeatureScratch,
): boolean {
  const shift = 32 - settings.bits;
  const { charMin, charMax } = settings;
  if (candidates.length < 8 * length + 8) candidates = new Int32Array(8 * length + 8);
  const noted = candidates;
  let candidateCount = 0;
  let count = 0;
  let sum = 0;
  let cjkCount = 0;
  let letters = 0;
  let wordStart = -1;
  let wordHash = 0;
  let previousWord = 0;
  let hasPrevious = false;
  let next1 = length > 1 ? codes[1]! : 0;
  let next2 = length > 2 ? codes[2]! : 0;
  let code = length > 0 ? codes[0]! : 0x20;
  for (let index = 0; index <= length; index++) {
    const next3 = index + 3 < length ? codes[index + 3]! : 0;
    if (index === length) code = 0x20;
    const kind = CHAR_CLASS[code]!;
    if (index < length) {
      let hash = Math.imul(CHAR_START ^ code, FNV_PRIME);
      if ((kind & CLASS_CJK) !== 0 || charMin === 1) {
        sum += codebook[weights[Math.imul(hash, GOLDEN) >>> shift]! + 128]!;
        count++;
      }
      const limit = Math.min(charMax, length - index);
      if (limit >= 2) {
        hash = Math.imul(hash ^ next1, FNV_PRIME);
        if (charMin <= 2) {
          sum += codebook[weights[Math.imul(hash, GOLDEN) >>> shift]! + 128]!;
          count++;
        }
        if (limit >= 3) {
          hash = Math.imul(hash ^ next2, FNV_PRIME);
          if (charMin <= 3) {
            sum += codebook[weights[Math.imul(hash, GOLDEN) >>> shift]! + 128]!;
            count++;
          }
          if (limit >= 4) {
            hash = Math.imul(hash ^ next3, FNV_PRIME);
            sum += codebook[weights[Math.imul(hash, GOLDEN) >>> shift]! + 128]!;
            count++;
          }
        }
      }
      if ((kind & CLASS_CJK) !== 0) {
        cjkCount++;
        letters++;
        if (CHINESE_FIRST[code] === 1) {
          noted[candidateCount] = CANDIDATE_CJK;
          noted[candidateCount + 1] = index;
          candidateCount += 4;
        }
      }
    }
    if ((kind & CLASS_WORD) !== 0 && index < length) {
      if ((kind & CLASS_LETTER) !== 0) letters++;
      if (wordStart < 0) {
        wordStart = index;
        wordHash = FNV_OFFSET ^ WORD_SEED;
      }
      wordHash = Math.imul(wordHash ^ code, FNV_PRIME);
    } else {
      if (wordStart >= 0) {
        const word = wordHash;
        sum += codebook[weights[Math.imul(word ^ WORD_TAG, GOLDEN) >>> shift]! + 128]!;
        count++;
        if (hasPrevious) {
          sum +=
            codebook[
              weights[Math.imul(Math.imul(previousWord, BIGRAM_MIX) ^ word ^ BIGRAM_TAG, GOLDEN) >>> shift]! +
                128
            ]!;
          count++;
        }
        if (ENGLISH_FILTER[(word >>> 2) & 0xffff] === 1) {
          noted[candidateCount] = CANDIDATE_WORD;
          noted[candidateCount + 1] = wordStart;
          noted[candidateCount + 2] = index;
          candidateCount += 4;
        }
        previousWord = word;
        hasPrevious = true;
        wordStart = -1;
      }
      if ((kind & CLASS_CJK) !== 0) hasPrevious = false;
    }
    code = next1;
    next1 = next2;
    next2 = next3;
  }
  if (candidateCount > 0 && lexiconMayHit(codes, length, candidateCount)) return false;
  scratch.count = count;
  scratch.cjk = cjkCount;
  scratch.letters = letters;
  scratch.sum = sum;
  scratch.hits.length = 0;
  return true;
}

/**
 * Whether lexiconHits, given the same candidates, would add a hit, or matchPhrases would (it
 * runs when some candidate word starts a phrase): the same look-ups and the same tests, without
 * pushing hits or features.
 */
function lexiconMayHit(codes: Uint16Array, length: number, candidateCount: number): boolean {
  for (let candidate = 0; candidate < candidateCount; candidate += 4) {
    const start = candidates[candidate + 1]!;
    if (candidates[candidate] === CANDIDATE_CJK) {
      for (const entry of chineseByFirst.get(codes[start]!) ?? []) {
        if (unitsStartWith(codes, length, start, entry.term)) return true;
      }
      continue;
    }
    const end = candidates[candidate + 2]!;
    const known = englishWords.get(hashUnits(codes, start, end) >>> 2);
    if (known === undefined) continue;
    const entry = known.entry;
    if (entry && end - start === entry.term.length && unitsStartWith(codes, length, start, entry.term))
      return true;
    // Then matchPhrases would run. Every phrase it accepts has no word character before it and
    // a space after its first word, so it starts at a word the loop noted with this entry:
    // trying each phrase at such starts finds all of them (and maybe more: then the caller
    // only takes the exact path for nothing).
    if (known.startsPhrase) {
      for (const phrase of englishPhrases) {
        const term = phrase.term;
        if (!unitsStartWith(codes, length, start, term)) continue;
        const after = start + term.length >= length ? 0x20 : codes[start + term.length]!;
        if (!isWordCode(after)) return true;
      }
    }
  }
  return false;
}

/** Category features to put back, as (position in indexes, feature) pairs; see lexiconHits. */
let insertions = new Int32Array(64);

/**
 * Looks up the candidates the feature loop noted: pushes their hits, inserts their category
 * features where the loop would have written them, and returns whether some word starts a
 * lexicon phrase.
 */
function lexiconHits(
  codes: Uint16Array,
  length: number,
  scratch: FeatureScratch,
  mask: number,
  candidateCount: number,
): boolean {
  let phraseStart = false;
  let inserted = 0;
  const add = (position: number, feature: number): void => {
    if (insertions.length < inserted + 2) {
      const grown = new Int32Array(insertions.length * 2);
      grown.set(insertions);
      insertions = grown;
    }
    insertions[inserted++] = position;
    insertions[inserted++] = feature;
  };
  for (let candidate = 0; candidate < candidateCount; candidate += 4) {
    const start = candidates[candidate + 1]!;
    const position = candidates[candidate + 3]!;
    if (candidates[candidate] === CANDIDATE_CJK) {
      for (const entry of chineseByFirst.get(codes[start]!) ?? []) {
        if (!unitsStartWith(codes, length, start, entry.term)) continue;
        scratch.hits.push({
          category: entry.category,
          start,
          end: start + entry.term.length,
          term: entry.term,
        });
        add(position, CATEGORY_FEATURES[entry.category] & mask);
      }
      continue;
    }
    const end = candidates[candidate + 2]!;
    const known = englishWords.get(hashUnits(codes, start, end) >>> 2);
    if (known === undefined) continue;
    if (known.startsPhrase) phraseStart = true;
    const entry = known.entry;
    if (entry && end - start === entry.term.length && unitsStartWith(codes, length, start, entry.term)) {
      scratch.hits.push({ category: entry.category, start, end, term: entry.term });
      add(position, CATEGORY_FEATURES[entry.category] & mask);
    }
  }
  if (inserted > 0) {
    // Shift the features right, from the end, making room at each insertion position.
    const total = inserted / 2;
    ensureCapacity(scratch, scratch.count + total);
    const indexes = scratch.indexes;
    let read = scratch.count;
    let write = read + total;
    for (let pair = inserted - 2; pair >= 0; pair -= 2) {
      const position = insertions[pair]!;
      while (read > position) indexes[--write] = indexes[--read]!;
      indexes[--write] = insertions[pair + 1]!;
    }
    scratch.count += total;
  }
  return phraseStart;
}
