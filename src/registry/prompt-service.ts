/**
 * Prompts: validate and push immutable versions (only when content changed, if asked), move
 * labels, resolve `name@ref` to a version.
 */
import {
  compileTemplate,
  contentHash,
  NotFoundError,
  type PromptMessageTemplate,
  type PromptVariableSpec,
  type PromptVersion,
  ValidationError,
} from '../core/index.js';
import type { Store } from '../store/index.js';

export interface PushPromptInput {
  name: string;
  messages: PromptMessageTemplate[];
  variables?: Record<string, PromptVariableSpec>;
  params?: Record<string, unknown>;
  commitMessage?: string | null;
  author?: string | null;
  labels?: string[];
  /** Return the newest version instead of creating one when the content is the same. */
  onlyIfChanged?: boolean;
}

export function promptContentHash(
  messages: PromptMessageTemplate[],
  variables: Record<string, PromptVariableSpec>,
  params: Record<string, unknown>,
): string {
  return contentHash({ messages, variables, params });
}

export async function pushPrompt(
  store: Store,
  projectId: string,
  input: PushPromptInput,
): Promise<{ version: PromptVersion; created: boolean }> {
  const variables = input.variables ?? {};
  const params = input.params ?? {};
  compileTemplate(input.messages, variables); // throws ValidationError on malformed templates
  const hash = promptContentHash(input.messages, variables, params);
  let version: PromptVersion | null = null;
  let created = false;
  if (input.onlyIfChanged) {
    const prompt = await store.prompts.get(projectId, input.name);
    if (prompt) {
      const latest = await store.prompts.getVersion(projectId, input.name, prompt.latestVersion);
      if (latest?.contentHash === hash) version = latest;
    }
  }
  if (!version) {
    const versionInput = {
      name: input.name,
      messages: input.messages,
      variables,
      params,
      commitMessage: input.commitMessage ?? null,
      author: input.author ?? null,
      contentHash: hash,
    };
    // The check above is the common case without a write lock; the store checks again under
    // its lock, for a concurrent push of the same content that got there in between.
    ({ version, created } = input.onlyIfChanged
      ? await store.prompts.createVersionIfChanged(projectId, versionInput)
      : { version: await store.prompts.createVersion(projectId, versionInput), created: true });
  }
  for (const label of input.labels ?? [])
    await store.prompts.setLabel(projectId, input.name, label, version.version);
  return { version, created };
}

/** `selector`: a version number, a label, or null for the newest version. */
export async function resolvePromptVersion(
  store: Store,
  projectId: string,
  name: string,
  selector: number | string | null,
): Promise<PromptVersion> {
  const prompt = await store.prompts.get(projectId, name);
  if (!prompt) throw new NotFoundError(`Prompt "${name}"`);
  let version: number;
  if (selector === null) version = prompt.latestVersion;
  else if (typeof selector === 'number') version = selector;
  else {
    const labelled = prompt.labels[selector];
    if (labelled === undefined) throw new NotFoundError(`Label "${selector}" of prompt "${name}"`);
    version = labelled;
  }
  const found = await store.prompts.getVersion(projectId, name, version);
  if (!found) throw new NotFoundError(`Prompt "${name}" version ${version}`);
  return found;
}

export function assertLabelName(label: string): void {
  if (!/^[a-z][a-z0-9_-]{0,63}$/.test(label) || label === 'latest') {
    throw new ValidationError(
      `"${label}" is not a valid label (lowercase letters, digits, - and _; not "latest")`,
    );
  }
}
