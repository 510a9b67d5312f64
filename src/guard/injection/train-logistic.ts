/**
 * Training of a logistic-regression head over hashed sparse features: AdaGrad SGD with L2,
 * a seeded shuffle per epoch (mulberry32), float64 arithmetic throughout, so the same examples
 * in the same order with the same seed give bit-identical weights. Used by
 * scripts/train-injection.ts and by the determinism test; no I/O here.
 */

import { createRandom } from '../../core/random.js';
import type { SparseVector } from './features.js';

export interface WeightedExample {
  features: SparseVector;
  label: 0 | 1;
  weight: number;
}

export interface LogisticOptions {
  dims: number;
  seed: number;
  epochs?: number;
  learningRate?: number;
  l2?: number;
}

export interface LogisticHead {
  weights: Float64Array;
  bias: number;
}

export { createRandom };

/** Fisher–Yates shuffle of a copy, driven by `random`. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let index = out.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    const swap = out[index]!;
    out[index] = out[other]!;
    out[other] = swap;
  }
  return out;
}

export function trainLogistic(examples: readonly WeightedExample[], options: LogisticOptions): LogisticHead {
  const epochs = options.epochs ?? 8;
  const learningRate = options.learningRate ?? 0.2;
  const l2 = options.l2 ?? 1e-6;
  const weights = new Float64Array(options.dims);
  const gradientSquares = new Float64Array(options.dims);
  let bias = 0;
  let biasSquares = 0;
  const random = createRandom(options.seed);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const example of shuffled(examples, random)) {
      const { indices, values } = example.features;
      let logit = bias;
      for (let position = 0; position < indices.length; position++) {
        logit += weights[indices[position]!]! * values[position]!;
      }
      const error = (1 / (1 + Math.exp(-logit)) - example.label) * example.weight;
      for (let position = 0; position < indices.length; position++) {
        const index = indices[position]!;
        const gradient = error * values[position]! + l2 * weights[index]!;
        gradientSquares[index]! += gradient * gradient;
        weights[index]! -= (learningRate * gradient) / (Math.sqrt(gradientSquares[index]!) + 1e-8);
      }
      biasSquares += error * error;
      bias -= (learningRate * error) / (Math.sqrt(biasSquares) + 1e-8);
    }
  }
  return { weights, bias };
}

/** Logit of one example under a head. */
export function logitOf(head: LogisticHead, features: SparseVector): number {
  let logit = head.bias;
  for (let position = 0; position < features.indices.length; position++) {
    logit += head.weights[features.indices[position]!]! * features.values[position]!;
  }
  return logit;
}
