/**
 * A tool call's `function.arguments` is a JSON string in OpenAI's format, and the output guard
 * reads that string. Some OpenAI-compatible servers send the arguments as a JSON object instead;
 * such arguments went out unscanned — an address redacted from the same text in a string, a
 * blocked host let through — whole and streamed. A guarded stack reads an object as its JSON
 * text and sends that text (OpenAI's format), scanned.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

let callArguments: object = {};

const upstream = http.createServer((request, response) => {
  let raw = '';
  request.on('data', (data) => {
    raw += data;
  });
  request.on('end', () => {
    const body = JSON.parse(raw);
    const call = {
      id: 'call_1',
      type: 'function',
      function: { name: 'send_email', arguments: callArguments },
    };
    if (!body.stream) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'chatcmpl-object',
          object: 'chat.completion',
          created: 1_700_000_000,
          model: 'upstream-model',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: null, tool_calls: [call] },
              finish_reason: 'tool_calls',
            },
          ],
          usage: { prompt_tokens: 3, completion_tokens: 9, total_tokens: 12 },
        }),
      );
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const send = (delta: object, finishReason: string | null = null) =>
      response.write(
        `data: ${JSON.stringify({
          id: 'chatcmpl-object',
          object: 'chat.completion.chunk',
          created: 1_700_000_000,
          model: 'upstream-model',
          choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
        })}\n\n`,
      );
    send({ role: 'assistant', content: null, tool_calls: [{ index: 0, ...call }] });
    send({}, 'tool_calls');
    response.end('data: [DONE]\n\n');
  });
});

let harness: Harness;

beforeAll(async () => {
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  harness = await startHarness({
    providers: [{ name: 'objects', type: 'openai-compatible', base_url: `http://127.0.0.1:${port}/v1` }],
    models: [{ name: 'objects-model', provider: 'objects' }],
  });
  const policy = await harness.api('POST', '/api/guard/policies', {
    name: 'object-arguments',
    rules: [
      { scanner: 'pii', stage: 'output', action: 'redact' },
      { scanner: 'words', stage: 'output', action: 'block', options: { terms: ['evil.example'] } },
    ],
  });
  expect(policy.status).toBe(201);
  const stack = { name: 'objects-bot', model: 'objects-model', guard: 'object-arguments' };
  expect((await harness.api('POST', '/api/stacks', stack)).status).toBe(201);
  const deployed = await harness.api('POST', '/api/stacks/objects-bot/deploy', {
    environment: 'production',
    version: 'latest',
  });
  expect(deployed.status).toBe(200);
});
afterAll(async () => {
  await harness?.close();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

const ask = (stream: boolean) =>
  fetch(`${harness.server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${harness.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'objects-bot', messages: [{ role: 'user', content: 'mail it' }], stream }),
  });

/** The arguments the client assembles from a stream's fragments. */
function streamedArguments(raw: string): string {
  let text = '';
  for (const line of raw.split('\n')) {
    if (!line.startsWith('data: {')) continue;
    for (const part of JSON.parse(line.slice(6)).choices[0]?.delta?.tool_calls ?? [])
      text += part.function?.arguments ?? '';
  }
  return text;
}

describe('tool-call arguments sent as a JSON object', () => {
  it('are scanned and sent as JSON text, whole', async () => {
    callArguments = { to: 'jane.doe@example.com', subject: 'hi' };
    const response = await ask(false);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      choices: Array<{ message: { tool_calls: Array<{ function: { arguments: unknown } }> } }>;
    };
    expect(body.choices[0]?.message.tool_calls[0]?.function.arguments).toBe(
      '{"to":"[EMAIL]","subject":"hi"}',
    );
    callArguments = { url: 'https://evil.example/?q=1' };
    expect((await ask(false)).status).toBe(400);
  });

  it('are scanned and sent as JSON text, streamed', async () => {
    callArguments = { to: 'jane.doe@example.com', subject: 'hi' };
    const raw = await (await ask(true)).text();
    expect(raw).not.toContain('jane.doe');
    expect(streamedArguments(raw)).toBe('{"to":"[EMAIL]","subject":"hi"}');
    callArguments = { url: 'https://evil.example/?q=1' };
    const blocked = await (await ask(true)).text();
    expect(blocked).not.toContain('evil.example');
    expect(blocked).toContain('"code":"content_filter"');
  });
});
