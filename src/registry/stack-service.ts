/**
 * Stacks: resolve component references to exact versions, validate the combination,
 * fingerprint it and append an immutable version (only when something changed, if asked).
 */

import { z } from 'zod';
import {
  type Adapter,
  AppError,
  formatIssues,
  NotFoundError,
  type PromptVersion,
  type StackSpec,
  type StackVersion,
  stackFingerprint,
  ValidationError,
} from '../core/index.js';
import type { Store } from '../store/index.js';
import { resolveGuardPolicyVersion } from './guard-policy-service.js';
import { resolvePromptVersion } from './prompt-service.js';
import { parseRef } from './refs.js';

export interface ModelCatalog {
  /** Kind of a registered model, or undefined when no such model exists. */
  kindOf(name: string): 'chat' | 'embedding' | undefined;
}

export interface CreateStackInput {
  name: string;
  model: string;
  /** `tone` (newest) or `tone@2`. */
  adapter?: string | null;
  /** `support` (newest), `support@3` or `support@production` (label, resolved now). */
  prompt?: string | null;
  params?: Record<string, unknown>;
  knowledge?: string | null;
  guard?: string | null;
  retrieval?: Record<string, unknown> | null;
  message?: string | null;
  author?: string | null;
  onlyIfChanged?: boolean;
  /** Compute what would happen (the next version, or the unchanged newest) without writing. */
  planOnly?: boolean;
  /**
   * With planOnly: components the same apply creates, not stored yet — taken as given instead of
   * their reference above, so the plan's fingerprint is the one apply will compute.
   */
  pending?: Partial<Record<'adapter' | 'prompt' | 'guard', PendingComponent>>;
}

/** A component version an apply is about to create. */
export interface PendingComponent {
  name: string;
  version: number;
  contentHash: string;
}

/** A stack's retrieval settings, with defaults. */
export const retrievalSettingsSchema = z.strictObject({
  top_k: z.number().int().min(1).max(100).default(5),
  min_score: z.number().min(0).default(0),
  mode: z.enum(['bm25', 'vector', 'hybrid']).optional(),
  /** Metadata filter (see the knowledge module's filter language). */
  filter: z.record(z.string(), z.unknown()).optional(),
  /** Cap on context tokens, below what the model's window allows. */
  max_context_tokens: z.number().int().positive().optional(),
});

export type RetrievalSettings = z.infer<typeof retrievalSettingsSchema>;

function parseRetrievalSettings(raw: Record<string, unknown>): RetrievalSettings {
  const result = retrievalSettingsSchema.safeParse(raw);
  if (!result.success) {
    throw new ValidationError(`retrieval: ${formatIssues(result.error.issues)}`, { param: 'retrieval' });
  }
  return result.data;
}

export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function assertName(name: string, what: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new ValidationError(
      `${what} name "${name}" is invalid: use letters, digits, . _ - (no @), at most 128`,
      {
        param: 'name',
      },
    );
  }
}

async function resolveAdapter(store: Store, projectId: string, text: string): Promise<Adapter> {
  const ref = parseRef(text, 'adapter');
  if (typeof ref.selector === 'string')
    throw new ValidationError(`adapter: "${text}": adapters have no labels; use name or name@version`);
  const adapter = await store.adapters.get(projectId, ref.name, ref.selector ?? undefined);
  if (!adapter) throw new NotFoundError(`Adapter "${text}"`, { param: 'adapter' });
  return adapter;
}

