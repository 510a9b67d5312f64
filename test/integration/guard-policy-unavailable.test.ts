/**
 * A stored guard policy that no longer compiles after a restart — its remote endpoint left off
 * the operator's `guard.remote_endpoints`, or its `apiKeyEnv` variable unset — made the whole
 * server refuse to start ("the environment variable … is not set", naming no policy, stack or
 * project). The server now starts; the stacks pinning that policy answer 503 naming the policy
 * and why, and nothing is sent upstream unguarded; every other stack answers as before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/server/index.js';

const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

const adminKey = 'sk-so-unavailable-test-admin-key-0';

async function call(server: RunningServer, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('a stored guard policy that no longer compiles', () => {
  it('leaves the server up; its stacks answer 503 naming the policy, the others answer', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stackops-unavailable-'));
    directories.push(dataDir);
    const settings = { port: 0, dataDir, adminKey, demo: false };
    const first = await startServer({ settings, env: {}, quiet: true });
    try {
      const remote = {
        scanner: 'remote',
        stage: 'input',
        action: 'block',
        options: { kind: 'llama-guard', baseUrl: 'http://127.0.0.1:9/v1', model: 'lg', failMode: 'closed' },
      };
      expect(
        (await call(first, 'POST', '/api/guard/policies', { name: 'remote', rules: [remote] })).status,
      ).toBe(201);
      for (const [name, guard] of [
        ['remote-bot', 'remote'],
        ['plain-bot', null],
      ] as const) {
        const stack = { name, model: 'local-extractive', ...(guard ? { guard } : {}) };
        expect((await call(first, 'POST', '/api/stacks', stack)).status).toBe(201);
        await call(first, 'POST', `/api/stacks/${name}/deploy`, {
          environment: 'production',
          version: 'latest',
        });
      }
    } finally {
      await first.close();
    }

    // The operator now lists the guard models policies may call; this one is not among them.
    const second = await startServer({
      settings,
      configFile: { guard: { remote_endpoints: ['http://127.0.0.1:8/v1'] } },
      env: {},
      quiet: true,
    });
    try {
      const client = new OpenAI({ baseURL: `${second.url}/v1`, apiKey: adminKey, maxRetries: 0 });
      const plain = await client.chat.completions.create({
        model: 'plain-bot',
        messages: [{ role: 'user', content: 'hello' }],
      });
      expect(plain.choices[0]?.message.content).toContain('hello');
      for (const model of ['remote-bot', 'remote-bot@1']) {
        const refused = await call(second, 'POST', '/v1/chat/completions', {
          model,
          messages: [{ role: 'user', content: 'hello' }],
        });
        expect(refused.status).toBe(503);
        expect(refused.body.error.code).toBe('upstream_unavailable');
        expect(refused.body.error.message).toMatch(
          /^The stack "remote-bot" pins the guard policy remote@1, which cannot run: .*remote_endpoints/,
        );
      }
      // An application's client key is told that the stack cannot serve, not the operator's
      // configuration (an endpoint, an environment variable's name); the trace keeps the reason.
      const clientKey = await call(second, 'POST', '/api/keys', { name: 'app', role: 'client' });
      expect(clientKey.status).toBe(201);
      const response = await fetch(`${second.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${clientKey.body.secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'remote-bot', messages: [{ role: 'user', content: 'hello' }] }),
      });
      expect(response.status).toBe(503);
      const answered = (await response.json()) as any;
      expect(answered.error.code).toBe('upstream_unavailable');
      expect(answered.error.message).toBe(
        'The stack "remote-bot" cannot serve requests now: its guard policy remote@1 cannot run on this server. Its trace names the reason.',
      );
      const traceId = response.headers.get('x-stackops-trace-id')!;
      let trace: any;
      for (let attempt = 0; attempt < 50 && !trace; attempt++) {
        const found = await call(second, 'GET', `/api/traces/${traceId}`);
        if (found.status === 200) trace = found.body;
        else await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(JSON.stringify(trace)).toMatch(/which cannot run: .*remote_endpoints/);
    } finally {
      await second.close();
    }
  });
});
