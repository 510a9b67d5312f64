/**
 * Guard models behind an OpenAI-compatible endpoint: Llama Guard 3/4 (hazard categories
 * S1–S14) and Prompt Guard style classifiers, with explicit fail-open / fail-closed handling.
 */

export type { LlamaGuardVerdict } from './llama-guard.js';
export { LLAMA_GUARD_CATEGORIES, llamaGuardMessages, parseLlamaGuardReply } from './llama-guard.js';
export type { PromptGuardVerdict } from './prompt-guard.js';
export { parsePromptGuardReply } from './prompt-guard.js';
export type { FailMode, RemoteGuardKind, RemoteModelScannerOptions } from './remote-model-scanner.js';
export { createRemoteModelScanner } from './remote-model-scanner.js';
