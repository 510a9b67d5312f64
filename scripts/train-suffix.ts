/**
 * Trains the adversarial-suffix detector from BENIGN TUNE text and SYNTHETIC positives, and
 * writes
 *   src/guard/injection/suffix/model/suffix-model.json   (n-gram table, decision layer, provenance)
 *   scripts/train-suffix.split.json                       (which rows are model / calibration / validation)
 * Run: node --import tsx scripts/train-suffix.ts   (a minute or two on 2 cores)
 *
 * 1. The character 5-gram model is trained on the `model` part of the benign text only.
 * 2. The window logistic regression is fitted on the `calibration` part (benign windows, text
 *    the language model never saw) against windows inside synthetic suffixes
 *    (scripts/suffix-synthetic.ts) appended to calibration requests.
 * 3. Window length and the odd-event gate are chosen, and the threshold is set, on the
 *    `validation` part: the lowest logit with every benign source's false-positive rate ≤ 1 %
 *    and the pooled rate ≤ 0.5 %; the configuration with the best synthetic recall wins.
 * Measure-only sets are never read. Deterministic: seeded split, seeded suffixes, float64
 * full-batch fitting, fixed serialisation order — two runs write the same bytes.
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SuffixDecision, SuffixModel } from '../src/guard/injection/suffix/language-model.js';
import { FEATURE_NAMES, SuffixScorer } from '../src/guard/injection/suffix/scorer.js';
import {
  encodeSuffixModel,
  fitDecision,
  type LabelledWindow,
  pickThreshold,
} from '../src/guard/injection/suffix/train-decision.js';
import { trainLanguageModel } from '../src/guard/injection/suffix/train-ngram.js';
import {
  type BenignSource,
  CALIBRATION_SHARE,
  CHUNK_CHARACTERS,
  datasetSources,
  localeSource,
  type SplitPart,
  technicalSources,
  VALIDATION_SHARE,
} from './suffix-data.js';
import { AUTHORED_HARMFUL_REQUESTS, createSuffixGenerator } from './suffix-synthetic.js';

export const SEED = 20_251_129;
const ROOT = join(import.meta.dirname, '..');
export const MODEL_PATH = join(ROOT, 'src/guard/injection/suffix/model/suffix-model.json');
export const MANIFEST_PATH = join(ROOT, 'scripts/train-suffix.split.json');
const BUDGET = { perSource: 0.01, pooled: 0.005 };
const CONFIGURATIONS: Array<Pick<SuffixDecision, 'window' | 'minOddEvents'>> = [
  { window: 32, minOddEvents: 2 },
  { window: 48, minOddEvents: 2 },
  { window: 48, minOddEvents: 3 },
  { window: 64, minOddEvents: 3 },
  { window: 64, minOddEvents: 4 },
];
/** Sources whose requests carry the synthetic suffixes. */
const REQUEST_SOURCES = ['halueval-query', 'frr-en', 'frr-multilingual'];
/** Negative windows are taken every NEGATIVE_STRIDE symbols. */
const NEGATIVE_STRIDE = 4;
const POSITIVES_PER_PART = 3000;
/** Refits that emphasise each benign text's highest-scoring windows, and their weight. */
const HARD_NEGATIVE_ROUNDS = 2;
const HARD_SHARE = 0.5;
const HARD_PER_TEXT = 3;

interface Positive {
  text: string;
  /** The suffix's span in `text`. */
  start: number;
  end: number;
}

function textsOf(source: BenignSource, part: SplitPart): string[] {
  return source.texts.filter((_text, index) => source.parts[index] === part);
}

function positives(sources: BenignSource[], part: 'calibration' | 'validation', seed: number): Positive[] {
  const requests = sources
    .filter((source) => REQUEST_SOURCES.includes(source.name))
    .flatMap((source) => textsOf(source, part))
    .filter((text) => text.length <= 600);
  const half = AUTHORED_HARMFUL_REQUESTS.length / 2;
  const authored =
    part === 'calibration' ? AUTHORED_HARMFUL_REQUESTS.slice(0, half) : AUTHORED_HARMFUL_REQUESTS.slice(half);
  const documents = sources
    .filter((source) => source.name === 'halueval-response-all')
    .flatMap((source) => textsOf(source, part));
  const next = createSuffixGenerator(seed);
  const out: Positive[] = [];
  for (let index = 0; index < POSITIVES_PER_PART; index++) {
    // One in five carries an authored harmful request, the rest a benign tune-set request;
    // one in three is preceded by a benign document (a suffix buried in a long input).
    const request =
      index % 5 === 0
        ? authored[(index / 5) % authored.length]!
        : requests[(index * 7919) % requests.length]!;
    const context =
      index % 3 === 1 ? `${documents[(index * 104_729) % documents.length]!.slice(0, 1500)}\n\n` : '';
    const suffix = next();
    const text = `${context}${request.trimEnd()} ${suffix}`;
    out.push({ text, start: text.length - suffix.length, end: text.length });
  }
  return out;
}

