/** Runs the Store contract against SQLite: one temp directory per test file, one file per database name. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createStore } from '../../src/store/index.js';
import { runStoreContract } from './store-contract.js';

const root = mkdtempSync(join(tmpdir(), 'stackops-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

runStoreContract('sqlite', (database = 'main') => createStore({ dataDir: join(root, database) }));
