/**
 * Toxicity detection for English and Chinese: a hashed n-gram logistic regression trained by
 * scripts/train-toxicity.ts on the tune data sets, plus a lexicon rule layer. See
 * docs/guardrails-toxicity.md for the method, split and measured numbers.
 */

export type { ToxicityVerdict, ToxicityWindow } from './classify.js';
export { classifyWithModel, DEFAULT_WINDOW_CHARS, scoreWindow, splitWindows } from './classify.js';
export { defaultToxicityModel } from './default-model.js';
export type { FeatureScratch, FeatureSettings, LexiconHit } from './features.js';
export { createScratch, DEFAULT_FEATURE_SETTINGS, extractFeatures } from './features.js';
export type { LexiconCategory, LexiconEntry } from './lexicon.js';
export { CHINESE_LEXICON, ENGLISH_LEXICON, RULE_FLOORS } from './lexicon.js';
export type { ToxicityCalibration, ToxicityModel, ToxicityModelFile } from './model-format.js';
export { loadToxicityModel, MODEL_FORMAT } from './model-format.js';
export { cjkShare, prepareText } from './prepare-text.js';
export type { ClassifyOptions, ToxicityScannerOptions } from './toxicity-scanner.js';
export { classifyToxicity, createToxicityScanner } from './toxicity-scanner.js';
export type { EncodedExample, TrainedWeights, TrainingExample, TrainingOptions } from './train.js';
export { buildModelFile, encodeExamples, seededRandom, trainLogistic } from './train.js';
