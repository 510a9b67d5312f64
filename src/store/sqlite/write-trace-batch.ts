/**
 * The synchronous SQLite trace-batch write, run only inside the trace-writer worker on the
 * worker's own connection. One IMMEDIATE transaction per batch (IMMEDIATE takes the write
 * lock up front, so a concurrent writer waits on busy_timeout instead of failing mid-way).
 *
 * Merge rule for a trace id already stored in the project: start_time = min, end_time = max,
 * tokens, cost and latency add up, ttft_ms keeps the first non-null, status keeps the worst
 * (error > interrupted > ok), model/stack/stack_version/api_key_id keep the first non-null,
 * attributes are merged shallowly (new keys win). Parts already recorded in `trace_parts`
 * are skipped, and duplicate spans are ignored, so retrying a batch changes nothing.
 */
import type { SpanRecord, TraceBatch, TraceRecord } from '../../core/index.js';
import { keepExistingProjects, type PreparedBatch, prepareTraceBatch } from '../trace-batch.js';
import type { SqliteDatabase } from './connection.js';

const MERGE_JSON_FUNCTION = 'stackops_merge_json';

const UPSERT_TRACE = `
INSERT INTO traces (project_id, id, name, start_time, end_time, status, model, stack, stack_version,
  input_tokens, output_tokens, cost, latency_ms, ttft_ms, api_key_id, attributes)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (project_id, id) DO UPDATE SET
  start_time = min(traces.start_time, excluded.start_time),
  end_time = max(traces.end_time, excluded.end_time),
  status = CASE
    WHEN traces.status = 'error' OR excluded.status = 'error' THEN 'error'
    WHEN traces.status = 'interrupted' OR excluded.status = 'interrupted' THEN 'interrupted'
    ELSE 'ok' END,
  model = coalesce(traces.model, excluded.model),
  stack = coalesce(traces.stack, excluded.stack),
  stack_version = coalesce(traces.stack_version, excluded.stack_version),
  input_tokens = traces.input_tokens + excluded.input_tokens,
  output_tokens = traces.output_tokens + excluded.output_tokens,
  cost = traces.cost + excluded.cost,
  latency_ms = traces.latency_ms + excluded.latency_ms,
  ttft_ms = coalesce(traces.ttft_ms, excluded.ttft_ms),
  api_key_id = coalesce(traces.api_key_id, excluded.api_key_id),
  attributes = ${MERGE_JSON_FUNCTION}(traces.attributes, excluded.attributes)`;

const INSERT_SPAN = `
INSERT INTO spans (project_id, trace_id, span_id, parent_span_id, name, kind, start_time, end_time,
  status, status_message, attributes)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (project_id, trace_id, span_id) DO NOTHING`;

const traceValues = (trace: TraceRecord): unknown[] => [
  trace.projectId,
  trace.id,
  trace.name,
  trace.startTime,
  trace.endTime,
  trace.status,
  trace.model,
  trace.stack,
  trace.stackVersion,
  trace.inputTokens,
  trace.outputTokens,
  trace.cost,
  trace.latencyMs,
  trace.ttftMs,
  trace.apiKeyId,
  JSON.stringify(trace.attributes),
];

const spanValues = (span: SpanRecord): unknown[] => [
  span.projectId,
  span.traceId,
  span.spanId,
  span.parentSpanId,
  span.name,
  span.kind,
  span.startTime,
  span.endTime,
  span.status,
  span.statusMessage,
  JSON.stringify(span.attributes),
];

function mergeJson(existing: unknown, incoming: unknown): string {
  const parse = (value: unknown): Record<string, unknown> =>
    typeof value === 'string' ? (JSON.parse(value) as Record<string, unknown>) : {};
  return JSON.stringify({ ...parse(existing), ...parse(incoming) });
}

/** Prepares the statements once and returns the per-batch write function. */
export function createTraceBatchWriter(database: SqliteDatabase): (batch: TraceBatch) => void {
  database.function(MERGE_JSON_FUNCTION, { deterministic: true }, mergeJson);
  const projectExists = database.prepare<[string], number>('SELECT 1 FROM projects WHERE id = ?').pluck();
  const insertPart = database.prepare<[string, string, string]>(
    'INSERT INTO trace_parts (project_id, trace_id, part_key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const upsertTrace = database.prepare<unknown[]>(UPSERT_TRACE);
  const insertSpan = database.prepare<unknown[]>(INSERT_SPAN);

  const write = database.transaction((prepared: PreparedBatch) => {
    const existing = new Set(prepared.projectIds.filter((id) => projectExists.get(id) !== undefined));
    const batch = keepExistingProjects(prepared, existing);
    for (const { record, partKey } of batch.traces) {
      if (insertPart.run(record.projectId, record.id, partKey).changes === 0) continue;
      upsertTrace.run(...traceValues(record));
    }
    for (const span of batch.spans) insertSpan.run(...spanValues(span));
  });

  return (batch) => write.immediate(prepareTraceBatch(batch));
}
