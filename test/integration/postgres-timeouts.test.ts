/**
 * Postgres that stops answering: a query stuck behind another session's lock, and a network
 * partition (a TCP proxy that stops forwarding). Both must end in the configured
 * `database.query_timeout_ms` as a 503 overloaded with retry-after — not a request hanging
 * until the kernel gives up on the socket — and buffered traces must stay buffered and be
 * written once Postgres answers again. No test asserts a duration: without the limits these
 * calls never settle and the test's own timeout fails it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyMigrations,
  createPool,
  DEFAULT_CONNECTION_LIMITS,
  ensureSchema,
} from '../../src/store/postgres/connection.js';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { eventually, type Harness, startHarness, TEST_DATABASE_URL } from '../helpers/harness.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const config = {
  database: { query_timeout_ms: 300 },
  // Only explicit flushes: the test decides when traces are written.
  tracing: { flush_interval_ms: 3_600_000 },
};

function traceRecord(projectId: string) {
  const now = Date.now();
  return {
    id: randomBytes(16).toString('hex'),
    projectId,
    name: 'chat',
    startTime: now,
    endTime: now + 1,
    status: 'ok' as const,
    model: 'local-extractive',
    stack: null,
    stackVersion: null,
    inputTokens: 1,
    outputTokens: 1,
    cost: 0,
    latencyMs: 1,
    ttftMs: null,
    apiKeyId: null,
    attributes: {},
  };
}

describe('a query stuck behind a lock', () => {
  let harness: Harness;
  let locker: pg.Client;
  beforeAll(async () => {
    harness = await startHarness(config, { backend: 'postgres' });
    locker = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await locker.connect();
  });
  afterAll(async () => {
    await locker?.end();
    await harness?.close();
  });

  it('answers 503 overloaded with retry-after once the query timeout passes, then serves again', async () => {
    expect((await harness.api('GET', '/api/traces')).status).toBe(200);
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE ${harness.pgSchema}.traces IN ACCESS EXCLUSIVE MODE`);
    try {
      const stuck = await fetch(`${harness.server.url}/api/traces`, {
        headers: { authorization: `Bearer ${harness.adminKey}` },
      });
      expect(stuck.status).toBe(503);
      expect(stuck.headers.get('retry-after')).toBe('1');
      const body = (await stuck.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('overloaded');
      expect(body.error.message).not.toMatch(/statement|cancel|timeout/i);
    } finally {
      await locker.query('ROLLBACK');
    }
    expect((await harness.api('GET', '/api/traces')).status).toBe(200);
  });
});

describe('a network partition', () => {
  let harness: Harness;
  let proxy: TcpProxy;
  beforeAll(async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(TEST_DATABASE_URL).port || 5432) });
    const url = new URL(TEST_DATABASE_URL);
    url.host = proxy.host;
    harness = await startHarness(config, { backend: 'postgres', databaseUrl: url.toString() });
  });
  afterAll(async () => {
    proxy?.heal();
    await harness?.close();
    await proxy?.close();
  });

  it('answers API reads 503 with retry-after and keeps trace writes buffered, then recovers', async () => {
    expect((await harness.api('GET', '/api/traces')).status).toBe(200);
    const projectId = (await harness.server.store.projects.getByName('default'))!.id;
    const trace = traceRecord(projectId);
    expect(harness.server.writer.enqueue(trace, [])).toBe(true);

    proxy.partition();
    const answer = await harness.api('GET', '/api/traces');
    expect(answer.status).toBe(503);
    expect(answer.body.error.code).toBe('overloaded');
    // The flush settles (it does not hang) and the trace stays buffered for the next one.
    await harness.server.writer.flush();
    expect(harness.server.writer.stats()).toMatchObject({ buffered: 1, written: 0 });
    expect(harness.server.writer.stats().failedFlushes).toBeGreaterThan(0);

    proxy.heal();
    await harness.server.writer.flush();
    expect(harness.server.writer.stats()).toMatchObject({ buffered: 0, written: 1 });
    const stored = await harness.api('GET', `/api/traces/${trace.id}`);
    expect(stored.status).toBe(200);
  });
});

describe('a replica partitioned inside a transaction', () => {
  it('loses its session, and so its locks, instead of holding them until the server notices the dead peer', async () => {
    const proxy = await startTcpProxy({
      host: '127.0.0.1',
      port: Number(new URL(TEST_DATABASE_URL).port || 5432),
    });
    const url = new URL(TEST_DATABASE_URL);
    url.host = proxy.host;
    const pool = createPool({
      connectionString: url.toString(),
      schema: undefined,
      max: 1,
      limits: { ...DEFAULT_CONNECTION_LIMITS, queryTimeoutMs: 300 },
    });
    const observer = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await observer.connect();
    let client: pg.PoolClient | undefined;
    try {
      client = await pool.connect();
      await client.query('BEGIN');
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // A lock other replicas would wait for: a stack's deployment lock, a trace row being merged.
      await client.query('SELECT pg_advisory_xact_lock(4242)');
      proxy.partition();
      await eventually(async () => {
        const alive = await observer.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [rows[0]!.pid]);
        return alive.rows.length === 0;
      }, 10_000);
      const free = await observer.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(4242) AS locked');
      expect(free.rows[0]!.locked).toBe(true);
      await observer.query('SELECT pg_advisory_unlock(4242)');
    } finally {
      client?.release(true);
      await observer.end();
      await proxy.close();
      await pool.end();
    }
  });
});

describe('migrations under a tiny query timeout', () => {
  it('wait for another replica migrating past the query timeout instead of failing the start', async () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const pool = createPool({
      connectionString: TEST_DATABASE_URL,
      schema,
      max: 2,
      limits: { ...DEFAULT_CONNECTION_LIMITS, queryTimeoutMs: 100 },
    });
    const other = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await other.connect();
    try {
      await ensureSchema(pool, schema);
      // Another replica holds the migration lock, as while it builds an index for a while.
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`stackops:migrate:${schema}`]);
      const migrating = applyMigrations(pool, schema, POSTGRES_MIGRATIONS).then(
        () => 'migrated',
        (error: Error) => error.message,
      );
      // Several query timeouts' worth of waiting (setup, not an assertion on time).
      await new Promise((resolve) => setTimeout(resolve, 600));
      await other.query('COMMIT');
      expect(await migrating).toBe('migrated');
      const applied = await pool.query<{ version: number }>(
        'SELECT version FROM migrations ORDER BY version',
      );
      expect(applied.rows.map((row) => row.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
    } finally {
      await other.end();
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    }
  });
});
