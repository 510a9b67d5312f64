/**
 * Policy replay over recorded traces, on an in-memory trace store: a request that retrieved
 * context is replayed without its recorded system prompt (which holds the retrieved chunks the
 * answer is meant to quote), so quoting a source is not counted as a system-prompt leak.
 */
import { describe, expect, it } from 'vitest';
import type { SpanRecord, TraceRecord } from '../../src/core/index.js';
import { compilePolicy } from '../../src/guard/policy/compile-policy.js';
import { ScannerRegistry } from '../../src/guard/policy/scanner-registry.js';
import { ATTR } from '../../src/observe/index.js';
import { replayGuardPolicy } from '../../src/server/guard-replay.js';
import type { Store } from '../../src/store/index.js';

const SOURCE =
  'Rolling back a stack points the environment at an earlier immutable version; the knowledge snapshot it pins comes back with it.';

function trace(id: string, withRetrieval: boolean): { trace: TraceRecord; spans: SpanRecord[] } {
  const span = (kind: SpanRecord['kind'], attributes: Record<string, unknown>): SpanRecord => ({
    traceId: id,
    spanId: `${id}-${kind}`,
    parentSpanId: null,
    projectId: 'p',
    name: kind,
    kind,
    startTime: 0,
    endTime: 0,
    status: 'ok',
    statusMessage: null,
    attributes,
  });
  const spans = [
    ...(withRetrieval ? [span('retrieval', { 'stackops.retrieval.query': 'roll back' })] : []),
    span('generation', {
      [ATTR.inputMessages]: [
        { role: 'system', content: `You answer from the context.\n\nContext:\n${SOURCE}` },
        { role: 'user', content: 'How do I roll back a stack?' },
      ],
      [ATTR.outputMessages]: [{ role: 'assistant', content: SOURCE }],
    }),
  ];
  return { trace: { id } as TraceRecord, spans };
}

function storeOf(records: Array<{ trace: TraceRecord; spans: SpanRecord[] }>): Store {
  return {
    traces: {
      list: async () => ({ data: records.map((record) => record.trace), nextCursor: null }),
      get: async (_project: string, id: string) => records.find((record) => record.trace.id === id) ?? null,
    },
  } as unknown as Store;
}

describe('guard replay and retrieved context', () => {
  const policy = compilePolicy(
    {
      policyName: 'rag-guard',
      version: 1,
      rules: [{ scanner: 'leak', stage: 'output', action: 'block', threshold: 0.5 }],
      settings: { hold_back_chars: 64 },
    },
    new ScannerRegistry(),
  );

  it('does not count an answer that quotes its retrieved source as a leak', async () => {
    const report = await replayGuardPolicy(storeOf([trace('rag', true)]), 'p', policy, { limit: 10 });
    expect(report).toMatchObject({
      traces: 1,
      withoutSystemPrompt: 1,
      output: { evaluated: 1, allow: 1, block: 0 },
    });
  });

  it('still checks answers of requests without retrieval against their system prompt', async () => {
    const report = await replayGuardPolicy(storeOf([trace('plain', false)]), 'p', policy, { limit: 10 });
    expect(report).toMatchObject({ traces: 1, withoutSystemPrompt: 0, output: { evaluated: 1, block: 1 } });
  });
});