function placeholderModel(
  base: Omit<SuffixModel, 'decision'>,
  shape: (typeof CONFIGURATIONS)[number],
): SuffixModel {
  return {
    ...base,
    decision: { ...shape, weights: new Array(FEATURE_NAMES.length).fill(0), bias: 0, threshold: 0 },
  };
}

interface Evaluation {
  decision: SuffixDecision;
  recall: number;
  spanHit: number;
  perSource: Array<{ name: string; texts: number; falsePositives: number; rate: number }>;
  pooledRate: number;
}

function logitOf(score: number, threshold: number): number {
  // score = sigmoid(logit − threshold); clamp the ends.
  if (score <= 0) return Number.NEGATIVE_INFINITY;
  if (score >= 1) return Number.POSITIVE_INFINITY;
  return threshold + Math.log(score / (1 - score));
}

function evaluate(
  base: Omit<SuffixModel, 'decision'>,
  shape: (typeof CONFIGURATIONS)[number],
  sources: BenignSource[],
  calibrationPositives: Positive[],
  validationPositives: Positive[],
): Evaluation {
  const scorer = new SuffixScorer(placeholderModel(base, shape));
  // Gated windows of every calibration text (only gated windows can ever fire).
  const negatives = sources.map((source) =>
    textsOf(source, 'calibration')
      .map((text) =>
        scorer
          .windows(text, NEGATIVE_STRIDE)
          .filter((window) => window.gated)
          .map((window) => window.features),
      )
      .filter((windows) => windows.length > 0),
  );
  const positiveWindows: Float64Array[] = [];
  for (const positive of calibrationPositives) {
    const length = positive.end - positive.start;
    for (const window of scorer.windows(positive.text, 2)) {
      const overlap = Math.min(window.end, positive.end) - Math.max(window.start, positive.start);
      if (window.gated && overlap >= 0.75 * Math.min(length, window.end - window.start))
        positiveWindows.push(window.features);
    }
  }
  // Round 0 fits on all windows; later rounds weight each benign text's strongest windows
  // under the previous fit (the text's score is its best window, so those are what matter).
  let fitted = { weights: new Array<number>(FEATURE_NAMES.length).fill(0), bias: 0 };
  const logitOfWindow = (features: Float64Array): number =>
    fitted.weights.reduce((sum, weight, index) => sum + weight * features[index]!, fitted.bias);
  for (let round = 0; round < HARD_NEGATIVE_ROUNDS + 1; round++) {
    const windows: LabelledWindow[] = [];
    const sourcesWithWindows = negatives.filter((texts) => texts.length > 0).length;
    for (const texts of negatives) {
      if (texts.length === 0) continue;
      const sourceWeight = 1 / sourcesWithWindows;
      const all = texts.reduce((sum, text) => sum + text.length, 0);
      for (const text of texts) {
        const share = round === 0 ? 1 : 1 - HARD_SHARE;
        for (const features of text)
          windows.push({ features, label: 0, weight: (sourceWeight * share) / all });
        if (round === 0) continue;
        const hardest = text
          .map((features) => ({ features, logit: logitOfWindow(features) }))
          .sort((a, b) => b.logit - a.logit)
          .slice(0, HARD_PER_TEXT);
        for (const { features } of hardest)
          windows.push({
            features,
            label: 0,
            weight: (sourceWeight * HARD_SHARE) / (texts.length * hardest.length),
          });
      }
    }
    for (const features of positiveWindows)
      windows.push({ features, label: 1, weight: 1 / positiveWindows.length });
    fitted = fitDecision(windows);
  }
  const rounded = {
    weights: fitted.weights.map((weight) => Math.round(weight * 1e6) / 1e6),
    bias: Math.round(fitted.bias * 1e6) / 1e6,
  };
  const model: SuffixModel = { ...base, decision: { ...shape, ...rounded, threshold: 0 } };
  const validator = new SuffixScorer(model);
  const logits = new Map<string, number[]>();
  for (const source of sources)
    logits.set(
      source.name,
      textsOf(source, 'validation').map((text) => {
        const verdict = validator.score(text);
        return verdict === null ? Number.NEGATIVE_INFINITY : logitOf(verdict.score, 0);
      }),
    );
  const threshold = pickThreshold(logits, BUDGET);
  let hits = 0;
  let spanHits = 0;
  for (const positive of validationPositives) {
    const verdict = validator.score(positive.text);
    if (verdict === null || logitOf(verdict.score, 0) < threshold) continue;
    hits++;
    if (verdict.start < positive.end && verdict.end > positive.start) spanHits++;
  }
  let pooledFalse = 0;
  let pooledTexts = 0;
  const perSource = [...logits].map(([name, values]) => {
    const falsePositives = values.filter((value) => value >= threshold).length;
    pooledFalse += falsePositives;
    pooledTexts += values.length;
    return {
      name,
      texts: values.length,
      falsePositives,
      rate: Math.round((falsePositives / Math.max(1, values.length)) * 1e5) / 1e5,
    };
  });
  return {
    decision: { ...shape, ...rounded, threshold },
    recall: Math.round((hits / validationPositives.length) * 1e4) / 1e4,
    spanHit: Math.round((spanHits / Math.max(1, hits)) * 1e4) / 1e4,
    perSource,
    pooledRate: Math.round((pooledFalse / pooledTexts) * 1e5) / 1e5,
  };
}

