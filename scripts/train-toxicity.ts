/**
 * @module scripts/train-toxicity
 *
 * Trains the toxicity model shipped in `src/guard/toxicity/model/toxicity-model.json`:
 *
 *   node --import tsx scripts/train-toxicity.ts            # train with the committed split
 *   node --import tsx scripts/train-toxicity.ts --check    # retrain, fail unless byte-identical
 *   node --import tsx scripts/train-toxicity.ts --resplit  # recompute and rewrite the split manifest
 *
 * Only tune data is read (see scripts/toxicity-datasets.ts). Rows are split 70/15/15 into
 * train / validation / tune-test by a seeded hash of their *prepared* text, so duplicates
 * always fall on the same side; the split is committed in `scripts/toxicity-split.json` with
 * the sha256 of every data file. Training uses the train split only; the per-language
 * thresholds are the Youden-J optimum on the validation split of the toxicity-labelled sets
 * (the benign prompt sets are negatives for training, not for choosing the threshold); the
 * tune-test split is reported and never looked at for any choice. Fixed seed, no clock: the
 * same data gives the same bytes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
// Deep imports on purpose: the module door loads the committed model, which may not exist yet.
import { classifyWithModel } from '../src/guard/toxicity/classify.js';
import { DEFAULT_FEATURE_SETTINGS } from '../src/guard/toxicity/features.js';
import { loadToxicityModel } from '../src/guard/toxicity/model-format.js';
import { prepareText } from '../src/guard/toxicity/prepare-text.js';
import {
  buildModelFile,
  encodeExamples,
  type TrainingExample,
  type TrainingOptions,
  trainLogistic,
} from '../src/guard/toxicity/train.js';
import { type LabelledText, loadTunePool, tuneFileDigests } from './toxicity-datasets.js';
import {
  balanceBySource,
  metricsAt,
  rocAuc,
  round,
  type Scored,
  youdenThreshold,
} from './toxicity-metrics.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const MODEL_PATH = join(root, 'src/guard/toxicity/model/toxicity-model.json');
const MANIFEST_PATH = join(root, 'scripts/toxicity-split.json');

const SPLIT_SEED = 20240611;
export const TRAINING_OPTIONS: TrainingOptions = {
  features: DEFAULT_FEATURE_SETTINGS,
  epochs: 5,
  learningRate: 0.1,
  l2: 1e-5,
  seed: 42,
};
/** Implicit hate is rare and the hardest; benign prompts are easy and plentiful. */
const SOURCE_WEIGHTS: Record<string, number> = {
  toxigen: 3,
  'halueval-query': 0.5,
  'mitre-frr': 0.5,
  'benign-zh': 1,
};
const BENIGN_SOURCES = new Set(['halueval-query', 'mitre-frr', 'benign-zh']);

type SplitName = 'train' | 'validation' | 'test';

interface SplitManifest {
  rule: string;
  seed: number;
  digests: Record<string, string>;
  counts: Record<string, Record<SplitName, number>>;
  /** Per source: comma-separated row indexes in validation / test (train = the rest). */
  validation: Record<string, string>;
  test: Record<string, string>;
}

function splitOf(row: LabelledText, seed: number): SplitName {
  const digest = createHash('sha256')
    .update(`${seed}|${prepareText(row.text)}`)
    .digest();
  const unit = digest.readUInt32BE(0) / 2 ** 32;
  return unit < 0.7 ? 'train' : unit < 0.85 ? 'validation' : 'test';
}

function sourceGroup(source: string): string {
  return source.split(':')[0]!;
}

/** Sets that count as one in threshold balancing (the three JADE files are one set). */
function thresholdGroup(source: string): string {
  return source.startsWith('jade') ? 'jade' : sourceGroup(source);
}

function buildManifest(pool: LabelledText[]): SplitManifest {
  const lists: Record<'validation' | 'test', Record<string, number[]>> = { validation: {}, test: {} };
  const counts: SplitManifest['counts'] = {};
  for (const row of pool) {
    const split = splitOf(row, SPLIT_SEED);
    const group = sourceGroup(row.source);
    counts[group] ??= { train: 0, validation: 0, test: 0 };
    counts[group][split]++;
    if (split === 'train') continue;
    const list = lists[split][row.source] ?? [];
    list.push(row.index);
    lists[split][row.source] = list;
  }
  const join = (table: Record<string, number[]>) =>
    Object.fromEntries(Object.entries(table).map(([source, indexes]) => [source, indexes.join(',')]));
  return {
    rule: 'u = first 32 bits of sha256(seed + "|" + prepareText(text)) / 2^32: < 0.70 train, < 0.85 validation, else test',
    seed: SPLIT_SEED,
    digests: tuneFileDigests(),
    counts,
    validation: join(lists.validation),
    test: join(lists.test),
  };
}

function assignSplits(pool: LabelledText[], manifest: SplitManifest): Map<LabelledText, SplitName> {
  const lookup = (table: Record<string, string>) =>
    new Map(Object.entries(table).map(([source, list]) => [source, new Set(list.split(',').map(Number))]));
  const validation = lookup(manifest.validation);
  const test = lookup(manifest.test);
  return new Map(
    pool.map((row) => [
      row,
      validation.get(row.source)?.has(row.index)
        ? 'validation'
        : test.get(row.source)?.has(row.index)
          ? 'test'
          : 'train',
    ]),
  );
}

