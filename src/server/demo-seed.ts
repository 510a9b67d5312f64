/**
 * The first-start demo: a clearly marked project ("demo", is_demo) with a prompt and the
 * stack `demo-bot` on the built-in `local-extractive` responder, deployed to production, so a
 * newcomer sees an answer, its trace and its lineage with no GPU and no API key.
 * `stackops demo remove` (DELETE /api/demo) deletes it all.
 */

import type { ModelCatalog } from '../registry/index.js';
import { applyDocument } from '../release/index.js';
import type { Store } from '../store/index.js';

export const DEMO_PROJECT_ID = 'proj_demo';

const DEMO_CONTEXT = [
  'StackOps is a self-hosted LLMOps platform.',
  'A Model Stack is a base model plus an optional LoRA adapter, a prompt version, a knowledge-base snapshot, a guard policy and parameters.',
  'Every stack version is immutable and has a content fingerprint.',
  'You deploy a stack version to an environment such as production or staging, and you can roll back to any earlier version in one command.',
  'Every request through the gateway is traced to the exact stack version, with tokens, cost, latency and time to first token.',
  'The gateway speaks the OpenAI API, so any OpenAI SDK works by changing the base URL.',
  'StackOps runs as one process on SQLite by default and scales out on Postgres.',
].join(' ');

export const DEMO_DOCUMENT = {
  prompts: [
    {
      name: 'demo-support',
      messages: [
        {
          role: 'system',
          content: `You are the support assistant for {{product}}. Answer from the context.\nContext:\n${DEMO_CONTEXT}`,
        },
        { role: 'user', content: '{{input}}' },
      ],
      variables: { product: { default: 'StackOps' } },
      params: { temperature: 0 },
      message: 'demo prompt',
    },
  ],
  stacks: [
    {
      name: 'demo-bot',
      model: 'local-extractive',
      prompt: 'demo-support',
      params: { max_tokens: 256 },
      message: 'demo stack',
    },
  ],
  deployments: [{ stack: 'demo-bot', environment: 'production', version: 'latest' }],
};

/** Seeds the demo project unless it exists. Returns true when it was created now. */
export async function seedDemo(store: Store, catalog: ModelCatalog): Promise<boolean> {
  if (await store.projects.get(DEMO_PROJECT_ID)) return false;
  await store.projects.create({ id: DEMO_PROJECT_ID, name: 'demo', isDemo: true });
  await applyDocument(store, DEMO_PROJECT_ID, catalog, DEMO_DOCUMENT, { actor: 'demo-seed' });
  await store.audit.append({
    projectId: DEMO_PROJECT_ID,
    actorKeyId: null,
    action: 'demo.seed',
    targetType: 'project',
    targetId: DEMO_PROJECT_ID,
    details: {},
  });
  return true;
}
