/**
 * SQLite TraceStore: writes and retention deletes go to the trace-writer worker, reads run on
 * the main connection (WAL snapshot reads never wait for the worker's write transaction).
 */
import { sqlitePlaceholder, toPage, traceListQuery } from '../list-queries.js';
import { SPAN_COLUMNS, type SpanRow, TRACE_COLUMNS, type TraceRow, toSpan, toTrace } from '../rows.js';
import type { TraceStore } from '../store.js';
import { checkRetentionArguments } from '../trace-retention.js';
import type { Prepare, SqliteDatabase } from './connection.js';
import type { TraceWriter } from './trace-writer.js';

export function createSqliteTraceStore(
  database: SqliteDatabase,
  prepare: Prepare,
  writer: TraceWriter,
): TraceStore {
  return {
    async writeBatch(batch) {
      if (batch.traces.length === 0 && batch.spans.length === 0) return;
      await writer.write(batch);
    },
    async deleteOlderThan(projectId, before, limit) {
      checkRetentionArguments(before, limit);
      return writer.deleteOld(projectId, before, limit);
    },
    async list(projectId, filter) {
      const query = traceListQuery(projectId, filter, sqlitePlaceholder);
      const rows = prepare<unknown[], TraceRow>(query.sql).all(...query.params);
      return toPage(rows, query.limit, toTrace, (trace) => ({ time: trace.startTime, id: trace.id }));
    },
    async get(projectId, traceId) {
      // One read transaction, so the trace and its spans come from the same snapshot.
      return database.transaction(() => {
        const row = prepare<[string, string], TraceRow>(
          `SELECT ${TRACE_COLUMNS} FROM traces WHERE project_id = ? AND id = ?`,
        ).get(projectId, traceId);
        if (row === undefined) return null;
        const spans = prepare<[string, string], SpanRow>(
          `SELECT ${SPAN_COLUMNS} FROM spans WHERE project_id = ? AND trace_id = ? ORDER BY start_time, span_id`,
        ).all(projectId, traceId);
        return { trace: toTrace(row), spans: spans.map(toSpan) };
      })();
    },
  };
}
