/**
 * Adversarial-suffix (GCG-style) jailbreak detection: a windowed likelihood under a character
 * n-gram model of benign text, gated by shape oddities (case switches inside words, brackets,
 * mixed punctuation), calibrated so that 0.5 is the decision point. See
 * docs/guardrails-suffix.md. The public door of src/guard/injection/suffix.
 */

export { defaultSuffixModel, scoreAdversarialSuffix } from './default-model.js';
export {
  decodeSuffixModel,
  isSuffixModelFile,
  SUFFIX_MODEL_FORMAT,
  type SuffixDecision,
  type SuffixLanguageModel,
  type SuffixModel,
  type SuffixModelFile,
  type SuffixTailDecision,
  TAIL_FEATURE_NAMES,
} from './language-model.js';
export { FEATURE_NAMES, SuffixScorer, type SuffixVerdict, type WindowFeatures } from './scorer.js';
export {
  encodeSuffixModel,
  fitDecision,
  type JointThresholds,
  type LabelledWindow,
  pickJointThresholds,
  pickThreshold,
} from './train-decision.js';
export { type NgramTrainingOptions, type NgramTrainingStats, trainLanguageModel } from './train-ngram.js';
