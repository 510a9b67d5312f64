/**
 * The context-stage verdict cache of the gateway (stages/guard-output.ts): a chunk retrieved
 * again is not scanned again under the same policy, and policies with a remote scanner at the
 * context stage are never cached.
 */
import { describe, expect, it } from 'vitest';
import type { RequestContext } from '../../src/gateway/context.js';
import {
  CONTEXT_CACHE_CHARS,
  contextCache,
  guardContextScanner,
} from '../../src/gateway/stages/guard-output.js';
import { guardToolResults } from '../../src/gateway/stages/guard-tool-results.js';
import type { RetrievedChunk } from '../../src/gateway/stages/retrieve.js';
import type { CompiledPolicy } from '../../src/guard/index.js';
import type { Scanner } from '../../src/guard/scanner.js';

function countingPolicy(scannerKind: string): { policy: CompiledPolicy; calls: () => number } {
  let calls = 0;
  const scanner: Scanner = {
    name: scannerKind,
    stages: ['context'],
    scan: (text) => {
      calls++;
      const hit = text.includes('INJECT');
      return {
        scanner: scannerKind,
        score: hit ? 0.9 : 0,
        findings: hit
          ? [{ scanner: scannerKind, type: 'injection', score: 0.9, start: 0, end: 6, value: '' }]
          : [],
      };
    },
  };
  const policy: CompiledPolicy = {
    name: 'p',
    version: 1,
    holdBackChars: 0,
    stages: {
      input: [],
      output: [],
      context: [
        { rule: { scanner: scannerKind, stage: 'context', action: 'drop', threshold: 0.5 }, scanner },
      ],
    },
  } as unknown as CompiledPolicy;
  return { policy, calls: () => calls };
}

const chunk = (chunkId: string, text: string): RetrievedChunk => ({
  chunkId,
  documentId: 'd',
  text,
  score: 1,
  tokenCount: 3,
  metadata: {},
});

function requestContext(policy: CompiledPolicy): RequestContext {
  return {
    stack: { guard: policy },
    spans: [],
    attributes: {},
    traceId: 't',
    rootSpanId: 'r',
    signal: new AbortController().signal,
  } as unknown as RequestContext;
}

describe('context guard cache', () => {
  it('scans each chunk text once per policy, with the same outcome each time', async () => {
    const { policy, calls } = countingPolicy('injection');
    const chunks = [chunk('a', 'plain text'), chunk('b', 'other text')];
    for (let round = 0; round < 3; round++) {
      const result = await guardContextScanner(chunks, requestContext(policy));
      expect(result.chunks.map((kept) => kept.chunkId)).toEqual(['a', 'b']);
    }
    expect(calls()).toBe(2);
    // Another policy object (a new version) scans again.
    const next = countingPolicy('injection');
    await guardContextScanner(chunks, requestContext(next.policy));
    expect(next.calls()).toBe(2);
  });

  it('drops an injected chunk every time, and marks the spans of cached verdicts', async () => {
    const { policy, calls } = countingPolicy('injection');
    const chunks = [chunk('a', 'plain text'), chunk('bad', 'INJECT this')];
    const first = requestContext(policy);
    const second = requestContext(policy);
    expect((await guardContextScanner(chunks, first)).chunks.map((kept) => kept.chunkId)).toEqual(['a']);
    const again = await guardContextScanner(chunks, second);
    expect(again.chunks.map((kept) => kept.chunkId)).toEqual(['a']);
    expect(again.dropped.map((entry) => entry.chunkId)).toEqual(['bad']);
    expect(again.flagged).toEqual([]);
    expect(calls()).toBe(2);
    const span = (context: RequestContext) => context.spans[0]!.attributes;
    expect(span(first)['stackops.guard.cached']).toBeUndefined();
    expect(span(second)['stackops.guard.cached']).toBe(true);
    expect(span(second)['stackops.guard.chunk_id']).toBe('bad');
  });

  it('never caches a remote scanner', async () => {
    const { policy, calls } = countingPolicy('remote');
    const chunks = [chunk('a', 'plain text')];
    await guardContextScanner(chunks, requestContext(policy));
    await guardContextScanner(chunks, requestContext(policy));
    expect(calls()).toBe(2);
  });

  it("holds a bounded number of characters, however long and many the distinct texts (tool results are the caller's)", async () => {
    const { policy } = countingPolicy('injection');
    // A client key can send distinct tool results of up to the body limit, request after request.
    const long = (index: number) => `${index} `.padEnd(200_000, 'x');
    for (let index = 0; index < 120; index++) {
      const body = {
        model: 'm',
        messages: [
          { role: 'user' as const, content: 'go' },
          { role: 'tool' as const, tool_call_id: `c${index}`, content: long(index) },
        ],
      };
      await guardToolResults(requestContext(policy), body);
    }
    await guardContextScanner([chunk('big', long(-1))], requestContext(policy));
    let characters = 0;
    for (const text of contextCache(policy)!.keys()) characters += text.length;
    expect(characters).toBeLessThanOrEqual(CONTEXT_CACHE_CHARS);
    // The newest texts are still there: the cache still does its work.
    expect(contextCache(policy)!.has(long(-1))).toBe(true);
    expect(contextCache(policy)!.has(long(119))).toBe(true);
  });
});
