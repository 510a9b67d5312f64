/**
 * Registry records: prompts and their immutable versions with movable labels, LoRA adapters,
 * and Model Stacks — immutable versions pinning every component — with per-environment
 * deployments and their history.
 */

export type TemplateRole = 'system' | 'developer' | 'user' | 'assistant';

export interface PromptMessageTemplate {
  role: TemplateRole;
  /** Text with `{{variable}}` placeholders. */
  content: string;
}

export interface PromptVariableSpec {
  required: boolean;
  default?: string;
  description?: string;
}

export interface Prompt {
  id: string;
  projectId: string;
  name: string;
  latestVersion: number;
  /** label → version, e.g. { production: 3, staging: 4 } */
  labels: Record<string, number>;
  createdAt: number;
}

export interface PromptVersion {
  projectId: string;
  promptId: string;
  promptName: string;
  version: number;
  messages: PromptMessageTemplate[];
  variables: Record<string, PromptVariableSpec>;
  /** Default generation parameters (temperature, max_tokens…). */
  params: Record<string, unknown>;
  commitMessage: string | null;
  author: string | null;
  /** SHA-256 of the canonical content (messages, variables, params). */
  contentHash: string;
  createdAt: number;
}

export interface Adapter {
  id: string;
  projectId: string;
  name: string;
  version: number;
  /** Name of the registered base model this LoRA adapter was trained on. */
  baseModel: string;
  /** Adapter name as the multi-LoRA server (vLLM/SGLang) exposes it; sent as the model id. */
  upstreamAdapter: string;
  /** Free-form: training dataset, date, metrics… */
  metadata: Record<string, unknown>;
  contentHash: string;
  createdAt: number;
}

export interface ComponentRef {
  name: string;
  version: number;
}

/** Everything a stack version pins. Later components (knowledge, guard) are null until set. */
export interface StackSpec {
  model: string;
  adapter: ComponentRef | null;
  prompt: ComponentRef | null;
  /** Knowledge-base snapshot (issue: knowledge bases). */
  knowledge: { name: string; snapshot: number } | null;
  /** Guard policy version (issue: guardrails). */
  guard: ComponentRef | null;
  params: Record<string, unknown>;
  /** Retrieval settings used with `knowledge`. */
  retrieval: Record<string, unknown> | null;
}

export interface Stack {
  id: string;
  projectId: string;
  name: string;
  latestVersion: number;
  createdAt: number;
}

export interface StackVersion {
  projectId: string;
  stackId: string;
  stackName: string;
  version: number;
  spec: StackSpec;
  /** SHA-256 over the canonical spec plus the content hashes of its components. */
  fingerprint: string;
  message: string | null;
  author: string | null;
  createdAt: number;
}

export interface Deployment {
  projectId: string;
  stackName: string;
  environment: string;
  version: number;
  updatedAt: number;
  updatedBy: string | null;
}

export type DeploymentAction = 'deploy' | 'rollback';

export interface DeploymentEvent {
  id: string;
  projectId: string;
  stackName: string;
  environment: string;
  fromVersion: number | null;
  toVersion: number;
  action: DeploymentAction;
  actor: string | null;
  createdAt: number;
}
