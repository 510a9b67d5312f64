/**
 * `tracing.capture_content: false` keeps the user's text out of the stored trace: not only
 * the generation spans' messages, also the retrieval span of a stack answering from knowledge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../fakes/fake-openai-server.js';
import { type Harness, startHarnessOn } from '../helpers/harness.js';

let fake: FakeOpenAIServer;
let harness: Harness;

beforeAll(async () => {
  fake = await startFakeOpenAIServer();
  harness = await startHarnessOn(fake, 'vllm', [{ name: 'qwen-max', context_window: 32768 }], {
    tracing: { capture_content: false },
  });
});
afterAll(async () => {
  await harness?.close();
  await fake?.close();
});

describe('content capture off', () => {
  it('stores no user text in a trace that retrieved knowledge', async () => {
    await harness.api('POST', '/api/knowledge', { name: 'faq' });
    await harness.api('POST', '/api/knowledge/faq/documents', {
      documents: [{ id: 'refunds', text: 'Refunds are issued within 14 days of the return.' }],
    });
    expect((await harness.api('POST', '/api/knowledge/faq/snapshots')).status).toBe(201);
    await harness.api('POST', '/api/prompts', {
      name: 'kb-support',
      messages: [
        { role: 'system', content: 'Answer from the sources.\n{{context}}' },
        { role: 'user', content: '{{input}}' },
      ],
    });
    const stack = await harness.api('POST', '/api/stacks', {
      name: 'kb-bot',
      model: 'qwen-max',
      prompt: 'kb-support',
      knowledge: 'faq@1',
    });
    expect(stack.status).toBe(201);
    await harness.api('POST', '/api/stacks/kb-bot/deploy', { environment: 'production', version: 1 });
    const secret = 'my account number is 4485-2231 and when do refunds arrive';
    const { response } = await harness.client.chat.completions
      .create({ model: 'kb-bot', messages: [{ role: 'user', content: secret }] })
      .withResponse();
    const trace = await harness.trace(response.headers.get('x-stackops-trace-id')!);
    expect(trace.spans.some((span: { kind: string }) => span.kind === 'retrieval')).toBe(true);
    expect(JSON.stringify(trace)).not.toContain('4485-2231');
  });
});
