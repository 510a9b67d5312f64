/**
 * A stack whose prompt takes the caller's last user message as `{{input}}` keeps the message's
 * non-text parts (images, audio, files): they go with the template message that holds
 * `{{input}}`. They were dropped — a vision request through a stack reached the model as text
 * alone (found by QA).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../fakes/fake-openai-server.js';
import { type Harness, startHarnessOn } from '../helpers/harness.js';

const IMAGE = { type: 'image_url', image_url: { url: 'https://example.com/receipt.png' } };

describe('stack prompts and non-text content parts', () => {
  let fake: FakeOpenAIServer;
  let harness: Harness;

  beforeAll(async () => {
    fake = await startFakeOpenAIServer();
    harness = await startHarnessOn(fake, 'vllm', ['vision-model']);
    const prompts = [
      {
        name: 'user-input',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Question: {{input}}' },
        ],
      },
      { name: 'system-input', messages: [{ role: 'system', content: 'Answer this: {{input}}' }] },
    ];
    for (const prompt of prompts)
      expect((await harness.api('POST', '/api/prompts', prompt)).status).toBe(201);
    for (const [name, prompt] of [
      ['user-bot', 'user-input'],
      ['system-bot', 'system-input'],
    ]) {
      expect((await harness.api('POST', '/api/stacks', { name, model: 'vision-model', prompt })).status).toBe(
        201,
      );
    }
  });
  afterAll(async () => {
    await harness?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  const ask = (model: string) =>
    harness.client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is the total?' }, IMAGE] }],
    } as never);

  it('puts the image into the template message that holds {{input}}', async () => {
    await ask('user-bot@1');
    const sent = fake.requests[0]!.body as { messages: unknown[] };
    expect(sent.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'Question: What is the total?' }, IMAGE] },
    ]);
  });

  it('keeps the image as a user message when {{input}} is in a system message', async () => {
    await ask('system-bot@1');
    const sent = fake.requests[0]!.body as { messages: unknown[] };
    expect(sent.messages).toEqual([
      { role: 'system', content: 'Answer this: What is the total?' },
      { role: 'user', content: [IMAGE] },
    ]);
  });

  it('leaves text-only messages as plain strings', async () => {
    await harness.client.chat.completions.create({
      model: 'user-bot@1',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    });
    const sent = fake.requests[0]!.body as { messages: unknown[] };
    expect(sent.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Question: Hi' },
    ]);
  });
});
