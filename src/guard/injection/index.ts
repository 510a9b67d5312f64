/**
 * Prompt-injection and jailbreak detection (guard module): multilingual rules plus a hashed
 * n-gram logistic-regression classifier trained in this repository
 * (scripts/train-injection.ts), over the normalised views of ../normalize. The public door:
 * `createInjectionScanner` implements the Scanner contract of ../scanner.ts.
 */

export { defaultInjectionModel, isInjectionModelFile } from './default-model.js';
export { type Analysis, type DetectorOptions, InjectionDetector, type ViewVerdict } from './detector.js';
export { FeatureAccumulator, type FeatureSpace, type SparseVector } from './features.js';
export {
  createInjectionScanner,
  INJECTION_SCANNER_NAME,
  type InjectionScannerOptions,
} from './injection-scanner.js';
export {
  decodeModel,
  encodeHead,
  type InjectionModel,
  type InjectionModelFile,
  MODEL_FORMAT,
  ModelScorer,
} from './model.js';
export type { AttackType, InjectionRule } from './rule-types.js';
export { ALL_RULES, matchRules, type RuleHit } from './rules.js';
export {
  createRandom,
  type LogisticHead,
  type LogisticOptions,
  shuffled,
  trainLogistic,
  type WeightedExample,
} from './train-logistic.js';
