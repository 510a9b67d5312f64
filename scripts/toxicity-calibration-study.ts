/**
 * @module scripts/toxicity-calibration-study
 *
 * Session 8 (docs/guardrails-toxicity.md, "Session 8: short texts and calibration"): why short
 * texts are over-flagged, and the choice of the evidence-aware intercept. Tune data only — the
 * tune pool's **validation** split, HaluEval ChatGPT answers (benign text; their hallucination
 * labels are never read) and the short texts of scripts/toxicity-short-texts.ts. No measure set
 * is read; nothing is trained (the committed weights are used as they are).
 *
 *   node --import tsx scripts/toxicity-calibration-study.ts            # diagnosis + grid
 *   node --import tsx scripts/toxicity-calibration-study.ts --explain "😀 ok"
 *
 * The calibrated logit of a window is `E + λ·c + (1 − λ)·c0` with E = Σw/√n (the evidence),
 * c = bias − logit(threshold of the window's language mix) (the intercept the deployed model
 * uses at every length), c0 a benign prior logit and λ = n / (n + k): with many features the
 * window keeps today's intercept, with few it moves toward c0. Only the intercept is shrunk, not
 * the evidence, so a short text that does carry evidence (傻逼, "shut up idiot") keeps it.
 *
 * Selection rule (fixed before the grid was first run): HaluEval answers and the short benign
 * texts are split by the pool's hash rule (splitOf, seed 20240611): the "train" part (~70 %)
 * selects, the rest is held and only reported. A variant is eligible if, at score ≥ 0.5,
 * (a) tune-validation recall on toxic rows falls by ≤ 1 point in each language, (b) the tune-
 * validation AUC of each language falls by ≤ 0.002, (c) no short toxic text that the baseline
 * flags goes unflagged. Among eligible variants, the lowest mean of the selection parts'
 * flag rates (short benign, HaluEval answers) wins; ties go to the larger k (less change).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { splitWindows } from '../src/guard/toxicity/classify.js';
import { defaultToxicityModel } from '../src/guard/toxicity/default-model.js';
import { createScratch, extractFeatures } from '../src/guard/toxicity/features.js';
import { RULE_FLOORS } from '../src/guard/toxicity/lexicon.js';
import { sigmoid } from '../src/guard/toxicity/model-format.js';
import { languageMix, prepareText } from '../src/guard/toxicity/prepare-text.js';
import { datasetsRoot, type LabelledText, loadTunePool } from './toxicity-datasets.js';
import { rocAuc, round } from './toxicity-metrics.js';
import {
  shortBenignChinese,
  shortBenignEnglish,
  shortToxicChinese,
  shortToxicEnglish,
} from './toxicity-short-texts.js';
import { assignSplits, readManifest, SPLIT_SEED, sourceGroup, splitOf } from './toxicity-split.js';

const model = defaultToxicityModel();
const scratch = createScratch();

interface Window {
  /** Evidence Σw/√n. */
  evidence: number;
  count: number;
  /** bias − logit(threshold) for the window's language mix. */
  intercept: number;
  /** The window's share of the English threshold offset (1 − language mix). */
  english: number;
  floor: number;
}

function windowsOf(text: string): Window[] {
  return splitWindows(text).map(([start, end]) => {
    extractFeatures(prepareText(text.slice(start, end)), model.settings, scratch);
    let sum = 0;
    for (let feature = 0; feature < scratch.count; feature++)
      sum += model.codebook[model.codes[scratch.indexes[feature]!]! + 128]!;
    const share = languageMix(scratch.cjk, scratch.letters);
    let floor = 0;
    for (const hit of scratch.hits) floor = Math.max(floor, RULE_FLOORS[hit.category] ?? 0);
    return {
      evidence: scratch.count === 0 ? 0 : sum / Math.sqrt(scratch.count),
      count: scratch.count,
      intercept: model.bias - (share * model.offsets.zh + (1 - share) * model.offsets.en),
      english: 1 - share,
      floor,
    };
  });
}

interface Variant {
  k: number;
  prior: number;
  /** Round 2: 'offset' shrinks only the threshold offset (intercept → bias at zero evidence). */
  kind?: 'prior' | 'offset';
  /** Round 2 exploration: a shift of the English intercept (an operating-point move). */
  shiftEn?: number;
}

