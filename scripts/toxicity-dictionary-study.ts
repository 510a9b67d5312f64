/**
 * @module scripts/toxicity-dictionary-study
 *
 * Session 9, "known-benign words" (docs/guardrails-toxicity.md): a plain lower-case word that
 * an ordinary English dictionary holds and no profanity list names gives no character n-grams
 * (src/guard/toxicity/benign-words.ts), so "push" no longer carries the n-grams of "pussy".
 * Tune data only: the tune pool's **validation** split, the 4,507 HaluEval ChatGPT answers as
 * benign text (their hallucination labels are never read), the session-8 short texts and the
 * dev/ops texts of scripts/toxicity-dev-texts.ts (never trained on). No measure set is read.
 *
 *   node --import tsx scripts/toxicity-dictionary-study.ts [variant …]           # train + compare
 *   node --import tsx scripts/toxicity-dictionary-study.ts --variant NAME TEXT …  # scores of texts
 *   node --import tsx scripts/toxicity-dictionary-study.ts --committed            # the model file
 *
 * Needs the word-list packages (scripts/toxicity-benign-words.ts: TOXICITY_WORD_PACKAGES).
 * Each variant (RECIPES in scripts/toxicity-recipe.ts) is trained exactly as the trainer does
 * (train split, Youden thresholds on validation with neutral calibration, then the shipped
 * evidence calibration) and scored at 0.5.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { classifyWithModel } from '../src/guard/toxicity/classify.js';
import { defaultToxicityModel } from '../src/guard/toxicity/default-model.js';
import { loadToxicityModel, type ToxicityModel } from '../src/guard/toxicity/model-format.js';
import { buildModelFile, encodeExamples, trainLogistic } from '../src/guard/toxicity/train.js';
import { datasetsRoot, type LabelledText, loadTunePool } from './toxicity-datasets.js';
import { devBenignTexts, devToxicTexts } from './toxicity-dev-texts.js';
import { balanceBySource, rocAuc, round, youdenThreshold } from './toxicity-metrics.js';
import {
  authoredRows,
  RECIPES,
  type Recipe,
  recipeBenignWords,
  recipeCalibration,
  TRAINING_OPTIONS,
  trainingExamples,
} from './toxicity-recipe.js';
import {
  shortBenignChinese,
  shortBenignEnglish,
  shortToxicChinese,
  shortToxicEnglish,
} from './toxicity-short-texts.js';
import { assignSplits, BENIGN_SOURCES, readManifest, sourceGroup, thresholdGroup } from './toxicity-split.js';

/**
 * Slurs, swear words and their obfuscations, written for this study (not from a data set):
 * the dictionary must not take their evidence away.
 */
const OBFUSCATED_TOXIC = [
  'you stupid b1tch',
  'fuuuuck you',
  'shut up you fking idiot',
  'what a pussy',
  'you little bitch',
  'stfu loser',
  'ur such a retard lol',
  'go to hell you piece of sh1t',
  'dumb hoe',
  'f*** off',
];

