/**
 * @module scripts/toxicity-recipe
 *
 * The training recipe of the toxicity model — optimiser options, source weights and which
 * authored sentences join the training rows — shared by `scripts/train-toxicity.ts` (which
 * trains the shipped model with `SHIPPED_RECIPE`) and `scripts/toxicity-study.ts` (which
 * compares the session-7 variants on the tune validation split).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitWindows } from '../src/guard/toxicity/classify.js';
import { DEFAULT_FEATURE_SETTINGS, type FeatureSettings } from '../src/guard/toxicity/features.js';
import type { ToxicityCalibration } from '../src/guard/toxicity/model-format.js';
import type { TrainingExample, TrainingOptions } from '../src/guard/toxicity/train.js';
import { type PinnedTechnicalFiles, technicalSources } from './suffix-data.js';
import { authoredBenignEnglish, authoredToxicEnglish } from './toxicity-authored-english.js';
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
  /** Feature settings (default DEFAULT_FEATURE_SETTINGS; session 8 adds word boundaries). */
  features?: FeatureSettings;
  /**
   * Weight of technical Markdown windows (node_modules docs, the files pinned for the suffix
   * detector in scripts/train-suffix.files.json) as non-toxic rows; 0 or absent: none.
   */
  technical?: number;
  /** Also the pinned JavaScript/TypeScript sources (same weight), not only the Markdown. */
  technicalCode?: boolean;
  /**
   * Also cut each technical training window into phrases of this many words (consecutive,
   * non-overlapping), each a non-toxic row carrying 1/(phrases in its window) of the window's
   * weight: in a long window the other words carry the benign evidence, so "push" never has to
   * (the gradient on it is small); alone in a phrase, its word and boundary n-grams must.
   */
  technicalPhrases?: number;
  /**
   * Technical rows on top of the class balance: the balance is computed without them and each
   * weighs what an English non-toxic row of the pool weighs (× technical), instead of sharing
   * the non-toxic class's total weight (which took weight from Davidson's benign tweets).
   */
  technicalOnTop?: boolean;
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

const WORD_FEATURES: FeatureSettings = { ...DEFAULT_FEATURE_SETTINGS, boundaries: true };
const WORDS_LATIN3: FeatureSettings = { ...WORD_FEATURES, latinBigrams: false };

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
  // Session 8, "words, not substrings" (scripts/toxicity-words-study.ts), written before any ran:
  // word-boundary character n-grams, technical Markdown as negatives, and both.
  words: { ...BASELINE, features: WORD_FEATURES },
  'technical-0.5': { ...BASELINE, technical: 0.5 },
  'technical-1': { ...BASELINE, technical: 1 },
  'words+technical-0.5': { ...BASELINE, features: WORD_FEATURES, technical: 0.5 },
  'words+technical-1': { ...BASELINE, features: WORD_FEATURES, technical: 1 },
  // Round 2, written after reading round 1 (tune data only): lighter technical weights, and
  // JavaScript/TypeScript sources (array.push, process.kill, master …) besides the Markdown.
  'technical-0.25': { ...BASELINE, technical: 0.25 },
  'words+technical-0.25': { ...BASELINE, features: WORD_FEATURES, technical: 0.25 },
  'technical+code-0.5': { ...BASELINE, technical: 0.5, technicalCode: true },
  'words+technical+code-0.5': { ...BASELINE, features: WORD_FEATURES, technical: 0.5, technicalCode: true },
  // Round 3, written after reading round 2: "git push" stayed ≥ 0.9 in every variant (the
  // long technical windows never need "push" itself to be benign), so short phrases of them.
  'technical-1+phrases-3': { ...BASELINE, technical: 1, technicalPhrases: 3 },
  'words+technical-1+phrases-3': { ...BASELINE, features: WORD_FEATURES, technical: 1, technicalPhrases: 3 },
  'words+technical-0.5+phrases-3': {
    ...BASELINE,
    features: WORD_FEATURES,
    technical: 0.5,
    technicalPhrases: 3,
  },
  'words+technical-1+phrases-2': { ...BASELINE, features: WORD_FEATURES, technical: 1, technicalPhrases: 2 },
  // Round 4, after round 3: character 2-grams ("pu", "it", "ag") carry a lot of the substring
  // evidence; boundary n-grams of 3–4 characters only.
  'words-3': { ...BASELINE, features: { ...WORD_FEATURES, charMin: 3 } },
  'words-3+technical-1': { ...BASELINE, features: { ...WORD_FEATURES, charMin: 3 }, technical: 1 },
  'words-3+technical-0.5': { ...BASELINE, features: { ...WORD_FEATURES, charMin: 3 }, technical: 0.5 },
  // Round 5, after round 4: charMin 3 helped English and cost Chinese its 2-grams (recall
  // 79 → 68–73 %), so drop only the 2-grams that start at a non-CJK character.
  'words-latin3': { ...BASELINE, features: WORDS_LATIN3 },
  'words-latin3+technical-1': { ...BASELINE, features: WORDS_LATIN3, technical: 1 },
  'words-latin3+technical-0.5': { ...BASELINE, features: WORDS_LATIN3, technical: 0.5 },
  // Round 6, after round 5: technical rows raised the short benign texts' flag rate (16 → 21 %:
  // they took class weight from Davidson's benign tweets), so on top of the class balance.
  'words-latin3+technical-0.5-on-top': {
    ...BASELINE,
    features: WORDS_LATIN3,
    technical: 0.5,
    technicalOnTop: true,
  },
  'words-latin3+technical-0.25-on-top': {
    ...BASELINE,
    features: WORDS_LATIN3,
    technical: 0.25,
    technicalOnTop: true,
  },
  'words-latin3+technical-1-on-top': {
    ...BASELINE,
    features: WORDS_LATIN3,
    technical: 1,
    technicalOnTop: true,
  },
};

