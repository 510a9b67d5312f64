/**
 * Deterministic synthetic corpora for the retrieval speed benchmark: a Zipfian (s = 1)
 * vocabulary of 50,000 pronounceable pseudo-words, chunks of 50–150 tokens (mean 100), and
 * queries of 2–5 terms drawn from the same Zipf distribution as the text — so a good share of
 * queries contain very frequent terms, the hard case for any inverted index. Words are built
 * from consonant–vowel syllables without "e" or "y" and never collide with a stopword, so
 * every engine's English pipeline keeps them (stemmers may conflate a handful).
 */

import { createRandom } from '../src/core/random.js';
import { ENGLISH_STOPWORDS } from '../src/knowledge/retrieval/english-stopwords.js';

export const VOCABULARY_SIZE = 50_000;
export const QUERY_COUNT = 200;
const SEED = 0x5eed_2024;

export { createRandom };

const CONSONANTS = 'bdfgklmnprstvz';
const VOWELS = 'aiou';

/** The pseudo-word of each Zipf rank (rank 0 is the most frequent). */
export function buildVocabulary(size = VOCABULARY_SIZE): string[] {
  const words: string[] = [];
  const seen = new Set<string>();
  const syllables: string[] = [];
  for (const consonant of CONSONANTS) for (const vowel of VOWELS) syllables.push(consonant + vowel);
  for (let code = 0; words.length < size; code++) {
    // Two syllables minimum; the code in base-56 syllables.
    let word = '';
    let rest = code;
    do {
      word += syllables[rest % syllables.length];
      rest = Math.floor(rest / syllables.length);
    } while (rest > 0);
    if (word.length < 4) word += 'ka';
    if (seen.has(word) || ENGLISH_STOPWORDS.has(word)) continue;
    seen.add(word);
    words.push(word);
  }
  return words;
}

/** Walker's alias table for O(1) Zipf sampling. */
export function createZipfSampler(size: number, random: () => number, exponent = 1): () => number {
  const weights = new Float64Array(size);
  let total = 0;
  for (let rank = 0; rank < size; rank++) {
    weights[rank] = 1 / (rank + 1) ** exponent;
    total += weights[rank]!;
  }
  const probability = new Float64Array(size);
  const alias = new Uint32Array(size);
  const small: number[] = [];
  const large: number[] = [];
  for (let rank = 0; rank < size; rank++) {
    probability[rank] = (weights[rank]! * size) / total;
    (probability[rank]! < 1 ? small : large).push(rank);
  }
  while (small.length > 0 && large.length > 0) {
    const less = small.pop()!;
    const more = large.pop()!;
    alias[less] = more;
    probability[more] = probability[more]! + probability[less]! - 1;
    (probability[more]! < 1 ? small : large).push(more);
  }
  for (const rank of [...small, ...large]) probability[rank] = 1;
  return () => {
    const draw = random() * size;
    const column = Math.floor(draw);
    return draw - column < probability[column]! ? column : alias[column]!;
  };
}

export interface SyntheticCorpus {
  vocabulary: string[];
  /** Yields the chunk texts in batches; the same seed gives the same texts. */
  batches(total: number, batchSize: number): Generator<string[]>;
  queries: string[];
}

export function createSyntheticCorpus(): SyntheticCorpus {
  const vocabulary = buildVocabulary();
  const queryRandom = createRandom(SEED ^ 0x9e37_79b9);
  const querySampler = createZipfSampler(vocabulary.length, queryRandom);
  const queries: string[] = [];
  for (let index = 0; index < QUERY_COUNT; index++) {
    const length = 2 + Math.floor(queryRandom() * 4);
    const words: string[] = [];
    for (let word = 0; word < length; word++) words.push(vocabulary[querySampler()]!);
    queries.push(words.join(' '));
  }
  function* batches(total: number, batchSize: number): Generator<string[]> {
    const random = createRandom(SEED);
    const sampler = createZipfSampler(vocabulary.length, random);
    for (let start = 0; start < total; start += batchSize) {
      const batch: string[] = [];
      const end = Math.min(total, start + batchSize);
      for (let chunk = start; chunk < end; chunk++) {
        const length = 50 + Math.floor(random() * 101);
        const words = new Array<string>(length);
        for (let word = 0; word < length; word++) words[word] = vocabulary[sampler()]!;
        batch.push(words.join(' '));
      }
      yield batch;
    }
  }
  return { vocabulary, batches, queries };
}
