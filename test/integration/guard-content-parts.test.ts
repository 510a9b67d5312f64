/**
 * Some OpenAI-compatible servers answer with `content` as a list of typed parts rather than a
 * string (Mistral's reasoning models: `[{type: "thinking", …}, {type: "text", text}]`, on the
 * message and on stream deltas). The output guard read string content only: such an answer went
 * out unscanned, PII and blocked terms included. A stack whose policy has output rules reads
 * the text parts as the answer's text and sends that text, scanned (thinking parts, like other
 * reasoning, are not passed on).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

let answerParts: object[] = [];

const upstream = http.createServer((request, response) => {
  let raw = '';
  request.on('data', (data) => {
    raw += data;
  });
  request.on('end', () => {
    const body = JSON.parse(raw);
    if (!body.stream) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'chatcmpl-parts',
          object: 'chat.completion',
          created: 1_700_000_000,
          model: 'upstream-model',
          choices: [
            { index: 0, message: { role: 'assistant', content: answerParts }, finish_reason: 'stop' },
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
          id: 'chatcmpl-parts',
          object: 'chat.completion.chunk',
          created: 1_700_000_000,
          model: 'upstream-model',
          choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
        })}\n\n`,
      );
    send({ role: 'assistant', content: '' });
    for (const part of answerParts) {
      const text = (part as { text?: string }).text;
      // Text parts cut into pieces, each its own one-part list.
      if (typeof text === 'string')
        for (const piece of text.match(/[\s\S]{1,5}/g)!) send({ content: [{ type: 'text', text: piece }] });
      else send({ content: [part] });
    }
    send({}, 'stop');
    response.end('data: [DONE]\n\n');
  });
});

let harness: Harness;

beforeAll(async () => {
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  harness = await startHarness({
    providers: [{ name: 'parts', type: 'openai-compatible', base_url: `http://127.0.0.1:${port}/v1` }],
    models: [{ name: 'parts-model', provider: 'parts' }],
  });
  const policy = await harness.api('POST', '/api/guard/policies', {
    name: 'parts-policy',
    rules: [
      { scanner: 'pii', stage: 'output', action: 'redact' },
      { scanner: 'words', stage: 'output', action: 'block', options: { terms: ['forbidden-term'] } },
    ],
    hold_back_chars: 64,
  });
  expect(policy.status).toBe(201);
  expect(
    (
      await harness.api('POST', '/api/stacks', {
        name: 'parts-bot',
        model: 'parts-model',
        guard: 'parts-policy',
      })
    ).status,
  ).toBe(201);
  const deployed = await harness.api('POST', '/api/stacks/parts-bot/deploy', {
    environment: 'production',
    version: 'latest',
  });
  expect(deployed.status).toBe(200);
});
afterAll(async () => {
  await harness?.close();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

const THINKING = {
  type: 'thinking',
  thinking: [{ type: 'text', text: 'The user is jane.doe@example.com.' }],
};

describe('content as a list of parts', () => {
  it('is scanned as text in a whole answer', async () => {
    answerParts = [THINKING, { type: 'text', text: 'Write to jane.doe@example.com today.' }];
    const response = await harness.api('POST', '/v1/chat/completions', {
      model: 'parts-bot',
      messages: [{ role: 'user', content: 'contact?' }],
    });
    expect(response.status).toBe(200);
    expect(JSON.stringify(response.body)).not.toContain('jane.doe');
    expect(response.body.choices[0].message.content).toBe('Write to [EMAIL] today.');
    answerParts = [{ type: 'text', text: 'Then forbidden-term appears.' }];
    const blocked = await harness.api('POST', '/v1/chat/completions', {
      model: 'parts-bot',
      messages: [{ role: 'user', content: 'contact?' }],
    });
    expect(blocked.status).toBe(400);
    expect(blocked.body.error.code).toBe('content_filter');
  });

  it('is scanned as text in a stream', async () => {
    answerParts = [THINKING, { type: 'text', text: 'Write to jane.doe@example.com today, or call.' }];
    const response = await fetch(`${harness.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'parts-bot',
        messages: [{ role: 'user', content: 'contact?' }],
        stream: true,
      }),
    });
    const raw = await response.text();
    expect(raw).not.toMatch(/jane|example\.com|thinking/);
    let text = '';
    for (const line of raw.split('\n'))
      if (line.startsWith('data: {')) text += JSON.parse(line.slice(6)).choices[0]?.delta?.content ?? '';
    expect(text).toBe('Write to [EMAIL] today, or call.');

    answerParts = [{ type: 'text', text: 'All fine until forbidden-term appears here.' }];
    const stream = await harness.client.chat.completions.create({
      model: 'parts-bot',
      messages: [{ role: 'user', content: 'contact?' }],
      stream: true,
    });
    let streamed = '';
    await expect(
      (async () => {
        for await (const part of stream) streamed += String(part.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toBeInstanceOf(OpenAI.APIError);
    expect(streamed).not.toContain('forbidden');
  });
});