/** The scanner's score of a text under a variant (k = Infinity: the deployed baseline). */
function scoreOf(windows: Window[], variant: Variant): number {
  let best = 0;
  for (const window of windows) {
    if (window.count === 0) continue;
    const lambda = Number.isFinite(variant.k) ? window.count / (window.count + variant.k) : 1;
    const shift = (variant.shiftEn ?? 0) * window.english;
    const z =
      variant.kind === 'offset'
        ? window.evidence + model.bias + lambda * (window.intercept - model.bias) + shift
        : window.evidence + lambda * window.intercept + (1 - lambda) * variant.prior + shift;
    best = Math.max(best, sigmoid(z), window.floor);
  }
  return best;
}

interface Item {
  name: string;
  text: string;
  toxic: boolean;
  language: 'en' | 'zh';
  selects: boolean;
  windows: Window[];
}

function explain(text: string): void {
  const prepared = prepareText(text);
  extractFeatures(prepared, model.settings, scratch);
  const weights = [...scratch.indexes.subarray(0, scratch.count)].map((index) =>
    round(model.codebook[model.codes[index]! + 128]!, 3),
  );
  const [window] = windowsOf(text);
  console.log(
    JSON.stringify({
      text,
      prepared,
      features: scratch.count,
      weights,
      sum: round(weights.reduce((total, weight) => total + weight, 0)),
      evidence: round(window?.evidence ?? 0),
      bias: model.bias,
      thresholdOffsetEn: round(model.offsets.en),
      intercept: round(window?.intercept ?? 0),
      score: round(scoreOf(window ? [window] : [], { k: Number.POSITIVE_INFINITY, prior: 0 })),
    }),
  );
}

