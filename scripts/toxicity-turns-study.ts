/**
 * @module scripts/toxicity-turns-study
 *
 * Session-13 study (docs/guardrails-toxicity.md, "Session 13"): trains the `turns-*` recipe
 * variants (scripts/toxicity-recipe.ts) and scores each exactly as the trainer would ship it —
 * its own Youden thresholds on the validation split, the shipped evidence calibration, at 0.5 —
 * on tune data only:
 *
 *   node --import tsx scripts/toxicity-turns-study.ts [variant ...]   # validation columns
 *   node --import tsx scripts/toxicity-turns-study.ts --seeds 42,1,2,3,4 VARIANT ...  # round 4
 *   node --import tsx scripts/toxicity-turns-study.ts --held VARIANT  # held-out turns, once
 *
 * Read: the tune pool's validation split, the validation part of the conversational turns, the
 * session-8 short texts and developer texts (authored, never trained on). `--held` scores the
 * test part of the turns (the held-out set); it is run once, after the choice. No measure set is
 * read and no tune-test row is scored here.
 */
import { parseArgs } from 'node:util';
import { classifyWithModel } from '../src/guard/toxicity/classify.js';
import { loadToxicityModel, type ToxicityModel } from '../src/guard/toxicity/model-format.js';
import { buildModelFile, encodeExamples, trainLogistic } from '../src/guard/toxicity/train.js';
import { conversationalGreetings } from './toxicity-conversational-turns.js';
import { type LabelledText, loadTunePool } from './toxicity-datasets.js';
import { devBenignTexts } from './toxicity-dev-texts.js';
import { balanceBySource, metricsAt, rocAuc, round, youdenThreshold } from './toxicity-metrics.js';
import {
  authoredRows,
  RECIPES,
  type Recipe,
  SHIPPED_CALIBRATION,
  TRAINING_OPTIONS,
  trainingExamples,
  trainingOptionsOf,
} from './toxicity-recipe.js';
import {
  shortBenignChinese,
  shortBenignEnglish,
  shortToxicChinese,
  shortToxicEnglish,
} from './toxicity-short-texts.js';
import { assignSplits, BENIGN_SOURCES, readManifest, sourceGroup, thresholdGroup } from './toxicity-split.js';

/** Round 1; round 2 is run by naming its variants (baseline first, as the reference). */
const STUDY_VARIANTS = ['baseline', 'turns-1', 'turns-3', 'turns-10', 'turns-3+authored-both'];

/** Trains a recipe and returns the model as the trainer would write it (same steps, same order). */
function shippedModel(
  train: LabelledText[],
  validation: LabelledText[],
  recipe: Recipe,
  seed = TRAINING_OPTIONS.seed,
) {
  const trained = trainLogistic(
    encodeExamples(trainingExamples(train, authoredRows(), recipe), TRAINING_OPTIONS.features),
    trainingOptionsOf(recipe, seed),
  );
  const neutral = loadToxicityModel(
    buildModelFile(trained, TRAINING_OPTIONS.features, { en: 0.5, zh: 0.5 }, {}),
  );
  const scored = validation.map((row) => ({
    row,
    toxic: row.toxic,
    score: classifyWithModel(neutral, row.text).score,
  }));
  const youden = (language: string) =>
    youdenThreshold(
      balanceBySource(
        scored.filter((item) => item.row.language === language),
        (item) => thresholdGroup(item.row.source),
      ),
    );
  const thresholds = { en: youden('en'), zh: youden('zh') };
  const model = loadToxicityModel(
    buildModelFile(trained, TRAINING_OPTIONS.features, thresholds, {}, SHIPPED_CALIBRATION),
  );
  return { model, thresholds };
}

const flagRate = (model: ToxicityModel, texts: readonly string[]) =>
  texts.filter((text) => classifyWithModel(model, text).score >= 0.5).length / texts.length;