function haluevalAnswers(): string[] {
  return readFileSync(join(datasetsRoot(), 'hallucination-halueval-general/general_data.json'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => String((JSON.parse(line) as { chatgpt_response?: unknown }).chatgpt_response ?? '').trim())
    .filter((text) => text.length > 0);
}

const flagged = (model: ToxicityModel, texts: readonly string[]) =>
  texts.filter((text) => classifyWithModel(model, text).score >= 0.5).length / texts.length;

function trainVariant(recipe: Recipe, train: LabelledText[], validation: LabelledText[]) {
  const features = TRAINING_OPTIONS.features;
  const benign = recipeBenignWords(recipe);
  const trained = trainLogistic(
    encodeExamples(trainingExamples(train, authoredRows(), recipe), features, benign?.set ?? null),
    TRAINING_OPTIONS,
  );
  const neutral = loadToxicityModel(
    buildModelFile(trained, features, { en: 0.5, zh: 0.5 }, {}, undefined, benign?.file),
  );
  const scored = validation.map((row) => ({
    row,
    toxic: row.toxic,
    score: classifyWithModel(neutral, row.text).score,
  }));
  const balanced = (language: string) =>
    balanceBySource(
      scored.filter((item) => item.row.language === language),
      (item) => thresholdGroup(item.row.source),
    );
  const thresholds = { en: youdenThreshold(balanced('en')), zh: youdenThreshold(balanced('zh')) };
  return loadToxicityModel(
    buildModelFile(trained, features, thresholds, {}, recipeCalibration(recipe), benign?.file),
  );
}

function main(): void {
  const { values, positionals } = parseArgs({
    options: { variant: { type: 'string' }, committed: { type: 'boolean' } },
    allowPositionals: true,
  });
  const pool = loadTunePool();
  const splits = assignSplits(pool, readManifest());
  const train = pool.filter((row) => splits.get(row) === 'train');
  const validation = pool.filter(
    (row) => splits.get(row) === 'validation' && !BENIGN_SOURCES.has(sourceGroup(row.source)),
  );
  if (values.variant !== undefined) {
    const model = trainVariant(RECIPES[values.variant]!, train, validation);
    for (const text of positionals)
      console.log(JSON.stringify([text, round(classifyWithModel(model, text).score, 3)]));
    return;
  }
  const dev = devBenignTexts();
  const answers = haluevalAnswers();
  const shortBenign = [...shortBenignEnglish(), ...shortBenignChinese()];
  const shortToxic = [...shortToxicEnglish(), ...shortToxicChinese()];
  const benignValidation = pool
    .filter(
      (row) =>
        splits.get(row) === 'validation' &&
        ['halueval-query', 'mitre-frr', 'benign-en'].includes(sourceGroup(row.source)),
    )
    .map((row) => row.text);
  const wanted = positionals;
  const runs: Array<[string, () => ToxicityModel]> = values.committed
    ? [['committed model file', defaultToxicityModel]]
    : Object.entries(RECIPES)
        .filter(([key]) =>
          (wanted.length === 0 ? ['baseline', 'dict-35', 'dict-50', 'dict-70'] : wanted).includes(key),
        )
        .map(([key, recipe]) => [key, () => trainVariant(recipe, train, validation)]);
  for (const [name, make] of runs) {
    const started = performance.now();
    const model = make();
    const scored = validation.map((row) => ({
      row,
      toxic: row.toxic,
      score: classifyWithModel(model, row.text).score,
    }));
    const of = (test: (item: (typeof scored)[number]) => boolean) => scored.filter(test);
    const recall = (language: string) => {
      const toxic = of((item) => item.toxic && item.row.language === language);
      return toxic.filter((item) => item.score >= 0.5).length / toxic.length;
    };
    const auc = (group: string) => rocAuc(of((item) => sourceGroup(item.row.source) === group));
    const devScores = dev.map((text) => classifyWithModel(model, text).score);
    const score = (text: string) => round(classifyWithModel(model, text).score, 3);
    console.log(
      JSON.stringify({
        variant: name,
        devBenignFlagged: round(flagged(model, dev)),
        gitPush: score('git push'),
        devToxicFlagged: round(flagged(model, devToxicTexts())),
        obfuscatedToxicMissed: OBFUSCATED_TOXIC.filter((text) => classifyWithModel(model, text).score < 0.5),
        haluevalAnswersFlagged: round(flagged(model, answers)),
        recallEn: round(recall('en')),
        recallZh: round(recall('zh')),
        aucEn: round(rocAuc(of((item) => item.row.language === 'en'))),
        aucZh: round(rocAuc(of((item) => item.row.language === 'zh'))),
        davidson: round(auc('davidson')),
        toxigen: round(auc('toxigen')),
        cold: round(auc('cold')),
        benignValidationFlagged: round(flagged(model, benignValidation)),
        shortBenignFlagged: round(flagged(model, shortBenign)),
        shortToxicFlagged: round(flagged(model, shortToxic)),
        thresholds: model.file.thresholds,
        devWorst: dev
          .map((text, index) => [text, round(devScores[index]!, 2)] as const)
          .sort((left, right) => right[1] - left[1])
          .filter(([, value]) => value >= 0.5),
        ms: Math.round(performance.now() - started),
      }),
    );
  }
}

main();
