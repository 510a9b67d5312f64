/**
 * Durability of the trace path: content the database cannot store (U+0000, lone surrogates
 * on Postgres) must not block the traces behind it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../fakes/fake-openai-server.js';
import { type Harness, startHarness } from '../helpers/harness.js';

let fake: FakeOpenAIServer;
const harnesses: Harness[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAIServer();
});
afterAll(async () => {
  for (const harness of harnesses) await harness.close();
  await fake?.close();
});

const config = () => ({
  providers: [{ name: 'vllm', type: 'openai-compatible', base_url: fake.url }],
  models: [{ name: 'qwen', provider: 'vllm', pricing: { input_per_mtok: 1, output_per_mtok: 1 } }],
});

describe.each(['sqlite', 'postgres'] as const)('trace durability on %s', (backend) => {
  it('a prompt with U+0000 or a lone surrogate is traced and does not block later traces', async () => {
    const harness = await startHarness(config(), { backend });
    harnesses.push(harness);
    const ids: string[] = [];
    for (const content of ['nul \u0000 here', 'lone \ud800 surrogate', 'plain']) {
      const { response } = await harness.client.chat.completions
        .create({ model: 'qwen', messages: [{ role: 'user', content }] })
        .withResponse();
      ids.push(response.headers.get('x-stackops-trace-id')!);
    }
    await harness.server.writer.flush();
    expect(harness.server.writer.stats()).toMatchObject({ buffered: 0, written: 3 });
    for (const id of ids) expect((await harness.trace(id)).status).toBe('ok');
  });
});
