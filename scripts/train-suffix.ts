/**
 * Trains the adversarial-suffix detector from BENIGN TUNE text and SYNTHETIC positives, and
 * writes
 *   src/guard/injection/suffix/model/suffix-model.json   (n-gram table, decision layer, provenance)
 *   scripts/train-suffix.split.json                       (which rows are model / calibration / validation)
 * and reads the node_modules files of its technical sources from scripts/train-suffix.files.json
 * (path and sha256 of each; `--repick` picks them again from node_modules and rewrites it).
 * Run: node --import tsx scripts/train-suffix.ts   (a minute or two on 2 cores)
 *
 * 1. The character 5-gram model is trained on the `model` part of the benign text only.
 * 2. The window logistic regression is fitted on the `calibration` part (benign windows, text
 *    the language model never saw) against windows inside synthetic suffixes
 *    (scripts/suffix-synthetic.ts) appended to calibration requests.
 * 3. The tail layer's logistic regression (session 3) is fitted on one tail per calibration text
 *    and positive (scorer.tail), for each tail shape.
 * 4. Window and tail shapes are chosen, and both thresholds set together, on the `validation`
 *    part: every benign source's false-positive rate ≤ 1 % and the pooled rate ≤ 0.5 % for the
 *    union of the two layers (pickJointThresholds); the combination with the best synthetic
 *    recall wins. Positives alternate between two generators (scripts/suffix-synthetic.ts).
 * Measure-only sets are never read. Deterministic: seeded split, seeded suffixes, float64
 * full-batch fitting, fixed serialisation order — two runs write the same bytes.
 */

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  SuffixDecision,
  SuffixModel,
  SuffixTailDecision,
} from '../src/guard/injection/suffix/language-model.js';
import { FEATURE_NAMES, SuffixScorer, TAIL_FEATURE_NAMES } from '../src/guard/injection/suffix/scorer.js';
import {
  encodeSuffixModel,
  fitDecision,
  type LabelledWindow,
  pickJointThresholds,
} from '../src/guard/injection/suffix/train-decision.js';
import { trainLanguageModel } from '../src/guard/injection/suffix/train-ngram.js';
import {
  type BenignSource,
  CALIBRATION_SHARE,
  CHUNK_CHARACTERS,
  datasetSources,
  localeSource,
  type PinnedTechnicalFiles,
  requestCodeSource,
  type SplitPart,
  technicalSources,
  VALIDATION_SHARE,
} from './suffix-data.js';
import {
  AUTHORED_HARMFUL_REQUESTS,
  createGcgSuffixGenerator,
  createSuffixGenerator,
} from './suffix-synthetic.js';

