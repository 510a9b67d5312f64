/**
 * trec_eval's definitions of the measures the retrieval bench reports, over binary qrels
 * (relevance > 0 is relevant; unjudged is non-relevant), averaged over every query with
 * judgements (a query with no results scores 0, as `trec_eval -c`). Ranks are taken as the
 * engine returned them; trec_eval would re-sort tied scores by document id.
 *
 * - AP: Σ over relevant retrieved documents of precision at their rank, divided by R (all
 *   relevant documents of the query, retrieved or not). MAP = mean AP (depth = run length).
 * - nDCG@10 (`ndcg_cut_10`): Σ_{i≤10} rel_i / log2(i + 1), over the same sum for the ideal
 *   ranking (min(10, R) relevant documents on top).
 * - recall@100 (`recall_100`): relevant documents in the top 100 / R.
 */

export interface RunMetrics {
  map: number;
  ndcg10: number;
  recall100: number;
}

export function averagePrecision(ranking: readonly string[], relevant: ReadonlySet<string>): number {
  if (relevant.size === 0) return 0;
  let found = 0;
  let sum = 0;
  ranking.forEach((documentId, index) => {
    if (!relevant.has(documentId)) return;
    found++;
    sum += found / (index + 1);
  });
  return sum / relevant.size;
}

export function ndcgAt(ranking: readonly string[], relevant: ReadonlySet<string>, depth: number): number {
  let dcg = 0;
  for (let index = 0; index < Math.min(depth, ranking.length); index++) {
    if (relevant.has(ranking[index]!)) dcg += 1 / Math.log2(index + 2);
  }
  let ideal = 0;
  for (let index = 0; index < Math.min(depth, relevant.size); index++) ideal += 1 / Math.log2(index + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

export function recallAt(ranking: readonly string[], relevant: ReadonlySet<string>, depth: number): number {
  if (relevant.size === 0) return 0;
  let found = 0;
  for (let index = 0; index < Math.min(depth, ranking.length); index++) {
    if (relevant.has(ranking[index]!)) found++;
  }
  return found / relevant.size;
}

/** Mean measures of a run (query id → ranked document ids) over every judged query. */
export function evaluateRun(
  run: ReadonlyMap<string, readonly string[]>,
  qrels: ReadonlyMap<string, ReadonlySet<string>>,
  depth = Number.POSITIVE_INFINITY,
): RunMetrics {
  let map = 0;
  let ndcg10 = 0;
  let recall100 = 0;
  for (const [queryId, relevant] of qrels) {
    const ranking = (run.get(queryId) ?? []).slice(0, depth);
    map += averagePrecision(ranking, relevant);
    ndcg10 += ndcgAt(ranking, relevant, 10);
    recall100 += recallAt(ranking, relevant, 100);
  }
  const count = qrels.size;
  return { map: map / count, ndcg10: ndcg10 / count, recall100: recall100 / count };
}

/** Nearest-rank percentile of ascending `sorted` values (NaN when empty). */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(fraction * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}
