/**
 * @module scripts/toxicity-words-study
 *
 * Session 8, "words, not substrings" (docs/guardrails-toxicity.md): developer text is flagged
 * because character n-grams of innocent words are those of slurs ("git push" 0.98: " pus",
 * "pus" are Davidson's "pussy"). Tune data only: the tune pool's **validation** split, the
 * 4,507 HaluEval ChatGPT answers as benign text (their hallucination labels are never read),
 * the session-8 short texts and the dev/ops texts of scripts/toxicity-dev-texts.ts (never
 * trained on). No measure set is read.
 *
 *   node --import tsx scripts/toxicity-words-study.ts --explain "git push" …   # contributions
 *   node --import tsx scripts/toxicity-words-study.ts --diagnose               # committed model
 *   node --import tsx scripts/toxicity-words-study.ts [variant …]              # train + compare
 *
 * Each variant (RECIPES in scripts/toxicity-recipe.ts) is trained exactly as the trainer does
 * (train split, Youden thresholds on validation with neutral calibration, then the shipped
 * evidence calibration) and scored at 0.5.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { classifyWithModel } from '../src/guard/toxicity/classify.js';
import { defaultToxicityModel } from '../src/guard/toxicity/default-model.js';
import { createScratch, extractFeatures, type FeatureSettings } from '../src/guard/toxicity/features.js';
import { loadToxicityModel, type ToxicityModel } from '../src/guard/toxicity/model-format.js';
import { CHAR_CLASS, CLASS_CJK, CLASS_WORD, prepareText } from '../src/guard/toxicity/prepare-text.js';
import { buildModelFile, encodeExamples, trainLogistic } from '../src/guard/toxicity/train.js';
import { datasetsRoot, loadTunePool } from './toxicity-datasets.js';
import { devBenignTexts, devToxicTexts } from './toxicity-dev-texts.js';
import { balanceBySource, rocAuc, round, youdenThreshold } from './toxicity-metrics.js';
import {
  authoredRows,
  RECIPES,
  type Recipe,
  recipeFeatures,
  SHIPPED_CALIBRATION,
  TRAINING_OPTIONS,
  technicalRows,
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
 * Names of the features extractFeatures makes for `prepared`, in its order (lexicon category
 * features excluded: callers compare counts and skip texts with lexicon hits).
 */
function featureNames(prepared: string, settings: FeatureSettings): string[] {
  const names: string[] = [];
  const boundaries = settings.boundaries === true;
  const padded = boundaries ? ` ${prepared} ` : prepared;
  const offset = boundaries ? 1 : 0;
  const grams = (from: number, unigram: boolean) => {
    if (unigram) names.push(`c:${padded[from]}`);
    const cjk = (CHAR_CLASS[padded.charCodeAt(from)]! & CLASS_CJK) !== 0;
    const minimum =
      settings.latinBigrams === false && !cjk ? Math.max(settings.charMin, 3) : settings.charMin;
    const limit = Math.min(settings.charMax, padded.length - from);
    for (let size = 2; size <= limit; size++) {
      if (boundaries && size >= 3 && padded[from + size - 2] === ' ') break;
      if (size >= minimum) names.push(`c:${JSON.stringify(padded.slice(from, from + size))}`);
    }
  };
  if (boundaries && prepared.length > 0) grams(0, false);
  let wordStart = -1;
  let previous: string | null = null;
  for (let index = 0; index <= prepared.length; index++) {
    const code = index === prepared.length ? 0x20 : prepared.charCodeAt(index);
    const kind = CHAR_CLASS[code]!;
    if (index < prepared.length) grams(index + offset, (kind & CLASS_CJK) !== 0 || settings.charMin === 1);
    if ((kind & CLASS_WORD) !== 0 && index < prepared.length) {
      if (wordStart < 0) wordStart = index;
    } else {
      if (wordStart >= 0) {
        const word = prepared.slice(wordStart, index);
        names.push(`w:${word}`);
        if (previous !== null) names.push(`b:${previous} ${word}`);
        previous = word;
        wordStart = -1;
      }
      if ((kind & CLASS_CJK) !== 0) previous = null;
    }
  }
  return names;
}

const scratch = createScratch();

function contributions(model: ToxicityModel, text: string, top = 8) {
  const prepared = prepareText(text);
  extractFeatures(prepared, model.settings, scratch);
  const names = featureNames(prepared, model.settings);
  const weights = [...scratch.indexes.subarray(0, scratch.count)].map(
    (index) => model.codebook[model.codes[index]! + 128]!,
  );
  const labelled =
    names.length === weights.length
      ? names.map((name, position) => [name, round(weights[position]!, 3)] as const)
      : [];
  const sum = weights.reduce((total, weight) => total + weight, 0);
  return {
    text,
    score: round(classifyWithModel(model, text).score, 3),
    features: weights.length,
    evidence: round(weights.length === 0 ? 0 : sum / Math.sqrt(weights.length), 3),
    top: [...labelled].sort((left, right) => right[1] - left[1]).slice(0, top),
    words: labelled.filter(([name]) => name.startsWith('w:')),
  };
}

