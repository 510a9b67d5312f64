/**
 * Guard policies, scans, replays, pins and guard spans between projects: a key of project B
 * can neither read, try, replay nor pin project A's policy (each is the 404 of a name B does
 * not have, never a hint that A has it), B's replay never reads A's traffic, and A's guard
 * spans are A's alone — also when B sends A's trace id in its traceparent. On SQLite and
 * Postgres.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

describe.each(['sqlite', 'postgres'] as const)('on %s', (backend) => {
  let harness: Harness;
  let keyA: string;
  let keyB: string;
  let traceA: string;

  const POLICY = {
    name: 'tenant-policy',
    rules: [
      { scanner: 'words', stage: 'input', action: 'flag', options: { terms: ['alpha-codename'] } },
      { scanner: 'pii', stage: 'output', action: 'redact' },
    ],
  };

  beforeAll(async () => {
    harness = await startHarness({}, { backend });
    keyA = (await harness.api('POST', '/api/projects', { name: 'guard-tenant-a' })).body.admin_key.secret;
    keyB = (await harness.api('POST', '/api/projects', { name: 'guard-tenant-b' })).body.admin_key.secret;
    expect((await harness.api('POST', '/api/guard/policies', POLICY, keyA)).status).toBe(201);
    const stack = { name: 'tenant-bot', model: 'local-extractive', guard: 'tenant-policy' };
    expect((await harness.api('POST', '/api/stacks', stack, keyA)).status).toBe(201);
    const deploy = { environment: 'production', version: 'latest' };
    expect((await harness.api('POST', '/api/stacks/tenant-bot/deploy', deploy, keyA)).status).toBe(200);
    const clientA = new OpenAI({ baseURL: `${harness.server.url}/v1`, apiKey: keyA, maxRetries: 0 });
    const { response } = await clientA.chat.completions
      .create({ model: 'tenant-bot', messages: [{ role: 'user', content: 'the alpha-codename plan' }] })
      .withResponse();
    traceA = response.headers.get('x-stackops-trace-id')!;
    await harness.server.writer.flush();
  });
  afterAll(async () => {
    await harness?.close();
  });

  const notFound = (response: { status: number; body: any }) => {
    expect(response.status).toBe(404);
    expect(response.body.error).toMatchObject({ type: 'not_found_error', code: 'not_found' });
  };

  describe('guard tenancy', () => {
    it("B neither lists, reads, tries, replays nor pins A's policy", async () => {
      expect((await harness.api('GET', '/api/guard/policies', undefined, keyB)).body.data).toEqual([]);
      notFound(await harness.api('GET', '/api/guard/policies/tenant-policy', undefined, keyB));
      for (const policy of ['tenant-policy', 'tenant-policy@1']) {
        notFound(await harness.api('POST', '/api/guard/scan', { text: 'alpha-codename', policy }, keyB));
        notFound(await harness.api('POST', '/api/guard/replay', { policy }, keyB));
        const pin = await harness.api(
          'POST',
          '/api/stacks',
          { name: 'b-bot', model: 'local-extractive', guard: policy },
          keyB,
        );
        notFound(pin);
      }
      expect((await harness.api('GET', '/api/stacks', undefined, keyB)).body.data).toEqual([]);
      const clientB = new OpenAI({ baseURL: `${harness.server.url}/v1`, apiKey: keyB, maxRetries: 0 });
      await expect(
        clientB.chat.completions.create({ model: 'tenant-bot', messages: [{ role: 'user', content: 'hi' }] }),
      ).rejects.toMatchObject({ status: 404 });
    });

    it("B's own policy of the same name replays B's traffic only", async () => {
      expect((await harness.api('POST', '/api/guard/policies', POLICY, keyB)).status).toBe(201);
      // B's own traffic so far is the refused call above (its trace, once written, has no
      // content to replay); A's flagged request must not be among what B's replay reads.
      await harness.server.writer.flush();
      const replayB = await harness.api('POST', '/api/guard/replay', { policy: 'tenant-policy' }, keyB);
      expect(replayB.status).toBe(200);
      expect(replayB.body.traces).toBe(replayB.body.without_content);
      expect(replayB.body.input).toMatchObject({ evaluated: 0, flag: 0 });
      expect(JSON.stringify(replayB.body)).not.toContain(traceA);
      const replayA = await harness.api('POST', '/api/guard/replay', { policy: 'tenant-policy' }, keyA);
      expect(replayA.body.traces).toBe(1);
      expect(replayA.body.input.flag).toBe(1);
    });

    it("A's guard spans stay A's, also when B sends A's trace id as its parent", async () => {
      const spansOf = (trace: any) =>
        trace.spans.filter((span: { name: string }) => span.name.startsWith('guard')).length;
      const before = await harness.api('GET', `/api/traces/${traceA}`, undefined, keyA);
      expect(before.status).toBe(200);
      expect(spansOf(before.body)).toBeGreaterThan(0);
      notFound(await harness.api('GET', `/api/traces/${traceA}`, undefined, keyB));
      const response = await fetch(`${harness.server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${keyB}`,
          'content-type': 'application/json',
          traceparent: `00-${traceA}-${'1'.repeat(16)}-01`,
        },
        body: JSON.stringify({ model: 'local-extractive', messages: [{ role: 'user', content: 'hello' }] }),
      });
      expect(response.status).toBe(200);
      await harness.server.writer.flush();
      const after = await harness.api('GET', `/api/traces/${traceA}`, undefined, keyA);
      expect(after.body.spans).toEqual(before.body.spans);
      const listB = await harness.api('GET', '/api/traces', undefined, keyB);
      const seenByB = JSON.stringify(
        await Promise.all(
          listB.body.data.map(
            async (trace: { id: string }) =>
              (await harness.api('GET', `/api/traces/${trace.id}`, undefined, keyB)).body,
          ),
        ),
      );
      expect(seenByB).not.toContain('alpha-codename');
      expect(seenByB).not.toContain('tenant-policy');
    });
  });
});
