/**
 * The newest-first keyset listings (traces, audit), built once for both dialects: the SQL is
 * identical except for the placeholder style (`?` vs `$n`). Each query fetches `limit + 1`
 * rows; the extra row only tells whether another page exists.
 */
import type { Page, TraceFilter } from '../core/index.js';
import { checkLimit, decodeCursor, encodeCursor } from './cursor.js';
import { AUDIT_COLUMNS, TRACE_COLUMNS } from './rows.js';

/** Renders the n-th (1-based) bind placeholder of a dialect. */
export type Placeholder = (position: number) => string;

export const sqlitePlaceholder: Placeholder = () => '?';
export const postgresPlaceholder: Placeholder = (position) => `$${position}`;

export interface ListQuery {
  sql: string;
  params: unknown[];
  limit: number;
}

class QueryBuilder {
  readonly conditions: string[] = [];
  readonly params: unknown[] = [];
  constructor(private readonly placeholder: Placeholder) {}

  bind(value: unknown): string {
    this.params.push(value);
    return this.placeholder(this.params.length);
  }

  where(condition: (bind: (value: unknown) => string) => string): void {
    this.conditions.push(condition((value) => this.bind(value)));
  }
}

export function traceListQuery(projectId: string, filter: TraceFilter, placeholder: Placeholder): ListQuery {
  const limit = checkLimit(filter.limit);
  const query = new QueryBuilder(placeholder);
  query.where((bind) => `project_id = ${bind(projectId)}`);
  if (filter.from !== undefined) query.where((bind) => `start_time >= ${bind(filter.from)}`);
  if (filter.to !== undefined) query.where((bind) => `start_time <= ${bind(filter.to)}`);
  if (filter.model !== undefined) query.where((bind) => `model = ${bind(filter.model)}`);
  if (filter.status !== undefined) query.where((bind) => `status = ${bind(filter.status)}`);
  if (filter.stack !== undefined) query.where((bind) => `stack = ${bind(filter.stack)}`);
  if (filter.stackVersion !== undefined)
    query.where((bind) => `stack_version = ${bind(filter.stackVersion)}`);
  if (filter.cursor !== undefined) {
    const after = decodeCursor(filter.cursor);
    query.where((bind) => `(start_time, id) < (${bind(after.time)}, ${bind(after.id)})`);
  }
  const sql =
    `SELECT ${TRACE_COLUMNS} FROM traces WHERE ${query.conditions.join(' AND ')} ` +
    `ORDER BY start_time DESC, id DESC LIMIT ${query.bind(limit + 1)}`;
  return { sql, params: query.params, limit };
}

export function auditListQuery(
  projectId: string,
  options: { limit: number; cursor?: string },
  placeholder: Placeholder,
): ListQuery {
  const limit = checkLimit(options.limit);
  const query = new QueryBuilder(placeholder);
  query.where((bind) => `project_id = ${bind(projectId)}`);
  if (options.cursor !== undefined) {
    const after = decodeCursor(options.cursor);
    query.where((bind) => `(created_at, id) < (${bind(after.time)}, ${bind(after.id)})`);
  }
  const sql =
    `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE ${query.conditions.join(' AND ')} ` +
    `ORDER BY created_at DESC, id DESC LIMIT ${query.bind(limit + 1)}`;
  return { sql, params: query.params, limit };
}

/** Cuts the `limit + 1` rows to a page and derives the cursor from its last record. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  map: (row: Row) => Item,
  position: (item: Item) => { time: number; id: string },
): Page<Item> {
  const data = rows.slice(0, limit).map(map);
  const last = data.at(-1);
  const nextCursor = rows.length > limit && last !== undefined ? encodeCursor(position(last)) : null;
  return { data, nextCursor };
}
