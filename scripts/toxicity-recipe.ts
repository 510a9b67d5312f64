/**
 * @module scripts/toxicity-recipe
 *
 * The training recipe of the toxicity model — optimiser options, source weights and which
 * authored sentences join the training rows — shared by `scripts/train-toxicity.ts` (which
 * trains the shipped model with `SHIPPED_RECIPE`), `scripts/toxicity-study.ts` (which
 * compares the session-7 variants on the tune validation split) and
 * `scripts/toxicity-turns-study.ts` (session 13: short conversational turns).
 */
import { DEFAULT_FEATURE_SETTINGS } from '../src/guard/toxicity/features.js';
import type { ToxicityCalibration } from '../src/guard/toxicity/model-format.js';
import type { TrainingExample, TrainingOptions } from '../src/guard/toxicity/train.js';
import { authoredBenignEnglish, authoredToxicEnglish } from './toxicity-authored-english.js';
import {
  conversationalBenignEnglish,
  conversationalRound3Benign,
  conversationalRound3Toxic,
  conversationalRound5Chinese,
  conversationalToxicEnglish,
} from './toxicity-conversational-turns.js';
import type { LabelledText } from './toxicity-datasets.js';
import { SPLIT_SEED, type SplitName, sourceGroup, splitOf } from './toxicity-split.js';

export const TRAINING_OPTIONS: TrainingOptions = {
  features: DEFAULT_FEATURE_SETTINGS,
  epochs: 5,
  learningRate: 0.1,
  l2: 1e-5,
  seed: 42,
};

export interface Recipe {
  /** Weight per source group (default 1). */
  sourceWeights: Record<string, number>;
  /** Multiplier on Davidson class 1 ("offensive": mostly casual profanity and dialect). */
  davidsonOffensive: number;
  /** Which authored English sentences (scripts/toxicity-authored-english.ts) are trained on. */
  authored: 'none' | 'benign' | 'both';
  /** Multiplier on authored rows. */
  authoredWeight: number;
  /**
   * Weight of the train part of the session-13 conversational turns
   * (scripts/toxicity-conversational-turns.ts), benign and toxic alike; 0 = not trained on.
   */
  turnsWeight: number;
  /**
   * Session 13, round 2: weight the toxic turns up so that the turns' benign and toxic train
   * rows carry equal total weight (round 1 trained 161 benign against 69 toxic short turns,
   * and the shared bias absorbed the difference: −0.13 → −0.31 at weight 3).
   */
  turnsBalanced?: boolean;
  /** Session 13, round 3: also the round-3 turns (greetings with "you" and "yo"). */
  turnsRound3?: boolean;
  /** Session 13, round 5: also the Chinese short turns (balanced within Chinese). */
  turnsChinese?: boolean;
  /**
   * Session 13, round 6: one intercept per language instead of the shared bias (rounds 1–5:
   * the English turns lowered the shared bias and one-character Chinese abuse fell with it).
   */
  perLanguageIntercept?: boolean;
}

/** Implicit hate is rare and the hardest; benign prompts are easy and plentiful. */
const BASE_SOURCE_WEIGHTS: Record<string, number> = {
  toxigen: 3,
  'halueval-query': 0.5,
  'mitre-frr': 0.5,
  'jade-v1-request': 0.5,
  'jade-easy-request': 0.5,
  'jade-medium-request': 0.5,
};

const BASELINE: Recipe = {
  sourceWeights: BASE_SOURCE_WEIGHTS,
  davidsonOffensive: 1,
  authored: 'none',
  authoredWeight: 1,
  turnsWeight: 0,
};

