/**
 * Some OpenAI-compatible servers answer with `content` as a list of typed parts rather than a
 * string (Mistral's reasoning models: `[{type: "thinking", …}, {type: "text", text}]`, on the
 * message and on stream deltas). The output guard read string content only: such an answer went
 * out unscanned, PII and blocked terms included. A stack whose policy has output rules reads
 * the text parts as the answer's text and sends that text, scanned (thinking parts, like other
 * reasoning, are not passed on).
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPolicies, deployStacks, outputPolicy, postChat } from '../helpers/guarded-stack.js';
import { type Harness, startHarnessOn } from '../helpers/harness.js';
import {
  type RawUpstream,
  sendCompletion,
  startChunkStream,
  startRawUpstream,
} from '../helpers/raw-upstream.js';

let answerParts: object[] = [];
let upstream: RawUpstream;
let harness: Harness;

beforeAll(async () => {
  upstream = await startRawUpstream((body, response) => {
    if (!body.stream) {
      sendCompletion(response, 'chatcmpl-parts', [
        { index: 0, message: { role: 'assistant', content: answerParts }, finish_reason: 'stop' },
      ]);
      return;
    }
    const stream = startChunkStream(response, 'chatcmpl-parts');
    stream.send({ role: 'assistant', content: '' });
    for (const part of answerParts) {
      const text = (part as { text?: string }).text;
      // Text parts cut into pieces, each its own one-part list.
      if (typeof text === 'string')
        for (const piece of text.match(/[\s\S]{1,5}/g)!)
          stream.send({ content: [{ type: 'text', text: piece }] });
      else stream.send({ content: [part] });
    }
    stream.send({}, 'stop');
    stream.done();
  });
  harness = await startHarnessOn(upstream, 'parts', ['parts-model']);
  await createPolicies(harness, outputPolicy('parts-policy', ['forbidden-term'], { hold_back_chars: 64 }));
  await deployStacks(harness, { name: 'parts-bot', model: 'parts-model', guard: 'parts-policy' });
});
afterAll(async () => {
  await harness?.close();
  await upstream?.close();
});

const THINKING = {
  type: 'thinking',
  thinking: [{ type: 'text', text: 'The user is jane.doe@example.com.' }],
};

describe('content as a list of parts', () => {
  it('is scanned as text in a whole answer', async () => {
    answerParts = [THINKING, { type: 'text', text: 'Write to jane.doe@example.com today.' }];
    const response = await harness.api('POST', '/v1/chat/completions', {
      model: 'parts-bot',
      messages: [{ role: 'user', content: 'contact?' }],
    });
    expect(response.status).toBe(200);
    expect(JSON.stringify(response.body)).not.toContain('jane.doe');
    expect(response.body.choices[0].message.content).toBe('Write to [EMAIL] today.');
    answerParts = [{ type: 'text', text: 'Then forbidden-term appears.' }];
    const blocked = await harness.api('POST', '/v1/chat/completions', {
      model: 'parts-bot',
      messages: [{ role: 'user', content: 'contact?' }],
    });
    expect(blocked.status).toBe(400);
    expect(blocked.body.error.code).toBe('content_filter');
  });

  it('is scanned as text in a stream', async () => {
    answerParts = [THINKING, { type: 'text', text: 'Write to jane.doe@example.com today, or call.' }];
    const response = await postChat(harness, {
      model: 'parts-bot',
      messages: [{ role: 'user', content: 'contact?' }],
      stream: true,
    });
    const raw = await response.text();
    expect(raw).not.toMatch(/jane|example\.com|thinking/);
    let text = '';
    for (const line of raw.split('\n'))
      if (line.startsWith('data: {')) text += JSON.parse(line.slice(6)).choices[0]?.delta?.content ?? '';
    expect(text).toBe('Write to [EMAIL] today, or call.');

    answerParts = [{ type: 'text', text: 'All fine until forbidden-term appears here.' }];
    const stream = await harness.client.chat.completions.create({
      model: 'parts-bot',
      messages: [{ role: 'user', content: 'contact?' }],
      stream: true,
    });
    let streamed = '';
    await expect(
      (async () => {
        for await (const part of stream) streamed += String(part.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toBeInstanceOf(OpenAI.APIError);
    expect(streamed).not.toContain('forbidden');
  });
});
