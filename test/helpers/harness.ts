/**
 * Integration harness: a real StackOps server on an ephemeral port over a temp SQLite file (or
 * a fresh Postgres schema), in front of fake upstreams, driven by the real `openai` SDK.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import pg from 'pg';
import { type RunningServer, type StartServerOptions, startServer } from '../../src/server/index.js';

export const TEST_DATABASE_URL =
  process.env.STACKOPS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface Harness {
  server: RunningServer;
  /** Postgres backend: the fresh schema holding this server's tables. */
  pgSchema: string | undefined;
  adminKey: string;
  client: OpenAI;
  /** An `openai` client of the gateway with another key (no SDK retries, like `client`). */
  clientFor(apiKey: string): OpenAI;
  /** Calls the control-plane API with a key (admin by default). */
  api(
    method: string,
    path: string,
    body?: unknown,
    key?: string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any }>;
  /** Flushes buffered traces, then reads one trace with spans. */
  trace(traceId: string): Promise<any>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  backend?: 'sqlite' | 'postgres';
  /** Postgres only: reach the test database by this URL instead (e.g. through a TCP proxy). */
  databaseUrl?: string;
  env?: NodeJS.ProcessEnv;
  drainTimeoutMs?: number;
  dispatcherTimeouts?: StartServerOptions['dispatcherTimeouts'];
}

export async function startHarness(configFile: unknown, options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'stackops-it-'));
  const pgSchema = options.backend === 'postgres' ? `t_${randomBytes(6).toString('hex')}` : undefined;
  const adminKey = `sk-so-test-${randomBytes(16).toString('hex')}`;
  const server = await startServer({
    settings: {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      adminKey,
      databaseUrl: pgSchema ? (options.databaseUrl ?? TEST_DATABASE_URL) : undefined,
    },
    configFile,
    env: options.env ?? {},
    quiet: true,
    pgSchema,
    drainTimeoutMs: options.drainTimeoutMs,
    dispatcherTimeouts: options.dispatcherTimeouts,
  });
  const clientFor = (apiKey: string) => new OpenAI({ baseURL: `${server.url}/v1`, apiKey, maxRetries: 0 });
  const client = clientFor(adminKey);
  const api: Harness['api'] = async (method, path, body, key = adminKey, headers = {}) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
  return {
    server,
    pgSchema,
    adminKey,
    client,
    clientFor,
    api,
    async trace(traceId) {
      await server.writer.flush();
      const response = await api('GET', `/api/traces/${traceId}`);
      if (response.status !== 200)
        throw new Error(`trace ${traceId}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    },
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (pgSchema) {
        const pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
        await pool.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
        await pool.end();
      }
    },
  };
}

/**
 * A harness whose one provider, `provider`, is the OpenAI-compatible upstream at `upstream.url`
 * (a fake or a raw upstream), serving `models` (a name, or a model's config without its
 * provider), with `extra` config beside them.
 */
export function startHarnessOn(
  upstream: { url: string },
  provider: string,
  models: Array<string | { name: string; [field: string]: unknown }>,
  extra: Record<string, unknown> = {},
  options?: HarnessOptions,
): Promise<Harness> {
  return startHarness(
    {
      ...extra,
      providers: [{ name: provider, type: 'openai-compatible', base_url: upstream.url }],
      models: models.map((model) =>
        typeof model === 'string' ? { name: model, provider } : { ...model, provider },
      ),
    },
    options,
  );
}

/** Waits until `check` returns true (polling), or fails after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition not met in time');
}
