/**
 * The first-start demo: a clearly marked project ("demo", is_demo) with a small knowledge
 * base of StackOps's own docs, a prompt and the stack `demo-bot` on the built-in
 * `local-extractive` responder, deployed to production, so a
 * newcomer sees an answer, its trace and its lineage with no GPU and no API key.
 * `stackops demo remove` (DELETE /api/demo) deletes it all.
 */

import type { ScannerRegistry } from '../guard/index.js';
import { DEFAULT_KNOWLEDGE_SETTINGS, type KnowledgeService } from '../knowledge/index.js';
import type { ModelCatalog } from '../registry/index.js';
import { applyDocument } from '../release/index.js';
import type { Store } from '../store/index.js';

export const DEMO_PROJECT_ID = 'proj_demo';

/** A few pages of StackOps's own docs: the demo knowledge base. */
const DEMO_PAGES = [
  {
    id: 'docs/stacks.md',
    title: 'Model Stacks',
    text: 'A Model Stack is a base model plus an optional LoRA adapter, a prompt version, a knowledge-base snapshot, a guard policy and generation parameters. Every stack version is immutable and has a content fingerprint: the same components always give the same fingerprint.',
  },
  {
    id: 'docs/deployments.md',
    title: 'Deployments and rollback',
    text: 'You deploy a stack version to an environment such as production or staging. To roll back a stack, run stackops rollback NAME: the environment returns to the version it had before, or to any version you name with --to. A switch is atomic: every request sees the old version or the new one, never a mix.',
  },
  {
    id: 'docs/gateway.md',
    title: 'The gateway',
    text: 'The gateway speaks the OpenAI API, so any OpenAI SDK works by changing the base URL to http://127.0.0.1:7300/v1. It retries with backoff, falls back to other models, streams with server-sent events and records every request as a trace.',
  },
  {
    id: 'docs/tracing.md',
    title: 'Traces',
    text: 'Every request through the gateway is traced to the exact stack version, with tokens, cost, latency and time to first token. Open GET /api/traces to list traces and GET /api/traces/ID to see the spans of one.',
  },
  {
    id: 'docs/knowledge.md',
    title: 'Knowledge bases',
    text: 'A knowledge base holds documents. A snapshot freezes them into an immutable version with chunks and indexes; stacks pin a snapshot, so rolling back a stack rolls back its knowledge too. Search uses BM25, and vectors when an embedding model is set.',
  },
  {
    id: 'docs/scale.md',
    title: 'Running StackOps',
    text: 'StackOps runs as one process on SQLite by default: npm start. To scale out, point many stateless replicas at Postgres with STACKOPS_DATABASE_URL.',
  },
];

export const DEMO_DOCUMENT = {
  prompts: [
    {
      name: 'demo-support',
      messages: [
        {
          role: 'system',
          content: 'You are the support assistant for {{product}}. Answer from these sources:\n{{context}}',
        },
        { role: 'user', content: '{{input}}' },
      ],
      variables: { product: { default: 'StackOps' } },
      params: { temperature: 0 },
      message: 'demo prompt',
    },
  ],
  // The demo stack is guarded, so that a first try shows the guard at work: an injection is
  // refused with 400 content_filter, PII in answers is redacted, retrieved chunks carrying an
  // instruction are dropped, an answer that leaks the system prompt is blocked, and images that
  // would send data to another host when rendered are removed.
  guard_policies: [
    {
      name: 'demo-guard',
      rules: [
        {
          scanner: 'injection',
          stage: 'input',
          action: 'block',
          threshold: 0.5,
          message: 'The demo guard refused this message (prompt injection or jailbreak).',
        },
        { scanner: 'injection', stage: 'context', action: 'drop', threshold: 0.5 },
        { scanner: 'pii', stage: 'output', action: 'redact', threshold: 0.5 },
        { scanner: 'leak', stage: 'output', action: 'block', threshold: 0.5 },
        { scanner: 'exfiltration', stage: 'output', action: 'redact', threshold: 0.5 },
      ],
      message: 'demo guard',
    },
  ],
  stacks: [
    {
      name: 'demo-bot',
      guard: 'demo-guard',
      model: 'local-extractive',
      prompt: 'demo-support',
      knowledge: 'stackops-docs',
      retrieval: { top_k: 3 },
      params: { max_tokens: 256 },
      message: 'demo stack',
    },
  ],
  deployments: [{ stack: 'demo-bot', environment: 'production', version: 'latest' }],
};

/** Seeds the demo project unless it exists. Returns true when it was created now. */
export async function seedDemo(
  store: Store,
  catalog: ModelCatalog,
  knowledge: KnowledgeService,
  scanners: ScannerRegistry,
): Promise<boolean> {
  if (await store.projects.get(DEMO_PROJECT_ID)) return false;
  await store.projects.create({ id: DEMO_PROJECT_ID, name: 'demo', isDemo: true });
  await store.knowledge.createBase(DEMO_PROJECT_ID, {
    name: 'stackops-docs',
    settings: DEFAULT_KNOWLEDGE_SETTINGS,
  });
  await knowledge.ingest(
    DEMO_PROJECT_ID,
    'stackops-docs',
    DEMO_PAGES.map((page) => ({ ...page, source: page.id, metadata: { demo: true } })),
  );
  await knowledge.snapshot(DEMO_PROJECT_ID, 'stackops-docs', 'demo-seed');
  await applyDocument(store, DEMO_PROJECT_ID, catalog, DEMO_DOCUMENT, { actor: 'demo-seed', scanners });
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
