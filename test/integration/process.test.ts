/**
 * `stackops serve` as a real process: config validation exit code, banner with the admin key
 * shown once, /healthz, and SIGTERM draining in-flight requests and buffered traces.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../fakes/fake-openai-server.js';
import { TEST_DATABASE_URL } from '../helpers/harness.js';

const root = join(import.meta.dirname, '..', '..');
const directory = mkdtempSync(join(tmpdir(), 'stackops-process-'));
const children: ChildProcess[] = [];
let fake: FakeOpenAIServer | undefined;

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(async () => {
  await fake?.close();
  rmSync(directory, { recursive: true, force: true });
});

function serve(env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (data: Buffer) => {
    stdout += data.toString();
  });
  child.stderr!.on('data', (data: Buffer) => {
    stderr += data.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = async (): Promise<string> => {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const match = /running at (http:\/\/[^\s]+)/.exec(stdout);
      if (match) return match[1]!;
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`not ready: ${stdout}\n${stderr}`);
  };
  return { child, exited, ready, output: () => ({ stdout, stderr }) };
}

describe('stackops serve', () => {
  it('exits 2 with one message listing every config problem', async () => {
    const path = join(directory, 'bad.yaml');
    writeFileSync(
      path,
      'providers:\n  - { name: a, type: openai-compatible }\nmodels:\n  - { name: m, provider: ghost }\n',
    );
    const run = serve({
      STACKOPS_CONFIG: path,
      STACKOPS_PORT: 'abc',
      STACKOPS_DATA_DIR: join(directory, 'bad'),
    });
    expect(await run.exited).toBe(2);
    const { stderr } = run.output();
    expect(stderr).toContain('Invalid configuration');
    expect(stderr).toMatch(/base_url is required/);
    expect(stderr).toMatch(/unknown provider "ghost"/);
    expect(stderr).toMatch(/port: "abc" is not an integer/);
  });

  it('prints a generated admin key once, then not again on the same data dir', async () => {
    const dataDir = join(directory, 'first-start');
    const first = serve({ STACKOPS_DATA_DIR: dataDir, STACKOPS_PORT: '0' });
    const url = await first.ready();
    const key = /(sk-so-[A-Za-z0-9]+)/.exec(first.output().stdout)?.[1];
    expect(key).toBeDefined();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const models = await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect(models.status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = serve({ STACKOPS_DATA_DIR: dataDir, STACKOPS_PORT: '0' });
    const secondUrl = await second.ready();
    expect(second.output().stdout).not.toMatch(/sk-so-[A-Za-z0-9]{40}/);
    const again = await fetch(`${secondUrl}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect(again.status).toBe(200);
    second.child.kill('SIGTERM');
    await second.exited;
  });

  it('drains on SIGTERM: the in-flight request finishes and its trace is written', async () => {
    fake = await startFakeOpenAIServer({ delayMs: 700 });
    const dataDir = join(directory, 'drain');
    const configPath = join(directory, 'drain.yaml');
    writeFileSync(
      configPath,
      `providers:\n  - { name: slow, type: openai-compatible, base_url: "${fake.url}" }\nmodels:\n  - { name: slow-model, provider: slow }\ntracing: { flush_interval_ms: 60000 }\n`,
    );
    const adminKey = 'sk-so-drain-test-key-0123456789';
    const run = serve({
      STACKOPS_DATA_DIR: dataDir,
      STACKOPS_PORT: '0',
      STACKOPS_CONFIG: configPath,
      STACKOPS_ADMIN_KEY: adminKey,
    });
    const url = await run.ready();
    const inFlight = fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'slow-model', messages: [{ role: 'user', content: 'finish me' }] }),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    run.child.kill('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    const traceId = response.headers.get('x-stackops-trace-id')!;
    expect(((await response.json()) as any).choices[0].message.content).toBe('echo: finish me');
    expect(await run.exited).toBe(0);

    // flush_interval is a minute: only the drain can have written this trace
    const store = await createStore({ dataDir });
    try {
      const project = (await store.projects.list())[0]!;
      const found = await store.traces.get(project.id, traceId);
      expect(found?.trace.status).toBe('ok');
      expect(found?.spans.some((span) => span.kind === 'generation')).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('says in its log when traces cannot be written (once a minute, not per flush)', async () => {
    // Its own Postgres schema, chosen through the URL's search_path.
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    try {
      const adminKey = 'sk-so-write-error-test-0123456789';
      const run = serve({
        STACKOPS_DATABASE_URL: `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
        STACKOPS_PORT: '0',
        STACKOPS_ADMIN_KEY: adminKey,
        STACKOPS_DEMO: '0',
      });
      const url = await run.ready();
      // The table goes away under the server: every write fails until it is back.
      await admin.query(`ALTER TABLE ${schema}.traces RENAME TO traces_away`);
      for (let index = 0; index < 3; index++) {
        const response = await fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'local-extractive', messages: [{ role: 'user', content: 'hi' }] }),
        });
        expect(response.status).toBe(200);
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000)); // a few 500 ms flushes
      const health = (await (await fetch(`${url}/healthz`)).json()) as { traces: Record<string, number> };
      expect(health.traces.failedFlushes).toBeGreaterThan(1);
      const { stdout, stderr } = run.output();
      const lines = `${stdout}${stderr}`.split('\n').filter((line) => line.includes('trace write failed'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('does not exist');
      run.child.kill('SIGTERM');
      await run.exited;
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });
});
