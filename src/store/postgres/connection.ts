/**
 * Postgres pool setup, schema bootstrap, transactions and migrations. Each store owns a pool
 * whose connections all use one schema (search_path), so a test or a tenant deployment can
 * own a fresh schema. Migrations and schema creation run under a transaction-scoped advisory
 * lock keyed by the schema name: replicas starting together apply them exactly once.
 */
import pg from 'pg';
import { AppError } from '../../core/index.js';
import { isUnavailableError } from '../classify-error.js';
import type { Migration } from '../migration.js';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new AppError('invalid_config', `invalid Postgres schema name "${schema}" (use [a-z_][a-z0-9_]*)`);
  }
  return schema;
}

/** Connection limits; defaults in core's `databaseSchema` (config key `database`). */
export interface ConnectionLimits {
  connectTimeoutMs: number;
  queryTimeoutMs: number;
  keepAliveInitialDelayMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  connectTimeoutMs: 10_000,
  queryTimeoutMs: 30_000,
  keepAliveInitialDelayMs: 10_000,
};

/**
 * How much later than Postgres' own statement_timeout the client gives up on a query. The
 * server's cancel leaves the connection usable; the client's timeout is for when no answer can
 * come at all (a partition) and costs the connection, so it must not win the race.
 */
const CLIENT_TIMEOUT_GRACE_MS = 1_000;

/** The longest timer Node accepts (larger values fire at once); read: no client-side limit. */
export const NO_QUERY_TIMEOUT_MS = 2_147_483_647;

export function createPool(options: {
  connectionString: string;
  schema: string | undefined;
  max: number;
  limits?: ConnectionLimits;
}): Pool {
  const limits = options.limits ?? DEFAULT_CONNECTION_LIMITS;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max,
    // Fail instead of hanging forever when the server is unreachable.
    connectionTimeoutMillis: limits.connectTimeoutMs,
    // A partition sends no RST: without keepalive a connection waits for an answer until the
    // kernel's retransmissions give up (~15 minutes), holding its request and pool slot.
    keepAlive: true,
    keepAliveInitialDelayMillis: limits.keepAliveInitialDelayMs,
    // Postgres cancels a query past this (SQLSTATE 57014, also while waiting for a lock) ...
    statement_timeout: limits.queryTimeoutMs,
    // ... and the client stops waiting shortly after, when the server cannot even say so.
    query_timeout: Math.min(limits.queryTimeoutMs + CLIENT_TIMEOUT_GRACE_MS, NO_QUERY_TIMEOUT_MS),
    // A replica cut off between two statements of a transaction leaves its session idle in
    // that transaction, holding its locks (a stack's deployment lock, trace rows being merged)
    // until the server's own keepalive notices — two hours by default — while every other
    // replica waits on them. No transaction of ours sits idle that long on purpose.
    idle_in_transaction_session_timeout: limits.queryTimeoutMs,
    // Sent in the startup packet, so the search_path is set before any query on every connection.
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  // An idle client that loses its connection emits 'error' on the pool; without a listener
  // that would crash the process. The pool already discards the client; the next query reconnects.
  pool.on('error', () => {});
  // A client's connection can also die while the client is checked out (between a
  // transaction's queries, or after a failed query's first error event); its 'error' event
  // then has no listener, which is an uncaught exception: the process exited on a Postgres
  // restart. The query in flight fails on its own, and pg-pool discards the broken client.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A checked-out client whose connection dies between two queries (a Postgres restart, a
  // terminated backend) emits 'error'; with no listener that is an uncaught exception and the
  // process exits. Listened to, the transaction's next query fails and the client is discarded.
  let broken: Error | undefined;
  const onError = (error: Error): void => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A query that lost its connection, or hit the client-side timeout (which leaves the query
    // running), leaves the client in an unknown state: a ROLLBACK would queue behind it.
    // Destroying the client ends the session, which rolls the transaction back server-side.
    // Postgres' own statement_timeout (57014) cancelled the query and the session is sound:
    // rolled back as usual, it stays in the pool (reconnecting would add load to a slow database).
    const cancelledByServer = (error as { code?: unknown }).code === '57014';
    if (broken === undefined && isUnavailableError(error) && !cancelledByServer) broken = error as Error;
    if (broken === undefined) await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}

const RETRYABLE_SQLSTATES = new Set(['40P01', '40001']); // deadlock_detected, serialization_failure

/** Runs a transaction, retrying it a few times when Postgres aborted it for a deadlock. */
export async function withRetriedTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
  attempts = 3,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTransaction(pool, work);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= attempts || typeof code !== 'string' || !RETRYABLE_SQLSTATES.has(code)) throw error;
    }
  }
}

/** Per-query override of the pool's client-side query timeout. */
const UNLIMITED = { query_timeout: NO_QUERY_TIMEOUT_MS } as const;

/**
 * Migrations (an index build on a large table) and the wait for another replica's migration
 * may rightly take longer than any API query: the transaction lifts the statement timeout.
 */
async function exemptFromQueryTimeout(client: PoolClient): Promise<void> {
  await client.query('SET LOCAL statement_timeout = 0');
}

const lockKey = (schema: string | undefined): string => `stackops:migrate:${schema ?? 'default'}`;

/** Creates the schema if missing; fails with a clear message when Postgres is unreachable. */
export async function ensureSchema(pool: Pool, schema: string | undefined): Promise<void> {
  try {
    await withTransaction(pool, async (client) => {
      if (schema === undefined) return;
      await exemptFromQueryTimeout(client);
      await client.query({
        text: 'SELECT pg_advisory_xact_lock(hashtext($1))',
        values: [lockKey(schema)],
        ...UNLIMITED,
      });
      await client.query({ text: `CREATE SCHEMA IF NOT EXISTS ${schema}`, ...UNLIMITED });
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new AppError('internal', `cannot prepare Postgres store: ${message}`, { cause: error });
  }
}

export async function applyMigrations(
  pool: Pool,
  schema: string | undefined,
  migrations: readonly Migration[],
): Promise<void> {
  await withTransaction(pool, async (client) => {
    await exemptFromQueryTimeout(client);
    await client.query({
      text: 'SELECT pg_advisory_xact_lock(hashtext($1))',
      values: [lockKey(schema)],
      ...UNLIMITED,
    });
    await client.query(
      'CREATE TABLE IF NOT EXISTS migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)',
    );
    const applied = await client.query<{ version: number }>('SELECT version FROM migrations');
    const done = new Set(applied.rows.map((row) => row.version));
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await client.query({ text: migration.sql, ...UNLIMITED });
      await client.query('INSERT INTO migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        Date.now(),
      ]);
    }
  });
}
