/**
 * Runs the Store contract against the real Postgres (CI starts it). Each database name maps
 * to a fresh random schema, dropped afterwards. An unreachable server fails the file loudly.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.js';
import {
  applyMigrations,
  createPool,
  ensureSchema,
  withTransaction,
} from '../../src/store/postgres/connection.js';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { KNOWLEDGE_SETTINGS, makeGuardPolicyInput, makePromptInput, makeTrace } from './contract-fixtures.js';
import { runStoreContract } from './store-contract.js';

const url = process.env.STACKOPS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const prefix = `stackops_test_${randomBytes(4).toString('hex')}`;
const schemas = new Set<string>();

afterAll(async () => {
  if (schemas.size === 0) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
});

beforeAll(async () => {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `Postgres contract tests need a server at ${url} (set STACKOPS_TEST_DATABASE_URL): ${String(error)}`,
    );
  } finally {
    await client.end().catch(() => {});
  }
});

runStoreContract('postgres', (database = 'main') => {
  const schema = `${prefix}_${database}`.toLowerCase();
  schemas.add(schema);
  return createStore({ databaseUrl: url, dataDir: '/nonexistent', pgSchema: schema });
});

describe('Postgres migrations', () => {
  it('upgrade a version-1 schema in place: rows kept, registry, knowledge and guard policy tables added', async () => {
    const schema = `${prefix}_upgrade`;
    schemas.add(schema);
    const pool = createPool({ connectionString: url, schema, max: 1 });
    try {
      await ensureSchema(pool, schema);
      await applyMigrations(pool, schema, POSTGRES_MIGRATIONS.slice(0, 1));
      await pool.query(
        "INSERT INTO projects (id, name, is_demo, created_at) VALUES ('proj_old', 'old', false, 1)",
      );
    } finally {
      await pool.end();
    }

    const store = await createStore({ databaseUrl: url, dataDir: '/nonexistent', pgSchema: schema });
    try {
      expect(await store.projects.get('proj_old')).toMatchObject({ name: 'old' });
      expect((await store.prompts.createVersion('proj_old', makePromptInput('assistant'))).version).toBe(1);
      const base = await store.knowledge.createBase('proj_old', {
        name: 'handbook',
        settings: KNOWLEDGE_SETTINGS,
      });
      expect(base.latestSnapshot).toBe(0);
      const policy = await store.guardPolicies.createVersion('proj_old', makeGuardPolicyInput('pii'));
      expect(policy.version).toBe(1);
      expect(await store.guardPolicies.getVersion('proj_old', 'pii', 1)).toEqual(policy);
    } finally {
      await store.close();
    }
    const check = createPool({ connectionString: url, schema, max: 1 });
    try {
      const applied = await check.query<{ version: number }>(
        'SELECT version FROM migrations ORDER BY version',
      );
      expect(applied.rows.map((row) => row.version)).toEqual(
        POSTGRES_MIGRATIONS.map((migration) => migration.version),
      );
    } finally {
      await check.end();
    }
  });
});

/** An admin client to terminate backends with, and the uncaught exceptions seen until `stop()`. */
async function watchUncaught(): Promise<{ admin: pg.Client; uncaught: unknown[]; stop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  process.prependListener('uncaughtException', onUncaught);
  return {
    admin,
    uncaught,
    async stop() {
      process.removeListener('uncaughtException', onUncaught);
      await admin.end();
    },
  };
}

