/**
 * Answers that come without the upstream's usage (some OpenAI-compatible servers send none)
 * get their tokens and cost estimated from the text and flagged `stackops.usage.estimated`,
 * for non-streaming answers as for streams, instead of being recorded as free.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../fakes/fake-openai-server.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { type RawUpstream, startChunkStream, startRawUpstream } from '../helpers/raw-upstream.js';

/** About 200 tokens of a reasoning model's thinking. */
const THINKING = 'Let me think about the question step by step before answering it. '.repeat(12);

let upstream: FakeOpenAIServer;
/** A reasoning model that streams its thinking, one token of answer, and is then cut. */
let reasoning: RawUpstream;
let harness: Harness;

beforeAll(async () => {
  upstream = await startFakeOpenAIServer();
  reasoning = await startRawUpstream((_body, response) => {
    const stream = startChunkStream(response, 'chatcmpl-thinking');
    stream.send({ role: 'assistant', content: '' });
    for (const sentence of THINKING.match(/[^.]+\./g)!) stream.send({ reasoning_content: sentence });
    stream.send({ content: 'ok' });
    response.write('', () => response.destroy());
  });
  harness = await startHarness({
    gateway: { retry: { max_attempts: 1 } },
    providers: [
      { name: 'primary', type: 'openai-compatible', base_url: upstream.url },
      { name: 'reasoning', type: 'openai-compatible', base_url: reasoning.url },
    ],
    models: [
      { name: 'priced', provider: 'primary', pricing: { input_per_mtok: 1, output_per_mtok: 2 } },
      { name: 'thinker', provider: 'reasoning', pricing: { input_per_mtok: 1, output_per_mtok: 2 } },
    ],
  });
});

afterAll(async () => {
  await harness?.close();
  await upstream?.close();
  await reasoning?.close();
});

beforeEach(() => upstream.reset());

describe('usage the upstream did not report', () => {
  it('estimates the tokens and cost of a non-streaming answer without usage', async () => {
    upstream.enqueue({
      body: {
        id: 'chatcmpl-no-usage',
        object: 'chat.completion',
        created: 1_700_000_000,
        model: 'upstream-model',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'an answer of some eight or nine tokens long' },
            finish_reason: 'stop',
          },
        ],
      },
    });
    const { data: completion, response } = await harness.client.chat.completions
      .create({ model: 'priced', messages: [{ role: 'user', content: 'a question of several words' }] })
      .withResponse();
    expect(completion.choices[0]?.message.content).toBe('an answer of some eight or nine tokens long');
    const trace = await harness.trace(response.headers.get('x-stackops-trace-id')!);
    expect(trace.attributes['stackops.usage.estimated']).toBe(true);
    expect(trace.input_tokens).toBeGreaterThan(0);
    expect(trace.output_tokens).toBeGreaterThan(0);
    expect(trace.cost).toBeCloseTo((trace.input_tokens * 1 + trace.output_tokens * 2) / 1e6, 12);
    const generation = trace.spans.find((span: { kind: string }) => span.kind === 'generation');
    expect(generation.attributes['stackops.usage.estimated']).toBe(true);
  });

  it("counts a reasoning model's streamed thinking in the estimate of a cut stream", async () => {
    const { data: stream, response } = await harness.client.chat.completions
      .create({ model: 'thinker', messages: [{ role: 'user', content: 'think' }], stream: true })
      .withResponse();
    await expect(
      (async () => {
        for await (const _chunk of stream) {
        }
      })(),
    ).rejects.toThrow();
    const trace = await harness.trace(response.headers.get('x-stackops-trace-id')!);
    expect(trace.status).toBe('interrupted');
    expect(trace.attributes['stackops.usage.estimated']).toBe(true);
    // The thinking is billed as output: about 200 tokens, not the 1 of "ok".
    expect(trace.output_tokens).toBeGreaterThan(100);
  });

  it('records a reported usage as it is, not estimated', async () => {
    const { response } = await harness.client.chat.completions
      .create({ model: 'priced', messages: [{ role: 'user', content: 'hello' }] })
      .withResponse();
    const trace = await harness.trace(response.headers.get('x-stackops-trace-id')!);
    expect(trace.attributes['stackops.usage.estimated']).toBeUndefined();
    expect(trace.output_tokens).toBeGreaterThan(0);
  });
});
