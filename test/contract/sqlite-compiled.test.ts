/**
 * The SQLite trace writer spawns its worker differently from TypeScript source (through tsx)
 * and from tsc output (the sibling .js file). The contract suite covers the first case; this
 * test compiles src/store with tsc into a scratch directory and runs the compiled store in a
 * plain `node` child process, so the second case cannot break unnoticed.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repository = fileURLToPath(new URL('../../', import.meta.url));
// Inside node_modules so the compiled files resolve better-sqlite3 and pg like dist/ would.
const cache = join(repository, 'node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const outDir = mkdtempSync(join(cache, 'stackops-store-build-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const script = `
import { createStore } from './store/index.js';
import { isMainThread } from 'node:worker_threads';
const store = await createStore({ dataDir: process.argv[2] });
const project = await store.projects.create({ name: 'compiled' });
const trace = { id: 'a'.repeat(32), projectId: project.id, name: 'chat', startTime: 1, endTime: 2, status: 'ok',
  model: 'm', stack: null, stackVersion: null, inputTokens: 3, outputTokens: 4, cost: 0.5, latencyMs: 1,
  ttftMs: null, apiKeyId: null, attributes: {} };
const spans = Array.from({ length: 200 }, (_, index) => ({ traceId: trace.id, spanId: index.toString(16).padStart(16, '0'),
  parentSpanId: null, projectId: project.id, name: 's', kind: 'span', startTime: 1, endTime: 2, status: 'ok',
  statusMessage: null, attributes: {} }));
await store.traces.writeBatch({ traces: [trace], spans });
await store.traces.writeBatch({ traces: [{ ...trace, startTime: 0 }], spans });
const stored = await store.traces.get(project.id, trace.id);
await store.close();
console.log(JSON.stringify({ isMainThread, spans: stored.spans.length, inputTokens: stored.trace.inputTokens }));
`;

describe('SQLite store compiled by tsc', () => {
  it('writes trace batches through the compiled worker, without tsx', { timeout: 180_000 }, async () => {
    const tsconfig = join(outDir, 'tsconfig.json');
    writeFileSync(
      tsconfig,
      JSON.stringify({
        extends: join(repository, 'tsconfig.json'),
        compilerOptions: { rootDir: join(repository, 'src'), outDir, noEmit: false, sourceMap: false },
        // The worker entry is only referenced by URL, never imported; tsconfig.build.json
        // compiles all of src, so list it explicitly here.
        files: ['index.ts', 'sqlite/trace-writer-worker.ts'].map((file) =>
          join(repository, 'src', 'store', file),
        ),
        include: [],
      }),
    );
    await run(process.execPath, [
      join(repository, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      tsconfig,
    ]);
    // The directory lies under node_modules, where package scope lookup stops: declare ESM here.
    writeFileSync(join(outDir, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(outDir, 'check.mjs'), script);

    const { stdout } = await run(process.execPath, [join(outDir, 'check.mjs'), join(outDir, 'data')], {
      cwd: outDir,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(JSON.parse(stdout.trim())).toEqual({ isMainThread: true, spans: 200, inputTokens: 6 });
  });
});
