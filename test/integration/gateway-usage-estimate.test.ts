/**
 * Answers that come without the upstream's usage (some OpenAI-compatible servers send none)
 * get their tokens and cost estimated from the text and flagged `stackops.usage.estimated`,
 * for non-streaming answers as for streams, instead of being recorded as free.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../fakes/fake-openai-server.js';
import { type Harness, startHarnessOn } from '../helpers/harness.js';

let upstream: FakeOpenAIServer;
let harness: Harness;

beforeAll(async () => {
  upstream = await startFakeOpenAIServer();
  harness = await startHarnessOn(upstream, 'primary', [
    { name: 'priced', pricing: { input_per_mtok: 1, output_per_mtok: 2 } },
  ]);
});

afterAll(async () => {
  await harness?.close();
  await upstream?.close();
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

  it('records a reported usage as it is, not estimated', async () => {
    const { response } = await harness.client.chat.completions
      .create({ model: 'priced', messages: [{ role: 'user', content: 'hello' }] })
      .withResponse();
    const trace = await harness.trace(response.headers.get('x-stackops-trace-id')!);
    expect(trace.attributes['stackops.usage.estimated']).toBeUndefined();
    expect(trace.output_tokens).toBeGreaterThan(0);
  });
});
