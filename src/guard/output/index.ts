/**
 * Output-stage scanners (leak, repetition, refusal) and the input anomaly scanner: heuristics
 * over text, no model. `plantCanary` prepares the system prompt for leak detection,
 * `RepetitionTracker` follows a stream incrementally, `isRefusal` serves safety evaluation.
 */

export type { AnomalyScannerOptions, AnomalySignal, AnomalyType } from './anomaly-scanner.js';
export {
  analyzeAnomalies,
  characterEntropy,
  createAnomalyScanner,
  gibberishRatio,
  implausibleWord,
} from './anomaly-scanner.js';
export type { PlantedCanary } from './canary.js';
export { CANARY_PREFIX, canaryLine, newCanary, plantCanary, stripCanaryLine } from './canary.js';
export type { LeakMeasures, LeakScannerOptions } from './leak-scanner.js';
export { createLeakScanner } from './leak-scanner.js';
export type { PeriodicRun } from './period-detector.js';
export { PeriodDetector } from './period-detector.js';
export type { RefusalMatch, RefusalScannerOptions, RefusalVerdict } from './refusal-scanner.js';
export { createRefusalScanner, isRefusal } from './refusal-scanner.js';
export type { RepetitionScannerOptions } from './repetition-scanner.js';
export { createRepetitionScanner, detectRepetition } from './repetition-scanner.js';
export type { RepetitionResult, RepetitionSignal, RepetitionType } from './repetition-tracker.js';
export { RepetitionTracker } from './repetition-tracker.js';