/** The session-7 variants, in the order they were written (before any was trained). */
export const RECIPES: Record<string, Recipe> = {
  baseline: BASELINE,
  'davidson-offensive-0.5': { ...BASELINE, davidsonOffensive: 0.5 },
  'davidson-offensive-0.25': { ...BASELINE, davidsonOffensive: 0.25 },
  'toxigen-6': { ...BASELINE, sourceWeights: { ...BASE_SOURCE_WEIGHTS, toxigen: 6 } },
  'authored-benign': { ...BASELINE, authored: 'benign' },
  'authored-both': { ...BASELINE, authored: 'both' },
  'authored-both-x3': { ...BASELINE, authored: 'both', authoredWeight: 3 },
  'offensive-0.5+toxigen-6+authored-both': {
    ...BASELINE,
    davidsonOffensive: 0.5,
    sourceWeights: { ...BASE_SOURCE_WEIGHTS, toxigen: 6 },
    authored: 'both',
  },
  // Round 2, written after reading round 1 (validation only): toxigen-6 led, so its neighbours.
  'toxigen-10': { ...BASELINE, sourceWeights: { ...BASE_SOURCE_WEIGHTS, toxigen: 10 } },
  'toxigen-6+authored-benign': {
    ...BASELINE,
    sourceWeights: { ...BASE_SOURCE_WEIGHTS, toxigen: 6 },
    authored: 'benign',
  },
  'toxigen-6+authored-both-x3': {
    ...BASELINE,
    sourceWeights: { ...BASE_SOURCE_WEIGHTS, toxigen: 6 },
    authored: 'both',
    authoredWeight: 3,
  },
  'davidson-0.5': { ...BASELINE, sourceWeights: { ...BASE_SOURCE_WEIGHTS, davidson: 0.5 } },
  // Round 3 (word skip-bigram features, alone and combined) ran at commit 08c42fd; the
  // feature was not selected and was removed with its variants (docs/guardrails-toxicity.md).
  // Session 13 (written with its selection rule before any was trained): the conversational
  // turns at three weights, alone and with the session-7 authored sentences.
  'turns-1': { ...BASELINE, turnsWeight: 1 },
  'turns-3': { ...BASELINE, turnsWeight: 3 },
  'turns-10': { ...BASELINE, turnsWeight: 10 },
  'turns-3+authored-both': { ...BASELINE, turnsWeight: 3, authored: 'both' },
  // Round 2 (written after reading round 1, committed before it ran): the turns class-balanced.
  'turns-3-balanced': { ...BASELINE, turnsWeight: 3, turnsBalanced: true },
  'turns-10-balanced': { ...BASELINE, turnsWeight: 10, turnsBalanced: true },
  'turns-30-balanced': { ...BASELINE, turnsWeight: 30, turnsBalanced: true },
  // Round 3 (written after reading round 2, committed before it ran): plus the round-3 turns.
  'turns+r3-3-balanced': { ...BASELINE, turnsWeight: 3, turnsBalanced: true, turnsRound3: true },
  'turns+r3-10-balanced': { ...BASELINE, turnsWeight: 10, turnsBalanced: true, turnsRound3: true },
  // Round 5 (written after reading round 4, committed before it ran): plus Chinese short turns.
  'turns+r3+zh-3-balanced': {
    ...BASELINE,
    turnsWeight: 3,
    turnsBalanced: true,
    turnsRound3: true,
    turnsChinese: true,
  },
  'turns+r3+zh-10-balanced': {
    ...BASELINE,
    turnsWeight: 10,
    turnsBalanced: true,
    turnsRound3: true,
    turnsChinese: true,
  },
  // Round 6 (written after reading round 5, committed before it ran): the same data as rounds
  // 3 and 5 with one intercept per language.
  'intercept+turns+r3-3-balanced': {
    ...BASELINE,
    turnsWeight: 3,
    turnsBalanced: true,
    turnsRound3: true,
    perLanguageIntercept: true,
  },
  'intercept+turns+r3-10-balanced': {
    ...BASELINE,
    turnsWeight: 10,
    turnsBalanced: true,
    turnsRound3: true,
    perLanguageIntercept: true,
  },
  'intercept+turns+r3+zh-3-balanced': {
    ...BASELINE,
    turnsWeight: 3,
    turnsBalanced: true,
    turnsRound3: true,
    turnsChinese: true,
    perLanguageIntercept: true,
  },
};

/** The optimiser options of a recipe (the committed ones, plus the recipe's intercepts and seed). */
export function trainingOptionsOf(recipe: Recipe, seed = TRAINING_OPTIONS.seed): TrainingOptions {
  return {
    ...TRAINING_OPTIONS,
    seed,
    ...(recipe.perLanguageIntercept ? { perLanguageIntercept: true } : {}),
  };
}

/**
 * The recipe of the committed model. The study's pick on tune validation (ToxiGen ×6) failed
 * the ship rule on the one measure read (docs/guardrails-toxicity.md, "Session 7"), so the
 * shipped model stays the baseline.
 */
