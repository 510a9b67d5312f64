/**
 * The synchronous SQLite retention delete, run inside the trace-writer worker (like batch
 * writes) so a sweep never stalls the main thread's event loop. One IMMEDIATE transaction per
 * call: the oldest traces of one project before the cutoff, found through the
 * (project_id, start_time, id) index, then their spans and parts by primary key, then them.
 */
import type { SqliteDatabase } from './connection.js';

export function createOldTraceDeleter(
  database: SqliteDatabase,
): (projectId: string, before: number, limit: number) => number {
  const select = database.prepare<[string, number, number], { id: string }>(
    'SELECT id FROM traces WHERE project_id = ? AND start_time < ? ORDER BY start_time, id LIMIT ?',
  );
  const deleteSpans = database.prepare('DELETE FROM spans WHERE project_id = ? AND trace_id = ?');
  const deleteParts = database.prepare('DELETE FROM trace_parts WHERE project_id = ? AND trace_id = ?');
  const deleteTrace = database.prepare('DELETE FROM traces WHERE project_id = ? AND id = ?');
  const run = database.transaction((projectId: string, before: number, limit: number): number => {
    const ids = select.all(projectId, before, limit);
    for (const { id } of ids) {
      deleteSpans.run(projectId, id);
      deleteParts.run(projectId, id);
      deleteTrace.run(projectId, id);
    }
    return ids.length;
  });
  return (projectId, before, limit) => run.immediate(projectId, before, limit);
}
