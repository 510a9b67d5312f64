/**
 * Runs the Store contract against SQLite (one temp directory per test file, one file per
 * database name), plus the SQLite-only rule: trace batches are written off the main thread.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore, SQLITE_FILE_NAME } from '../../src/store/index.js';
import { makeSpan, makeTrace, uniqueName } from './contract-fixtures.js';
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
