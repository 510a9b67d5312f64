/**
 * Every trace listing the API and guard replay run is served by an index that both narrows
 * to the filtered value and yields newest-first order, on both backends: the plan reads the
 * matching rows newest first and stops at the page size. Neither sorting every match on each
 * page, nor walking the project's whole history filtering row by row — which is what a
 * `stack` filter without a version did: `stackops traces --stack` and guard replay on a quiet
 * stack read every trace of the project, each page.
 * Checked on the real query plans: SQLite's EXPLAIN QUERY PLAN must search the index by the
 * filtered column and use no temporary B-tree for ORDER BY; Postgres' EXPLAIN, with sorting
 * priced out, must hold no Sort node and put the filtered column in its Index Cond.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { TraceFilter } from '../../src/core/index.js';
import { encodeCursor } from '../../src/store/cursor.js';
import { createPostgresStore, createSqliteStore } from '../../src/store/index.js';
import { postgresPlaceholder, sqlitePlaceholder, traceListQuery } from '../../src/store/list-queries.js';
import { TEST_DATABASE_URL } from '../helpers/harness.js';

const cursor = encodeCursor({ time: 1_750_000_000_000, id: 'f'.repeat(32) });
/** Each listing, and the column its index search must be narrowed by (beyond project_id). */
const FILTERS: Record<string, { filter: TraceFilter; narrowedBy?: string }> = {
  'no filter': { filter: { limit: 50 } },
  'a page further': { filter: { limit: 50, cursor } },
  model: { filter: { limit: 50, model: 'qwen' }, narrowedBy: 'model' },
  status: { filter: { limit: 50, status: 'error' }, narrowedBy: 'status' },
  stack: { filter: { limit: 50, stack: 'support-bot' }, narrowedBy: 'stack' },
  'stack, a page further': { filter: { limit: 50, stack: 'support-bot', cursor }, narrowedBy: 'stack' },
  'stack and version': { filter: { limit: 50, stack: 'support-bot', stackVersion: 3 }, narrowedBy: 'stack' },
  'time range': { filter: { limit: 50, from: 1_700_000_000_000, to: 1_800_000_000_000 } },
};

describe('trace listing plans on sqlite', () => {
  const directory = mkdtempSync(join(tmpdir(), 'stackops-plans-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it.each(Object.keys(FILTERS))('%s: read in index order, no sort', async (name) => {
    const file = join(directory, 'stackops.db');
    const store = await createSqliteStore({ file });
    await store.migrate();
    await store.close();
    const database = new Database(file, { readonly: true });
    try {
      const { filter, narrowedBy } = FILTERS[name]!;
      const query = traceListQuery('proj_x', filter, sqlitePlaceholder);
      const plan = database
        .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${query.sql}`)
        .all(...query.params)
        .map((row) => row.detail)
        .join('\n');
      expect(plan).not.toMatch(/TEMP B-TREE/);
      if (narrowedBy)
        expect(plan).toMatch(new RegExp(`USING INDEX \\w+ \\(project_id=\\? AND ${narrowedBy}=\\?`));
    } finally {
      database.close();
    }
  });
});

describe('trace listing plans on postgres', () => {
  const schema = `plans_${randomBytes(5).toString('hex')}`;
  afterAll(async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it.each(Object.keys(FILTERS))('%s: read in index order, no sort', async (name) => {
    const store = await createPostgresStore({ connectionString: TEST_DATABASE_URL, schema });
    await store.migrate();
    await store.close();
    const client = new pg.Client({
      connectionString: TEST_DATABASE_URL,
      options: `-c search_path=${schema}`,
    });
    await client.connect();
    try {
      // An empty table would be scanned and sorted whatever its indexes: price sorting out, so
      // a Sort node is left only where no index yields the order.
      await client.query('SET enable_sort = off');
      await client.query('SET enable_incremental_sort = off');
      const { filter, narrowedBy } = FILTERS[name]!;
      const query = traceListQuery('proj_x', filter, postgresPlaceholder);
      const result = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query.sql}`, query.params);
      const plan = result.rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(plan).not.toMatch(/Sort/);
      if (narrowedBy) expect(plan).toMatch(new RegExp(`Index Cond: \\(.*\\(${narrowedBy} = `));
    } finally {
      await client.end();
    }
  });
});
