/**
 * Runs the Store contract against the real Postgres (CI starts it). Each database name maps
 * to a fresh random schema, dropped afterwards. An unreachable server fails the file loudly.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { createStore } from '../../src/store/index.js';
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