export const SHIPPED_RECIPE: Recipe = BASELINE;

/**
 * The evidence calibration written into the model file (session 8, chosen on tune data by
 * scripts/toxicity-calibration-study.ts round 3; docs/guardrails-toxicity.md): the threshold
 * offset of a window of n features is scaled by n / (n + 32), and English windows are shifted
 * by −0.3 (the threshold of long English windows moves from raw 0.343 to 0.414).
 */
export const SHIPPED_CALIBRATION: ToxicityCalibration = {
  kind: 'evidence',
  k: 32,
  shift: { en: -0.3, zh: 0 },
};

export interface AuthoredRow extends LabelledText {
  split: SplitName;
}

/** Authored sentences with their split (same hash rule and seed as the tune pool). */
export function authoredRows(): AuthoredRow[] {
  const rows: AuthoredRow[] = [];
  const add = (texts: string[], source: string, toxic: boolean, language: 'en' | 'zh' = 'en') =>
    texts.forEach((text, index) => {
      const row: LabelledText = { source, index, text, toxic, language };
      rows.push({ ...row, split: splitOf(row, SPLIT_SEED) });
    });
  add(authoredBenignEnglish(), 'authored-benign-en', false);
  add(authoredToxicEnglish(), 'authored-toxic-en', true);
  add(conversationalBenignEnglish(), 'turns-benign-en', false);
  add(conversationalToxicEnglish(), 'turns-toxic-en', true);
  add(conversationalRound3Benign(), 'turns-r3-benign-en', false);
  add(conversationalRound3Toxic(), 'turns-r3-toxic-en', true);
  const chinese = conversationalRound5Chinese();
  add(chinese.benign, 'turns-r5-benign-zh', false, 'zh');
  add(chinese.toxic, 'turns-r5-toxic-zh', true, 'zh');
  return rows;
}

/**
 * Weighted training examples: class-balanced per language (toxic and non-toxic rows carry
 * equal total weight by count), times the source weight and the recipe's multipliers.
 */
export function trainingExamples(
  train: readonly LabelledText[],
  authored: readonly AuthoredRow[],
  recipe: Recipe,
): TrainingExample[] {
  const extra = authored.filter((row) => {
    if (row.split !== 'train') return false;
    if (sourceGroup(row.source).startsWith('turns-r3-'))
      return recipe.turnsWeight > 0 && recipe.turnsRound3 === true;
    if (sourceGroup(row.source).startsWith('turns-r5-'))
      return recipe.turnsWeight > 0 && recipe.turnsChinese === true;
    if (sourceGroup(row.source).startsWith('turns-')) return recipe.turnsWeight > 0;
    return recipe.authored === 'both' || (recipe.authored === 'benign' && !row.toxic);
  });
  const rows: LabelledText[] = [...train, ...extra];
  // Per language, so that the Chinese turns (round 5) are balanced among themselves.
  const turnsCount = (toxic: boolean, language: string) =>
    extra.filter(
      (row) =>
        row.toxic === toxic && row.language === language && sourceGroup(row.source).startsWith('turns-'),
    ).length;
  const toxicTurnsBalance = (language: string) =>
    recipe.turnsBalanced && turnsCount(true, language) > 0
      ? turnsCount(false, language) / turnsCount(true, language)
      : 1;
  const totals = new Map<string, number>();
  const key = (row: LabelledText) => `${row.language}:${row.toxic}`;
  for (const row of rows) totals.set(key(row), (totals.get(key(row)) ?? 0) + 1);
  return rows.map((row) => {
    const group = sourceGroup(row.source);
    let multiplier = recipe.sourceWeights[group] ?? 1;
    if (group === 'davidson' && row.detail === 'offensive') multiplier *= recipe.davidsonOffensive;
    if (group.startsWith('authored-')) multiplier *= recipe.authoredWeight;
    if (group.startsWith('turns-'))
      multiplier *= recipe.turnsWeight * (row.toxic ? toxicTurnsBalance(row.language) : 1);
    return {
      text: row.text,
      toxic: row.toxic,
      weight: (rows.length / 4 / totals.get(key(row))!) * multiplier,
    };
  });
}
