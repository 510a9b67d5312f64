/**
 * The output guard reads one choice; the gateway refuses a caller's `n` other than 1. A stack's
 * prompt or params could still ask the upstream for several (`params: {n: 2}`), and the choices
 * after the first went out unscanned: a guarded stack asks for one, and only scanned choices
 * reach the client, whole or streamed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

/** The `n` of each request the upstream received. */
const requestedN: unknown[] = [];
const answer = (index: number) => `Answer ${index}: write to jane.doe@example.com today.`;

const upstream = http.createServer((request, response) => {
  let raw = '';
  request.on('data', (data) => {
    raw += data;
  });
  request.on('end', () => {
    const body = JSON.parse(raw);
    requestedN.push(body.n);
    // "send two": an upstream that sends more choices than it was asked for.
    const extra = JSON.stringify(body.messages).includes('send two');
    const count = typeof body.n === 'number' ? body.n : extra ? 2 : 1;
    const indexes = Array.from({ length: count }, (_, index) => index);
    if (!body.stream) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'chatcmpl-n',
          object: 'chat.completion',
          created: 1_700_000_000,
          model: 'upstream-model',
          choices: indexes.map((index) => ({
            index,
            message: { role: 'assistant', content: answer(index) },
            finish_reason: 'stop',
          })),
          usage: { prompt_tokens: 3, completion_tokens: 9, total_tokens: 12 },
        }),
      );
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const send = (index: number, delta: object, finishReason: string | null) =>
      response.write(
        `data: ${JSON.stringify({
          id: 'chatcmpl-n',
          object: 'chat.completion.chunk',
          created: 1_700_000_000,
          model: 'upstream-model',
          choices: [{ index, delta, logprobs: null, finish_reason: finishReason }],
        })}\n\n`,
      );
    for (const index of indexes) send(index, { role: 'assistant', content: '' }, null);
    // The choices' pieces interleaved, as OpenAI sends them.
    const pieces = indexes.map((index) => answer(index).match(/[\s\S]{1,6}/g)!);
    for (let at = 0; at < pieces[0]!.length; at++)
      for (const index of indexes) send(index, { content: pieces[index]![at] }, null);
    for (const index of indexes) send(index, {}, 'stop');
    response.end('data: [DONE]\n\n');
  });
});

let harness: Harness;

beforeAll(async () => {
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  harness = await startHarness({
    providers: [{ name: 'choices', type: 'openai-compatible', base_url: `http://127.0.0.1:${port}/v1` }],
    models: [{ name: 'choices-model', provider: 'choices' }],
  });
  const policy = await harness.api('POST', '/api/guard/policies', {
    name: 'one-choice',
    rules: [{ scanner: 'pii', stage: 'output', action: 'redact' }],
  });
  expect(policy.status).toBe(201);
  for (const [name, guard] of [
    ['two-choices-guarded', 'one-choice'],
    ['two-choices-open', null],
  ] as const) {
    const stack = await harness.api('POST', '/api/stacks', {
      name,
      model: 'choices-model',
      params: { n: 2 },
      ...(guard ? { guard } : {}),
    });
    expect(stack.status).toBe(201);
    const deployed = await harness.api('POST', `/api/stacks/${name}/deploy`, {
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

const REDACTED = 'Answer 0: write to [EMAIL] today.';

describe('a guarded stack whose params ask for n = 2', () => {
  it('answers a whole request with one choice, scanned', async () => {
    requestedN.length = 0;
    const completion = await harness.client.chat.completions.create({
      model: 'two-choices-guarded',
      messages: [{ role: 'user', content: 'contact?' }],
    });
    expect(JSON.stringify(completion)).not.toContain('jane.doe');
    expect(completion.choices.map((choice) => choice.message.content)).toEqual([REDACTED]);
    expect(requestedN).toEqual([undefined]);
  });

  it('streams one choice, scanned', async () => {
    requestedN.length = 0;
    const stream = await harness.client.chat.completions.create({
      model: 'two-choices-guarded',
      messages: [{ role: 'user', content: 'contact?' }],
      stream: true,
    });
    const texts: string[] = [];
    for await (const part of stream)
      for (const choice of part.choices)
        texts[choice.index] = (texts[choice.index] ?? '') + (choice.delta.content ?? '');
    expect(texts).toEqual([REDACTED]);
    expect(requestedN).toEqual([undefined]);
  });

  it("leaves an unguarded stack's params as they are", async () => {
    requestedN.length = 0;
    const completion = await harness.client.chat.completions.create({
      model: 'two-choices-open',
      messages: [{ role: 'user', content: 'contact?' }],
    });
    expect(completion.choices).toHaveLength(2);
    expect(requestedN).toEqual([2]);
  });

  it('passes on only the scanned choice when an upstream sends more than asked, whole or streamed', async () => {
    const whole = await harness.client.chat.completions.create({
      model: 'two-choices-guarded',
      messages: [{ role: 'user', content: 'send two' }],
    });
    expect(whole.choices.map((choice) => choice.message.content)).toEqual([REDACTED]);
    const stream = await harness.client.chat.completions.create({
      model: 'two-choices-guarded',
      messages: [{ role: 'user', content: 'send two' }],
      stream: true,
    });
    const texts: string[] = [];
    for await (const part of stream)
      for (const choice of part.choices)
        texts[choice.index] = (texts[choice.index] ?? '') + (choice.delta.content ?? '');
    expect(texts).toEqual([REDACTED]);
  });
});