function main(): void {
  const { values, positionals } = parseArgs({
    options: { explain: { type: 'boolean' }, round: { type: 'string' } },
    allowPositionals: true,
  });
  if (values.explain) {
    for (const text of positionals) explain(text);
    return;
  }
  const pool = loadTunePool();
  const splits = assignSplits(pool, readManifest());
  const items: Item[] = [];
  const add = (name: string, row: LabelledText, selects: boolean) =>
    items.push({
      name,
      text: row.text,
      toxic: row.toxic,
      language: row.language,
      selects,
      windows: windowsOf(row.text),
    });
  for (const row of pool)
    if (splits.get(row) === 'validation') add(`validation:${sourceGroup(row.source)}`, row, false);
  const answers = readFileSync(
    join(datasetsRoot(), 'hallucination-halueval-general/general_data.json'),
    'utf8',
  )
    .split('\n')
    .filter((line) => line.trim());
  answers.forEach((line, index) => {
    const text = String((JSON.parse(line) as { chatgpt_response?: unknown }).chatgpt_response ?? '').trim();
    if (!text) return;
    const row: LabelledText = { source: 'halueval-answer', index, text, toxic: false, language: 'en' };
    add('halueval-answer', row, splitOf(row, SPLIT_SEED) === 'train');
  });
  const short = (texts: string[], source: string, toxic: boolean, language: 'en' | 'zh') =>
    texts.forEach((text, index) => {
      const row: LabelledText = { source, index, text, toxic, language };
      add(toxic ? 'short-toxic' : 'short-benign', row, splitOf(row, SPLIT_SEED) === 'train');
    });
  short(shortBenignEnglish(), 'short-benign-en', false, 'en');
  short(shortBenignChinese(), 'short-benign-zh', false, 'zh');
  short(shortToxicEnglish(), 'short-toxic-en', true, 'en');
  short(shortToxicChinese(), 'short-toxic-zh', true, 'zh');

  // Diagnosis: the deployed scorer by the feature count of the text's highest window.
  const baseline: Variant = { k: Number.POSITIVE_INFINITY, prior: 0 };
  const bins = [0, 10, 20, 40, 80, 160, 320, Number.POSITIVE_INFINITY];
  for (const group of ['validation-en', 'validation-zh', 'halueval-answer', 'short-benign']) {
    const rows = items.filter((item) =>
      group.startsWith('validation-')
        ? item.name.startsWith('validation:') && item.language === group.slice(-2)
        : item.name === group,
    );
    for (let bin = 0; bin + 1 < bins.length; bin++) {
      const inBin = rows.filter((item) => {
        const count = Math.max(...item.windows.map((window) => window.count), 0);
        return count >= bins[bin]! && count < bins[bin + 1]!;
      });
      if (inBin.length === 0) continue;
      const benign = inBin.filter((item) => !item.toxic);
      const toxic = inBin.filter((item) => item.toxic);
      const rate = (list: Item[]) =>
        list.length === 0
          ? null
          : round(list.filter((item) => scoreOf(item.windows, baseline) >= 0.5).length / list.length);
      const meanEvidence = (list: Item[]) =>
        list.length === 0
          ? null
          : round(list.reduce((total, item) => total + (item.windows[0]?.evidence ?? 0), 0) / list.length, 2);
      console.log(
        JSON.stringify({
          diagnosis: group,
          features: `${bins[bin]}–${bins[bin + 1]}`,
          rows: inBin.length,
          benignFlagged: rate(benign),
          toxicRecall: rate(toxic),
          meanEvidenceBenign: meanEvidence(benign),
          meanEvidenceToxic: meanEvidence(toxic),
        }),
      );
    }
  }

  const evaluate = (variant: Variant) => {
    const scored = items.map((item) => ({ item, score: scoreOf(item.windows, variant) }));
    const flagRate = (filter: (item: Item) => boolean) => {
      const list = scored.filter(({ item }) => filter(item));
      return list.filter(({ score }) => score >= 0.5).length / list.length;
    };
    const validation = (language: string) =>
      scored.filter(({ item }) => item.name.startsWith('validation:') && item.language === language);
    const recall = (language: string) => {
      const toxic = validation(language).filter(({ item }) => item.toxic);
      return toxic.filter(({ score }) => score >= 0.5).length / toxic.length;
    };
    const auc = (language: string) =>
      rocAuc(validation(language).map(({ item, score }) => ({ toxic: item.toxic, score })));
    return {
      recallEn: recall('en'),
      recallZh: recall('zh'),
      aucEn: auc('en'),
      aucZh: auc('zh'),
      validationBenign: flagRate((item) => item.name.startsWith('validation:') && !item.toxic),
      shortToxicMissed: scored
        .filter(({ item, score }) => item.name === 'short-toxic' && score < 0.5)
        .map(({ item }) => item.text),
      selectShort: flagRate((item) => item.name === 'short-benign' && item.selects),
      selectAnswers: flagRate((item) => item.name === 'halueval-answer' && item.selects),
      heldShort: flagRate((item) => item.name === 'short-benign' && !item.selects),
      heldAnswers: flagRate((item) => item.name === 'halueval-answer' && !item.selects),
      allShort: flagRate((item) => item.name === 'short-benign'),
      allShortEn: flagRate((item) => item.name === 'short-benign' && item.language === 'en'),
      allShortZh: flagRate((item) => item.name === 'short-benign' && item.language === 'zh'),
      allAnswers: flagRate((item) => item.name === 'halueval-answer'),
    };
  };
  const base = evaluate(baseline);
  const print = (name: string, result: ReturnType<typeof evaluate>, eligible?: boolean) =>
    console.log(
      JSON.stringify({
        variant: name,
        eligible,
        ...Object.fromEntries(
          Object.entries(result).map(([key, value]) => [
            key,
            typeof value === 'number' ? round(value) : value,
          ]),
        ),
      }),
    );
  print('baseline', base);
  // Round 1: the grid and rule of the header. Round 2 (written after reading round 1, where no
  // variant was eligible): see roundTwo below.
  let chosen: { variant: Variant; objective: number } | undefined;
  for (const k of [128, 64, 32, 16, 8, 4]) {
    for (const prior of [-1, -2, -3, -4]) {
      const result = evaluate({ k, prior });
      const missedNew = result.shortToxicMissed.some((text) => !base.shortToxicMissed.includes(text));
      const eligible =
        base.recallEn - result.recallEn <= 0.01 &&
        base.recallZh - result.recallZh <= 0.01 &&
        base.aucEn - result.aucEn <= 0.002 &&
        base.aucZh - result.aucZh <= 0.002 &&
        !missedNew;
      const objective = (result.selectShort + result.selectAnswers) / 2;
      if (values.round !== '2') print(`k=${k} prior=${prior}`, result, eligible);
      if (eligible && (!chosen || objective < chosen.objective))
        chosen = { variant: { k, prior }, objective };
    }
  }
  console.log(
    JSON.stringify({
      round: 1,
      selected: chosen?.variant ?? 'none',
      objective: chosen && round(chosen.objective),
    }),
  );
  /*
   * Round 2 rule (written after round 1, before round 2 ran): eligibility as round 1 but with
   * the brief's recall budget (≤ 2 points per language) and (c) relaxed to "at most 2 short
   * toxic texts that the baseline flags go unflagged"; the same objective. Variants: the round-1
   * family (prior toward c0) and the "offset" family — only the threshold offset is scaled by
   * λ, so at zero evidence the intercept is the model's own bias (its class-balanced prior,
   * score sigmoid(bias) ≈ 0.47 in both languages) and Chinese, whose offset is ≈ 0, is left
   * as it is — each with English intercept shifts 0 / −0.25 / −0.5 / −0.75 / −1 (an
   * operating-point move, to see whether the HaluEval-answer rate can be halved at all within
   * the recall budget).
   */
  let second: { name: string; variant: Variant; objective: number } | undefined;
  for (const shiftEn of [0, -0.25, -0.5, -0.75, -1]) {
    const family: Array<[string, Variant]> = [
      ['no shrinkage', { k: Number.POSITIVE_INFINITY, prior: 0, shiftEn }],
    ];
    for (const k of [64, 32, 16, 8, 4]) {
      family.push([`offset k=${k}`, { k, prior: 0, kind: 'offset', shiftEn }]);
      for (const prior of [-1, -2]) family.push([`prior k=${k} prior=${prior}`, { k, prior, shiftEn }]);
    }
    for (const [label, variant] of family) {
      const result = evaluate(variant);
      const missedNew = result.shortToxicMissed.filter((text) => !base.shortToxicMissed.includes(text));
      const eligible =
        base.recallEn - result.recallEn <= 0.02 &&
        base.recallZh - result.recallZh <= 0.02 &&
        base.aucEn - result.aucEn <= 0.002 &&
        base.aucZh - result.aucZh <= 0.002 &&
        missedNew.length <= 2;
      const objective = (result.selectShort + result.selectAnswers) / 2;
      const name = `${label} shiftEn=${shiftEn}`;
      if (values.round === '2') print(name, result, eligible);
      if (eligible && (!second || objective < second.objective)) second = { name, variant, objective };
    }
  }
  console.log(
    JSON.stringify({
      round: 2,
      selected: second?.name ?? 'none',
      objective: second && round(second.objective),
    }),
  );
  /*
   * Round 3 (written after reading round 2, before round 3 ran). Round 2 showed that the
   * HaluEval answers are flagged in full-length windows (every answer's longest window has ≥ 80
   * features), at the English operating point's false-positive rate: no intercept shrinkage
   * halves their rate within the recall budget, only an English operating-point move does. So
   * round 3 asks for the session's targets directly and pays for them with as little recall as
   * possible: eligible = round-2 eligibility AND, on the selection parts, the short-benign and
   * the HaluEval-answer flag rates each at most half the baseline's; among eligible variants,
   * the smallest mean recall loss over the two languages wins (ties: the smaller English shift,
   * then the larger k).
   */
  let third: { name: string; loss: number; shift: number; k: number } | undefined;
  for (let step = 0; step <= 12; step++) {
    const shiftEn = -step * 0.05;
    const family: Array<[string, Variant]> = [];
    for (const k of [64, 32, 16]) family.push([`offset k=${k}`, { k, prior: 0, kind: 'offset', shiftEn }]);
    for (const k of [16, 8, 4])
      for (const prior of [-1, -2]) family.push([`prior k=${k} prior=${prior}`, { k, prior, shiftEn }]);
    for (const [label, variant] of family) {
      const result = evaluate(variant);
      const missedNew = result.shortToxicMissed.filter((text) => !base.shortToxicMissed.includes(text));
      const eligible =
        base.recallEn - result.recallEn <= 0.02 &&
        base.recallZh - result.recallZh <= 0.02 &&
        base.aucEn - result.aucEn <= 0.002 &&
        base.aucZh - result.aucZh <= 0.002 &&
        missedNew.length <= 2 &&
        result.selectShort <= base.selectShort / 2 &&
        result.selectAnswers <= base.selectAnswers / 2;
      const loss = (base.recallEn - result.recallEn + base.recallZh - result.recallZh) / 2;
      const name = `${label} shiftEn=${round(shiftEn, 2)}`;
      if (values.round === '3') print(name, result, eligible);
      const better =
        !third ||
        loss < third.loss - 1e-12 ||
        (Math.abs(loss - third.loss) <= 1e-12 &&
          (shiftEn > third.shift || (shiftEn === third.shift && variant.k > third.k)));
      if (eligible && better) third = { name, loss, shift: shiftEn, k: variant.k };
    }
  }
  console.log(
    JSON.stringify({ round: 3, selected: third?.name ?? 'none', recallLoss: third && round(third.loss) }),
  );
}

main();