export async function createStackVersion(
  store: Store,
  projectId: string,
  catalog: ModelCatalog,
  input: CreateStackInput,
): Promise<{ version: StackVersion; created: boolean }> {
  assertName(input.name, 'Stack');
  const kind = catalog.kindOf(input.model);
  if (!kind) throw new NotFoundError(`Model "${input.model}"`, { param: 'model' });
  if (kind !== 'chat')
    throw new ValidationError(`Model "${input.model}" is an embedding model; a stack needs a chat model`, {
      param: 'model',
    });
  if (catalog.kindOf(input.name)) {
    throw new AppError('conflict', `"${input.name}" is already a model name; a stack cannot shadow it`, {
      param: 'name',
    });
  }
  const pending = input.pending ?? {};
  let adapter: Pick<Adapter, 'name' | 'version' | 'contentHash'> | null = pending.adapter ?? null;
  if (input.adapter && !adapter) {
    const resolved = await resolveAdapter(store, projectId, input.adapter);
    if (resolved.baseModel !== input.model) {
      throw new ValidationError(
        `Adapter "${resolved.name}@${resolved.version}" was trained on "${resolved.baseModel}", not on the stack's model "${input.model}"`,
        { param: 'adapter' },
      );
    }
    adapter = resolved;
  }
  let prompt: PendingComponent | null = pending.prompt ?? null;
  if (input.prompt && !prompt) {
    const ref = parseRef(input.prompt, 'prompt');
    const resolved: PromptVersion = await resolvePromptVersion(
      store,
      projectId,
      ref.name,
      ref.selector,
    ).catch((error: unknown) => {
      if (error instanceof AppError && error.code === 'not_found') {
        throw new NotFoundError(error.message.replace(/ not found$/, ''), { param: 'prompt' });
      }
      throw error;
    });
    prompt = { name: resolved.promptName, version: resolved.version, contentHash: resolved.contentHash };
  }
  let knowledge: StackSpec['knowledge'] = null;
  if (input.knowledge) {
    const ref = parseRef(input.knowledge, 'knowledge');
    if (typeof ref.selector === 'string') {
      throw new ValidationError(
        `knowledge: "${input.knowledge}": pin a snapshot number (faq@2) or name the base (faq)`,
        {
          param: 'knowledge',
        },
      );
    }
    const snapshot = await store.knowledge.getSnapshot(projectId, ref.name, ref.selector ?? undefined);
    if (!snapshot) {
      throw new NotFoundError(
        ref.selector === null
          ? `A snapshot of knowledge base "${ref.name}"`
          : `Knowledge snapshot "${ref.name}@${ref.selector}"`,
        { param: 'knowledge' },
      );
    }
    knowledge = { name: ref.name, snapshot: snapshot.version };
  }
  let guard: StackSpec['guard'] = pending.guard
    ? { name: pending.guard.name, version: pending.guard.version }
    : null;
  let guardHash: string | null = pending.guard?.contentHash ?? null;
  if (input.guard && !guard) {
    const ref = parseRef(input.guard, 'guard');
    if (typeof ref.selector === 'string') {
      throw new ValidationError(`guard: "${input.guard}": use name or name@version`, { param: 'guard' });
    }
    const policy = await resolveGuardPolicyVersion(store, projectId, ref.name, ref.selector);
    guard = { name: policy.policyName, version: policy.version };
    guardHash = policy.contentHash;
  }
  if (input.retrieval && !knowledge) {
    throw new ValidationError('retrieval: settings need a knowledge snapshot', { param: 'retrieval' });
  }
  const spec: StackSpec = {
    model: input.model,
    adapter: adapter ? { name: adapter.name, version: adapter.version } : null,
    prompt: prompt ? { name: prompt.name, version: prompt.version } : null,
    knowledge,
    guard,
    params: input.params ?? {},
    retrieval: knowledge ? parseRetrievalSettings(input.retrieval ?? {}) : null,
  };
  const fingerprint = stackFingerprint(spec, {
    adapter: adapter?.contentHash ?? null,
    prompt: prompt?.contentHash ?? null,
    guard: guardHash,
  });
  const existing = await store.stacks.get(projectId, input.name);
  if (input.onlyIfChanged && existing) {
    const latest = await store.stacks.getVersion(projectId, input.name, existing.latestVersion);
    if (latest && latest.fingerprint === fingerprint) return { version: latest, created: false };
  }
  if (input.planOnly) {
    const planned: StackVersion = {
      projectId,
      stackId: existing?.id ?? '',
      stackName: input.name,
      version: (existing?.latestVersion ?? 0) + 1,
      spec,
      fingerprint,
      message: input.message ?? null,
      author: input.author ?? null,
      createdAt: Date.now(),
    };
    return { version: planned, created: true };
  }
  const versionInput = {
    name: input.name,
    spec,
    fingerprint,
    message: input.message ?? null,
    author: input.author ?? null,
  };
  // Checked again under the store's lock: a concurrent apply of the same stack creates one version.
  if (input.onlyIfChanged) return store.stacks.createVersionIfChanged(projectId, versionInput);
  return { version: await store.stacks.createVersion(projectId, versionInput), created: true };
}

/** "qwen-max + lora:tone@2 + prompt:support@3" */
export function lineage(spec: StackSpec): string {
  const parts = [spec.model];
  if (spec.adapter) parts.push(`lora:${spec.adapter.name}@${spec.adapter.version}`);
  if (spec.prompt) parts.push(`prompt:${spec.prompt.name}@${spec.prompt.version}`);
  if (spec.knowledge) parts.push(`kb:${spec.knowledge.name}@${spec.knowledge.snapshot}`);
  if (spec.guard) parts.push(`guard:${spec.guard.name}@${spec.guard.version}`);
  return parts.join(' + ');
}
