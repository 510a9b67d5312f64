/**
 * Performance rewrites that must not change results (docs/guardrails-latency.md):
 *
 * - CodeUnits copies a string's code units exactly (lone surrogates, every string
 *   representation, reuse after a longer text).
 * - The toxicity feature extractor, which now looks lexicon terms up after its loop and puts
 *   their category features back in place, against the in-loop version it replaced (kept here
 *   as the reference): same feature indexes in the same order, same hits, same counts.
 *
 * Random inputs from a fixed seed.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import { CodeUnits } from '../../src/guard/normalize/code-units.js';
import {
  createScratch,
  DEFAULT_FEATURE_SETTINGS,
  extractFeatures,
  type FeatureScratch,
  type FeatureSettings,
  hashWord,
  type LexiconHit,
} from '../../src/guard/toxicity/features.js';
import {
  CHINESE_LEXICON,
  ENGLISH_LEXICON,
  LEXICON_CATEGORIES,
  type LexiconCategory,
} from '../../src/guard/toxicity/lexicon.js';
import {
  CHAR_CLASS,
  CLASS_CJK,
  CLASS_LETTER,
  CLASS_WORD,
  isWordCode,
  prepareText,
} from '../../src/guard/toxicity/prepare-text.js';

// --- reference: extractFeatures with the lexicon look-ups inside its loop --------------------

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const CHAR_START = FNV_OFFSET ^ 0x2f6b1a3d;
const WORD_SEED = 0x5bd1e995;
const BIGRAM_MIX = 0x85ebca6b;
const BIGRAM_TAG = 0x3c6ef372;
const GOLDEN = 0x9e3779b1;
const WORD_TAG = 0x27d4eb2f;

function fmix32(input: number): number {
  let hash = input;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}

const CATEGORY_FEATURES = Object.fromEntries(
  LEXICON_CATEGORIES.map((category, position) => [category, fmix32(0x6c657800 + position)]),
) as Record<LexiconCategory, number>;
const englishWords = new Map<
  number,
  { entry: { term: string; category: LexiconCategory } | null; startsPhrase: boolean }
>();
const englishPhrases: Array<{ term: string; category: LexiconCategory }> = [];
for (const entry of ENGLISH_LEXICON) {
  const key = hashWord(entry.term.split(' ')[0]!) >>> 2;
  const known = englishWords.get(key) ?? { entry: null, startsPhrase: false };
  if (entry.term.includes(' ')) {
    englishPhrases.push(entry);
    known.startsPhrase = true;
  } else known.entry = entry;
  englishWords.set(key, known);
}
const chineseByFirst = new Map<number, Array<{ term: string; category: LexiconCategory }>>();
for (const entry of CHINESE_LEXICON) {
  const first = entry.term.charCodeAt(0);
  chineseByFirst.set(first, [...(chineseByFirst.get(first) ?? []), entry]);
}

interface Reference {
  indexes: number[];
  hits: LexiconHit[];
  cjk: number;
  letters: number;
}

function referenceFeatures(prepared: string, settings: FeatureSettings): Reference {
  const mask = (1 << settings.bits) - 1;
  const shift = 32 - settings.bits;
  const { charMin, charMax } = settings;
  const length = prepared.length;
  const indexes: number[] = [];
  const hits: LexiconHit[] = [];
  let cjk = 0;
  let letters = 0;
  let wordStart = -1;
  let wordHash = 0;
  let previousWord = 0;
  let hasPrevious = false;
  let phraseStart = false;
  for (let index = 0; index <= length; index++) {
    const code = index === length ? 0x20 : prepared.charCodeAt(index);
    const kind = CHAR_CLASS[code]!;
    if (index < length) {
      let hash = Math.imul(CHAR_START ^ code, FNV_PRIME);
      if ((kind & CLASS_CJK) !== 0 || charMin === 1) indexes.push(Math.imul(hash, GOLDEN) >>> shift);
      const limit = Math.min(charMax, length - index);
      for (let size = 2; size <= limit; size++) {
        hash = Math.imul(hash ^ prepared.charCodeAt(index + size - 1), FNV_PRIME);
        if (size >= charMin) indexes.push(Math.imul(hash, GOLDEN) >>> shift);
      }
      if ((kind & CLASS_CJK) !== 0) {
        cjk++;
        letters++;
        for (const entry of chineseByFirst.get(code) ?? []) {
          if (!prepared.startsWith(entry.term, index)) continue;
          hits.push({
            category: entry.category,
            start: index,
            end: index + entry.term.length,
            term: entry.term,
          });
          indexes.push(CATEGORY_FEATURES[entry.category] & mask);
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
        indexes.push(Math.imul(word ^ WORD_TAG, GOLDEN) >>> shift);
        if (hasPrevious)
          indexes.push(Math.imul(Math.imul(previousWord, BIGRAM_MIX) ^ word ^ BIGRAM_TAG, GOLDEN) >>> shift);
        const known = englishWords.get(word >>> 2);
        if (known?.startsPhrase) phraseStart = true;
        const entry = known?.entry;
        if (entry && index - wordStart === entry.term.length && prepared.startsWith(entry.term, wordStart)) {
          hits.push({ category: entry.category, start: wordStart, end: index, term: entry.term });
          indexes.push(CATEGORY_FEATURES[entry.category] & mask);
        }
        previousWord = word;
        hasPrevious = true;
        wordStart = -1;
      }
      if ((kind & CLASS_CJK) !== 0) hasPrevious = false;
    }
  }
  if (phraseStart) {
    for (const phrase of englishPhrases) {
      for (let from = prepared.indexOf(phrase.term); from !== -1; ) {
        const end = from + phrase.term.length;
        const before = from === 0 ? 0x20 : prepared.charCodeAt(from - 1);
        const after = end >= prepared.length ? 0x20 : prepared.charCodeAt(end);
        if (!isWordCode(before) && !isWordCode(after)) {
          hits.push({ category: phrase.category, start: from, end, term: phrase.term });
          indexes.push(CATEGORY_FEATURES[phrase.category] & mask);
        }
        from = prepared.indexOf(phrase.term, end);
      }
    }
  }
  return { indexes, hits, cjk, letters };
}

function actual(scratch: FeatureScratch): Reference {
  return {
    indexes: Array.from(scratch.indexes.subarray(0, scratch.count)),
    hits: scratch.hits.map((hit) => ({ ...hit })),
    cjk: scratch.cjk,
    letters: scratch.letters,
  };
}

function texts(seed: number, pieces: readonly string[], count: number, maxPieces: number): string[] {
  const next = createRandom(seed);
  return Array.from({ length: count }, () => {
    let text = '';
    const length = Math.floor(next() * maxPieces);
    for (let index = 0; index < length; index++) {
      text += pieces[Math.floor(next() * pieces.length)];
      if (next() < 0.3) text += ' ';
    }
    return text;
  });
}

describe('performance rewrites give identical results', () => {
  it('CodeUnits copies every code unit of every kind of string', () => {
    const units = new CodeUnits(4);
    const pieces = [
      'a',
      'Z',
      ' ',
      '\n',
      'é',
      '你',
      '\ud800',
      '\udc00',
      '\ud83d\ude00',
      '\u200b',
      '\u0000',
      '\uffff',
      'word ',
    ];
    for (const text of texts(7, pieces, 2_000, 400)) {
      // Flat, sliced and concatenated representations of the same text, short and long.
      for (const variant of [text, `${text} `.slice(0, text.length), text.slice(0, 5) + text.slice(5)]) {
        const copied = units.load(variant);
        expect(Array.from(copied.subarray(0, variant.length))).toEqual(
          Array.from({ length: variant.length }, (_unit, index) => variant.charCodeAt(index)),
        );
      }
    }
  });

  it('toxicity extractFeatures = the version with the look-ups inside its loop', () => {
    const pieces = [
      ...ENGLISH_LEXICON.map((entry) => entry.term),
      ...CHINESE_LEXICON.map((entry) => entry.term),
      'hello',
      'you',
      'the',
      '你',
      '的',
      "don't",
      '“',
      'é',
      '123',
      '.',
      '!',
      'x',
    ];
    const scratch = createScratch(16);
    let hits = 0;
    for (const text of texts(11, pieces, 3_000, 40)) {
      const prepared = prepareText(text);
      extractFeatures(prepared, DEFAULT_FEATURE_SETTINGS, scratch);
      const expected = referenceFeatures(prepared, DEFAULT_FEATURE_SETTINGS);
      expect(actual(scratch)).toEqual(expected);
      hits += expected.hits.length;
    }
    expect(hits).toBeGreaterThan(10_000);
  });
});
