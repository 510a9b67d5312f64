/**
 * The streamed output guard against upstreams that put the last text and `finish_reason` in
 * one chunk (several OpenAI-compatible servers do): that text must be scanned like the rest,
 * so a redacted value or a blocked word in the final chunk never reaches the client.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

/** The next streamed reply, as content pieces; the last piece rides on the finish chunk. */
let nextPieces: string[] = [];
/** Pieces a misbehaving upstream sends after its finish chunk. */
let afterFinish: string[] = [];

function chunk(delta: object, finishReason: string | null): string {
  return `data: ${JSON.stringify({
    id: 'chatcmpl-final',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'upstream-model',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  })}\n\n`;
}

const upstream = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write(chunk({ role: 'assistant', content: '' }, null));
    const pieces = nextPieces;
    pieces.forEach((piece, index) => {
      response.write(chunk({ content: piece }, index === pieces.length - 1 ? 'stop' : null));
    });
    for (const piece of afterFinish) response.write(chunk({ content: piece }, null));
    response.end('data: [DONE]\n\n');
  });
});

let harness: Harness;

beforeAll(async () => {
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  harness = await startHarness({
    providers: [{ name: 'final', type: 'openai-compatible', base_url: `http://127.0.0.1:${port}/v1` }],
    models: [{ name: 'final-model', provider: 'final' }],
  });
  const policy = await harness.api('POST', '/api/guard/policies', {
    name: 'final-chunk',
    rules: [
      { scanner: 'pii', stage: 'output', action: 'redact' },
      { scanner: 'words', stage: 'output', action: 'block', options: { terms: ['forbidden-term'] } },
    ],
    hold_back_chars: 16,
  });
  expect(policy.status).toBe(201);
  await harness.api('POST', '/api/stacks', {
    name: 'final-guarded',
    model: 'final-model',
    guard: 'final-chunk',
  });
  await harness.api('POST', '/api/stacks/final-guarded/deploy', {
    environment: 'production',
    version: 'latest',
  });
});
afterAll(async () => {
  await harness?.close();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

async function streamText(): Promise<{ text: string; error: unknown }> {
  const stream = await harness.client.chat.completions.create({
    model: 'final-guarded',
    messages: [{ role: 'user', content: 'contact?' }],
    stream: true,
  });
  let text = '';
  try {
    for await (const part of stream) text += part.choices[0]?.delta.content ?? '';
  } catch (error) {
    return { text, error };
  }
  return { text, error: null };
}

describe('streamed output guard, text on the finish chunk', () => {
  it('redacts PII that arrives with finish_reason', async () => {
    nextPieces = ['Thanks for asking. ', 'We answer within a day. ', 'Write to jane.doe@example.com'];
    const { text, error } = await streamText();
    expect(error).toBeNull();
    expect(text).not.toContain('jane.doe');
    expect(text).toBe('Thanks for asking. We answer within a day. Write to [EMAIL]');
  });

  it('blocks a word that arrives with finish_reason before it goes out', async () => {
    nextPieces = ['one two three four five six seven eight ', 'nine ten forbidden-term'];
    const { text, error } = await streamText();
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(text).not.toContain('forbidden');
  });

  it('never forwards text an upstream sends after its finish chunk (it would be unscanned)', async () => {
    nextPieces = ['All ', 'good ', 'here.'];
    afterFinish = ['Late: jane.doe@example.com ', 'forbidden-term'];
    try {
      expect(await streamText()).toEqual({ text: 'All good here.', error: null });
    } finally {
      afterFinish = [];
    }
  });

  it('passes a clean final chunk through unchanged', async () => {
    nextPieces = ['All ', 'good ', 'here.'];
    expect(await streamText()).toEqual({ text: 'All good here.', error: null });
  });
});
