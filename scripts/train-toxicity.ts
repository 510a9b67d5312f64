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
 * train / validation / tune-test (scripts/toxicity-split.ts; committed manifest
 * `scripts/train-toxicity.split.json`). Training uses the train split only; the per-language
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
import { loadToxicityModel } from '../src/guard/toxicity/model-format.js';
import { buildModelFile, encodeExamples, trainLogistic } from '../src/guard/toxicity/train.js';
import { type LabelledText, loadTunePool } from './toxicity-datasets.js';
import {
  balanceBySource,
  metricsAt,
  rocAuc,
  round,
  type Scored,
  youdenThreshold,
} from './toxicity-metrics.js';
import {
  authoredRows,
  SHIPPED_CALIBRATION,
  SHIPPED_RECIPE,
  TRAINING_OPTIONS,
  trainingExamples,
  trainingOptionsOf,
} from './toxicity-recipe.js';
import {
  assignSplits,
  BENIGN_SOURCES,
  loadOrBuildManifest,
  MANIFEST_PATH,
  type SplitName,
  sourceGroup,
  thresholdGroup,
} from './toxicity-split.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const MODEL_PATH = join(root, 'src/guard/toxicity/model/toxicity-model.json');

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
  const manifest = loadOrBuildManifest(pool, values.resplit === true);
  if (values.resplit) console.log(`wrote ${MANIFEST_PATH}`);
  const splits = assignSplits(pool, manifest);
  const train = pool.filter((row) => splits.get(row) === 'train');
  const held = (name: SplitName) =>
    pool.filter((row) => splits.get(row) === name && !BENIGN_SOURCES.has(sourceGroup(row.source)));
  const benignHeld = pool.filter(
    (row) => splits.get(row) !== 'train' && BENIGN_SOURCES.has(sourceGroup(row.source)),
  );
  console.log(`pool ${pool.length}: train ${train.length}, validation ${held('validation').length}`);

  const trained = trainLogistic(
    encodeExamples(trainingExamples(train, authoredRows(), SHIPPED_RECIPE), TRAINING_OPTIONS.features),
    trainingOptionsOf(SHIPPED_RECIPE),
  );
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
  const training = {
    script: 'scripts/train-toxicity.ts',
    manifest: 'scripts/train-toxicity.split.json',
    options: {
      ...TRAINING_OPTIONS,
      sourceWeights: SHIPPED_RECIPE.sourceWeights,
      classBalance: 'per language',
      ...(SHIPPED_RECIPE.perLanguageIntercept ? { intercepts: 'per language' } : {}),
    },
    thresholdRule:
      'Youden J on the validation split per language, toxicity-labelled sets only, each set weighted equally',
    trainRows: train.length,
  };
  // The evidence calibration (SHIPPED_CALIBRATION) goes on top of the thresholds, which the
  // Youden rule chose without it; the summaries below are of the calibrated scorer.
  const final = loadToxicityModel(
    buildModelFile(trained, TRAINING_OPTIONS.features, thresholds, training, SHIPPED_CALIBRATION),
  );
  const rescore = (rows: LabelledText[]) =>
    rows.map((row) => ({ row, toxic: row.toxic, score: classifyWithModel(final, row.text).score }));
  const validationSummary = summarise(rescore(held('validation')), 0.5);
  const testSummary = summarise(rescore(held('test')), 0.5);
  const negativesOnly: Record<string, { rows: number; fpr: number }> = {};
  for (const item of rescore(benignHeld)) {
    const entry = negativesOnly[sourceGroup(item.row.source)] ?? { rows: 0, fpr: 0 };
    entry.rows++;
    if (item.score >= 0.5) entry.fpr++;
    negativesOnly[sourceGroup(item.row.source)] = entry;
  }
  for (const entry of Object.values(negativesOnly)) entry.fpr = round(entry.fpr / entry.rows);
  const file = buildModelFile(
    trained,
    TRAINING_OPTIONS.features,
    thresholds,
    {
      ...training,
      validation: validationSummary,
      tuneTest: testSummary,
      negativesOnlyHeldOut: negativesOnly,
    },
    SHIPPED_CALIBRATION,
  );
  const text = `${JSON.stringify(file, null, 2)}\n`;
  const digest = createHash('sha256').update(text).digest('hex');
  console.log(
    JSON.stringify({
      thresholds: file.thresholds,
      validation: validationSummary,
      test: testSummary,
      negativesOnly,
    }),
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
