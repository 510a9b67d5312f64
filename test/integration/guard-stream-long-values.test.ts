/**
 * Streamed redaction of values longer than the hold-back window, through the gateway and the
 * `openai` SDK: a JWT (about 180 characters) is recognisable only once all three of its parts
 * are written, and a custom `regex` entity of 80 characters only once it is whole, so a 64-
 * character window alone released them before any scan could find them (the whole answer was
 * redacted, the stream sent the value in clear). The streamed text must equal the whole
 * answer's redaction however the upstream cuts it, and no piece of the value may go out first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../fakes/fake-openai-server.js';
import { type Harness, startHarnessOn } from '../helpers/harness.js';

const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiYWRtaW4iOnRydWUsImlhdCI6MTUxNjIzOTAyMn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const BUILD_TOKEN = `BUILD-${'7f3a9c2e'.repeat(9)}-${'0b1d'.repeat(4)}`;

let fake: FakeOpenAIServer;
let harness: Harness;

beforeAll(async () => {
  fake = await startFakeOpenAIServer();
  harness = await startHarnessOn(fake, 'vllm', ['qwen-max']);
  const policy = await harness.api('POST', '/api/guard/policies', {
    name: 'long-values',
    rules: [
      { scanner: 'pii', stage: 'output', action: 'redact' },
      {
        scanner: 'regex',
        stage: 'output',
        action: 'redact',
        options: { patterns: [{ name: 'BUILD_TOKEN', pattern: 'BUILD-[0-9a-f]{72}-[0-9a-f]{16}' }] },
      },
    ],
  });
  expect(policy.status).toBe(201);
  await harness.api('POST', '/api/stacks', { name: 'long-bot', model: 'qwen-max', guard: 'long-values' });
  await harness.api('POST', '/api/stacks/long-bot/deploy', { environment: 'production', version: 'latest' });
});
afterAll(async () => {
  await harness?.close();
  await fake?.close();
});

function cut(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let index = 0; index < text.length; index += size) pieces.push(text.slice(index, index + size));
  return pieces;
}

describe('streamed redaction of values longer than the hold-back window', () => {
  it.each([
    ['a JWT', JWT, '[SECRET]'],
    ['a custom regex entity', BUILD_TOKEN, '[BUILD_TOKEN]'],
  ])('redacts %s whole, however the stream is cut', async (_case, value, placeholder) => {
    const reply = `Here it is: ${value} — keep it safe and do not share it with anyone at all, please.`;
    const expected = reply.replace(value, placeholder);
    fake.enqueue({ reply });
    const whole = await harness.client.chat.completions.create({
      model: 'long-bot',
      messages: [{ role: 'user', content: 'token?' }],
    });
    expect(whole.choices[0]?.message.content).toBe(expected);
    for (const size of [1, 3, 17, 100]) {
      fake.enqueue({ reply, replyPieces: cut(reply, size) });
      const stream = await harness.client.chat.completions.create({
        model: 'long-bot',
        messages: [{ role: 'user', content: 'token?' }],
        stream: true,
      });
      let text = '';
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        expect(text).not.toContain(value.slice(0, 12));
      }
      expect(text).toBe(expected);
    }
  });
});
