/**
 * The streamed output guard against upstreams that put the last text and `finish_reason` in
 * one chunk (several OpenAI-compatible servers do): that text must be scanned like the rest,
 * so a redacted value or a blocked word in the final chunk never reaches the client.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPolicies, deployStacks, outputPolicy } from '../helpers/guarded-stack.js';
import { type Harness, startHarnessOn } from '../helpers/harness.js';
import { type RawUpstream, startChunkStream, startRawUpstream } from '../helpers/raw-upstream.js';

/** The next streamed reply, as content pieces; the last piece rides on the finish chunk. */
let nextPieces: string[] = [];
/** Pieces a misbehaving upstream sends after its finish chunk. */
let afterFinish: string[] = [];
let upstream: RawUpstream;
let harness: Harness;

beforeAll(async () => {
  upstream = await startRawUpstream((_body, response) => {
    const stream = startChunkStream(response, 'chatcmpl-final');
    stream.send({ role: 'assistant', content: '' });
    const pieces = nextPieces;
    pieces.forEach((piece, index) => {
      stream.send({ content: piece }, index === pieces.length - 1 ? 'stop' : null);
    });
    for (const piece of afterFinish) stream.send({ content: piece });
    stream.done();
  });
  harness = await startHarnessOn(upstream, 'final', ['final-model']);
  await createPolicies(harness, outputPolicy('final-chunk', ['forbidden-term'], { hold_back_chars: 16 }));
  await deployStacks(harness, { name: 'final-guarded', model: 'final-model', guard: 'final-chunk' });
});
afterAll(async () => {
  await harness?.close();
  await upstream?.close();
});

async function streamText(): Promise<{ text: string; error: unknown }> {
  const stream = await harness.client.chat.completions.create({
    model: 'final-guarded',
    messages: [{ role: 'user', content: 'contact?' }],
    stream: true,
  });
  let text = '';
  try {
    for await (const part of stream) text += part.choices[0]?.delta.content ?? '';
  } catch (error) {
    return { text, error };
  }
  return { text, error: null };
}

describe('streamed output guard, text on the finish chunk', () => {
  it('redacts PII that arrives with finish_reason', async () => {
    nextPieces = ['Thanks for asking. ', 'We answer within a day. ', 'Write to jane.doe@example.com'];
    const { text, error } = await streamText();
    expect(error).toBeNull();
    expect(text).not.toContain('jane.doe');
    expect(text).toBe('Thanks for asking. We answer within a day. Write to [EMAIL]');
  });

  it('blocks a word that arrives with finish_reason before it goes out', async () => {
    nextPieces = ['one two three four five six seven eight ', 'nine ten forbidden-term'];
    const { text, error } = await streamText();
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(text).not.toContain('forbidden');
  });

  it('never forwards text an upstream sends after its finish chunk (it would be unscanned)', async () => {
    nextPieces = ['All ', 'good ', 'here.'];
    afterFinish = ['Late: jane.doe@example.com ', 'forbidden-term'];
    try {
      expect(await streamText()).toEqual({ text: 'All good here.', error: null });
    } finally {
      afterFinish = [];
    }
  });

  it('passes a clean final chunk through unchanged', async () => {
    nextPieces = ['All ', 'good ', 'here.'];
    expect(await streamText()).toEqual({ text: 'All good here.', error: null });
  });
});
