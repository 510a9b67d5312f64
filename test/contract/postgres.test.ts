/**
 * Runs the Store contract against the real Postgres (CI starts it). Each database name maps
 * to a fresh random schema, dropped afterwards. An unreachable server fails the file loudly.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.js';
import { applyMigrations, createPool, ensureSchema } from '../../src/store/postgres/connection.js';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { KNOWLEDGE_SETTINGS, makeGuardPolicyInput, makePromptInput } from './contract-fixtures.js';
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
