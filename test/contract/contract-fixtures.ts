/**
 * Builders shared by the store contract suite: complete trace and span records, registry
 * inputs (prompt, adapter, stack versions) and knowledge inputs (documents, manifest entries,
 * chunks with deterministic embeddings) with overridable fields, unique names, and the
 * expected newest-first order of traces.
 */
import { randomUUID } from 'node:crypto';
import {
  type GuardRule,
  type KnowledgeBaseSettings,
  type KnowledgeChunk,
  newSpanId,
  newTraceId,
  type SnapshotDocumentEntry,
  type SpanRecord,
  type StackSpec,
  type TraceRecord,
} from '../../src/core/index.js';
import type {
  CreateAdapterInput,
  CreateGuardPolicyVersionInput,
  CreatePromptVersionInput,
  CreateStackVersionInput,
  Store,
  UpsertDocumentInput,
} from '../../src/store/index.js';

export const BASE_TIME = 1_750_000_000_000;

/** Opens a store on the named database; the same name means the same database. */
export type MakeStore = (database?: string) => Promise<Store>;

export const uniqueName = (label: string): string => `${label}-${randomUUID().slice(0, 8)}`;

export function makeTrace(projectId: string, overrides: Partial<TraceRecord> = {}): TraceRecord {
  return {
    id: newTraceId(),
    projectId,
    name: 'chat.completions',
    startTime: BASE_TIME,
    endTime: BASE_TIME + 250,
    status: 'ok',
    model: 'qwen-max',
    stack: 'support-bot',
    stackVersion: 7,
    inputTokens: 100,
    outputTokens: 20,
    cost: 0.0015,
    latencyMs: 250.5,
    ttftMs: 80,
    apiKeyId: 'key_client',
    attributes: { 'gen_ai.request.model': 'qwen-max', 'stackops.stack.version': 7 },
    ...overrides,
  };
}

export function makeSpan(trace: TraceRecord, overrides: Partial<SpanRecord> = {}): SpanRecord {
  return {
    traceId: trace.id,
    spanId: newSpanId(),
    parentSpanId: null,
    projectId: trace.projectId,
    name: 'provider.call',
    kind: 'generation',
    startTime: trace.startTime,
    endTime: trace.endTime,
    status: 'ok',
    statusMessage: null,
    attributes: { 'gen_ai.operation.name': 'chat' },
    ...overrides,
  };
}

const compareText = (left: string, right: string): number => (left < right ? -1 : left > right ? 1 : 0);

/** The order traces.list must return: start_time desc, then id desc (byte order). */
export function newestFirst(traces: readonly TraceRecord[]): string[] {
  return [...traces]
    .sort((left, right) => right.startTime - left.startTime || compareText(right.id, left.id))
    .map((trace) => trace.id);
}

/** Follows nextCursor to the end, returning every page. */
export async function collectPages<T>(
  fetch: (cursor: string | undefined) => Promise<{ data: T[]; nextCursor: string | null }>,
): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1_000; guard++) {
    const page = await fetch(cursor);
    pages.push(page.data);
    if (page.nextCursor === null) return pages;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not terminate');
}

export function makePromptInput(
  name: string,
  overrides: Partial<CreatePromptVersionInput> = {},
): CreatePromptVersionInput {
  return {
    name,
    messages: [
      { role: 'system', content: 'You answer questions about {{product}}.' },
      { role: 'user', content: '{{question}}' },
    ],
    variables: { product: { required: false, default: 'StackOps' }, question: { required: true } },
    params: { temperature: 0.2, max_tokens: 256 },
    commitMessage: 'initial',
    author: 'ci',
    contentHash: 'a'.repeat(64),
    ...overrides,
  };
}

export function makeAdapterInput(
  name: string,
  overrides: Partial<CreateAdapterInput> = {},
): CreateAdapterInput {
  return {
    name,
    baseModel: 'qwen2.5-7b',
    upstreamAdapter: `${name}-lora`,
    metadata: { dataset: 'tickets-2025', metrics: { loss: 0.42 } },
    contentHash: 'b'.repeat(64),
    ...overrides,
  };
}

export function makeStackSpec(overrides: Partial<StackSpec> = {}): StackSpec {
  return {
    model: 'qwen-max',
    adapter: null,
    prompt: null,
    knowledge: null,
    guard: null,
    params: { temperature: 0.1 },
    retrieval: null,
    ...overrides,
  };
}

