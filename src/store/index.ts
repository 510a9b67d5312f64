/**
 * The store module's only public door: the Store contract, the two implementations and
 * `createStore`, which picks one from the configuration and brings its schema up to date.
 * Tenancy is enforced inside every store method (see README.md).
 */
import { join } from 'node:path';
import type { ConnectionLimits } from './postgres/connection.js';
import { createPostgresStore } from './postgres/postgres-store.js';
import { createSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export {
  isDataError,
  isOutOfRangeError,
  isUnavailableError,
  isUnstorableTextError,
} from './classify-error.js';
export { type ConnectionLimits, DEFAULT_CONNECTION_LIMITS } from './postgres/connection.js';
export { createPostgresStore, type PostgresStoreOptions } from './postgres/postgres-store.js';
export { createSqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store.js';
export type * from './store.js';

export interface CreateStoreOptions {
  /** `postgres://…` selects Postgres; otherwise the embedded SQLite file is used. */
  databaseUrl?: string;
  /** Directory of the SQLite file `stackops.db` (created if missing). */
  dataDir: string;
  /** Postgres only: schema holding the tables (created if missing). */
  pgSchema?: string;
  /** Postgres only: connect and query timeouts, keepalive (config `database`). */
  limits?: ConnectionLimits;
}

export const SQLITE_FILE_NAME = 'stackops.db';

/** Opens the configured store and applies pending migrations. */
export async function createStore(options: CreateStoreOptions): Promise<Store> {
  const store =
    options.databaseUrl === undefined || options.databaseUrl === ''
      ? await createSqliteStore({ file: join(options.dataDir, SQLITE_FILE_NAME) })
      : await createPostgresStore({
          connectionString: options.databaseUrl,
          schema: options.pgSchema,
          limits: options.limits,
        });
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
