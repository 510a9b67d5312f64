/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009): each ranked list gives a
 * document weight / (k + rank) with ranks from 1, and the sums rank the fused list. It needs
 * no score calibration between BM25 and cosine similarity, which is why hybrid search uses it.
 * k = 60 is the paper's constant.
 */

import { ValidationError } from '../../core/index.js';
import type { ScoredOrdinal } from './top-k-heap.js';

export interface ReciprocalRankFusionOptions {
  /** The rank offset k. Default 60. */
  k?: number;
  /** One weight per list. Default 1 each. */
  weights?: readonly number[];
  /** Keep at most this many fused results. Default: all. */
  limit?: number;
}

/** Fuses best-first ranked lists into one best-first list; ties go to the lower ordinal. */
export function reciprocalRankFusion(
  lists: ReadonlyArray<ReadonlyArray<{ ordinal: number }>>,
  options: ReciprocalRankFusionOptions = {},
): ScoredOrdinal[] {
  const k = options.k ?? 60;
  if (!Number.isFinite(k) || k < 0) throw new ValidationError('RRF k must be a finite number ≥ 0');
  const weights = options.weights;
  if (weights !== undefined && weights.length !== lists.length) {
    throw new ValidationError(`RRF got ${weights.length} weights for ${lists.length} lists`);
  }
  const fused = new Map<number, number>();
  lists.forEach((list, listIndex) => {
    const weight = weights?.[listIndex] ?? 1;
    const seen = new Set<number>();
    list.forEach((hit, position) => {
      // A list that repeats an ordinal counts it once, at its best rank.
      if (seen.has(hit.ordinal)) return;
      seen.add(hit.ordinal);
      fused.set(hit.ordinal, (fused.get(hit.ordinal) ?? 0) + weight / (k + position + 1));
    });
  });
  const results: ScoredOrdinal[] = [];
  for (const [ordinal, score] of fused) results.push({ ordinal, score });
  results.sort((left, right) => right.score - left.score || left.ordinal - right.ordinal);
  return options.limit === undefined ? results : results.slice(0, Math.max(0, options.limit));
}
