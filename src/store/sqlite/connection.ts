/**
 * Opens a better-sqlite3 connection with the settings every StackOps connection needs, on the
 * main thread and in the trace-writer worker alike: WAL (readers never wait for the writer),
 * foreign keys on (cascading project deletes), a busy timeout (the main connection and the
 * worker take turns writing) and synchronous=NORMAL (durable at checkpoints, safe in WAL).
 */
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

export function openDatabase(file: string, busyTimeoutMs: number = DEFAULT_BUSY_TIMEOUT_MS): SqliteDatabase {
  const database = new Database(file);
  try {
    database.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
  } catch (error) {
    database.close();
    throw error;
  }
  return database;
}

export type Prepare = <Params extends unknown[] = unknown[], Row = unknown>(
  sql: string,
) => Database.Statement<Params, Row>;

/**
 * Prepares each distinct SQL text once per connection. Statements are prepared lazily, on
 * first use, because the tables only exist after `migrate()`.
 */
export function createStatementCache(database: SqliteDatabase): Prepare {
  const cache = new Map<string, Database.Statement<unknown[], unknown>>();
  return <Params extends unknown[] = unknown[], Row = unknown>(sql: string) => {
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = database.prepare<unknown[], unknown>(sql);
      cache.set(sql, statement);
    }
    return statement as unknown as Database.Statement<Params, Row>;
  };
}
