/**
 * Top-k BM25 retrieval over the inverted file with dynamic pruning: document-at-a-time
 * MaxScore (Turtle & Flood 1995) with block-max upper bounds (as in PISA's block-max MaxScore).
 * Query terms are ordered by their score upper bound; the lowest-bound terms whose bounds sum
 * to no more than the current k-th score are "non-essential": a document found only in them
 * cannot enter the top k, so candidates are drawn from the essential lists alone and the others
 * are probed (galloping search) only while the candidate can still make it. Before scoring a
 * candidate, the block maxima of the essential lists bound every document up to the nearest
 * block end; when that bound cannot beat the k-th score the whole window is skipped.
 *
 * Exactness: a document is dropped only when an upper bound of its score is ≤ the k-th score;
 * bounds are exact maxima (term level) or rounded up (block level) and slightly inflated against
 * floating-point reassociation, so results equal an exhaustive scan (ties: lower ordinal wins).
 */

import { type ScoredOrdinal, TopKHeap } from './top-k-heap.js';

/** Postings plus the query-independent score statistics computed at commit. */
export interface ScoringPostings {
  termOffsets: Uint32Array;
  docIds: Uint32Array;
  termFrequencies: Uint16Array;
  /** k1 · (1 − b + b · length / averageLength), per document. */
  documentNorms: Float32Array;
  /** max over the term's postings of tf / (tf + norm): multiplied by the query weight it bounds the term. */
  termMaxRatio: Float64Array;
  /** Index of each term's first block in `blockMaxRatio`. */
  blockOffsets: Uint32Array;
  /** Per block of BLOCK_SIZE postings: its max tf / (tf + norm), rounded up to float32. */
  blockMaxRatio: Float32Array;
}

/** A query term resolved against the index: which list, and its weight idf · qtf · (k1 + 1). */
export interface WeightedTerm {
  termId: number;
  weight: number;
}

export const BLOCK_SHIFT = 6;
export const BLOCK_SIZE = 1 << BLOCK_SHIFT;

/** Upper bounds are inflated by this factor: sums taken in another order may round differently. */
const BOUND_SLACK = 1 + 1e-12;

/** Exact top-k by BM25 over `terms`; `filter` is consulted only for documents that would enter. */
export function searchTopK(
  postings: ScoringPostings,
  terms: readonly WeightedTerm[],
  topK: number,
  filter?: (ordinal: number) => boolean,
): ScoredOrdinal[] {
  const heap = new TopKHeap(topK);
  if (heap.capacity === 0 || terms.length === 0) return [];
  const { docIds, termFrequencies, documentNorms, blockMaxRatio } = postings;

  const ordered = terms
    .map((term) => ({
      ...term,
      bound: term.weight * postings.termMaxRatio[term.termId]!,
      start: postings.termOffsets[term.termId]!,
      end: postings.termOffsets[term.termId + 1]!,
      firstBlock: postings.blockOffsets[term.termId]!,
    }))
    .filter((term) => term.end > term.start)
    .sort((left, right) => left.bound - right.bound);
  const count = ordered.length;
  if (count === 0) return [];
  const weights = ordered.map((term) => term.weight);
  const starts = ordered.map((term) => term.start);
  const ends = ordered.map((term) => term.end);
  const firstBlocks = ordered.map((term) => term.firstBlock);
  const positions = ordered.map((term) => term.start);
  // prefixBounds[i]: bound on what lists 0..i can add together.
  const prefixBounds: number[] = [];
  let runningBound = 0;
  for (const term of ordered) {
    runningBound += term.bound;
    prefixBounds.push(runningBound * BOUND_SLACK);
  }

  let threshold = 0;
  let firstEssential = 0;
  for (;;) {
    let candidate = Number.MAX_SAFE_INTEGER;
    for (let list = firstEssential; list < count; list++) {
      const position = positions[list]!;
      if (position < ends[list]! && docIds[position]! < candidate) candidate = docIds[position]!;
    }
    if (candidate === Number.MAX_SAFE_INTEGER) break;

    if (heap.isFull) {
      // Block-max window: every document in [candidate, windowEnd] lies in the current block of
      // each essential list, so the block maxima bound them all at once.
      let bound = firstEssential > 0 ? prefixBounds[firstEssential - 1]! : 0;
      let windowEnd = Number.MAX_SAFE_INTEGER;
      for (let list = firstEssential; list < count; list++) {
        const position = positions[list]!;
        const end = ends[list]!;
        if (position >= end) continue;
        const blockInList = (position - starts[list]!) >>> BLOCK_SHIFT;
        bound += weights[list]! * blockMaxRatio[firstBlocks[list]! + blockInList]!;
        const blockLast = Math.min(starts[list]! + ((blockInList + 1) << BLOCK_SHIFT), end) - 1;
        const lastDoc = docIds[blockLast]!;
        if (lastDoc < windowEnd) windowEnd = lastDoc;
      }
      if (bound * BOUND_SLACK <= threshold) {
        for (let list = firstEssential; list < count; list++) {
          positions[list] = nextAtLeast(docIds, positions[list]!, ends[list]!, windowEnd + 1);
        }
        continue;
      }
    }

    const norm = documentNorms[candidate]!;
    let score = 0;
    for (let list = firstEssential; list < count; list++) {
      const position = positions[list]!;
      if (position < ends[list]! && docIds[position] === candidate) {
        const frequency = termFrequencies[position]!;
        score += (weights[list]! * frequency) / (frequency + norm);
        positions[list] = position + 1;
      }
    }
    let list = firstEssential - 1;
    for (; list >= 0; list--) {
      if (score + prefixBounds[list]! <= threshold) break;
      const position = nextAtLeast(docIds, positions[list]!, ends[list]!, candidate);
      positions[list] = position;
      if (position < ends[list]! && docIds[position] === candidate) {
        const frequency = termFrequencies[position]!;
        score += (weights[list]! * frequency) / (frequency + norm);
      }
    }
    if (list >= 0 || score <= threshold) continue;
    if (filter !== undefined && !filter(candidate)) continue;
    heap.push(candidate, score);
    if (heap.isFull && heap.minScore > threshold) {
      threshold = heap.minScore;
      while (firstEssential < count && prefixBounds[firstEssential]! <= threshold) firstEssential++;
      if (firstEssential === count) break;
    }
  }
  return heap.drain();
}