export function makeStackInput(
  name: string,
  overrides: Partial<CreateStackVersionInput> = {},
): CreateStackVersionInput {
  return {
    name,
    spec: makeStackSpec(),
    fingerprint: 'c'.repeat(64),
    message: 'first cut',
    author: 'ci',
    ...overrides,
  };
}

/** A PII redaction rule on input and a sensitive-word block on output. */
export const GUARD_RULES: GuardRule[] = [
  { scanner: 'pii', stage: 'input', action: 'redact', threshold: 0.5, types: ['EMAIL', 'PHONE'] },
  {
    scanner: 'sensitive-words',
    stage: 'output',
    action: 'block',
    threshold: 0.9,
    message: 'blocked by policy',
    options: { terms: ['forbidden'] },
  },
];

export function makeGuardPolicyInput(
  name: string,
  overrides: Partial<CreateGuardPolicyVersionInput> = {},
): CreateGuardPolicyVersionInput {
  return {
    name,
    rules: GUARD_RULES,
    settings: { hold_back_chars: 64 },
    contentHash: 'f'.repeat(64),
    message: 'initial policy',
    author: 'ci',
    ...overrides,
  };
}

export const KNOWLEDGE_SETTINGS: KnowledgeBaseSettings = {
  chunk_tokens: 300,
  overlap_tokens: 40,
  embedding_model: 'bge-small-en',
};

export function makeDocumentInput(
  id: string,
  overrides: Partial<UpsertDocumentInput> = {},
): UpsertDocumentInput {
  return {
    id,
    source: `docs/${id}.md`,
    title: `Title of ${id}`,
    text: `Body of ${id}. `.repeat(8),
    metadata: { lang: 'en', tags: ['faq'] },
    contentHash: `hash-${id}`,
    sourceUpdatedAt: BASE_TIME,
    ...overrides,
  };
}

export function makeManifestEntry(
  id: string,
  chunkCount: number,
  overrides: Partial<SnapshotDocumentEntry> = {},
): SnapshotDocumentEntry {
  return {
    id,
    source: `docs/${id}.md`,
    title: `Title of ${id}`,
    contentHash: `hash-${id}`,
    sourceUpdatedAt: BASE_TIME,
    chunkCount,
    ...overrides,
  };
}

/**
 * A deterministic embedding of ordinary floats (negative, positive, tiny and large
 * magnitudes), different for every seed.
 */
export function makeEmbedding(seed: number, dimensions: number): Float32Array {
  const embedding = new Float32Array(dimensions);
  let state = (seed * 2_654_435_761 + 1) >>> 0;
  for (let index = 0; index < dimensions; index++) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const unit = state / 2 ** 32 - 0.5; // [-0.5, 0.5)
    embedding[index] = unit * 10 ** ((index % 7) - 3);
  }
  return embedding;
}

/** FNV-1a of a string: a stable per-chunk seed. */
function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++)
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return hash >>> 0;
}

export function makeChunk(
  documentId: string,
  ordinal: number,
  dimensions: number | null,
  overrides: Partial<KnowledgeChunk> = {},
): KnowledgeChunk {
  return {
    id: `${documentId}#${ordinal}`,
    documentId,
    ordinal,
    text: `Chunk ${ordinal} of ${documentId}: some words about the product.`,
    tokenCount: 12 + ordinal,
    metadata: { source: `docs/${documentId}.md`, headings: ['Guide', `Part ${ordinal}`] },
    embedding: dimensions === null ? null : makeEmbedding(seedOf(`${documentId}#${ordinal}`), dimensions),
    ...overrides,
  };
}

/** Manifest entries and their chunks for `documents` documents of `chunksEach` chunks each. */
export function makeSnapshotContent(
  prefix: string,
  documents: number,
  chunksEach: number,
  dimensions: number | null,
): { documents: SnapshotDocumentEntry[]; chunks: KnowledgeChunk[] } {
  const entries = Array.from({ length: documents }, (_, index) =>
    makeManifestEntry(`${prefix}-${String(index).padStart(5, '0')}`, chunksEach),
  );
  const chunks = entries.flatMap((entry) =>
    Array.from({ length: chunksEach }, (_, ordinal) => makeChunk(entry.id, ordinal, dimensions)),
  );
  return { documents: entries, chunks };
}

/** The bytes of an embedding, for bit-exact comparison. */
export const embeddingBytes = (embedding: Float32Array | null): Uint8Array | null =>
  embedding === null ? null : new Uint8Array(embedding.buffer, embedding.byteOffset, embedding.byteLength);