export const SEED = 20_251_129;
const ROOT = join(import.meta.dirname, '..');
export const MODEL_PATH = join(ROOT, 'src/guard/injection/suffix/model/suffix-model.json');
export const MANIFEST_PATH = join(ROOT, 'scripts/train-suffix.split.json');
const BUDGET = { perSource: 0.01, pooled: 0.005 };
const CONFIGURATIONS: Array<Pick<SuffixDecision, 'window' | 'minOddEvents'>> = [
  // Session 2 also tried 32/2 and 48/2 (worse, and two odd events let more texts into the
  // likelihood pass).
  { window: 48, minOddEvents: 3 },
  { window: 64, minOddEvents: 3 },
  { window: 64, minOddEvents: 4 },
];
/** Tail layer shapes tried with each window shape. */
const TAIL_CONFIGURATIONS: Array<Pick<SuffixTailDecision, 'window' | 'minOddEvents'>> = [
  // Tried in development and worse on synthetic validation recall: 48/1 (82 %), 64/2 (75 %).
  { window: 64, minOddEvents: 1 },
  { window: 96, minOddEvents: 1 },
  { window: 96, minOddEvents: 2 },
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

/** Which generator made a positive: random tokens by kind, or the GCG-search imitation. */
export type Generator = 'kinds' | 'gcg';

interface Positive {
  generator: Generator;
  text: string;
  /** The suffix's span in `text`. */
  start: number;
  end: number;
}

export function textsOf(source: BenignSource, part: SplitPart): string[] {
  return source.texts.filter((_text, index) => source.parts[index] === part);
}

export function positives(
  sources: BenignSource[],
  part: 'calibration' | 'validation',
  seed: number,
): Positive[] {
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
  // Even positives: the first generator (random cl100k tokens by kind); odd: the GCG-search
  // imitation, with its own seed.
  const nextByKind = createSuffixGenerator(seed);
  const nextGcg = createGcgSuffixGenerator(seed + 1000);
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
    const generator: Generator = index % 2 === 0 ? 'kinds' : 'gcg';
    const suffix = generator === 'kinds' ? nextByKind() : nextGcg();
    const text = `${context}${request.trimEnd()} ${suffix}`;
    out.push({ generator, text, start: text.length - suffix.length, end: text.length });
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
  recallByGenerator: Record<Generator, number>;
  /** Share of the flagged positives that only the tail layer flags. */
  tailOnlyShare: number;
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

export function evaluate(
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
  const validator = new SuffixScorer({ ...base, decision: { ...shape, ...rounded, threshold: 0 } });
  const windowLogitOf = (text: string): number => {
    const verdict = validator.score(text);
    return verdict === null ? Number.NEGATIVE_INFINITY : logitOf(verdict.score, 0);
  };
  const benignWindowLogits = sources.map((source) => textsOf(source, 'validation').map(windowLogitOf));
  const positiveWindowLogits = validationPositives.map((positive) => windowLogitOf(positive.text));
  // The tail layer, per tail shape: one window per text (its end), benign calibration texts
  // against the calibration positives; each benign source carries equal weight, the positives
  // as much as all benign sources together. Thresholds are chosen jointly with the window
  // layer's; the tail shape with the best recall wins.
  let chosen: { tail: SuffixTailDecision | undefined; main: number; recall: number } | undefined;
  for (const tailShape of TAIL_CONFIGURATIONS) {
    const tailScorer = new SuffixScorer({
      ...base,
      decision: {
        ...shape,
        ...rounded,
        threshold: 0,
        tail: { ...tailShape, weights: new Array(TAIL_FEATURE_NAMES.length).fill(0), bias: 0, threshold: 0 },
      },
    });
    const benignTails = sources.map((source) =>
      textsOf(source, 'calibration').flatMap((text) => {
        const tail = tailScorer.tail(text);
        return tail === null ? [] : [tail.features];
      }),
    );
    const tailSources = benignTails.filter((tails) => tails.length > 0).length;
    const positiveTails = calibrationPositives.flatMap((positive) => {
      const tail = tailScorer.tail(positive.text);
      return tail === null ? [] : [tail.features];
    });
    // One round: hard-negative rounds as for the window layer, and longer fits (3,000 steps),
    // were tried and lowered synthetic recall under the budget (87.8 % → 71 % and 86 %).
    const tailWindows: LabelledWindow[] = [];
    for (const tails of benignTails)
      for (const features of tails)
        tailWindows.push({ features, label: 0, weight: 1 / tailSources / tails.length });
    for (const features of positiveTails)
      tailWindows.push({ features, label: 1, weight: 1 / positiveTails.length });
    const tailFit = fitDecision(tailWindows);
    const tailRounded = {
      weights: tailFit.weights.map((weight) => Math.round(weight * 1e6) / 1e6),
      bias: Math.round(tailFit.bias * 1e6) / 1e6,
    };
    const tailLogitOf = (text: string): number => {
      const tail = tailScorer.tail(text);
      return tail === null
        ? Number.NEGATIVE_INFINITY
        : tail.features.reduce(
            (sum, value, index) => sum + value * tailRounded.weights[index]!,
            tailRounded.bias,
          );
    };
    const logits = new Map<string, Array<readonly [number, number]>>();
    sources.forEach((source, index) => {
      const windows = benignWindowLogits[index]!;
      logits.set(
        source.name,
        textsOf(source, 'validation').map((text, row) => [windows[row]!, tailLogitOf(text)] as const),
      );
    });
    const positiveLogits = validationPositives.map(
      (positive, index) => [positiveWindowLogits[index]!, tailLogitOf(positive.text)] as const,
    );
    const thresholds = pickJointThresholds(logits, positiveLogits, BUDGET);
    console.log(
      `  tail ${tailShape.window} odd ≥ ${tailShape.minOddEvents}: recall ${thresholds.recall.toFixed(4)} thresholds ${thresholds.main}/${thresholds.tail}`,
    );
    if (chosen === undefined || thresholds.recall > chosen.recall)
      chosen = {
        tail:
          thresholds.tail === Number.POSITIVE_INFINITY
            ? undefined
            : { ...tailShape, ...tailRounded, threshold: thresholds.tail },
        main: thresholds.main,
        recall: thresholds.recall,
      };
  }
  if (chosen === undefined) throw new Error('no tail configuration');
  const decision: SuffixDecision = { ...shape, ...rounded, threshold: chosen.main, tail: chosen.tail };
  // The shipped scorer decides: recount everything with it.
  const final = new SuffixScorer({ ...base, decision });
  const flagged = (text: string): boolean => (final.score(text)?.score ?? 0) >= 0.5;
  const recallBy: Record<Generator, { hits: number; total: number }> = {
    kinds: { hits: 0, total: 0 },
    gcg: { hits: 0, total: 0 },
  };
  let hits = 0;
  let spanHits = 0;
  let tailHits = 0;
  for (const positive of validationPositives) {
    recallBy[positive.generator].total++;
    const verdict = final.score(positive.text);
    if (verdict === null || verdict.score < 0.5) continue;
    hits++;
    recallBy[positive.generator].hits++;
    if (windowLogitOf(positive.text) < chosen.main) tailHits++;
    if (verdict.start < positive.end && verdict.end > positive.start) spanHits++;
  }
  let pooledFalse = 0;
  let pooledTexts = 0;
  const perSource = sources.map((source) => {
    const texts = textsOf(source, 'validation');
    const falsePositives = texts.filter(flagged).length;
    pooledFalse += falsePositives;
    pooledTexts += texts.length;
    return {
      name: source.name,
      texts: texts.length,
      falsePositives,
      rate: Math.round((falsePositives / Math.max(1, texts.length)) * 1e5) / 1e5,
    };
  });
  const share = (part: { hits: number; total: number }): number =>
    Math.round((part.hits / Math.max(1, part.total)) * 1e4) / 1e4;
  return {
    decision,
    recall: Math.round((hits / validationPositives.length) * 1e4) / 1e4,
    recallByGenerator: { kinds: share(recallBy.kinds), gcg: share(recallBy.gcg) },
    tailOnlyShare: Math.round((tailHits / Math.max(1, hits)) * 1e4) / 1e4,
    spanHit: Math.round((spanHits / Math.max(1, hits)) * 1e4) / 1e4,
    perSource,
    pooledRate: Math.round((pooledFalse / pooledTexts) * 1e5) / 1e5,
  };
}

/** The node_modules files the technical sources are read from (see PinnedTechnicalFiles). */
export const FILES_PATH = join(ROOT, 'scripts/train-suffix.files.json');

/**
 * Every benign source, the request-code near misses last (they are built from the others).
 * The technical files are the pinned ones unless `repick` (or there is no pinned list): then
 * they are picked again from node_modules and the list is rewritten.
 */
export function loadSources(repick = false): BenignSource[] {
  const pinned =
    !repick && existsSync(FILES_PATH)
      ? (JSON.parse(readFileSync(FILES_PATH, 'utf8')) as PinnedTechnicalFiles)
      : undefined;
  const picked: PinnedTechnicalFiles | undefined = pinned === undefined ? {} : undefined;
  const technical = technicalSources(ROOT, SEED, pinned, picked);
  if (picked !== undefined) writeFileSync(FILES_PATH, `${JSON.stringify(picked, null, 1)}\n`);
  const sources = [...datasetSources(SEED), ...technical, localeSource(ROOT, SEED)];
  return [...sources, requestCodeSource(sources, SEED)];
}

export function main(): void {
  const started = Date.now();
  const sources = loadSources(process.argv.includes('--repick'));
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
      `window ${shape.window} odd ≥ ${shape.minOddEvents}: recall ${evaluation.recall} ${JSON.stringify(evaluation.recallByGenerator)} tail-only ${evaluation.tailOnlyShare} pooled FPR ${evaluation.pooledRate} thresholds ${evaluation.decision.threshold}/${evaluation.decision.tail?.threshold} (${Date.now() - started} ms)`,
    );
    tried.push({
      ...shape,
      recall: evaluation.recall,
      recallByGenerator: evaluation.recallByGenerator,
      pooledRate: evaluation.pooledRate,
    });
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
      syntheticRecallByGenerator: best.recallByGenerator,
      flaggedByTailOnly: best.tailOnlyShare,
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
      'synthetic, alternating: (even) cl100k_base tokens by kind, 10–30 per suffix; (odd) the GCG-search imitation, cl100k_base ids < 32,000, 16–24 tokens, seed + 1000; appended to calibration / validation requests of halueval-query, frr-en, frr-multilingual (≤ 600 chars; every 5th an authored harmful request, 10 + 10), every 3rd after a halueval-response-all document of the same part (≤ 1500 chars); seeds SEED+1 (calibration), SEED+2 (validation)',
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