/** First position in [position, end) whose doc id is ≥ target (galloping, then binary search). */
export function nextAtLeast(docIds: Uint32Array, position: number, end: number, target: number): number {
  if (position >= end || docIds[position]! >= target) return position;
  let low = position;
  let step = 1;
  let high = position + 1;
  while (high < end && docIds[high]! < target) {
    low = high;
    step *= 2;
    high = position + step;
  }
  if (high > end) high = end;
  low += 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (docIds[middle]! < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Computes the per-document norms and the term and block score maxima for `k1`/`b`.
 * Uses exactly the arithmetic of `searchTopK`, so the term maxima are exact bounds.
 */
export function computeScoreBounds(
  termCount: number,
  termOffsets: Uint32Array,
  docIds: Uint32Array,
  termFrequencies: Uint16Array,
  documentNorms: Float32Array,
): Pick<ScoringPostings, 'termMaxRatio' | 'blockOffsets' | 'blockMaxRatio'> {
  const termMaxRatio = new Float64Array(termCount);
  const blockOffsets = new Uint32Array(termCount + 1);
  for (let term = 0; term < termCount; term++) {
    const length = termOffsets[term + 1]! - termOffsets[term]!;
    blockOffsets[term + 1] = blockOffsets[term]! + Math.ceil(length / BLOCK_SIZE);
  }
  const blockMaxRatio = new Float32Array(blockOffsets[termCount]!);
  for (let term = 0; term < termCount; term++) {
    const start = termOffsets[term]!;
    const end = termOffsets[term + 1]!;
    let termMax = 0;
    let block = blockOffsets[term]!;
    for (let blockStart = start; blockStart < end; blockStart += BLOCK_SIZE, block++) {
      const blockEnd = Math.min(blockStart + BLOCK_SIZE, end);
      let blockMax = 0;
      for (let position = blockStart; position < blockEnd; position++) {
        const frequency = termFrequencies[position]!;
        const ratio = frequency / (frequency + documentNorms[docIds[position]!]!);
        if (ratio > blockMax) blockMax = ratio;
      }
      // float32 rounding error is below 2^-24 relative; nudging up keeps the bound safe.
      blockMaxRatio[block] = blockMax * (1 + 2 ** -20);
      if (blockMax > termMax) termMax = blockMax;
    }
    termMaxRatio[term] = termMax;
  }
  return { termMaxRatio, blockOffsets, blockMaxRatio };
}
