/**
 * The SSE relay against clients that are not the well-behaved SDK: a raw `node:http` client
 * that stops reading (backpressure) and then goes away, in front of a fake OpenAI-compatible
 * upstream that sends a long answer in one write.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/index.js';
import { createStore } from '../../src/store/index.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../fakes/fake-openai-server.js';
import { eventually, type Harness, startHarness } from '../helpers/harness.js';

let upstream: FakeOpenAIServer;
let harness: Harness;

beforeAll(async () => {
  upstream = await startFakeOpenAIServer();
  harness = await startHarness({
    gateway: { retry: { max_attempts: 1, initial_delay_ms: 10, max_delay_ms: 200 } },
    providers: [{ name: 'primary', type: 'openai-compatible', base_url: upstream.url }],
    models: [
      { name: 'chat', provider: 'primary' },
      { name: 'bounded', provider: 'primary', timeouts: { total_ms: 1000 } },
      { name: 'watched', provider: 'primary', timeouts: { idle_ms: 300, total_ms: 20_000 } },
    ],
  });
});

afterAll(async () => {
  await harness?.close();
  await upstream?.close();
});

beforeEach(() => upstream.reset());

/** Opens a stream with a raw client; resolves with the paused response and its request. */
function openRawStream(
  body: unknown,
): Promise<{ request: http.ClientRequest; response: http.IncomingMessage }> {
  const url = new URL(`${harness.server.url}/v1/chat/completions`);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { authorization: `Bearer ${harness.adminKey}`, 'content-type': 'application/json' },
      },
      (response) => {
        response.pause();
        resolve({ request, response });
      },
    );
    request.on('error', () => {});
    request.once('error', reject);
    request.end(JSON.stringify(body));
  });
}

/**
 * Opens a raw stream of `model` whose answer is about 10 MB of SSE: far more than the socket
 * buffers hold while the client reads nothing.
 */
async function openLongStream(model: string): Promise<{ request: http.ClientRequest; traceId: string }> {
  const reply = Array.from({ length: 60_000 }, (_, index) => `word${index}`).join(' ');
  upstream.enqueue({ reply });
  const { request, response } = await openRawStream({
    model,
    messages: [{ role: 'user', content: 'long please' }],
    stream: true,
  });
  return { request, traceId: response.headers['x-stackops-trace-id'] as string };
}

async function traceStatus(traceId: string): Promise<string | null> {
  await harness.server.writer.flush();
  const response = await harness.api('GET', `/api/traces/${traceId}`);
  return response.status === 200 ? response.body.status : null;
}

describe('stream relay and slow clients', () => {
  it('records a stream as interrupted when a client that stopped reading goes away', async () => {
    const { request, traceId } = await openLongStream('chat');
    expect(traceId).toBeTruthy();
    // Let the gateway fill the buffers and wait for 'drain', then disconnect.
    await new Promise((resolve) => setTimeout(resolve, 300));
    request.destroy();
    await eventually(async () => (await traceStatus(traceId)) === 'interrupted', 5000);
  });

  it('ends a stream at the total timeout when the client stopped reading, and records it', async () => {
    const { request, traceId } = await openLongStream('bounded');
    try {
      // The client keeps the connection but reads nothing: the relay must not wait past total_ms.
      await eventually(async () => (await traceStatus(traceId)) === 'interrupted', 4000);
      const trace = await harness.trace(traceId);
      const generation = trace.spans.find((span: { kind: string }) => span.kind === 'generation');
      expect(generation.status).toBe('interrupted');
      expect(generation.attributes['error.type']).toBe('upstream_timeout');
    } finally {
      request.destroy();
    }
  });

  it('does not count a client that pauses reading as an idle upstream (idle_ms)', async () => {
    const reply = Array.from({ length: 60_000 }, (_, index) => `word${index}`).join(' ');
    upstream.enqueue({ reply });
    const { response } = await openRawStream({
      model: 'watched',
      messages: [{ role: 'user', content: 'long please' }],
      stream: true,
    });
    const traceId = response.headers['x-stackops-trace-id'] as string;
    // The client reads nothing for three times idle_ms while the relay waits for 'drain'.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    let body = '';
    response.setEncoding('utf8');
    response.on('data', (piece: string) => {
      body += piece;
    });
    response.resume();
    await new Promise((resolve) => response.once('end', resolve));
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(body).not.toContain('idle_ms');
    await eventually(async () => (await traceStatus(traceId)) === 'ok', 5000);
  });

  it('records time to first token at the first output, not at the role-only opening chunk', async () => {
    // The fake sends the role chunk at once and each word 150 ms after the previous event.
    upstream.enqueue({ chunkDelayMs: 150 });
    const { response } = await openRawStream({
      model: 'chat',
      messages: [{ role: 'user', content: 'two words' }],
      stream: true,
    });
    response.resume();
    await new Promise((resolve) => response.once('end', resolve));
    const trace = await harness.trace(response.headers['x-stackops-trace-id'] as string);
    expect(trace.status).toBe('ok');
    expect(trace.ttft_ms).toBeGreaterThanOrEqual(140);
  });
});

describe('awkward upstream chunks', () => {
  it.each([
    ['without choices', {}],
    ['with choices: null', { choices: null }],
  ])('relays a usage chunk %s (Groq, Fireworks, MiniMax) and completes', async (_name, choices) => {
    const head = { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm' };
    const events = [
      { ...head, choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: null }] },
      { ...head, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { ...head, ...choices, usage: { prompt_tokens: 7, completion_tokens: 1, total_tokens: 8 } },
    ];
    upstream.enqueue({
      body: `${events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join('')}data: [DONE]\n\n`,
    });
    const { data: stream, response } = await harness.client.chat.completions
      .create({
        model: 'chat',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    let text = '';
    let usage: unknown = null;
    for await (const chunk of stream) {
      text += chunk.choices?.[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('Hi');
    expect(usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 1 });
    const trace = await harness.trace(response.headers.get('x-stackops-trace-id')!);
    expect(trace.status).toBe('ok');
    expect(trace.input_tokens).toBe(7);
  });
});

describe('shutdown', () => {
  it('writes the trace of a stream cut at the drain deadline', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'stackops-drain-'));
    try {
      const adminKey = 'sk-so-test-drain-0123456789abcdef';
      const server = await startServer({
        settings: { port: 0, host: '127.0.0.1', dataDir, adminKey },
        configFile: {
          providers: [{ name: 'stalling', type: 'openai-compatible', base_url: upstream.url }],
          models: [{ name: 'chat', provider: 'stalling' }],
          tracing: { flush_interval_ms: 60_000 },
        },
        env: {},
        quiet: true,
        drainTimeoutMs: 200,
      });
      upstream.enqueue({ stallAfterChunks: 3 });
      const response = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'chat',
          messages: [{ role: 'user', content: 'a b c d e f' }],
          stream: true,
        }),
      });
      const traceId = response.headers.get('x-stackops-trace-id')!;
      await response.body!.getReader().read();
      // The stream never ends by itself: the drain deadline cuts it, and its trace must still be written.
      await server.close();
      const store = await createStore({ dataDir });
      try {
        const project = (await store.projects.list())[0]!;
        const found = await store.traces.get(project.id, traceId);
        expect(found?.trace.status).toBe('interrupted');
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
