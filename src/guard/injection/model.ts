/**
 * The trained classifier: the JSON file format written by scripts/train-injection.ts, its
 * decoding (base64 int8 weights × scale), and scoring of one canonical view. Two logistic
 * heads share the hashed features: `detector` (attack vs benign) and `kind` (jailbreak vs
 * other injection; only consulted for a view the detector flags).
 */

import { FeatureAccumulator } from './features.js';

export const MODEL_FORMAT = 'stackops-injection-lr/1';

export interface QuantizedHead {
  bias: number;
  /** Weight = int8 value × scale. */
  scale: number;
  /** Base64 of `dims` signed bytes. */
  weights: string;
}

export interface InjectionModelFile {
  format: typeof MODEL_FORMAT;
  dims: number;
  seed: number;
  features: string;
  /** Logit of the detector head at which a view counts as an attack (chosen on validation). */
  threshold: number;
  /** The same for CJK-dominant views (src/guard/injection/script.ts); `threshold` when absent. */
  cjkThreshold?: number;
  /**
   * The same for CJK-dominant views with kana or hangul (Japanese, Korean; `hasKanaOrHangul`);
   * `cjkThreshold` when absent.
   */
  kanaHangulThreshold?: number;
  detector: QuantizedHead;
  kind: QuantizedHead;
  /** Free-form provenance: split manifest, counts, validation metrics. */
  training: Record<string, unknown>;
}

export interface DecodedHead {
  bias: number;
  scale: number;
  /** Quantised weights; weight = value × scale. */
  weights: Int8Array;
}

export interface InjectionModel {
  dims: number;
  threshold: number;
  cjkThreshold: number;
  kanaHangulThreshold: number;
  detector: DecodedHead;
  kind: DecodedHead;
}

export function decodeHead(head: QuantizedHead, dims: number): DecodedHead {
  const bytes = Buffer.from(head.weights, 'base64');
  if (bytes.length !== dims) throw new Error(`model head has ${bytes.length} weights, expected ${dims}`);
  // Copy: the Buffer may be a view into Node's shared pool.
  const weights = new Int8Array(dims);
  weights.set(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return { bias: head.bias, scale: head.scale, weights };
}

export function encodeHead(weights: ArrayLike<number>, bias: number): QuantizedHead {
  // Scale on a high quantile rather than the maximum, so a few extreme weights do not
  // flatten the resolution of all the others; those few are clipped.
  const magnitudes = Float64Array.from(weights, Math.abs).sort();
  const nonZero = magnitudes.findIndex((value) => value > 0);
  const quantileAt =
    nonZero < 0 ? magnitudes.length - 1 : nonZero + Math.floor((magnitudes.length - nonZero) * 0.9995);
  const top = magnitudes[Math.min(magnitudes.length - 1, quantileAt)] ?? 0;
  const scale = top > 0 ? roundSignificant(top / 127, 6) : 1;
  const bytes = new Int8Array(weights.length);
  for (let index = 0; index < weights.length; index++) {
    bytes[index] = Math.max(-127, Math.min(127, Math.round((weights[index] ?? 0) / scale)));
  }
  return {
    bias: roundSignificant(bias, 6),
    scale,
    weights: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
  };
}

export function roundSignificant(value: number, digits: number): number {
  return value === 0 ? 0 : Number(value.toPrecision(digits));
}

export function decodeModel(file: InjectionModelFile): InjectionModel {
  if (file.format !== MODEL_FORMAT) throw new Error(`unknown injection model format ${String(file.format)}`);
  return {
    dims: file.dims,
    threshold: file.threshold,
    cjkThreshold: file.cjkThreshold ?? file.threshold,
    kanaHangulThreshold: file.kanaHangulThreshold ?? file.cjkThreshold ?? file.threshold,
    detector: decodeHead(file.detector, file.dims),
    kind: decodeHead(file.kind, file.dims),
  };
}

/** Scores canonical views with both heads. Holds scratch buffers: one per scanner. */
export class ModelScorer {
  private readonly accumulator: FeatureAccumulator;
  private readonly sums = new Float64Array(1);

  constructor(readonly model: InjectionModel) {
    this.accumulator = new FeatureAccumulator({ dims: model.dims });
  }

  /** Detector logit of one view. */
  score(text: string): number {
    const { detector } = this.model;
    this.accumulator.add(text);
    this.accumulator.dot(detector.weights, this.sums);
    return detector.bias + this.sums[0]! * detector.scale;
  }

  /**
   * score(whole.slice(start, end)), bit for bit, hashing `whole` once for all its slices (see
   * FeatureAccumulator.addSlice): for the overlapping windows of one text.
   */
  scoreSlice(whole: string, start: number, end: number): number {
    const { detector } = this.model;
    this.accumulator.addSlice(whole, start, end);
    this.accumulator.dot(detector.weights, this.sums);
    return detector.bias + this.sums[0]! * detector.scale;
  }

  /** Kind logit of one view (> 0: jailbreak). Only needed for views that become findings. */
  kind(text: string): number {
    const { kind } = this.model;
    this.accumulator.add(text);
    this.accumulator.dot(kind.weights, this.sums);
    return kind.bias + this.sums[0]! * kind.scale;
  }
}

export function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value));
}
