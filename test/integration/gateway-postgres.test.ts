/**
 * The same gateway on Postgres: requests through the server are traced into a fresh schema
 * and readable through the API (the store contract suite covers the store itself).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../fakes/fake-openai-server.js';
import { type Harness, startHarness } from '../helpers/harness.js';

let fake: FakeOpenAIServer;
let harness: Harness;

beforeAll(async () => {
  fake = await startFakeOpenAIServer();
  harness = await startHarness(
    {
      providers: [{ name: 'vllm', type: 'openai-compatible', base_url: fake.url }],
      models: [{ name: 'qwen', provider: 'vllm', pricing: { input_per_mtok: 1, output_per_mtok: 1 } }],
    },
    { backend: 'postgres' },
  );
});
afterAll(async () => {
  await harness?.close();
  await fake?.close();
});

describe('gateway on postgres', () => {
  it('traces chat and streamed requests', async () => {
    expect(harness.server.store.dialect).toBe('postgres');
    const { response } = await harness.client.chat.completions
      .create({ model: 'qwen', messages: [{ role: 'user', content: 'on postgres' }] })
      .withResponse();
    const { data: stream, response: streamResponse } = await harness.client.chat.completions
      .create({ model: 'qwen', messages: [{ role: 'user', content: 'streamed' }], stream: true })
      .withResponse();
    for await (const _chunk of stream) {
      // drain
    }
    const trace = await harness.trace(response.headers.get('x-stackops-trace-id')!);
    expect(trace).toMatchObject({ status: 'ok', model: 'qwen' });
    expect(trace.cost).toBeGreaterThan(0);
    const streamed = await harness.trace(streamResponse.headers.get('x-stackops-trace-id')!);
    expect(streamed.ttft_ms).toBeGreaterThan(0);
    const list = await harness.api('GET', '/api/traces?model=qwen');
    expect(list.body.data).toHaveLength(2);
  });
});