describe('Postgres connections', () => {
  it('a transaction cancelled by statement_timeout rolls back and keeps its connection', async () => {
    const pool = createPool({
      connectionString: url,
      schema: undefined,
      max: 1,
      limits: { connectTimeoutMs: 5000, queryTimeoutMs: 100, keepAliveInitialDelayMs: 10_000 },
    });
    try {
      const pid = async () =>
        (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const before = await pid();
      const cancelled = withTransaction(pool, (client) => client.query('SELECT pg_sleep(1)'));
      await expect(cancelled).rejects.toMatchObject({ code: '57014' });
      // The same session serves the next query: not destroyed and reconnected.
      expect(await pid()).toBe(before);
    } finally {
      await pool.end();
    }
  });

  it('a connection that dies inside a transaction, between two queries, fails that transaction only', async () => {
    // Its pg client emitted 'error' with no listener while checked out of the pool: an
    // uncaught exception, so a Postgres restart during a trace flush stopped the process.
    const pool = createPool({ connectionString: url, schema: undefined, max: 2 });
    const { admin, uncaught, stop } = await watchUncaught();
    try {
      const failed = withTransaction(pool, async (client) => {
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
        await new Promise((resolve) => setTimeout(resolve, 200)); // the socket closes meanwhile
        await client.query('SELECT 1');
      });
      await expect(failed).rejects.toThrow();
      expect(uncaught).toEqual([]);
      const after = await withTransaction(pool, (client) => client.query('SELECT 1 AS one'));
      expect(after.rows).toEqual([{ one: 1 }]);
    } finally {
      await stop();
      await pool.end();
    }
  });

  it('reads and trace writes under terminated connections: failures are theirs, the process lives', async () => {
    const application = `stackops_kill_${randomBytes(4).toString('hex')}`;
    const schema = `${prefix}_killed`;
    schemas.add(schema);
    const store = await createStore({
      databaseUrl: `${url}?application_name=${application}`,
      dataDir: '/nonexistent',
      pgSchema: schema,
    });
    const { admin, uncaught, stop } = await watchUncaught();
    try {
      const project = await store.projects.create({ id: 'proj_killed', name: 'killed' });
      let running = true;
      const killer = (async () => {
        while (running) {
          await admin.query(
            'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
            [application],
          );
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      let writes = 0;
      const workers = Array.from({ length: 12 }, async (_, worker) => {
        for (let index = 0; index < 60; index++) {
          const id = `${worker.toString(16).padStart(2, '0')}${index.toString(16).padStart(30, '0')}`;
          await store.projects.get(project.id).catch(() => {});
          await store.traces
            .writeBatch({ traces: [makeTrace(project.id, { id })], spans: [] })
            .then(() => writes++)
            .catch(() => {});
        }
      });
      await Promise.all(workers);
      running = false;
      await killer;
      expect(uncaught).toEqual([]);
      expect(writes).toBeGreaterThan(0);
    } finally {
      await stop();
      await store.close();
    }
  });
});

describe('Postgres trace retention across replicas', () => {
  it('two replicas sweeping one database at once delete every old trace exactly once, without errors', async () => {
    const schema = `${prefix}_retention`;
    schemas.add(schema);
    const open = () => createStore({ databaseUrl: url, dataDir: '/nonexistent', pgSchema: schema });
    const [first, second] = await Promise.all([open(), open()]);
    try {
      const project = await first!.projects.create({ name: 'retention' });
      const old = Array.from({ length: 400 }, (_, index) =>
        makeTrace(project.id, { startTime: 1_000_000 + index, endTime: 1_000_100 + index }),
      );
      const recent = makeTrace(project.id);
      await first!.traces.writeBatch({ traces: [...old, recent], spans: [] });
      const sweep = async (store: typeof first): Promise<number> => {
        let total = 0;
        for (;;) {
          const count = await store!.traces.deleteOlderThan(project.id, 2_000_000, 25);
          total += count;
          if (count === 0) return total;
        }
      };
      const [byFirst, bySecond] = await Promise.all([sweep(first), sweep(second)]);
      expect(byFirst + bySecond).toBe(old.length);
      const left = await first!.traces.list(project.id, { limit: 10 });
      expect(left.data.map((trace) => trace.id)).toEqual([recent.id]);
    } finally {
      await Promise.all([first?.close(), second?.close()]);
    }
  });
});
