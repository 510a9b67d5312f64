/**
 * The upstream HTTP client's timeouts follow the configured ones (a model's overrides
 * included), never undici's own 300 s headers and body timeouts. The gateway runs with those
 * undici defaults shrunk to 250 ms, so an upstream that is silent for longer than that — but
 * well within the model's `first_token_ms` / `total_ms` — shows any call still relying on them.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';
import {
  chunkEvent,
  type RawUpstream,
  sendCompletion,
  startChunkStream,
  startRawUpstream,
} from '../helpers/raw-upstream.js';

const SHRUNK_UNDICI_DEFAULT_MS = 250;
/**
 * Silence longer than the shrunk undici defaults (undici checks its timers on a ~0.5 s tick,
 * so a 250 ms timeout fires within about 1 s), far inside the model's own timeouts.
 */
const SILENCE_MS = 1200;

let upstream: RawUpstream;
let harness: Harness;
let completed = 0;

beforeAll(async () => {
  upstream = await startRawUpstream(async (body, response) => {
    if (!body.stream) {
      await sleep(SILENCE_MS);
      sendCompletion(response, 'chatcmpl-late', [
        { index: 0, message: { role: 'assistant', content: 'late answer' }, finish_reason: 'stop' },
      ]);
      completed++;
      return;
    }
    // A reasoning model: silent before its first token, and again between two tokens.
    const stream = startChunkStream(response, 'chatcmpl-slow');
    stream.send({ role: 'assistant', content: '' });
    await sleep(SILENCE_MS);
    stream.send({ content: 'slow ' });
    await sleep(SILENCE_MS);
    stream.send({ content: 'answer' }, 'stop');
    response.write(
      chunkEvent('chatcmpl-slow', [], {
        usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
      }),
    );
    stream.done();
    completed++;
  });
  harness = await startHarness(
    {
      // The gateway-wide timeouts are the short ones: the model's overrides must be what counts.
      gateway: {
        retry: { max_attempts: 1 },
        timeouts: { connect_ms: 1000, first_token_ms: 200, total_ms: 300 },
      },
      providers: [{ name: 'primary', type: 'openai-compatible', base_url: upstream.url }],
      models: [
        {
          name: 'patient',
          provider: 'primary',
          timeouts: { first_token_ms: 5000, total_ms: 10_000 },
        },
      ],
    },
    {
      dispatcherTimeouts: {
        headersTimeoutMs: SHRUNK_UNDICI_DEFAULT_MS,
        bodyTimeoutMs: SHRUNK_UNDICI_DEFAULT_MS,
      },
    },
  );
});

afterAll(async () => {
  await harness?.close();
  await upstream?.close();
});

beforeEach(() => {
  completed = 0;
});

describe('upstream client timeouts follow the configured timeouts', () => {
  it('keeps a stream whose upstream goes silent between chunks longer than undici would allow', async () => {
    const { data: stream, response } = await harness.client.chat.completions
      .create({ model: 'patient', messages: [{ role: 'user', content: 'x' }], stream: true })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('slow answer');
    const trace = await harness.trace(response.headers.get('x-stackops-trace-id')!);
    expect(trace.status).toBe('ok');
    expect(trace.input_tokens).toBe(3);
    expect(completed).toBe(1);
  });

  it('waits for the headers of a non-streaming answer as long as the model allows', async () => {
    const completion = await harness.client.chat.completions.create({
      model: 'patient',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(completion.choices[0]?.message.content).toBe('late answer');
    expect(completed).toBe(1);
  });
});