/** Class-balanced per language (toxic and non-toxic carry equal total weight), times the source weight. */
function weigh(rows: LabelledText[]): TrainingExample[] {
  const totals = new Map<string, number>();
  const key = (row: LabelledText) => `${row.language}:${row.toxic}`;
  for (const row of rows) totals.set(key(row), (totals.get(key(row)) ?? 0) + 1);
  return rows.map((row) => ({
    text: row.text,
    toxic: row.toxic,
    weight: (rows.length / 4 / totals.get(key(row))!) * (SOURCE_WEIGHTS[sourceGroup(row.source)] ?? 1),
  }));
}

function summarise(rows: Array<Scored & { row: LabelledText }>, threshold: number) {
  const summary: Record<string, Record<string, number>> = {};
  const groups = new Map<string, Scored[]>();
  for (const item of rows) {
    for (const name of [item.row.language, `${item.row.language}/${sourceGroup(item.row.source)}`]) {
      const list = groups.get(name) ?? [];
      list.push(item);
      groups.set(name, list);
    }
  }
  for (const [name, list] of [...groups].sort(([left], [right]) => (left < right ? -1 : 1))) {
    const metrics = metricsAt(list, threshold);
    summary[name] = {
      rows: list.length,
      ...(Number.isNaN(rocAuc(list)) ? {} : { auc: round(rocAuc(list)) }),
      precision: round(metrics.precision),
      recall: round(metrics.recall),
      fpr: round(metrics.fpr),
      f1: round(metrics.f1),
    };
  }
  return summary;
}

function main(): void {
  const { values } = parseArgs({ options: { check: { type: 'boolean' }, resplit: { type: 'boolean' } } });
  const started = performance.now();
  const pool = loadTunePool();
  let manifest: SplitManifest;
  if (values.resplit || !existsSync(MANIFEST_PATH)) {
    manifest = buildManifest(pool);
    writeFileSync(MANIFEST_PATH, `${JSON.stringify(manifest, null, 2)}\n`);
    console.log(`wrote ${MANIFEST_PATH}`);
  } else {
    manifest = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as SplitManifest;
    const digests = tuneFileDigests();
    for (const [file, digest] of Object.entries(manifest.digests)) {
      if (digests[file] !== digest) throw new Error(`data file changed since the split was made: ${file}`);
    }
  }
  const splits = assignSplits(pool, manifest);
  const train = pool.filter((row) => splits.get(row) === 'train');
  const held = (name: SplitName) =>
    pool.filter((row) => splits.get(row) === name && !BENIGN_SOURCES.has(sourceGroup(row.source)));
  const benignHeld = pool.filter(
    (row) => splits.get(row) !== 'train' && BENIGN_SOURCES.has(sourceGroup(row.source)),
  );
  console.log(`pool ${pool.length}: train ${train.length}, validation ${held('validation').length}`);

  const trained = trainLogistic(encodeExamples(weigh(train), TRAINING_OPTIONS.features), TRAINING_OPTIONS);
  // Thresholds are chosen on the deployed scorer (quantised weights, windows, rule floors)
  // with neutral calibration, then folded into the final file.
  const neutral = loadToxicityModel(
    buildModelFile(trained, TRAINING_OPTIONS.features, { en: 0.5, zh: 0.5 }, {}),
  );
  const score = (rows: LabelledText[]) =>
    rows.map((row) => ({ row, toxic: row.toxic, score: classifyWithModel(neutral, row.text).score }));
  const validation = score(held('validation'));
  const balanced = (language: string) =>
    balanceBySource(
      validation.filter((item) => item.row.language === language),
      (item) => thresholdGroup(item.row.source),
    );
  const thresholds = { en: youdenThreshold(balanced('en')), zh: youdenThreshold(balanced('zh')) };
  const calibrated = (items: Array<Scored & { row: LabelledText }>) =>
    items.map((item) => ({
      ...item,
      score: classifyWithModel(final, item.row.text).score,
    }));
  const training = {
    script: 'scripts/train-toxicity.ts',
    manifest: 'scripts/toxicity-split.json',
    options: { ...TRAINING_OPTIONS, sourceWeights: SOURCE_WEIGHTS, classBalance: 'per language' },
    thresholdRule:
      'Youden J on the validation split per language, toxicity-labelled sets only, each set weighted equally',
    trainRows: train.length,
  };
  let file = buildModelFile(trained, TRAINING_OPTIONS.features, thresholds, training);
  const final = loadToxicityModel(file);
  const validationSummary = summarise(calibrated(validation), 0.5);
  const testSummary = summarise(calibrated(score(held('test'))), 0.5);
  const benignFlagged = benignHeld.filter((row) => classifyWithModel(final, row.text).score >= 0.5).length;
  file = buildModelFile(trained, TRAINING_OPTIONS.features, thresholds, {
    ...training,
    validation: validationSummary,
    tuneTest: testSummary,
    benignPromptsHeldOut: {
      rows: benignHeld.length,
      fpr: round(benignFlagged / Math.max(1, benignHeld.length)),
    },
  });
  const text = `${JSON.stringify(file, null, 2)}\n`;
  const digest = createHash('sha256').update(text).digest('hex');
  console.log(
    JSON.stringify({ thresholds: file.thresholds, validation: validationSummary, test: testSummary }),
  );
  console.log(
    `model sha256 ${digest} (${text.length} bytes) in ${Math.round(performance.now() - started)} ms`,
  );
  if (values.check) {
    const committed = existsSync(MODEL_PATH) ? readFileSync(MODEL_PATH, 'utf8') : '';
    if (committed !== text) {
      console.error('retrained model differs from the committed file');
      process.exitCode = 1;
    } else console.log('reproducible: retrained model is byte-identical to the committed file');
    return;
  }
  mkdirSync(dirname(MODEL_PATH), { recursive: true });
  writeFileSync(MODEL_PATH, text);
  console.log(`wrote ${MODEL_PATH}`);
}

main();
