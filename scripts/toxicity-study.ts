/**
 * @module scripts/toxicity-study
 *
 * Session-7 study: trains variants of the toxicity model recipe and compares them on the
 * tune **validation** split only (no measure set is read, no tune-test row is scored):
 *
 *   node --import tsx scripts/toxicity-study.ts [variant ...]
 *
 * The selection rule was fixed before the first variant was trained (docs/guardrails-toxicity.md,
 * "Session 7"): score = mean of the English validation AUCs (davidson, toxigen); a variant is
 * eligible if the COLD validation AUC does not fall by more than 0.005 and the held-out benign
 * validation flag rate (halueval-query, mitre-frr, benign-en) does not rise by more than 0.5
 * points; the best eligible variant replaces the baseline only if it beats it by ≥ 0.002.
 * The authored sentences' held-out part is printed for information, not used by the rule.
 */
import { classifyWithModel } from '../src/guard/toxicity/classify.js';
import { loadToxicityModel } from '../src/guard/toxicity/model-format.js';
import { buildModelFile, encodeExamples, trainLogistic } from '../src/guard/toxicity/train.js';
import { loadTunePool } from './toxicity-datasets.js';
import { balanceBySource, rocAuc, round, youdenThreshold } from './toxicity-metrics.js';
import { authoredRows, RECIPES, type Recipe, TRAINING_OPTIONS, trainingExamples } from './toxicity-recipe.js';
import { assignSplits, BENIGN_SOURCES, readManifest, sourceGroup, thresholdGroup } from './toxicity-split.js';

function main(): void {
  const wanted = process.argv.slice(2);
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
  const authored = authoredRows();
  const authoredHeld = authored.filter((row) => row.split !== 'train' && row.source.startsWith('authored-'));
  const entries = Object.entries(RECIPES).filter(([name]) => wanted.length === 0 || wanted.includes(name));
  for (const [name, recipe] of entries as Array<[string, Recipe]>) {
    const started = performance.now();
    const examples = trainingExamples(train, authored, recipe);
    const options = TRAINING_OPTIONS;
    const trained = trainLogistic(encodeExamples(examples, options.features), options);
    const model = loadToxicityModel(buildModelFile(trained, options.features, { en: 0.5, zh: 0.5 }, {}));
    const scored = validation.map((row) => ({
      row,
      toxic: row.toxic,
      score: classifyWithModel(model, row.text).score,
    }));
    const auc = (group: string) => rocAuc(scored.filter((item) => sourceGroup(item.row.source) === group));
    const hateOnly = rocAuc(
      scored.filter((item) => sourceGroup(item.row.source) === 'davidson' && item.row.detail !== 'offensive'),
    );
    const enThreshold = youdenThreshold(
      balanceBySource(
        scored.filter((item) => item.row.language === 'en'),
        (item) => thresholdGroup(item.row.source),
      ),
    );
    const benignFlag =
      benignValidation.filter((row) => classifyWithModel(model, row.text).score >= enThreshold).length /
      benignValidation.length;
    const authoredScored = authoredHeld.map((row) => ({
      toxic: row.toxic,
      score: classifyWithModel(model, row.text).score,
    }));
    const authoredBenignFlag =
      authoredScored.filter((item) => !item.toxic && item.score >= enThreshold).length /
      authoredScored.filter((item) => !item.toxic).length;
    const davidson = auc('davidson');
    const toxigen = auc('toxigen');
    console.log(
      JSON.stringify({
        variant: name,
        ruleScore: round((davidson + toxigen) / 2),
        davidson: round(davidson),
        toxigen: round(toxigen),
        cold: round(auc('cold')),
        davidsonHateVsNeither: round(hateOnly),
        enThreshold: round(enThreshold),
        benignValidationFlag: round(benignFlag),
        authoredHeldAuc: round(rocAuc(authoredScored)),
        authoredHeldBenignFlag: round(authoredBenignFlag),
        trainRows: examples.length,
        ms: Math.round(performance.now() - started),
      }),
    );
  }
}

main();
