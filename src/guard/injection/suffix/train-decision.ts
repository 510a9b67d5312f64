/**
 * Training of the suffix detector's decision layer (used by scripts/train-suffix.ts and the
 * determinism test): a logistic regression over the window features of ./window-layer.ts, fitted
 * by full-batch gradient descent on standardised features (float64, fixed iteration count, so
 * deterministic), and the threshold rule: the lowest logit at which every benign source's
 * false-positive rate stays within its cap and the pooled rate within the pooled budget.
 * Also the encoding of a trained model into its JSON file.
 */

import {
  FEATURE_NAMES,
  SUFFIX_MODEL_FORMAT,
  type SuffixDecision,
  type SuffixLanguageModel,
  type SuffixModelFile,
  TAIL_FEATURE_NAMES,
} from './language-model.js';

export interface LabelledWindow {
  features: Float64Array;
  label: 0 | 1;
  weight: number;
}

export interface DecisionFitOptions {
  iterations?: number;
  learningRate?: number;
  l2?: number;
}

export function fitDecision(
  windows: readonly LabelledWindow[],
  options: DecisionFitOptions = {},
): { weights: number[]; bias: number } {
  const iterations = options.iterations ?? 600;
  const learningRate = options.learningRate ?? 0.5;
  const l2 = options.l2 ?? 1e-4;
  // The window layer and the tail layer have different feature counts.
  const featureCount = windows[0]?.features.length ?? FEATURE_NAMES.length;
  const mean = new Float64Array(featureCount);
  const deviation = new Float64Array(featureCount);
  let totalWeight = 0;
  for (const window of windows) {
    totalWeight += window.weight;
    for (let feature = 0; feature < featureCount; feature++)
      mean[feature]! += window.weight * window.features[feature]!;
  }
  for (let feature = 0; feature < featureCount; feature++) mean[feature]! /= totalWeight;
  for (const window of windows)
    for (let feature = 0; feature < featureCount; feature++)
      deviation[feature]! += window.weight * (window.features[feature]! - mean[feature]!) ** 2;
  for (let feature = 0; feature < featureCount; feature++)
    deviation[feature] = Math.sqrt(deviation[feature]! / totalWeight) || 1;
  const weights = new Float64Array(featureCount);
  let bias = 0;
  const gradient = new Float64Array(featureCount);
  const standardised = windows.map((window) =>
    Float64Array.from(window.features, (value, feature) => (value - mean[feature]!) / deviation[feature]!),
  );
  for (let iteration = 0; iteration < iterations; iteration++) {
    gradient.fill(0);
    let biasGradient = 0;
    for (let index = 0; index < windows.length; index++) {
      const x = standardised[index]!;
      let logit = bias;
      for (let feature = 0; feature < featureCount; feature++) logit += weights[feature]! * x[feature]!;
      const window = windows[index]!;
      const error = (window.weight * (1 / (1 + Math.exp(-logit)) - window.label)) / totalWeight;
      biasGradient += error;
      for (let feature = 0; feature < featureCount; feature++) gradient[feature]! += error * x[feature]!;
    }
    bias -= learningRate * biasGradient;
    for (let feature = 0; feature < featureCount; feature++)
      weights[feature]! -= learningRate * (gradient[feature]! + l2 * weights[feature]!);
  }
  // Back to raw feature space, so the scorer needs no standardisation.
  const raw: number[] = [];
  let rawBias = bias;
  for (let feature = 0; feature < featureCount; feature++) {
    raw.push(weights[feature]! / deviation[feature]!);
    rawBias -= (weights[feature]! * mean[feature]!) / deviation[feature]!;
  }
  return { weights: raw, bias: rawBias };
}

/**
 * Lowest logit threshold such that, for every source, at most `perSource` of its texts and,
 * pooled, at most `pooled` of all texts have a best-window logit ≥ the threshold. A text
 * without a scorable window has logit −Infinity.
 */
export function pickThreshold(
  logitsBySource: ReadonlyMap<string, readonly number[]>,
  budget: { perSource: number; pooled: number },
): number {
  let threshold = Number.NEGATIVE_INFINITY;
  const all: number[] = [];
  const above = (values: number[], allowed: number): number => {
    const sorted = values.slice().sort((a, b) => b - a);
    const value = sorted[allowed];
    return value === undefined ? Number.NEGATIVE_INFINITY : value;
  };
  for (const values of logitsBySource.values()) {
    all.push(...values);
    threshold = Math.max(threshold, above([...values], Math.floor(values.length * budget.perSource)));
  }
  threshold = Math.max(threshold, above(all, Math.floor(all.length * budget.pooled)));
  // Strictly above the last value that has to stay negative, on the file's 1e-6 grid.
  return threshold === Number.NEGATIVE_INFINITY ? 0 : (Math.floor(threshold * 1e6) + 1) / 1e6;
}

