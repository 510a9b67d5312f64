/**
 * Guardrails: scanners (injection/jailbreak, PII, sensitive words, toxicity, leaks,
 * repetition, refusals, anomalies, data exfiltration through rendered images, remote guard
 * models), versioned policies compiled into per-stage rule lists, and streaming output
 * enforcement with a hold-back window.
 */

export {
  createExfiltrationScanner,
  type ExfiltrationScannerOptions,
  hostAllowed,
  resolveUrl,
  scanMarkup,
} from './exfiltration/index.js';
export { createInjectionScanner, type InjectionScannerOptions } from './injection/index.js';
export {
  createAnomalyScanner,
  createLeakScanner,
  createRefusalScanner,
  createRepetitionScanner,
  isRefusal,
  plantCanary,
  RepetitionTracker,
} from './output/index.js';
export { createPiiScanner, findPii, PII_TYPES, type PiiType, redact, restore } from './pii/index.js';
export {
  compilePolicy,
  defaultPolicy,
  describeProblem,
  type PolicyProblem,
  policyProblemsError,
  preloadGuardModels,
  ruleProblems,
  stagesOf,
  validateRules,
} from './policy/compile-policy.js';
export {
  type CompiledPolicy,
  type CompiledRule,
  evaluateStage,
  type GuardVerdict,
  type ScannerTiming,
  type TriggeredFinding,
} from './policy/guard-engine.js';
export {
  DEFAULT_MAX_SCAN_CHARS,
  type GuardPolicyDocument,
  guardPolicyDocumentSchema,
  guardRuleSchema,
  policySettings,
  scanLimits,
} from './policy/policy-schema.js';
export {
  applyRedactions,
  jsonStringMapping,
  maskValue,
  mergeRedactionSpans,
  PseudonymRestorer,
  PseudonymVault,
  restoreRedactions,
} from './policy/redaction.js';
export {
  BUILT_IN_SCANNERS,
  DEFAULT_SCANNERS,
  MAX_SHARED_SCANNERS,
  ScannerRegistry,
} from './policy/scanner-registry.js';
export { StreamingOutputGuard, type StreamStep } from './policy/streaming-guard.js';
export { createRegexScanner, type RegexPattern } from './regex/index.js';
export { createRemoteModelScanner, LLAMA_GUARD_CATEGORIES } from './remote/index.js';
export type { Finding, GuardStage, ScanContext, Scanner, ScanResult } from './scanner.js';
export { classifyToxicity, createToxicityScanner } from './toxicity/index.js';
export { createSensitiveWordsScanner, type SensitiveTerm } from './words/index.js';
