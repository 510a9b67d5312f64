/**
 * Builders shared by the store contract suite: complete trace and span records with
 * overridable fields, unique names, and the expected newest-first order of traces.
 */
import { randomUUID } from 'node:crypto';
import { newSpanId, newTraceId, type SpanRecord, type TraceRecord } from '../../src/core/index.js';
import type { Store } from '../../src/store/index.js';

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
