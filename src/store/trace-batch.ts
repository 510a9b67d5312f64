/**
 * Prepares a TraceBatch for writing, identically for both dialects: integer columns are
 * rounded (epoch ms and token counts are stored as integers), each trace record gets a
 * `partKey` — a hash of its content — and spans are de-duplicated by id.
 *
 * Why part keys: several records may share a trace id (gateway calls joined by one incoming
 * `traceparent`) and are merged additively. Additive merging is not idempotent, so each
 * merged record is remembered in `trace_parts`; a retried batch finds its parts already there
 * and adds nothing twice. Spans are idempotent by their primary key alone.
 *
 * Why scrubbing: Postgres refuses U+0000 in text and jsonb and a lone surrogate in jsonb, and
 * a batch is one transaction, so one prompt holding either failed every retry of its batch
 * and blocked every trace behind it. Such characters become U+FFFD, on both dialects alike
 * (SQLite could store them, but a trace should read the same on either backend).
 */
import { createHash } from 'node:crypto';
import type { SpanRecord, TraceBatch, TraceRecord } from '../core/index.js';

export interface PreparedTrace {
  record: TraceRecord;
  partKey: string;
}

export interface PreparedBatch {
  traces: PreparedTrace[];
  spans: SpanRecord[];
  projectIds: string[];
}

export function tracePartKey(record: TraceRecord): string {
  return createHash('sha256').update(JSON.stringify(record)).digest('base64url').slice(0, 22);
}

const REPLACEMENT = '\ufffd';

function scrubValue(value: unknown): unknown {
  if (typeof value === 'string')
    // toWellFormed: each lone surrogate becomes U+FFFD.
    return value.replaceAll('\u0000', REPLACEMENT).toWellFormed();
  if (Array.isArray(value)) return value.map(scrubValue);
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[scrubValue(key) as string] = scrubValue(item);
    return copy;
  }
  return value;
}

/**
 * Returns the record with U+0000 and lone surrogates replaced by U+FFFD (a copy; the same
 * object when there are none). JSON.stringify writes both as `\u` escapes, so only a record
 * whose JSON holds an escape (rare) is walked.
 */
export function scrubUnstorable<T extends object>(record: T): T {
  return JSON.stringify(record).includes('\\u') ? (scrubValue(record) as T) : record;
}

export function prepareTraceBatch(batch: TraceBatch): PreparedBatch {
  const traces = new Map<string, PreparedTrace>();
  for (const unscrubbed of batch.traces) {
    const raw = scrubUnstorable(unscrubbed);
    const record: TraceRecord = {
      ...raw,
      startTime: Math.round(raw.startTime),
      endTime: Math.round(raw.endTime),
      stackVersion: raw.stackVersion === null ? null : Math.round(raw.stackVersion),
      inputTokens: Math.round(raw.inputTokens),
      outputTokens: Math.round(raw.outputTokens),
    };
    const partKey = tracePartKey(record);
    // The same record twice in one batch is one part, as it would be across a retry.
    traces.set(`${record.projectId}\u0000${record.id}\u0000${partKey}`, { record, partKey });
  }
  const spans = new Map<string, SpanRecord>();
  for (const unscrubbed of batch.spans) {
    const raw = scrubUnstorable(unscrubbed);
    const key = `${raw.projectId}\u0000${raw.traceId}\u0000${raw.spanId}`;
    if (spans.has(key)) continue;
    spans.set(key, { ...raw, startTime: Math.round(raw.startTime), endTime: Math.round(raw.endTime) });
  }
  const projectIds = new Set<string>();
  for (const trace of traces.values()) projectIds.add(trace.record.projectId);
  for (const span of spans.values()) projectIds.add(span.projectId);
  return { traces: [...traces.values()], spans: [...spans.values()], projectIds: [...projectIds].sort() };
}

/**
 * Splits trace records into rounds in which each (project, id) occurs at most once, keeping
 * batch order. Postgres refuses an `ON CONFLICT DO UPDATE` that touches one row twice in the
 * same statement, so each round is its own statement; nearly every batch is a single round.
 */
export function splitIntoRounds(traces: PreparedTrace[]): PreparedTrace[][] {
  const rounds: PreparedTrace[][] = [];
  const seen = new Map<string, number>();
  for (const trace of traces) {
    const key = `${trace.record.projectId}\u0000${trace.record.id}`;
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    const members = rounds[round] ?? [];
    members.push(trace);
    rounds[round] = members;
  }
  return rounds;
}

/** Whether a record belongs to a project that still exists; rows of deleted projects are dropped. */
export function keepExistingProjects(batch: PreparedBatch, existing: ReadonlySet<string>): PreparedBatch {
  if (batch.projectIds.every((id) => existing.has(id))) return batch;
  return {
    traces: batch.traces.filter((trace) => existing.has(trace.record.projectId)),
    spans: batch.spans.filter((span) => existing.has(span.projectId)),
    projectIds: batch.projectIds.filter((id) => existing.has(id)),
  };
}
