/**
 * Postgres TraceStore. A batch is one transaction of a few array-parameter statements
 * (`unnest`), so its size never meets the 65,535 bind-parameter limit: record the new trace
 * parts, upsert traces (merging into an existing trace id with the rule in
 * ../sqlite/write-trace-batch.ts), insert spans ignoring duplicates. Rows are written in key
 * order so concurrent batches lock rows in the same order; a deadlock still retries.
 */
import type { SpanRecord, TraceRecord } from '../../core/index.js';
import { postgresPlaceholder, toPage, traceListQuery } from '../list-queries.js';
import { SPAN_COLUMNS, type SpanRow, TRACE_COLUMNS, type TraceRow, toSpan, toTrace } from '../rows.js';
import type { TraceStore } from '../store.js';
import {
  keepExistingProjects,
  type PreparedBatch,
  type PreparedTrace,
  prepareTraceBatch,
  splitIntoRounds,
} from '../trace-batch.js';
import { checkRetentionArguments } from '../trace-retention.js';
import { type Pool, type PoolClient, withRetriedTransaction } from './connection.js';

const INSERT_PARTS = `
INSERT INTO trace_parts (project_id, trace_id, part_key)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
ON CONFLICT DO NOTHING
RETURNING project_id, trace_id, part_key`;

const UPSERT_TRACES = `
INSERT INTO traces AS stored (project_id, id, name, start_time, end_time, status, model, stack, stack_version,
  input_tokens, output_tokens, cost, latency_ms, ttft_ms, api_key_id, attributes)
SELECT project_id, id, name, start_time, end_time, status, model, stack, stack_version,
  input_tokens, output_tokens, cost, latency_ms, ttft_ms, api_key_id, attributes::jsonb
FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::text[],
  $9::integer[], $10::bigint[], $11::bigint[], $12::float8[], $13::float8[], $14::float8[], $15::text[], $16::text[])
  AS incoming (project_id, id, name, start_time, end_time, status, model, stack, stack_version,
    input_tokens, output_tokens, cost, latency_ms, ttft_ms, api_key_id, attributes)
ON CONFLICT (project_id, id) DO UPDATE SET
  start_time = least(stored.start_time, excluded.start_time),
  end_time = greatest(stored.end_time, excluded.end_time),
  status = CASE
    WHEN stored.status = 'error' OR excluded.status = 'error' THEN 'error'
    WHEN stored.status = 'interrupted' OR excluded.status = 'interrupted' THEN 'interrupted'
    ELSE 'ok' END,
  model = coalesce(stored.model, excluded.model),
  stack = coalesce(stored.stack, excluded.stack),
  stack_version = coalesce(stored.stack_version, excluded.stack_version),
  input_tokens = stored.input_tokens + excluded.input_tokens,
  output_tokens = stored.output_tokens + excluded.output_tokens,
  cost = stored.cost + excluded.cost,
  latency_ms = stored.latency_ms + excluded.latency_ms,
  ttft_ms = coalesce(stored.ttft_ms, excluded.ttft_ms),
  api_key_id = coalesce(stored.api_key_id, excluded.api_key_id),
  attributes = stored.attributes || excluded.attributes`;

const INSERT_SPANS = `
INSERT INTO spans (project_id, trace_id, span_id, parent_span_id, name, kind, start_time, end_time,
  status, status_message, attributes)
SELECT project_id, trace_id, span_id, parent_span_id, name, kind, start_time, end_time,
  status, status_message, attributes::jsonb
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[],
  $9::text[], $10::text[], $11::text[])
  AS incoming (project_id, trace_id, span_id, parent_span_id, name, kind, start_time, end_time,
    status, status_message, attributes)
ON CONFLICT (project_id, trace_id, span_id) DO NOTHING`;

/**
 * Retention, one statement: the project's oldest traces before the cutoff (the
 * project/start-time index, read backwards), their spans and parts, then the traces. SKIP
 * LOCKED: replicas sweeping at once take disjoint rows instead of queueing on each other, and
 * a trace a writer is merging into right now is left for the next sweep.
 */
const DELETE_OLD_TRACES = `
WITH doomed AS (
  SELECT project_id, id FROM traces WHERE project_id = $1 AND start_time < $2
  ORDER BY start_time, id LIMIT $3 FOR UPDATE SKIP LOCKED
), dropped_spans AS (
  DELETE FROM spans USING doomed WHERE spans.project_id = doomed.project_id AND spans.trace_id = doomed.id
), dropped_parts AS (
  DELETE FROM trace_parts USING doomed
  WHERE trace_parts.project_id = doomed.project_id AND trace_parts.trace_id = doomed.id
)
DELETE FROM traces USING doomed WHERE traces.project_id = doomed.project_id AND traces.id = doomed.id`;

const compareText = (left: string, right: string): number => (left < right ? -1 : left > right ? 1 : 0);
const byTraceKey = (left: PreparedTrace, right: PreparedTrace): number =>
  compareText(left.record.projectId, right.record.projectId) || compareText(left.record.id, right.record.id);
const bySpanKey = (left: SpanRecord, right: SpanRecord): number =>
  compareText(left.projectId, right.projectId) ||
  compareText(left.traceId, right.traceId) ||
  compareText(left.spanId, right.spanId);

