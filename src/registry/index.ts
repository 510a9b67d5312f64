/**
 * The registry: prompts, LoRA adapters and Model Stacks — validation, immutable versions,
 * fingerprints, declarative apply — and the in-memory directory of deployed stack versions
 * that the gateway resolves against.
 */
export { guardPolicyProblems, pushGuardPolicy, resolveGuardPolicyVersion } from './guard-policy-service.js';
export {
  assertLabelName,
  type PushPromptInput,
  promptContentHash,
  pushPrompt,
  resolvePromptVersion,
} from './prompt-service.js';
export { type ParsedRef, parseRef } from './refs.js';
export {
  deploymentKey,
  type ProjectTable,
  type ResolvedStack,
  StackDirectory,
} from './stack-directory.js';
export {
  assertName,
  type CreateStackInput,
  createStackVersion,
  lineage,
  type ModelCatalog,
  type PendingComponent,
} from './stack-service.js';
