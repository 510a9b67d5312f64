/**
 * The text analyzer shared by indexing and querying: text in, index terms out. Latin-script
 * (and other space-separated) text is NFKC-normalised, lowercased, split on anything that is
 * not a letter, mark or digit, stripped of English stopwords (Terrier's list) and Porter-stemmed
 * (npm `stemmer`; only pure a–z words are stemmed, so "h2o" or "café" stay as written).
 * Scripts written without spaces (Han, Hiragana, Katakana, Hangul, Thai, Lao, Khmer, Myanmar)
 * become overlapping character bigrams — a lone character becomes a unigram — the approach of
 * Lucene's CJKBigramFilter, so Chinese or Japanese queries work without a segmenter; mixed text
 * ("用Python写代码") splits at each script change. Known limit of bigrams: a one-character query
 * only matches one-character runs in the documents.
 */

import { stemmer } from 'stemmer';
import { ENGLISH_STOPWORDS } from './english-stopwords.js';

/**
 * Text → index terms. `analyze` is `words` mapped through `termOf`; the two halves are exposed
 * so that an index can memoize word → term id with one hash lookup per token.
 */
export interface TextAnalyzer {
  /** The ordered index terms of a text (repeats kept, stopwords dropped). */
  analyze(text: string): string[];
  /** The ordered words of a text, lowercased and normalised, before stopping and stemming. */
  words(text: string): string[];
  /** The term of one word from `words`, or null for a stopword. Pure. */
  termOf(word: string): string | null;
}

export interface TextAnalyzerOptions {
  /** Words dropped before stemming, lowercase. Default: Terrier's English list. */
  stopwords?: ReadonlySet<string>;
  /** Porter-stem a–z words. Default true. */
  stem?: boolean;
  /** Longer tokens (base64, hashes…) are dropped. Default 64 characters. */
  maxTokenLength?: number;
}

const UNSEGMENTED_SCRIPT =
  /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}\p{scx=Thai}\p{scx=Lao}\p{scx=Khmer}\p{scx=Myanmar}]/u;
const WORD_RUN = /[\p{L}\p{M}\p{N}]+/gu;
const NON_ASCII = /[\u0080-\uffff]/;
const ASCII_LETTERS = /^[a-z]+$/;
const ASCII_WORD = /[a-z0-9]+/g;

/** Word → term memo; the vocabulary of a corpus is small next to its token count. */
const MAX_CACHED_WORDS = 200_000;

/** Builds an analyzer. It is pure apart from a bounded memo of stemmed words. */
export function createTextAnalyzer(options: TextAnalyzerOptions = {}): TextAnalyzer {
  const stopwords = options.stopwords ?? ENGLISH_STOPWORDS;
  const stem = options.stem ?? true;
  const maxTokenLength = options.maxTokenLength ?? 64;
  const termOf = (word: string): string | null => {
    if (word.length > maxTokenLength || stopwords.has(word)) return null;
    return stem && ASCII_LETTERS.test(word) ? stemmer(word) : word;
  };
  // null marks a stopword, so that a cache hit settles the word either way.
  const termCache = new Map<string, string | null>();
  const cachedTermOf = (word: string): string | null => {
    const cached = termCache.get(word);
    if (cached !== undefined) return cached;
    const term = termOf(word);
    if (termCache.size >= MAX_CACHED_WORDS) termCache.clear();
    termCache.set(word, term);
    return term;
  };

  const splitRun = (run: string, words: string[]): void => {
    if (!UNSEGMENTED_SCRIPT.test(run)) {
      words.push(run);
      return;
    }
    // Split at each change between unsegmented and other characters.
    let segment: string[] = [];
    let segmentIsUnsegmented = false;
    const flush = (): void => {
      if (segment.length === 0) return;
      if (segmentIsUnsegmented) pushBigrams(segment, words);
      else words.push(segment.join(''));
      segment = [];
    };
    for (const character of run) {
      const isUnsegmented = UNSEGMENTED_SCRIPT.test(character);
      if (segment.length > 0 && isUnsegmented !== segmentIsUnsegmented) flush();
      segmentIsUnsegmented = isUnsegmented;
      segment.push(character);
    }
    flush();
  };

  const words = (text: string): string[] => {
    if (!NON_ASCII.test(text)) return text.toLowerCase().match(ASCII_WORD) ?? [];
    const found: string[] = [];
    for (const match of text.normalize('NFKC').toLowerCase().matchAll(WORD_RUN)) splitRun(match[0], found);
    return found;
  };

  const analyze = (text: string): string[] => {
    const terms: string[] = [];
    for (const word of words(text)) {
      const term = cachedTermOf(word);
      if (term !== null) terms.push(term);
    }
    return terms;
  };

  return { analyze, words, termOf };
}

/** Overlapping bigrams of a run of unsegmented-script characters; a single one stays a unigram. */
function pushBigrams(characters: readonly string[], words: string[]): void {
  if (characters.length === 1) {
    words.push(characters[0]!);
    return;
  }
  for (let index = 0; index + 1 < characters.length; index++) {
    words.push(characters[index]! + characters[index + 1]!);
  }
}

/** The default analyzer: Terrier stopwords, Porter stemming, CJK bigrams. */
export const defaultTextAnalyzer: TextAnalyzer = createTextAnalyzer();

/** Index terms of `text` with the default analyzer. */
export function analyzeText(text: string): string[] {
  return defaultTextAnalyzer.analyze(text);
}
