/**
 * @module scripts/toxicity-metrics
 *
 * Binary-classifier metrics for the toxicity trainer and benchmark: ROC AUC (Mann–Whitney,
 * ties counted half), precision / recall / FPR / F1 at a threshold, and the Youden-J optimal
 * threshold (max TPR − FPR, independent of the class prior, which differs wildly between the
 * tune sets: Davidson is 83 % toxic, the validation mix of a deployment is unknown), with
 * per-source balancing so that a large set does not dictate the threshold for a small one.
 */

export interface Scored {
  score: number;
  toxic: boolean;
  /** Weight in `youdenThreshold` (default 1). */
  weight?: number;
}

export interface ThresholdMetrics {
  threshold: number;
  precision: number;
  recall: number;
  fpr: number;
  f1: number;
  accuracy: number;
  positives: number;
  negatives: number;
}

export function rocAuc(rows: readonly Scored[]): number {
  const sorted = [...rows].sort((left, right) => left.score - right.score);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < sorted.length; ) {
    let end = start;
    while (end < sorted.length && sorted[end]!.score === sorted[start]!.score) end++;
    const averageRank = (start + 1 + end) / 2;
    for (let index = start; index < end; index++) {
      if (sorted[index]!.toxic) {
        positives++;
        rankSum += averageRank;
      }
    }
    start = end;
  }
  const negatives = sorted.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function metricsAt(rows: readonly Scored[], threshold: number): ThresholdMetrics {
  let truePositives = 0;
  let falsePositives = 0;
  let positives = 0;
  for (const row of rows) {
    if (row.toxic) positives++;
    if (row.score >= threshold) {
      if (row.toxic) truePositives++;
      else falsePositives++;
    }
  }
  const negatives = rows.length - positives;
  const precision =
    truePositives + falsePositives === 0 ? 0 : truePositives / (truePositives + falsePositives);
  const recall = positives === 0 ? 0 : truePositives / positives;
  const trueNegatives = negatives - falsePositives;
  return {
    threshold,
    precision,
    recall,
    fpr: negatives === 0 ? 0 : falsePositives / negatives,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    accuracy: rows.length === 0 ? 0 : (truePositives + trueNegatives) / rows.length,
    positives,
    negatives,
  };
}

/**
 * The threshold (midpoint between adjacent distinct scores) maximising TPR − FPR, with rows
 * weighted by `weight` (so several sets of different sizes can count equally).
 */
export function youdenThreshold(rows: readonly Scored[]): number {
  const sorted = [...rows].sort((left, right) => right.score - left.score);
  let positives = 0;
  let negatives = 0;
  for (const row of sorted) {
    if (row.toxic) positives += row.weight ?? 1;
    else negatives += row.weight ?? 1;
  }
  if (positives === 0 || negatives === 0) return 0.5;
  let truePositives = 0;
  let falsePositives = 0;
  let best = Number.NEGATIVE_INFINITY;
  let threshold = 0.5;
  for (let index = 0; index < sorted.length; index++) {
    const row = sorted[index]!;
    if (row.toxic) truePositives += row.weight ?? 1;
    else falsePositives += row.weight ?? 1;
    const next = sorted[index + 1];
    if (next && next.score === row.score) continue;
    const value = truePositives / positives - falsePositives / negatives;
    if (value > best) {
      best = value;
      threshold = next ? (row.score + next.score) / 2 : row.score;
    }
  }
  return threshold;
}

/**
 * Weights that make every source count the same among the positives and among the negatives
 * (a source's positives share 1, its negatives share 1).
 */
export function balanceBySource<T extends Scored>(rows: readonly T[], sourceOf: (row: T) => string): T[] {
  const counts = new Map<string, number>();
  const key = (row: T) => `${sourceOf(row)}|${row.toxic}`;
  for (const row of rows) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);
  return rows.map((row) => ({ ...row, weight: 1 / counts.get(key(row))! }));
}

export function round(value: number, digits = 4): number {
  return Number.isFinite(value) ? Number(value.toFixed(digits)) : value;
}
