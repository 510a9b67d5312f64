/**
 * @module providers/local-extractive/hashed-embeddings
 *
 * Deterministic embeddings without a model: a signed hashed bag of words (the "hashing
 * trick"). Each term adds ±1 to dimension `hash % dimensions`, the sign coming from an
 * independent bit of the hash, and the vector is L2-normalised. Texts sharing words get a
 * positive cosine similarity, unrelated texts about zero — enough to test retrieval end to
 * end. It captures no meaning beyond shared words; it is not a substitute for a real model.
 */
import { allWords, fnv1a, terms } from './text-terms.js';

export const DEFAULT_EMBEDDING_DIMENSIONS = 256;

export function hashedEmbedding(text: string, dimensions: number = DEFAULT_EMBEDDING_DIMENSIONS): number[] {
  return hashTokens(termsOrWords(text), dimensions);
}

/** Embeds pre-tokenised input (OpenAI allows arrays of token ids). */
export function hashedTokenEmbedding(
  tokens: readonly number[],
  dimensions: number = DEFAULT_EMBEDDING_DIMENSIONS,
): number[] {
  return hashTokens(
    tokens.map((token) => `#${token}`),
    dimensions,
  );
}

function termsOrWords(text: string): string[] {
  const found = terms(text);
  return found.length > 0 ? found : allWords(text);
}

function hashTokens(tokens: readonly string[], dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const token of tokens) {
    const hash = fnv1a(token);
    vector[hash % dimensions]! += hash & 0x80000000 ? -1 : 1;
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  if (norm === 0) return vector;
  const scale = 1 / Math.sqrt(norm);
  for (let index = 0; index < dimensions; index++) vector[index]! *= scale;
  return vector;
}