function haluevalAnswers(): string[] {
  return readFileSync(join(datasetsRoot(), 'hallucination-halueval-general/general_data.json'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => String((JSON.parse(line) as { chatgpt_response?: unknown }).chatgpt_response ?? '').trim())
    .filter((text) => text.length > 0);
}

const flagged = (model: ToxicityModel, texts: readonly string[]) =>
  texts.filter((text) => classifyWithModel(model, text).score >= 0.5).length / texts.length;

function trainVariant(
  recipe: Recipe,
  train: ReturnType<typeof loadTunePool>,
  validation: ReturnType<typeof loadTunePool>,
) {
  const features = recipeFeatures(recipe);
  const options = { ...TRAINING_OPTIONS, features };
  const trained = trainLogistic(
    encodeExamples(trainingExamples(train, authoredRows(), recipe), features),
    options,
  );
  const neutral = loadToxicityModel(buildModelFile(trained, features, { en: 0.5, zh: 0.5 }, {}));
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
  return loadToxicityModel(buildModelFile(trained, features, thresholds, {}, SHIPPED_CALIBRATION));
}

function main(): void {
  const { values, positionals } = parseArgs({
    options: { explain: { type: 'boolean' }, diagnose: { type: 'boolean' }, variant: { type: 'string' } },
    allowPositionals: true,
  });
  if (values.explain) {
    for (const text of positionals) console.log(JSON.stringify(contributions(defaultToxicityModel(), text)));
    return;
  }
  const dev = devBenignTexts();
  if (values.diagnose) {
    const model = defaultToxicityModel();
    const scored = dev
      .map((text) => contributions(model, text, 6))
      .sort((left, right) => right.score - left.score);
    console.log(`dev benign flagged ${round(flagged(model, dev))} (${dev.length} texts)`);
    for (const item of scored.filter((entry) => entry.score >= 0.5))
      console.log(JSON.stringify({ text: item.text, score: item.score, top: item.top, words: item.words }));
    return;
  }
  const pool = loadTunePool();
  const splits = assignSplits(pool, readManifest());
  const train = pool.filter((row) => splits.get(row) === 'train');
  const validation = pool.filter(
    (row) => splits.get(row) === 'validation' && !BENIGN_SOURCES.has(sourceGroup(row.source)),
  );
  const benignValidation = pool
    .filter(
      (row) =>
        splits.get(row) === 'validation' &&
        ['halueval-query', 'mitre-frr', 'benign-en'].includes(sourceGroup(row.source)),
    )
    .map((row) => row.text);
  const answers = haluevalAnswers();
  const technicalHeld = technicalRows()
    .filter((row) => row.split !== 'train')
    .map((row) => row.text);
  const shortBenign = [...shortBenignEnglish(), ...shortBenignChinese()];
  const shortToxic = [...shortToxicEnglish(), ...shortToxicChinese()];
  if (values.variant !== undefined) {
    // --variant NAME [text …]: contributions in that variant's model (texts default to its worst dev texts).
    const model = trainVariant(RECIPES[values.variant]!, train, validation);
    if (positionals[0] === 'short') {
      const base = defaultToxicityModel();
      for (const text of [
        ...shortBenignEnglish(),
        ...shortBenignChinese(),
        ...devToxicTexts(),
        ...shortToxicEnglish(),
        ...shortToxicChinese(),
      ]) {
        const [before, after] = [classifyWithModel(base, text).score, classifyWithModel(model, text).score];
        if (before >= 0.5 !== after >= 0.5)
          console.log(JSON.stringify([text, round(before, 2), round(after, 2)]));
      }
      return;
    }
    const texts =
      positionals.length > 0
        ? positionals
        : dev.filter((text) => classifyWithModel(model, text).score >= 0.5);
    for (const text of texts) console.log(JSON.stringify(contributions(model, text, 8)));
    return;
  }
  const wanted = positionals;
  for (const [name, recipe] of Object.entries(RECIPES).filter(
    ([key]) => wanted.length === 0 || wanted.includes(key),
  )) {
    const started = performance.now();
    const model = trainVariant(recipe, train, validation);
    const scored = validation.map((row) => ({
      row,
      toxic: row.toxic,
      score: classifyWithModel(model, row.text).score,
    }));
    const of = (test: (row: (typeof scored)[number]) => boolean) => scored.filter(test);
    const recall = (language: string) => {
      const toxic = of((item) => item.toxic && item.row.language === language);
      return toxic.filter((item) => item.score >= 0.5).length / toxic.length;
    };
    const auc = (group: string) => rocAuc(of((item) => sourceGroup(item.row.source) === group));
    const devScores = dev.map((text) => classifyWithModel(model, text).score);
    console.log(
      JSON.stringify({
        variant: name,
        devBenignFlagged: round(flagged(model, dev)),
        devToxicFlagged: round(flagged(model, devToxicTexts())),
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
        technicalHeldFlagged: round(flagged(model, technicalHeld)),
        thresholds: model.file.thresholds,
        devWorst: dev
          .map((text, index) => [text, round(devScores[index]!, 2)] as const)
          .sort((left, right) => right[1] - left[1])
          .slice(0, 6),
        ms: Math.round(performance.now() - started),
      }),
    );
  }
}

main();