/** Column-wise arrays for `unnest`: one array per column, in `columns` order. */
function columns<T>(rows: readonly T[], pick: ReadonlyArray<(row: T) => unknown>): unknown[][] {
  return pick.map((column) => rows.map(column));
}

const TRACE_FIELDS: ReadonlyArray<(trace: TraceRecord) => unknown> = [
  (trace) => trace.projectId,
  (trace) => trace.id,
  (trace) => trace.name,
  (trace) => trace.startTime,
  (trace) => trace.endTime,
  (trace) => trace.status,
  (trace) => trace.model,
  (trace) => trace.stack,
  (trace) => trace.stackVersion,
  (trace) => trace.inputTokens,
  (trace) => trace.outputTokens,
  (trace) => trace.cost,
  (trace) => trace.latencyMs,
  (trace) => trace.ttftMs,
  (trace) => trace.apiKeyId,
  (trace) => JSON.stringify(trace.attributes),
];

const SPAN_FIELDS: ReadonlyArray<(span: SpanRecord) => unknown> = [
  (span) => span.projectId,
  (span) => span.traceId,
  (span) => span.spanId,
  (span) => span.parentSpanId,
  (span) => span.name,
  (span) => span.kind,
  (span) => span.startTime,
  (span) => span.endTime,
  (span) => span.status,
  (span) => span.statusMessage,
  (span) => JSON.stringify(span.attributes),
];

async function writePrepared(client: PoolClient, prepared: PreparedBatch): Promise<void> {
  // FOR KEY SHARE: a concurrent project delete waits for this batch instead of racing it.
  const found = await client.query<{ id: string }>(
    'SELECT id FROM projects WHERE id = ANY($1::text[]) ORDER BY id FOR KEY SHARE',
    [prepared.projectIds],
  );
  const batch = keepExistingProjects(prepared, new Set(found.rows.map((row) => row.id)));

  if (batch.traces.length > 0) {
    const parts = [...batch.traces].sort(byTraceKey);
    const inserted = await client.query<{ project_id: string; trace_id: string; part_key: string }>(
      INSERT_PARTS,
      [
        parts.map((part) => part.record.projectId),
        parts.map((part) => part.record.id),
        parts.map((part) => part.partKey),
      ],
    );
    const fresh = new Set(
      inserted.rows.map((row) => `${row.project_id}\u0000${row.trace_id}\u0000${row.part_key}`),
    );
    const toMerge = batch.traces.filter((trace) =>
      fresh.has(`${trace.record.projectId}\u0000${trace.record.id}\u0000${trace.partKey}`),
    );
    for (const round of splitIntoRounds(toMerge)) {
      const records = round.sort(byTraceKey).map((trace) => trace.record);
      await client.query(UPSERT_TRACES, columns(records, TRACE_FIELDS));
    }
  }
  if (batch.spans.length > 0) {
    await client.query(INSERT_SPANS, columns([...batch.spans].sort(bySpanKey), SPAN_FIELDS));
  }
}

/** The TraceStore plus `drain()`, which the store's close() awaits before ending the pool. */
export interface PostgresTraceStore extends TraceStore {
  drain(): Promise<void>;
}

export function createPostgresTraceStore(pool: Pool): PostgresTraceStore {
  const inFlight = new Set<Promise<void>>();
  return {
    async writeBatch(batch) {
      if (batch.traces.length === 0 && batch.spans.length === 0) return;
      const prepared = prepareTraceBatch(batch);
      const write = withRetriedTransaction(pool, (client) => writePrepared(client, prepared));
      const settled = write.then(
        () => undefined,
        () => undefined,
      );
      inFlight.add(settled);
      try {
        await write;
      } finally {
        inFlight.delete(settled);
      }
    },
    async drain() {
      await Promise.all(inFlight);
    },
    async deleteOlderThan(projectId, before, limit) {
      checkRetentionArguments(before, limit);
      // A deadlock with a batch writing the same trace's parts is retried like a batch's own.
      return withRetriedTransaction(pool, async (client) => {
        const result = await client.query(DELETE_OLD_TRACES, [projectId, Math.floor(before), limit]);
        return result.rowCount ?? 0;
      });
    },
    async list(projectId, filter) {
      const query = traceListQuery(projectId, filter, postgresPlaceholder);
      const result = await pool.query<TraceRow>(query.sql, query.params);
      return toPage(result.rows, query.limit, toTrace, (trace) => ({ time: trace.startTime, id: trace.id }));
    },
    async get(projectId, traceId) {
      const trace = await pool.query<TraceRow>(
        `SELECT ${TRACE_COLUMNS} FROM traces WHERE project_id = $1 AND id = $2`,
        [projectId, traceId],
      );
      const row = trace.rows[0];
      if (row === undefined) return null;
      const spans = await pool.query<SpanRow>(
        `SELECT ${SPAN_COLUMNS} FROM spans WHERE project_id = $1 AND trace_id = $2 ORDER BY start_time, span_id`,
        [projectId, traceId],
      );
      return { trace: toTrace(row), spans: spans.rows.map(toSpan) };
    },
  };
}
