/**
 * The toxicity model file format (`model/toxicity-model.json`) and its runtime form. The
 * weights are a logistic regression over hashed features, quantised to one signed byte per
 * bucket through a μ-law codebook (fine steps near zero where most weights live, coarse steps
 * for the few large ones) and stored base64 in the JSON: 2^18 buckets are 350 KB on disk,
 * 256 KB in memory, and the scoring loop reads bytes that stay in cache.
 *
 * Per-language thresholds (chosen on the validation split by the trainer) are folded into
 * the reported score: `score = sigmoid(z − logit(threshold[lang]))`, so 0.5 is the deployed
 * operating point in both languages and policies can use one number.
 *
 * An optional evidence calibration (session 8, docs/guardrails-toxicity.md) scales that
 * threshold offset by the window's evidence, λ = n / (n + k) for n hashed features, and adds a
 * per-language shift: `score = sigmoid(z − λ·logit(threshold[lang]) + shift[lang])`. A window
 * with few features then scores near the model's own class-balanced prior instead of the
 * threshold-shifted one (which, in English, lay above 0.5: "ok" scored 0.60). Without it
 * (older files, custom models) λ = 1 and the shift is 0: the score is unchanged, bit for bit.
 *
 * Optional per-language intercepts (session 13, round 6) replace the one bias shared by both
 * languages: `z = b_en + s·(b_zh − b_en) + Σw/√n` for a window of CJK share s, the share that
 * also interpolates the thresholds. Why: short English chat turns and one-character Chinese
 * insults both sit near the intercept, and with one shared number fixing one language moved the
 * other. Without them (older files) the bias alone is used: the score is unchanged, bit for bit.
 */
import type { FeatureSettings } from './features.js';

export const MODEL_FORMAT = 'stackops-toxicity-logreg/1';

export interface ToxicityModelFile {
  format: string;
  features: FeatureSettings;
  /** The intercept (the English one when `intercepts` is present). */
  bias: number;
  /** Per-language intercepts (optional; see the module comment). */
  intercepts?: { en: number; zh: number };
  quantization: { kind: 'mulaw-int8'; maxAbs: number; mu: number };
  /** Raw-probability thresholds per language, mapped to a score of 0.5. */
  thresholds: { en: number; zh: number };
  /** Evidence calibration (optional; see the module comment). */
  calibration?: ToxicityCalibration;
  /** Training provenance and validation metrics (informational). */
  training: Record<string, unknown>;
  /** base64 of one int8 per bucket. */
  weights: string;
}

export interface ToxicityCalibration {
  kind: 'evidence';
  /** Feature count at which a window keeps half of its threshold offset (λ = n / (n + k)). */
  k: number;
  /** Added to the calibrated logit per language (interpolated by the language mix like the offset). */
  shift: { en: number; zh: number };
}

export interface ToxicityModel {
  settings: FeatureSettings;
  /** The English intercept (the shared bias in files without per-language intercepts). */
  bias: number;
  /** Chinese minus English intercept, scaled by the CJK share (0 without intercepts). */
  interceptShift: number;
  /** One code per bucket; decode with `codebook[code + 128]`. */
  codes: Int8Array;
  codebook: Float64Array;
  /** logit(threshold) per language. */
  offsets: { en: number; zh: number };
  /** Evidence calibration k (0: none, λ = 1). */
  evidenceK: number;
  /** Calibration shift per language (0 without calibration). */
  shifts: { en: number; zh: number };
  file: ToxicityModelFile;
}

export function logit(probability: number): number {
  const clamped = Math.min(1 - 1e-9, Math.max(1e-9, probability));
  return Math.log(clamped / (1 - clamped));
}

export function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value));
}

/** Value of code `code` (−127…127) under μ-law with peak `maxAbs`. */
export function decodeMuLaw(code: number, maxAbs: number, mu: number): number {
  if (code === 0) return 0;
  const magnitude = (maxAbs * ((1 + mu) ** (Math.abs(code) / 127) - 1)) / mu;
  return code < 0 ? -magnitude : magnitude;
}

/** Nearest μ-law code of `value`. */
export function encodeMuLaw(value: number, maxAbs: number, mu: number): number {
  if (value === 0 || maxAbs === 0) return 0;
  const ratio = Math.min(1, Math.abs(value) / maxAbs);
  const code = Math.round((127 * Math.log1p(mu * ratio)) / Math.log1p(mu));
  return value < 0 ? -code : code;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates a parsed model file and builds its runtime form. Throws on a malformed file. */
export function loadToxicityModel(input: unknown): ToxicityModel {
  if (!isRecord(input) || input.format !== MODEL_FORMAT) throw new Error('toxicity model: unknown format');
  const file = input as unknown as ToxicityModelFile;
  const { features, quantization, thresholds } = file;
  if (
    !isRecord(features) ||
    !Number.isInteger(features.bits) ||
    features.bits < 8 ||
    features.bits > 24 ||
    !Number.isInteger(features.charMin) ||
    !Number.isInteger(features.charMax) ||
    features.charMin < 1 ||
    features.charMax > 4 ||
    features.charMin > features.charMax ||
    !isRecord(quantization) ||
    typeof quantization.maxAbs !== 'number' ||
    typeof quantization.mu !== 'number' ||
    !isRecord(thresholds) ||
    typeof thresholds.en !== 'number' ||
    typeof thresholds.zh !== 'number' ||
    typeof file.bias !== 'number' ||
    typeof file.weights !== 'string'
  ) {
    throw new Error('toxicity model: malformed file');
  }
  const calibration = file.calibration;
  if (
    calibration !== undefined &&
    (!isRecord(calibration) ||
      calibration.kind !== 'evidence' ||
      typeof calibration.k !== 'number' ||
      !(calibration.k > 0 && Number.isFinite(calibration.k)) ||
      !isRecord(calibration.shift) ||
      !Number.isFinite(calibration.shift.en) ||
      !Number.isFinite(calibration.shift.zh))
  ) {
    throw new Error('toxicity model: malformed calibration');
  }
  const intercepts = file.intercepts;
  if (
    intercepts !== undefined &&
    (!isRecord(intercepts) || !Number.isFinite(intercepts.en) || !Number.isFinite(intercepts.zh))
  ) {
    throw new Error('toxicity model: malformed intercepts');
  }
  const bytes = Buffer.from(file.weights, 'base64');
  if (bytes.length !== 1 << features.bits)
    throw new Error('toxicity model: weight count does not match bits');
  const codes = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  const codebook = new Float64Array(256);
  for (let code = -127; code <= 127; code++) {
    codebook[code + 128] = decodeMuLaw(code, quantization.maxAbs, quantization.mu);
  }
  return {
    settings: { bits: features.bits, charMin: features.charMin, charMax: features.charMax },
    bias: intercepts?.en ?? file.bias,
    interceptShift: intercepts ? intercepts.zh - intercepts.en : 0,
    codes,
    codebook,
    offsets: { en: logit(thresholds.en), zh: logit(thresholds.zh) },
    evidenceK: calibration?.k ?? 0,
    shifts: { en: calibration?.shift.en ?? 0, zh: calibration?.shift.zh ?? 0 },
    file,
  };
}