/**
 * The recipe of the committed model: the baseline. Session 7's pick (ToxiGen ×6) failed its
 * ship rule; session 8's ("words, not substrings": word-boundary n-grams without Latin 2-grams
 * plus technical Markdown on top of the class balance, selected on tune data) failed its rule on
 * the COLD-odd AUC (docs/guardrails-toxicity.md), so the shipped model stays the baseline.
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

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The feature settings a recipe trains with. */
export function recipeFeatures(recipe: Recipe): FeatureSettings {
  return recipe.features ?? DEFAULT_FEATURE_SETTINGS;
}

const technicalCache = new Map<boolean, AuthoredRow[]>();

/**
 * Technical Markdown (READMEs, changelogs, docs of this repository's node_modules), the files
 * pinned with their sha256 in scripts/train-suffix.files.json (a changed package stops the
 * trainer), cut into the scanner's windows (whole sentences, ≤ 240 characters); windows with
 * fewer than 20 letters are dropped; each window is split by the pool's hash rule.
 */
export function technicalRows(code = false): AuthoredRow[] {
  const cached = technicalCache.get(code);
  if (cached) return cached;
  const pinned = JSON.parse(
    readFileSync(join(root, 'scripts/train-suffix.files.json'), 'utf8'),
  ) as PinnedTechnicalFiles;
  const sources = technicalSources(root, 0, {
    'technical-markdown': pinned['technical-markdown'] ?? [],
    ...(code ? { 'technical-code': pinned['technical-code'] ?? [] } : {}),
  });
  const seen = new Set<string>();
  const rows: AuthoredRow[] = [];
  for (const chunk of sources.flatMap((source) => source.texts)) {
    for (const [start, end] of splitWindows(chunk)) {
      const text = chunk.slice(start, end).trim();
      if ((text.match(/\p{L}/gu)?.length ?? 0) < 20 || seen.has(text)) continue;
      seen.add(text);
      const row: LabelledText = {
        source: 'technical-md',
        index: rows.length,
        text,
        toxic: false,
        language: 'en',
      };
      rows.push({ ...row, split: splitOf(row, SPLIT_SEED) });
    }
  }
  technicalCache.set(code, rows);
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
  const technical =
    (recipe.technical ?? 0) > 0
      ? technicalRows(recipe.technicalCode === true).filter((row) => row.split === 'train')
      : [];
  const phraseWeights = new Map<LabelledText, number>();
  const phrases: LabelledText[] = [];
  const size = recipe.technicalPhrases ?? 0;
  if (size > 0) {
    for (const row of technical) {
      const words = row.text.split(/\s+/).filter((word) => word.length > 0);
      const count = Math.ceil(words.length / size);
      for (let start = 0; start < words.length; start += size) {
        const phrase: LabelledText = {
          source: 'technical-phrase',
          index: phrases.length,
          text: words.slice(start, start + size).join(' '),
          toxic: false,
          language: 'en',
        };
        phrases.push(phrase);
        phraseWeights.set(phrase, 1 / count);
      }
    }
  }
  const rows: LabelledText[] = [...train, ...extra, ...technical, ...phrases];
  const totals = new Map<string, number>();
  const key = (row: LabelledText) => `${row.language}:${row.toxic}`;
  const onTop = recipe.technicalOnTop === true;
  const balanced = onTop ? [...train, ...extra] : rows;
  for (const row of balanced) totals.set(key(row), (totals.get(key(row)) ?? 0) + 1);
  return rows.map((row) => {
    const group = sourceGroup(row.source);
    let multiplier = recipe.sourceWeights[group] ?? 1;
    if (group === 'davidson' && row.detail === 'offensive') multiplier *= recipe.davidsonOffensive;
    if (group.startsWith('authored-')) multiplier *= recipe.authoredWeight;
    if (group === 'technical-md') multiplier *= recipe.technical ?? 0;
    if (group === 'technical-phrase') multiplier *= (recipe.technical ?? 0) * phraseWeights.get(row)!;
    return {
      text: row.text,
      toxic: row.toxic,
      weight: (balanced.length / 4 / totals.get(key(row))!) * multiplier,
    };
  });
}
