/**
 * Training of the toxicity logistic regression: pure and deterministic (a seeded shuffle,
 * no clock, no Math.random), so the same examples and options give byte-identical weights.
 * The optimiser is per-example AdaGrad with L2 decay on the weights an example touches;
 * features are the hashed counts of `extractFeatures`, scaled by 1/sqrt(feature count) so
 * that long and short texts land on the same scale. With `perLanguageIntercept` the one bias
 * becomes an English and a Chinese intercept, interpolated by the text's CJK share as the scorer
 * does (session 13, round 6). `scripts/train-toxicity.ts` feeds it the tune data; the unit
 * tests feed it a tiny synthetic set.
 */
import { createScratch, extractFeatures, type FeatureSettings } from './features.js';
import {
  encodeMuLaw,
  MODEL_FORMAT,
  sigmoid,
  type ToxicityCalibration,
  type ToxicityModelFile,
} from './model-format.js';
import { languageMix, prepareText } from './prepare-text.js';

export interface TrainingExample {
  text: string;
  toxic: boolean;
  /** Sample weight (class and source balancing); default 1. */
  weight?: number;
}

export interface TrainingOptions {
  features: FeatureSettings;
  epochs: number;
  learningRate: number;
  /** L2 strength per update. */
  l2: number;
  seed: number;
  /** Learn one intercept per language instead of one shared bias (default false). */
  perLanguageIntercept?: boolean;
}

export interface EncodedExample {
  indexes: Int32Array;
  /** 1 / sqrt(feature count). */
  scale: number;
  /** CJK share of the text (languageMix), which weighs the Chinese intercept. */
  share: number;
  label: 0 | 1;
  weight: number;
}

export interface TrainedWeights {
  weights: Float64Array;
  /** The shared bias, or the English intercept when `intercepts` is present. */
  bias: number;
  intercepts?: { en: number; zh: number };
}

export function encodeExample(
  text: string,
  settings: FeatureSettings,
): { indexes: Int32Array; scale: number; share: number } {
  const scratch = createScratch(text.length * 4 + 16);
  extractFeatures(prepareText(text), settings, scratch);
  const indexes = scratch.indexes.slice(0, scratch.count);
  return {
    indexes,
    scale: indexes.length === 0 ? 0 : 1 / Math.sqrt(indexes.length),
    share: languageMix(scratch.cjk, scratch.letters),
  };
}

export function encodeExamples(
  examples: readonly TrainingExample[],
  settings: FeatureSettings,
): EncodedExample[] {
  return examples.map((example) => ({
    ...encodeExample(example.text, settings),
    label: example.toxic ? 1 : 0,
    weight: example.weight ?? 1,
  }));
}

/** mulberry32: a small seeded PRNG (deterministic across platforms). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    const held = items[index]!;
    items[index] = items[other]!;
    items[other] = held;
  }
  return items;
}

export function trainLogistic(encoded: readonly EncodedExample[], options: TrainingOptions): TrainedWeights {
  const size = 1 << options.features.bits;
  const weights = new Float64Array(size);
  const squares = new Float64Array(size);
  let bias = 0;
  let biasSquares = 0;
  // Per-language intercepts: `bias` is the English one, `chinese` the Chinese one.
  const perLanguage = options.perLanguageIntercept === true;
  let chinese = 0;
  let chineseSquares = 0;
  const random = seededRandom(options.seed);
  const order = encoded.map((_, position) => position);
  const { learningRate, l2 } = options;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const position of order) {
      const example = encoded[position]!;
      const { indexes, scale } = example;
      let sum = 0;
      for (let feature = 0; feature < indexes.length; feature++) sum += weights[indexes[feature]!]!;
      const intercept = perLanguage ? bias + example.share * (chinese - bias) : bias;
      const error = (sigmoid(intercept + sum * scale) - example.label) * example.weight;
      for (let feature = 0; feature < indexes.length; feature++) {
        const bucket = indexes[feature]!;
        const gradient = error * scale + l2 * weights[bucket]!;
        squares[bucket]! += gradient * gradient;
        weights[bucket]! -= (learningRate * gradient) / Math.sqrt(squares[bucket]! + 1e-8);
      }
      if (perLanguage) {
        // Each intercept's gradient is the error times its share of the text's language mix.
        const english = error * (1 - example.share);
        const chineseError = error * example.share;
        biasSquares += english * english;
        bias -= (learningRate * english) / Math.sqrt(biasSquares + 1e-8);
        chineseSquares += chineseError * chineseError;
        chinese -= (learningRate * chineseError) / Math.sqrt(chineseSquares + 1e-8);
      } else {
        biasSquares += error * error;
        bias -= (learningRate * error) / Math.sqrt(biasSquares + 1e-8);
      }
    }
  }
  return perLanguage ? { weights, bias, intercepts: { en: bias, zh: chinese } } : { weights, bias };
}

/** Raw probability of an encoded example under float weights. */
export function predictEncoded(
  trained: TrainedWeights,
  example: { indexes: Int32Array; scale: number; share: number },
): number {
  let sum = 0;
  for (let feature = 0; feature < example.indexes.length; feature++)
    sum += trained.weights[example.indexes[feature]!]!;
  const intercept = trained.intercepts
    ? trained.bias + example.share * (trained.intercepts.zh - trained.intercepts.en)
    : trained.bias;
  return sigmoid(intercept + sum * example.scale);
}

/** Peak for the μ-law codebook: a high quantile of |w| (the rare larger weights saturate). */
function quantizationPeak(weights: Float64Array): number {
  const magnitudes: number[] = [];
  for (const weight of weights) if (weight !== 0) magnitudes.push(Math.abs(weight));
  if (magnitudes.length === 0) return 1;
  magnitudes.sort((left, right) => left - right);
  return magnitudes[Math.min(magnitudes.length - 1, Math.floor(magnitudes.length * 0.9999))]!;
}

export const MU = 255;

/** Rounds to a fixed number of significant digits so the JSON is stable and short. */
export function roundTo(value: number, digits = 6): number {
  return Number(value.toPrecision(digits));
}

/** Quantises trained weights into a model file (thresholds and provenance supplied by the caller). */
export function buildModelFile(
  trained: TrainedWeights,
  settings: FeatureSettings,
  thresholds: { en: number; zh: number },
  training: Record<string, unknown>,
  calibration?: ToxicityCalibration,
): ToxicityModelFile {
  const maxAbs = roundTo(quantizationPeak(trained.weights));
  const bytes = new Int8Array(trained.weights.length);
  for (let bucket = 0; bucket < bytes.length; bucket++) {
    bytes[bucket] = encodeMuLaw(trained.weights[bucket]!, maxAbs, MU);
  }
  return {
    format: MODEL_FORMAT,
    features: { ...settings },
    bias: roundTo(trained.bias),
    ...(trained.intercepts
      ? { intercepts: { en: roundTo(trained.intercepts.en), zh: roundTo(trained.intercepts.zh) } }
      : {}),
    quantization: { kind: 'mulaw-int8', maxAbs, mu: MU },
    thresholds: { en: roundTo(thresholds.en), zh: roundTo(thresholds.zh) },
    ...(calibration ? { calibration } : {}),
    training,
    weights: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
  };
}