function round(value: number, digits = 1e6): number {
  return Math.round(value * digits) / digits;
}

export function encodeSuffixModel(
  model: SuffixLanguageModel,
  decision: SuffixDecision,
  training: Record<string, unknown>,
): SuffixModelFile {
  return {
    format: SUFFIX_MODEL_FORMAT,
    order: model.order,
    tableBits: model.tableBits,
    unigram: Buffer.from(model.unigram).toString('base64'),
    fingerprints: Buffer.from(model.fingerprints).toString('base64'),
    costs: Buffer.from(model.costs).toString('base64'),
    decision: {
      window: decision.window,
      minOddEvents: decision.minOddEvents,
      // An object rather than an array keeps the file stable under the repository's formatter.
      weights: Object.fromEntries(
        FEATURE_NAMES.map((name, index) => [name, round(decision.weights[index] ?? 0)]),
      ),
      bias: round(decision.bias),
      threshold: decision.threshold,
      ...(decision.tail === undefined
        ? {}
        : {
            tail: {
              window: decision.tail.window,
              minOddEvents: decision.tail.minOddEvents,
              weights: Object.fromEntries(
                TAIL_FEATURE_NAMES.map((name, index) => [name, round(decision.tail?.weights[index] ?? 0)]),
              ),
              bias: round(decision.tail.bias),
              threshold: decision.tail.threshold,
            },
          }),
    },
    training,
  };
}

export interface JointThresholds {
  /** Threshold of the window layer. */
  main: number;
  /** Threshold of the tail layer (Infinity: the tail layer never fires). */
  tail: number;
  /** Share of `positives` flagged by either layer. */
  recall: number;
}

const strictlyAbove = (value: number): number => (Math.floor(value * 1e6) + 1) / 1e6;

/**
 * Thresholds for the window layer and the tail layer together: a text is flagged when its best
 * window's logit or its tail logit reaches its threshold. Among tail thresholds just above each
 * of the `candidates` highest benign tail logits (and Infinity), each gets the lowest window
 * threshold that keeps the union within the budget (as pickThreshold); the pair with the best
 * recall on `positives` wins (ties: the higher tail threshold). Logits are [window, tail] per
 * text, −Infinity when a layer has nothing to score.
 */
export function pickJointThresholds(
  benign: ReadonlyMap<string, ReadonlyArray<readonly [number, number]>>,
  positives: ReadonlyArray<readonly [number, number]>,
  budget: { perSource: number; pooled: number },
  candidates = 400,
): JointThresholds {
  const tails = [...benign.values()]
    .flatMap((texts) => texts.map(([, tail]) => tail))
    .filter((tail) => tail > Number.NEGATIVE_INFINITY)
    .sort((a, b) => b - a);
  const tailOptions = [Number.POSITIVE_INFINITY];
  for (const value of tails.slice(0, candidates)) {
    const option = strictlyAbove(value);
    if (option !== tailOptions[tailOptions.length - 1]) tailOptions.push(option);
  }
  let best: JointThresholds | undefined;
  const total = [...benign.values()].reduce((sum, texts) => sum + texts.length, 0);
  for (const tailThreshold of tailOptions) {
    let main = Number.NEGATIVE_INFINITY;
    let feasible = true;
    let pooledTail = 0;
    const pooledRest: number[] = [];
    for (const texts of benign.values()) {
      const rest = texts.filter(([, tail]) => tail < tailThreshold).map(([window]) => window);
      const byTail = texts.length - rest.length;
      pooledTail += byTail;
      pooledRest.push(...rest);
      const allowed = Math.floor(texts.length * budget.perSource) - byTail;
      if (allowed < 0) {
        feasible = false;
        break;
      }
      const value = rest.sort((a, b) => b - a)[allowed];
      if (value !== undefined) main = Math.max(main, value);
    }
    const pooledAllowed = Math.floor(total * budget.pooled) - pooledTail;
    if (!feasible || pooledAllowed < 0) continue;
    const pooledValue = pooledRest.sort((a, b) => b - a)[pooledAllowed];
    if (pooledValue !== undefined) main = Math.max(main, pooledValue);
    const mainThreshold = main === Number.NEGATIVE_INFINITY ? 0 : strictlyAbove(main);
    const hits = positives.filter(
      ([window, tail]) => window >= mainThreshold || tail >= tailThreshold,
    ).length;
    const recall = hits / Math.max(1, positives.length);
    if (best === undefined || recall > best.recall)
      best = { main: mainThreshold, tail: tailThreshold, recall };
  }
  return best ?? { main: 0, tail: Number.POSITIVE_INFINITY, recall: 0 };
}