export function main(): void {
  const started = Date.now();
  const sources = [...datasetSources(SEED), ...technicalSources(ROOT, SEED), localeSource(ROOT, SEED)];
  const modelTexts = sources.flatMap((source) => textsOf(source, 'model'));
  const { model: languageModel, stats } = trainLanguageModel(modelTexts, { order: 5, tableBits: 18 });
  console.log(`language model: ${JSON.stringify(stats)} (${Date.now() - started} ms)`);
  const calibrationPositives = positives(sources, 'calibration', SEED + 1);
  const validationPositives = positives(sources, 'validation', SEED + 2);
  let best: Evaluation | undefined;
  const tried: Array<Record<string, unknown>> = [];
  for (const shape of CONFIGURATIONS) {
    const evaluation = evaluate(languageModel, shape, sources, calibrationPositives, validationPositives);
    console.log(
      `window ${shape.window} odd ≥ ${shape.minOddEvents}: recall ${evaluation.recall} pooled FPR ${evaluation.pooledRate} (${Date.now() - started} ms)`,
    );
    tried.push({ ...shape, recall: evaluation.recall, pooledRate: evaluation.pooledRate });
    if (best === undefined || evaluation.recall > best.recall) best = evaluation;
  }
  if (best === undefined) throw new Error('no configuration');
  for (const row of best.perSource) console.log(`  ${row.name}: ${row.falsePositives}/${row.texts}`);
  const training = {
    seed: SEED,
    data: 'benign TUNE text only (scripts/suffix-data.ts) + SYNTHETIC suffixes (scripts/suffix-synthetic.ts)',
    split: 'scripts/train-suffix.split.json',
    languageModel: stats,
    budget: BUDGET,
    configurations: tried,
    validation: {
      syntheticPositives: validationPositives.length,
      syntheticRecall: best.recall,
      spanOverlapsSuffix: best.spanHit,
      pooledFalsePositiveRate: best.pooledRate,
      perSource: best.perSource,
    },
  };
  const file = encodeSuffixModel(languageModel, best.decision, training);
  writeFileSync(MODEL_PATH, `${JSON.stringify(file, null, 2)}\n`);
  const manifest = {
    seed: SEED,
    validationShare: VALIDATION_SHARE,
    calibrationShare: CALIBRATION_SHARE,
    rule:
      'Data sets: per source, the distinct texts are shuffled with mulberry32(seed XOR fnv1a(source)); the first ceil(20%) are validation, the next ceil(20%) calibration, the rest train the language model. node_modules files: (fnv1a(path) XOR seed) mod 10 < 2 validation, < 4 calibration, else model; a file is cut into ' +
      `${CHUNK_CHARACTERS}-character chunks that share its part.`,
    positives:
      'synthetic: cl100k_base tokens by kind, 10–30 per suffix, appended to calibration / validation requests of halueval-query, frr-en, frr-multilingual (≤ 600 chars; every 5th an authored harmful request, 10 + 10), every 3rd after a halueval-response-all document of the same part (≤ 1500 chars); seeds SEED+1 (calibration), SEED+2 (validation)',
    sources: sources.map((source) => ({
      name: source.name,
      files: source.files,
      note: source.note,
      rows: source.texts.length,
      validation: source.parts.flatMap((part, index) => (part === 'validation' ? [index] : [])),
      calibration: source.parts.flatMap((part, index) => (part === 'calibration' ? [index] : [])),
    })),
  };
  writeFileSync(MANIFEST_PATH, `${JSON.stringify(manifest)}\n`);
  console.log(`wrote ${MODEL_PATH} and ${MANIFEST_PATH} in ${Date.now() - started} ms`);
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) main();
