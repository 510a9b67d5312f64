/**
 * Runs the Store contract against SQLite (one temp directory per test file, one file per
 * database name), plus the SQLite-only rule: trace batches are written off the main thread.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore, SQLITE_FILE_NAME } from '../../src/store/index.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import {
  KNOWLEDGE_SETTINGS,
  makeGuardPolicyInput,
  makePromptInput,
  makeSpan,
  makeTrace,
  uniqueName,
} from './contract-fixtures.js';
import { runStoreContract } from './store-contract.js';

const root = mkdtempSync(join(tmpdir(), 'stackops-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

runStoreContract('sqlite', (database = 'main') => createStore({ dataDir: join(root, database) }));

describe('SQLite trace writes', () => {
  it('run in the worker: the main thread stays free while the batch waits for the write lock', async () => {
    const dataDir = join(root, 'worker-check');
    const store = await createStore({ dataDir });
    const blocker = new Database(join(dataDir, SQLITE_FILE_NAME));
    try {
      const project = await store.projects.create({ name: uniqueName('worker') });
      const trace = makeTrace(project.id);
      blocker.exec('BEGIN IMMEDIATE');
      let settled = false;
      const write = store.traces.writeBatch({ traces: [trace], spans: [makeSpan(trace)] });
      void write.then(
        () => (settled = true),
        () => (settled = true),
      );
      // Had writeBatch run on this thread, it would have blocked here for busy_timeout and failed.
      await sleep(200);
      expect(settled).toBe(false);
      expect(await store.traces.get(project.id, trace.id)).toBeNull();
      blocker.exec('COMMIT');
      await write;
      expect((await store.traces.get(project.id, trace.id))?.spans).toHaveLength(1);
    } finally {
      blocker.close();
      await store.close();
    }
  });

  it('rejects a batch the worker cannot receive, and still closes cleanly', async () => {
    const store = await createStore({ dataDir: join(root, 'clone-check') });
    const project = await store.projects.create({ name: uniqueName('clone') });
    const trace = makeTrace(project.id, { attributes: { callback: () => 1 } });
    await expect(store.traces.writeBatch({ traces: [trace], spans: [] })).rejects.toThrow(/clone/i);
    await store.close();
  });
});

describe('SQLite migrations', () => {
  it('upgrade a version-1 database in place: rows kept, registry, knowledge and guard policy tables added', async () => {
    const dataDir = join(root, 'upgrade-check');
    mkdirSync(dataDir, { recursive: true });
    const legacy = new Database(join(dataDir, SQLITE_FILE_NAME));
    legacy.exec(
      'CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT',
    );
    legacy.exec(SQLITE_MIGRATIONS[0]!.sql);
    legacy.prepare('INSERT INTO migrations VALUES (1, ?, 0)').run(SQLITE_MIGRATIONS[0]!.name);
    legacy
      .prepare("INSERT INTO projects (id, name, is_demo, created_at) VALUES ('proj_old', 'old', 0, 1)")
      .run();
    legacy.close();

    const store = await createStore({ dataDir });
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
    const check = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
    const versions = check.prepare('SELECT version FROM migrations ORDER BY version').pluck().all();
    check.close();
    expect(versions).toEqual(SQLITE_MIGRATIONS.map((migration) => migration.version));
  });
});
