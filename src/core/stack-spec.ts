/**
 * Model Stack logic: the content fingerprint of a version and the component-level diff
 * between two versions. A fingerprint covers the model, each component's content hash and
 * the parameters — not version numbers — so the same components give the same fingerprint.
 */
import { createTwoFilesPatch } from 'diff';
import { contentHash } from './canonical-json.js';
import type { PromptMessageTemplate, StackSpec } from './registry-types.js';

export interface ComponentHashes {
  adapter: string | null;
  prompt: string | null;
  /** Content hash of the guard policy version (rules + settings). */
  guard?: string | null;
}

export function stackFingerprint(spec: StackSpec, hashes: ComponentHashes): string {
  return contentHash({
    model: spec.model,
    adapter: spec.adapter ? { name: spec.adapter.name, content: hashes.adapter } : null,
    prompt: spec.prompt ? { name: spec.prompt.name, content: hashes.prompt } : null,
    knowledge: spec.knowledge,
    guard: spec.guard ? { name: spec.guard.name, content: hashes.guard ?? null } : null,
    params: spec.params,
    retrieval: spec.retrieval,
  });
}

/** "name@version", or null. */
export function formatRef(ref: { name: string; version: number } | null): string | null {
  return ref ? `${ref.name}@${ref.version}` : null;
}

export interface ComponentChange {
  component: string;
  from: unknown;
  to: unknown;
}

export function diffStackSpecs(from: StackSpec, to: StackSpec): ComponentChange[] {
  const changes: ComponentChange[] = [];
  const compare = (component: string, a: unknown, b: unknown) => {
    if (contentHash(a ?? null) !== contentHash(b ?? null))
      changes.push({ component, from: a ?? null, to: b ?? null });
  };
  compare('model', from.model, to.model);
  compare('adapter', formatRef(from.adapter), formatRef(to.adapter));
  compare('prompt', formatRef(from.prompt), formatRef(to.prompt));
  compare(
    'knowledge',
    from.knowledge ? `${from.knowledge.name}@${from.knowledge.snapshot}` : null,
    to.knowledge ? `${to.knowledge.name}@${to.knowledge.snapshot}` : null,
  );
  compare('guard', formatRef(from.guard), formatRef(to.guard));
  const keys = [...new Set([...Object.keys(from.params), ...Object.keys(to.params)])].sort();
  for (const key of keys) compare(`params.${key}`, from.params[key], to.params[key]);
  compare('retrieval', from.retrieval, to.retrieval);
  return changes;
}

/** The prompt as reviewable text: one block per message. */
export function promptText(messages: PromptMessageTemplate[]): string {
  return `${messages.map((message) => `[${message.role}]\n${message.content}`).join('\n\n')}\n`;
}

/** A unified diff of two prompt versions' text. Empty string when identical. */
export function promptTextDiff(
  fromLabel: string,
  fromMessages: PromptMessageTemplate[],
  toLabel: string,
  toMessages: PromptMessageTemplate[],
): string {
  const before = promptText(fromMessages);
  const after = promptText(toMessages);
  if (before === after) return '';
  return createTwoFilesPatch(fromLabel, toLabel, before, after, undefined, undefined, { context: 3 });
}
