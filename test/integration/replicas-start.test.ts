/**
 * Replicas starting at once on one fresh database (a first deploy with several replicas, all
 * given the same STACKOPS_ADMIN_KEY): every one starts, and the key works on each.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/server/index.js';
import { TEST_DATABASE_URL } from '../helpers/harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe.each(['sqlite', 'postgres'] as const)('replicas starting together on %s', (backend) => {
  // A race: a few rounds of five replicas, each on a fresh database, make it show every time.
  it.each([1, 2, 3])('all start with the same admin key, which is registered once (round %i)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stackops-replicas-'));
    const pgSchema = backend === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
    cleanups.push(async () => {
      rmSync(dataDir, { recursive: true, force: true });
      if (pgSchema === undefined) return;
      const pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
      await pool.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
      await pool.end();
    });
    const adminKey = `sk-so-test-${randomBytes(16).toString('hex')}`;
    const start = () =>
      startServer({
        settings: {
          port: 0,
          host: '127.0.0.1',
          dataDir,
          adminKey,
          databaseUrl: pgSchema ? TEST_DATABASE_URL : undefined,
        },
        configFile: {},
        env: {},
        quiet: true,
        pgSchema,
      });
    const results = await Promise.allSettled(Array.from({ length: 5 }, start));
    const servers = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    cleanups.push(async () => {
      for (const server of servers) await server.close();
    });
    expect(
      results.map((result) => (result.status === 'rejected' ? String(result.reason) : 'started')),
    ).toEqual(Array(5).fill('started'));
    for (const server of servers as RunningServer[]) {
      const response = await fetch(`${server.url}/api/keys`, {
        headers: { authorization: `Bearer ${adminKey}` },
      });
      expect(response.status).toBe(200);
      const keys = ((await response.json()) as { data: Array<{ name: string }> }).data;
      expect(keys.filter((key) => key.name.startsWith('bootstrap admin'))).toHaveLength(1);
    }
  });
});
