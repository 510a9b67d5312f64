/**
 * Top-k BM25 retrieval over the inverted file with dynamic pruning: document-at-a-time
 * MaxScore (Turtle & Flood 1995) with block-max upper bounds (as in PISA's block-max MaxScore).
 * Query terms are ordered by their score upper bound; the lowest-bound terms whose bounds sum
 * to no more than the current k-th score are "non-essential": a document found only in them
 * cannot enter the top k, so candidates are drawn from the essential lists alone and the others
 * are probed (galloping search) only while the candidate can still make it. Before scoring a
 * candidate, the block maxima of the essential lists bound every document up to the nearest
 * block end; when that bound cannot beat the k-th score the whole window is skipped. Once a
 * single essential list remains — where hard queries (all-frequent terms) end up — its postings
 * are scanned in a tight loop, block by block.
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

/** The query's posting lists, ordered by ascending upper bound, with their cursors. */
interface QueryLists {
  count: number;
  weights: number[];
  starts: number[];
  ends: number[];
  firstBlocks: number[];
  positions: number[];
  /** prefixBounds[i]: bound (slack included) on what lists 0..i can add together. */
  prefixBounds: number[];
}

/** Exact top-k by BM25 over `terms`; `filter` is consulted only for documents that would enter. */
export function searchTopK(
  postings: ScoringPostings,
  terms: readonly WeightedTerm[],
  topK: number,
  filter?: (ordinal: number) => boolean,
): ScoredOrdinal[] {
  const heap = new TopKHeap(topK);
  if (heap.capacity === 0 || terms.length === 0) return [];
  const lists = orderLists(postings, terms);
  if (lists.count === 0) return [];
  const { count, weights, ends, starts, firstBlocks, positions, prefixBounds } = lists;
  const { docIds, termFrequencies, documentNorms, blockMaxRatio } = postings;

  let threshold = 0;
  let firstEssential = 0;
  // Block-max window: every document in [candidate, windowEnd] lies in the current block of each
  // essential list, so `windowBound` (block maxima + non-essential bounds) bounds them all. It is
  // recomputed past windowEnd and whenever the threshold (hence the essential set) changes.
  let windowEnd = -1;
  let windowBound = 0;
  while (firstEssential < count) {
    if (firstEssential === count - 1) {
      scanLastList(postings, lists, heap, threshold, filter);
      break;
    }
    let candidate = Number.MAX_SAFE_INTEGER;
    for (let list = firstEssential; list < count; list++) {
      const position = positions[list]!;
      if (position < ends[list]! && docIds[position]! < candidate) candidate = docIds[position]!;
    }
    if (candidate === Number.MAX_SAFE_INTEGER) break;

    if (heap.isFull) {
      if (candidate > windowEnd) {
        let bound = firstEssential > 0 ? prefixBounds[firstEssential - 1]! : 0;
        windowEnd = Number.MAX_SAFE_INTEGER;
        for (let list = firstEssential; list < count; list++) {
          const position = positions[list]!;
          const end = ends[list]!;
          if (position >= end) continue;
          const blockInList = (position - starts[list]!) >>> BLOCK_SHIFT;
          bound += weights[list]! * blockMaxRatio[firstBlocks[list]! + blockInList]!;
          const lastDoc = docIds[Math.min(starts[list]! + ((blockInList + 1) << BLOCK_SHIFT), end) - 1]!;
          if (lastDoc < windowEnd) windowEnd = lastDoc;
        }
        windowBound = bound * BOUND_SLACK;
      }
      if (windowBound <= threshold) {
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
    score = completeScore(postings, lists, candidate, score, firstEssential - 1, threshold);
    if (score <= threshold) continue;
    if (filter !== undefined && !filter(candidate)) continue;
    heap.push(candidate, score);
    if (heap.isFull && heap.minScore > threshold) {
      threshold = heap.minScore;
      windowEnd = -1;
      while (firstEssential < count && prefixBounds[firstEssential]! <= threshold) firstEssential++;
    }
  }
  return heap.drain();
}

function orderLists(postings: ScoringPostings, terms: readonly WeightedTerm[]): QueryLists {
  const ordered = terms
    .map((term) => ({
      weight: term.weight,
      bound: term.weight * postings.termMaxRatio[term.termId]!,
      start: postings.termOffsets[term.termId]!,
      end: postings.termOffsets[term.termId + 1]!,
      firstBlock: postings.blockOffsets[term.termId]!,
    }))
    .filter((term) => term.end > term.start)
    .sort((left, right) => left.bound - right.bound);
  const prefixBounds: number[] = [];
  let runningBound = 0;
  for (const term of ordered) {
    runningBound += term.bound;
    prefixBounds.push(runningBound * BOUND_SLACK);
  }
  return {
    count: ordered.length,
    weights: ordered.map((term) => term.weight),
    starts: ordered.map((term) => term.start),
    ends: ordered.map((term) => term.end),
    firstBlocks: ordered.map((term) => term.firstBlock),
    positions: ordered.map((term) => term.start),
    prefixBounds,
  };
}

/**
 * Adds the non-essential lists 0..lastList (highest bound first) to a candidate's partial
 * score, stopping as soon as what remains cannot lift it above the threshold. Returns the full
 * score, or -1 when the candidate was pruned.
 */
function completeScore(
  postings: ScoringPostings,
  lists: QueryLists,
  candidate: number,
  partialScore: number,
  lastList: number,
  threshold: number,
): number {
  const { docIds, termFrequencies, documentNorms } = postings;
  const { positions, ends, weights, prefixBounds } = lists;
  let score = partialScore;
  for (let list = lastList; list >= 0; list--) {
    if (score + prefixBounds[list]! <= threshold) return -1;
    const position = nextAtLeast(docIds, positions[list]!, ends[list]!, candidate);
    positions[list] = position;
    if (position < ends[list]! && docIds[position] === candidate) {
      const frequency = termFrequencies[position]!;
      score += (weights[list]! * frequency) / (frequency + documentNorms[candidate]!);
    }
  }
  return score;
}

/**
 * The common end state of hard queries: one essential list left (the highest-bound term).
 * Candidates are simply its postings, so the scan is a tight loop; whole blocks whose maximum
 * cannot beat the threshold are skipped.
 */
function scanLastList(
  postings: ScoringPostings,
  lists: QueryLists,
  heap: TopKHeap,
  initialThreshold: number,
  filter: ((ordinal: number) => boolean) | undefined,
): void {
  const { docIds, termFrequencies, documentNorms, blockMaxRatio } = postings;
  const list = lists.count - 1;
  const weight = lists.weights[list]!;
  const start = lists.starts[list]!;
  const end = lists.ends[list]!;
  const firstBlock = lists.firstBlocks[list]!;
  const ownBound = lists.prefixBounds[list]!;
  const restBound = list > 0 ? lists.prefixBounds[list - 1]! : 0;
  let threshold = initialThreshold;
  let position = lists.positions[list]!;
  while (position < end) {
    const blockInList = (position - start) >>> BLOCK_SHIFT;
    const blockEnd = Math.min(start + ((blockInList + 1) << BLOCK_SHIFT), end);
    if ((restBound + weight * blockMaxRatio[firstBlock + blockInList]!) * BOUND_SLACK <= threshold) {
      position = blockEnd;
      continue;
    }
    for (; position < blockEnd; position++) {
      const candidate = docIds[position]!;
      const frequency = termFrequencies[position]!;
      let score = (weight * frequency) / (frequency + documentNorms[candidate]!);
      if (score + restBound <= threshold) continue;
      score = completeScore(postings, lists, candidate, score, list - 1, threshold);
      if (score <= threshold) continue;
      if (filter !== undefined && !filter(candidate)) continue;
      heap.push(candidate, score);
      if (heap.isFull && heap.minScore > threshold) {
        threshold = heap.minScore;
        // Even this list's best cannot beat the k-th any more: done.
        if (ownBound <= threshold) return;
      }
    }
  }
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
