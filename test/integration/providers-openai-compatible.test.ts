/**
 * The openai-compatible adapter against the fake OpenAI upstream over real HTTP: chat,
 * streams (usage-only chunk, empty choices, CRLF, comments, fragments), every failure path
 * (malformed chunk, cut, in-band error, statuses, timeouts, refused connection) and aborts
 * that must reach the upstream.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppError, type ChatCompletionChunk, providerSchema } from '../../src/core/index.js';
import { createProvider, type Provider } from '../../src/providers/index.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../fakes/fake-openai-server.js';
import { callOptions, caught, collect } from '../helpers/provider-calls.js';

const API_KEY = 'sk-test-secret-123';
let fake: FakeOpenAIServer;
let provider: Provider;

const request = (text: string, extra: Record<string, unknown> = {}) => ({
  model: 'fake-model',
  messages: [{ role: 'user' as const, content: text }],
  ...extra,
});

function text(chunks: ChatCompletionChunk[]): string {
  return chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
}

beforeAll(async () => {
  fake = await startFakeOpenAIServer({ apiKey: API_KEY });
  provider = createProvider(
    providerSchema.parse({
      name: 'fake',
      type: 'openai-compatible',
      base_url: fake.url,
      headers: { 'x-vendor': 'v1' },
    }),
    API_KEY,
  );
});
afterAll(async () => {
  await provider.close();
  await fake.close();
});
afterEach(() => fake.reset());

describe('openai-compatible chat', () => {
  it('sends one JSON request with auth, vendor and call headers and returns the completion', async () => {
    const completion = await provider.chat(
      request('hello there', { stream_options: { include_usage: true } }),
      callOptions({
        headers: {
          traceparent: '00-0123456789abcdef0123456789abcdef-0123456789abcdef-01',
          Authorization: 'Bearer evil',
        },
      }),
    );
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.message.content).toBe('echo: hello there');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage?.completion_tokens).toBe(3);
    const received = fake.requests[0]!;
    expect(received.path).toBe('/v1/chat/completions');
    expect(received.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(received.headers['x-vendor']).toBe('v1');
    expect(received.headers.traceparent).toMatch(/^00-0123/);
    expect(received.headers['content-type']).toBe('application/json');
    expect(received.body).toEqual({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'hello there' }],
      stream: false,
    });
  });

  it('reuses one keep-alive connection across calls', async () => {
    for (let index = 0; index < 5; index++) await provider.chat(request(`call ${index}`), callOptions());
    expect(fake.completed).toBe(5);
    expect(fake.connections).toBeLessThanOrEqual(1);
  });

  it('passes tool calls through', async () => {
    const completion = await provider.chat(
      request('please call tool now', {
        tools: [{ type: 'function', function: { name: 'lookup', parameters: {} } }],
      }),
      callOptions(),
    );
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.tool_calls?.[0]?.function).toEqual({
      name: 'lookup',
      arguments: '{"query":"please call tool now"}',
    });
  });

  it('embeds through POST /embeddings', async () => {
    const response = await provider.embed(
      { model: 'fake-embedding', input: ['a', 'b'], dimensions: 4 },
      callOptions(),
    );
    expect(response.data).toHaveLength(2);
    expect(response.data[1]?.embedding).toHaveLength(4);
    expect(fake.requests[0]?.path).toBe('/v1/embeddings');
  });

  it('reads the API key from api_key_env once, at construction', async () => {
    process.env.STACKOPS_TEST_FAKE_KEY = API_KEY;
    const fromEnv = createProvider(
      providerSchema.parse({
        name: 'env',
        type: 'openai-compatible',
        base_url: fake.url,
        api_key_env: 'STACKOPS_TEST_FAKE_KEY',
      }),
    );
    process.env.STACKOPS_TEST_FAKE_KEY = 'changed-later';
    try {
      const completion = await fromEnv.chat(request('key'), callOptions());
      expect(completion.choices[0]?.message.content).toBe('echo: key');
      expect(JSON.stringify(fromEnv)).not.toContain(API_KEY);
    } finally {
      delete process.env.STACKOPS_TEST_FAKE_KEY;
      await fromEnv.close();
    }
  });
});

describe('openai-compatible stream', () => {
  it('yields chunks with the role first and the finish reason last, and sends stream: true', async () => {
    const chunks = await collect(await provider.stream(request('hello stream world'), callOptions()));
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(text(chunks)).toBe('echo: hello stream world');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(fake.requests[0]?.body).toMatchObject({ stream: true });
    expect(fake.requests[0]?.headers.accept).toBe('text/event-stream');
  });

  it('passes the usage-only final chunk through', async () => {
    fake.enqueue({ cachedTokens: 2 });
    const chunks = await collect(
      await provider.stream(request('count me', { stream_options: { include_usage: true } }), callOptions()),
    );
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ completion_tokens: 3, prompt_tokens_details: { cached_tokens: 2 } });
  });

  it('passes an empty-choices chunk through without failing', async () => {
    fake.enqueue({ emptyChoicesChunk: true });
    const chunks = await collect(await provider.stream(request('filtered'), callOptions()));
    expect(chunks[0]?.choices).toEqual([]);
    expect(text(chunks)).toBe('echo: filtered');
  });

  it.each([
    ['CRLF line endings', { lineEnding: '\r\n' as const }],
    ['keep-alive comments', { keepAliveComments: true }],
    ['events split across 7-character writes', { fragmentSize: 7, lineEnding: '\r\n' as const }],
    ['delays between chunks', { chunkDelayMs: 5 }],
  ])('parses %s', async (_name, script) => {
    fake.enqueue(script);
    const chunks = await collect(await provider.stream(request('über naïve façade'), callOptions()));
    expect(text(chunks)).toBe('echo: über naïve façade');
  });

  it('streams tool-call deltas', async () => {
    const chunks = await collect(
      await provider.stream(
        request('call tool please', {
          tools: [{ type: 'function', function: { name: 'lookup', parameters: {} } }],
        }),
        callOptions(),
      ),
    );
    const calls = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toMatchObject({
      index: 0,
      id: expect.stringMatching(/^call_/),
      function: { name: 'lookup' },
    });
    expect(calls.map((call) => call.function?.arguments ?? '').join('')).toBe('{"query":"call tool please"}');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it.each([
    ['a malformed chunk', { malformedChunkAt: 2 }, 'upstream_error', /malformed stream chunk/, false],
    [
      'an in-band error event',
      { errorEventAt: 2, message: 'model crashed' },
      'upstream_error',
      /model crashed/,
      true,
    ],
    [
      'an in-band rate limit',
      { errorEventAt: 1, errorType: 'rate_limit_error', message: 'slow down' },
      'rate_limited',
      /slow down/,
      true,
    ],
    [
      'a socket cut mid-stream',
      { cutAfterChunks: 3 },
      'upstream_error',
      /stream ended before \[DONE\]/,
      true,
    ],
    [
      'a clean end without [DONE]',
      { omitDone: true },
      'upstream_error',
      /stream ended before \[DONE\]/,
      true,
    ],
  ])(
    'throws from the iterator on %s, after the earlier chunks',
    async (_name, script, code, message, retryable) => {
      fake.enqueue(script);
      const received: ChatCompletionChunk[] = [];
      const error = await caught(
        (async () => {
          for await (const chunk of await provider.stream(request('one two three four five'), callOptions()))
            received.push(chunk);
        })(),
      );
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.retryable).toBe(retryable);
      expect(received.length).toBeGreaterThanOrEqual(1);
      expect(received[0]?.choices[0]?.delta.role).toBe('assistant');
    },
  );
});

describe('openai-compatible status errors', () => {
  it('reports a JSON error answered with 200 to a stream request', async () => {
    fake.enqueue({ body: { error: { message: 'worker crashed', type: 'server_error' } } });
    const error = await caught(provider.stream(request('x'), callOptions()));
    expect(error).toMatchObject({ code: 'upstream_error', retryable: true });
    expect(error.message).toContain('worker crashed');
  });

  it('rejects a 200 chat body that is not a completion', async () => {
    fake.enqueue({ body: { unexpected: true } }, { body: 'not json' });
    expect((await caught(provider.chat(request('x'), callOptions()))).message).toContain(
      'malformed chat completion',
    );
    expect((await caught(provider.chat(request('x'), callOptions()))).message).toContain('malformed JSON');
  });

  it.each([
    [{ status: 429, headers: { 'retry-after': '1' } }, 'rate_limited', true, 429, 1],
    [
      { status: 429, headers: { 'retry-after-ms': '1500', 'retry-after': '9' } },
      'rate_limited',
      true,
      429,
      1.5,
    ],
    [
      { status: 503, headers: { 'retry-after': new Date(Date.now() + 30_000).toUTCString() } },
      'upstream_unavailable',
      true,
      503,
      30,
    ],
    [{ status: 500 }, 'upstream_error', true, 502, undefined],
    [{ status: 502 }, 'upstream_error', true, 502, undefined],
    [{ status: 504 }, 'upstream_timeout', true, 504, undefined],
    [{ status: 408 }, 'upstream_timeout', true, 504, undefined],
    [{ status: 409 }, 'upstream_error', true, 502, undefined],
    [{ status: 400, message: "Invalid value for 'temperature'" }, 'invalid_request', false, 400, undefined],
    [{ status: 404 }, 'invalid_request', false, 404, undefined],
    [
      { status: 422, body: { detail: [{ msg: 'field required' }] } },
      'invalid_request',
      false,
      422,
      undefined,
    ],
    [{ status: 500, body: 'upstream exploded' }, 'upstream_error', true, 502, undefined],
  ])('maps %j', async (script, code, retryable, status, retryAfter) => {
    for (const call of ['chat', 'stream'] as const) {
      fake.enqueue(script);
      const error = await caught(
        call === 'chat'
          ? provider.chat(request('x'), callOptions())
          : provider.stream(request('x'), callOptions()),
      );
      expect(error.code).toBe(code);
      expect(error.retryable).toBe(retryable);
      expect(error.status).toBe(status);
      expect(error.upstreamStatus).toBe(script.status);
      if (retryAfter === undefined) expect(error.retryAfterSeconds).toBeUndefined();
      // An HTTP date has one-second resolution.
      else expect(Math.abs(error.retryAfterSeconds! - retryAfter)).toBeLessThanOrEqual(1);
    }
  });

  it('passes a 4xx message through unchanged and names the provider for a 5xx', async () => {
    fake.enqueue(
      { status: 400, message: "Invalid value for 'temperature'" },
      { status: 503, message: 'warming up' },
    );
    expect((await caught(provider.chat(request('x'), callOptions()))).message).toBe(
      "Invalid value for 'temperature'",
    );
    expect((await caught(provider.chat(request('x'), callOptions()))).message).toBe(
      'provider "fake" returned 503: warming up',
    );
  });

  it('reports a 401 from the upstream with its status', async () => {
    const keyless = createProvider(
      providerSchema.parse({ name: 'keyless', type: 'openai-compatible', base_url: fake.url }),
    );
    const error = await caught(keyless.chat(request('x'), callOptions()));
    await keyless.close();
    expect(error).toMatchObject({
      code: 'invalid_request',
      status: 401,
      upstreamStatus: 401,
      retryable: false,
    });
    expect(error.message).toBe('Incorrect API key provided');
  });
});

describe('openai-compatible aborts and timeouts', () => {
  it('aborting mid-stream throws from the iterator and closes the upstream request', async () => {
    fake.enqueue({ chunkDelayMs: 100 });
    const controller = new AbortController();
    const iterator = (
      await provider.stream(request('a b c d e f g h'), callOptions({ signal: controller.signal }))
    )[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.choices[0]?.delta.role).toBe('assistant');
    controller.abort();
    const error = await caught(iterator.next());
    expect(error.details).toEqual({ aborted: true });
    await vi.waitFor(() => expect(fake.aborted).toBe(1));
  });

  it('aborting before the headers rejects the call and the upstream sees it', async () => {
    fake.enqueue({ delayMs: 2000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new AppError('conflict', 'stop now')), 50);
    const started = Date.now();
    await expect(provider.chat(request('slow'), callOptions({ signal: controller.signal }))).rejects.toThrow(
      'stop now',
    );
    expect(Date.now() - started).toBeLessThan(1500);
    await vi.waitFor(() => expect(fake.aborted).toBe(1));
  });

  it('a consumer that stops iterating releases the upstream stream', async () => {
    fake.enqueue({ stallAfterChunks: 2 });
    const iterable = await provider.stream(request('a b c d'), callOptions());
    for await (const chunk of iterable) {
      expect(chunk.choices[0]?.delta.role).toBe('assistant');
      break;
    }
    await vi.waitFor(() => expect(fake.aborted).toBe(1));
  });

  it('an AbortSignal.timeout() reason becomes a retryable upstream_timeout', async () => {
    fake.enqueue({ stallAfterChunks: 1 });
    const stream = await provider.stream(request('a b'), callOptions({ signal: AbortSignal.timeout(150) }));
    const error = await caught(collect(stream));
    expect(error).toMatchObject({ code: 'upstream_timeout', retryable: true });
    await vi.waitFor(() => expect(fake.aborted).toBe(1));
  });

  it('a silent upstream hits the headers timeout, and the upstream sees the disconnect', async () => {
    fake.enqueue({ hang: true });
    const error = await caught(provider.chat(request('hang'), callOptions({ headersTimeoutMs: 150 })));
    expect(error).toMatchObject({ code: 'upstream_timeout', retryable: true });
    expect(error.message).toContain('150 ms');
    await vi.waitFor(() => expect(fake.aborted).toBe(1));
  });

  it('a connection that never completes its handshake hits the connect timeout', async () => {
    // A TCP server that accepts and never speaks: the TLS handshake hangs, so connect times out.
    const silent: Server = createServer(() => {});
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const port = (silent.address() as { port: number }).port;
    const tls = createProvider(
      providerSchema.parse({
        name: 'tls',
        type: 'openai-compatible',
        base_url: `https://127.0.0.1:${port}/v1`,
      }),
    );
    try {
      const error = await caught(tls.chat(request('x'), callOptions({ connectTimeoutMs: 150 })));
      expect(error).toMatchObject({ code: 'upstream_timeout', retryable: true });
      expect(error.message).toContain('connect timeout');
    } finally {
      await tls.close();
      silent.close();
    }
  });

  it('a refused connection is a retryable upstream_unavailable', async () => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const closed = createProvider(
      providerSchema.parse({
        name: 'gone',
        type: 'openai-compatible',
        base_url: `http://127.0.0.1:${port}/v1`,
      }),
    );
    const error = await caught(closed.stream(request('x'), callOptions()));
    await closed.close();
    expect(error).toMatchObject({ code: 'upstream_unavailable', retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
  });
});

describe('the fake speaks the real wire format (checked with the official openai SDK)', () => {
  it('serves chat, streams with usage, embeddings, models and errors to the SDK', async () => {
    const { default: OpenAI, RateLimitError } = await import('openai');
    const client = new OpenAI({ baseURL: fake.url, apiKey: API_KEY, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'sdk' }],
    });
    expect(completion.choices[0]?.message.content).toBe('echo: sdk');
    const stream = await client.chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'sdk stream' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let streamed = '';
    let usage: unknown;
    for await (const chunk of stream) {
      streamed += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(streamed).toBe('echo: sdk stream');
    expect(usage).toMatchObject({ completion_tokens: 3 });
    const embeddings = await client.embeddings.create({ model: 'fake-embedding', input: 'x', dimensions: 3 });
    expect(embeddings.data[0]?.embedding).toHaveLength(3);
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toContain('fake-model');
    fake.enqueue({ status: 429, headers: { 'retry-after': '1' } });
    await expect(
      client.chat.completions.create({ model: 'fake-model', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toBeInstanceOf(RateLimitError);
  });
});
