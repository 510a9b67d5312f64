/**
 * SSE keep-alive comments (`: keep-alive`) on streamed answers: sent while the upstream is
 * silent after the stream started, and — only when `before_first_token` is opted in — while
 * waiting for the first token, at the price of committing to the 200 before it. The `openai`
 * SDK must still parse every such stream; a raw client sees the comments on the wire.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postChat } from '../helpers/guarded-stack.js';
import { type Harness, startHarnessOn } from '../helpers/harness.js';
import { chunkEvent, type RawUpstream, startChunkStream, startRawUpstream } from '../helpers/raw-upstream.js';

const INTERVAL_MS = 100;
/** Several keep-alive intervals of upstream silence. */
const SILENCE_MS = 450;
const KEEP_ALIVE = ': keep-alive\n\n';

let upstream: RawUpstream;
/** Keep-alive while streaming only (the default shape). */
let streaming: Harness;
/** Keep-alive before the first token too (opt-in). */
let early: Harness;
/** The same with an interval no failure in these tests outlasts: before the first keep-alive. */
let earlyPatient: Harness;

/**
 * The user message picks the upstream's behaviour: "pause" streams a token, goes silent, then
 * another; "think" is silent before its first token; "fail-late" is silent, then answers 503;
 * "fail-fast" answers 503 at once.
 */
beforeAll(async () => {
  upstream = await startRawUpstream(async (body, response) => {
    const behaviour = body.messages.at(-1).content as string;
    if (behaviour === 'fail-fast' || behaviour === 'fail-late') {
      if (behaviour === 'fail-late') await sleep(SILENCE_MS);
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'overloaded upstream', type: 'server_error' } }));
      return;
    }
    const stream = startChunkStream(response, 'chatcmpl-keep-alive');
    stream.send({ role: 'assistant', content: '' });
    if (behaviour === 'think') await sleep(SILENCE_MS);
    stream.send({ content: 'first ' });
    if (behaviour === 'pause') await sleep(SILENCE_MS);
    stream.send({ content: 'second' }, 'stop');
    response.write(
      chunkEvent('chatcmpl-keep-alive', [], {
        usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 },
      }),
    );
    stream.done();
  });
  const gateway = (beforeFirstToken: boolean, intervalMs = INTERVAL_MS) => ({
    gateway: {
      retry: { max_attempts: 1 },
      stream_keep_alive: { interval_ms: intervalMs, before_first_token: beforeFirstToken },
    },
  });
  streaming = await startHarnessOn(upstream, 'primary', ['chat'], gateway(false));
  early = await startHarnessOn(upstream, 'primary', ['chat'], gateway(true));
  earlyPatient = await startHarnessOn(upstream, 'primary', ['chat'], gateway(true, 60_000));
});

afterAll(async () => {
  await streaming?.close();
  await early?.close();
  await earlyPatient?.close();
  await upstream?.close();
});

function request(content: string): object {
  return { model: 'chat', messages: [{ role: 'user', content }], stream: true };
}

/** The text the `openai` SDK parses out of the stream. */
async function sdkText(harness: Harness, content: string): Promise<string> {
  const stream = await harness.client.chat.completions.create({
    model: 'chat',
    messages: [{ role: 'user', content }],
    stream: true,
  });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

describe('SSE keep-alive while the stream is running', () => {
  it('sends keep-alive comments while the upstream is silent between tokens, and none after the end', async () => {
    const response = await postChat(streaming, request('pause'));
    expect(response.status).toBe(200);
    const wire = await response.text();
    const between = wire.slice(wire.indexOf('first '), wire.indexOf('second'));
    expect(between).toContain(KEEP_ALIVE);
    expect(wire.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(await sdkText(streaming, 'pause')).toBe('first second');
  });

  it('sends nothing before the first token unless opted in, so a late failure keeps its HTTP status', async () => {
    const thinking = await postChat(streaming, request('think'));
    expect((await thinking.text()).startsWith('data: ')).toBe(true);
    const failing = await postChat(streaming, request('fail-late'));
    expect(failing.status).toBe(503);
  });
});

describe('SSE keep-alive before the first token (before_first_token: true)', () => {
  it('commits to the 200 and sends keep-alive comments while the model thinks', async () => {
    const response = await postChat(early, request('think'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const wire = await response.text();
    expect(wire.startsWith(KEEP_ALIVE)).toBe(true);
    expect(wire.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(await sdkText(early, 'think')).toBe('first second');
  });

  it('answers a failure before the first keep-alive with its HTTP status', async () => {
    const response = await postChat(earlyPatient, request('fail-fast'));
    expect(response.status).toBe(503);
  });

  it('reports a failure after the 200 went out as an SSE error event the SDK raises, and records it', async () => {
    const { data: stream, response } = await early.client.chat.completions
      .create({ model: 'chat', messages: [{ role: 'user', content: 'fail-late' }], stream: true })
      .withResponse();
    expect(response.status).toBe(200);
    let caught: unknown;
    try {
      for await (const _chunk of stream) {
      }
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(OpenAI.APIError);
    expect((caught as Error).message).toMatch(/overloaded upstream/);
    const trace = await early.trace(response.headers.get('x-stackops-trace-id')!);
    expect(trace.status).toBe('error');
  });
});