function main(): void {
  const { values, positionals } = parseArgs({
    options: { held: { type: 'string' }, seeds: { type: 'string' } },
    allowPositionals: true,
  });
  const pool = loadTunePool();
  const splits = assignSplits(pool, readManifest());
  const train = pool.filter((row) => splits.get(row) === 'train');
  const validation = pool.filter(
    (row) => splits.get(row) === 'validation' && !BENIGN_SOURCES.has(sourceGroup(row.source)),
  );
  const benignValidation = pool.filter(
    (row) =>
      splits.get(row) === 'validation' &&
      ['halueval-query', 'mitre-frr', 'benign-en'].includes(sourceGroup(row.source)),
  );
  const turns = authoredRows().filter((row) => row.source.startsWith('turns-'));

  if (values.held !== undefined) {
    const recipe = RECIPES[values.held];
    if (!recipe) throw new Error(`unknown variant ${values.held}`);
    const { model } = shippedModel(train, validation, recipe);
    const greetings = new Set(conversationalGreetings());
    for (const row of turns.filter((item) => item.split === 'test')) {
      const score = classifyWithModel(model, row.text).score;
      const tag = row.toxic ? 'toxic' : greetings.has(row.text) ? 'greeting' : 'benign';
      console.log(`${score.toFixed(3)}\t${tag}\t${JSON.stringify(row.text)}`);
    }
    return;
  }

  const wanted = positionals.length > 0 ? positionals : STUDY_VARIANTS;
  const turnsValidation = turns.filter((row) => row.split === 'validation');
  const shortToxic = [...shortToxicEnglish(), ...shortToxicChinese()];
  // Round 4: the shuffle seed alone moves the Chinese metrics by more than rounds 1–3 allowed,
  // so each variant is also trained with other seeds and compared with the baseline seed by seed.
  const seeds = (values.seeds ?? String(TRAINING_OPTIONS.seed)).split(',').map(Number);
  for (const [name, seed] of wanted.flatMap((variant) => seeds.map((each) => [variant, each] as const))) {
    const recipe = RECIPES[name];
    if (!recipe) throw new Error(`unknown variant ${name}`);
    const started = performance.now();
    const { model, thresholds } = shippedModel(train, validation, recipe, seed);
    const scored = validation.map((row) => ({
      row,
      toxic: row.toxic,
      score: classifyWithModel(model, row.text).score,
    }));
    const byLanguage = (language: string) => scored.filter((item) => item.row.language === language);
    const auc = (group: string) => rocAuc(scored.filter((item) => sourceGroup(item.row.source) === group));
    const turnsScored = turnsValidation.map((row) => ({
      text: row.text,
      toxic: row.toxic,
      score: classifyWithModel(model, row.text).score,
    }));
    const turnsBenign = turnsScored.filter((item) => !item.toxic);
    const greetings = new Set(conversationalGreetings());
    const turnsToxic = turnsScored.filter((item) => item.toxic);
    console.log(
      JSON.stringify({
        variant: name,
        seed,
        thresholds: { en: round(thresholds.en), zh: round(thresholds.zh) },
        intercepts: { en: round(model.bias), zh: round(model.bias + model.interceptShift) },
        aucEn: round(rocAuc(byLanguage('en'))),
        aucZh: round(rocAuc(byLanguage('zh'))),
        davidson: round(auc('davidson')),
        toxigen: round(auc('toxigen')),
        cold: round(auc('cold')),
        recallEn: round(metricsAt(byLanguage('en'), 0.5).recall),
        recallZh: round(metricsAt(byLanguage('zh'), 0.5).recall),
        fprZh: round(metricsAt(byLanguage('zh'), 0.5).fpr),
        benignPromptsFlagged: round(
          flagRate(
            model,
            benignValidation.map((row) => row.text),
          ),
        ),
        turnsBenignFlagged: `${turnsBenign.filter((item) => item.score >= 0.5).length}/${turnsBenign.length}`,
        turnsBenignMax: round(Math.max(...turnsBenign.map((item) => item.score)), 3),
        turnsBenignFlaggedTexts: turnsBenign.filter((item) => item.score >= 0.5).map((item) => item.text),
        turnsGreetingsFlagged: turnsBenign
          .filter((item) => greetings.has(item.text) && item.score >= 0.5)
          .map((item) => item.text),
        turnsToxicMissed: turnsToxic.filter((item) => item.score < 0.5).map((item) => item.text),
        shortBenignEnFlagged: round(flagRate(model, shortBenignEnglish())),
        shortBenignZhFlagged: round(flagRate(model, shortBenignChinese())),
        shortToxicMissed: shortToxic.filter((text) => classifyWithModel(model, text).score < 0.5),
        devFlagged: round(flagRate(model, devBenignTexts())),
        gitPush: round(classifyWithModel(model, 'git push').score, 3),
        ms: Math.round(performance.now() - started),
      }),
    );
  }
}

main();
