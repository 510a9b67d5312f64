/**
 * The Anthropic adapter against the fake Messages API over real HTTP: request translation as
 * the upstream receives it, responses and streams mapped back to OpenAI shapes (text, tool
 * calls both directions, cache usage), and every failure path.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  providerSchema,
  UpstreamError,
} from '../../src/core/index.js';
import { createProvider, type Provider } from '../../src/providers/index.js';
import { type FakeAnthropicServer, startFakeAnthropicServer } from '../fakes/fake-anthropic-server.js';
import { callOptions, caught, collect } from '../helpers/provider-calls.js';

const API_KEY = 'sk-ant-test-secret';
let fake: FakeAnthropicServer;
let provider: Provider;

const lookupTool = {
  type: 'function',
  function: {
    name: 'lookup',
    description: 'Look a word up',
    parameters: { type: 'object', properties: { query: { type: 'string' } } },
  },
};

function request(text: string, extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest {
  return {
    model: 'claude-fake',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: text },
    ],
    ...extra,
  };
}

beforeAll(async () => {
  fake = await startFakeAnthropicServer({ apiKey: API_KEY });
  provider = createProvider(
    providerSchema.parse({ name: 'claude', type: 'anthropic', base_url: fake.url, default_max_tokens: 321 }),
    API_KEY,
  );
});
afterAll(async () => {
  await provider.close();
  await fake.close();
});
afterEach(() => fake.reset());

describe('anthropic chat', () => {
  it('sends a Messages request with x-api-key and anthropic-version and maps the reply', async () => {
    fake.enqueue({ cachedTokens: 40, cacheCreationTokens: 7 });
    const completion = await provider.chat(
      request('hello claude', { stop: 'END', temperature: 0.2, user: 'user-9' }),
      callOptions(),
    );
    const received = fake.requests[0]!;
    expect(received.path).toBe('/v1/messages');
    expect(received.headers['x-api-key']).toBe(API_KEY);
    expect(received.headers['anthropic-version']).toBe('2023-06-01');
    expect(received.headers.authorization).toBeUndefined();
    expect(received.body).toEqual({
      model: 'claude-fake',
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'hello claude' }],
      max_tokens: 321,
      stop_sequences: ['END'],
      temperature: 0.2,
      metadata: { user_id: 'user-9' },
    });
    expect(completion).toMatchObject({ id: 'msg_fake_1', object: 'chat.completion', model: 'claude-fake' });
    expect(completion.choices[0]).toMatchObject({
      message: { role: 'assistant', content: 'echo: hello claude' },
      finish_reason: 'stop',
    });
    const inputTokens = Math.ceil('Be brief.hello claude'.length / 4);
    expect(completion.usage).toEqual({
      prompt_tokens: inputTokens + 40 + 7,
      completion_tokens: 3,
      total_tokens: inputTokens + 47 + 3,
      prompt_tokens_details: { cached_tokens: 40, cache_creation_tokens: 7 },
    });
  });

  it('maps max_tokens to finish_reason "length"', async () => {
    const completion = await provider.chat(request('one two three four', { max_tokens: 2 }), callOptions());
    expect((fake.requests[0]!.body as { max_tokens: number }).max_tokens).toBe(2);
    expect(completion.choices[0]).toMatchObject({
      message: { content: 'echo: one ' },
      finish_reason: 'length',
    });
  });

  it('translates tools and returns the tool call as OpenAI tool_calls', async () => {
    const completion = await provider.chat(
      request('please call tool', { tools: [lookupTool], tool_choice: 'required' }),
      callOptions(),
    );
    const body = fake.requests[0]?.body as Record<string, unknown>;
    expect(body.tools).toEqual([
      { name: 'lookup', description: 'Look a word up', input_schema: lookupTool.function.parameters },
    ]);
    expect(body.tool_choice).toEqual({ type: 'any' });
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBe('Calling the tool.');
    expect(choice.message.tool_calls).toEqual([
      {
        id: 'toolu_fake_1',
        type: 'function',
        function: { name: 'lookup', arguments: '{"query":"please call tool"}' },
      },
    ]);
  });

  it('sends a tool round trip as tool_use and tool_result blocks', async () => {
    const completion = await provider.chat(
      {
        model: 'claude-fake',
        tools: [lookupTool],
        messages: [
          { role: 'user', content: 'call tool' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'toolu_1', type: 'function', function: { name: 'lookup', arguments: '{"query":"x"}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'toolu_1', content: 'forty-two' },
        ],
      },
      callOptions(),
    );
    const messages = (fake.requests[0]!.body as { messages: unknown[] }).messages;
    expect(messages).toEqual([
      { role: 'user', content: 'call tool' },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { query: 'x' } }],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'forty-two' }] },
    ]);
    expect(completion.choices[0]?.message.content).toBe('tool result: forty-two');
  });

  it('has no embeddings', async () => {
    const error = await caught(provider.embed({ model: 'claude-fake', input: 'x' }, callOptions()));
    expect(error).toMatchObject({ code: 'invalid_request', status: 400, retryable: false });
    expect(error.message).toContain('no embeddings');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('anthropic stream', () => {
  it('maps the event sequence to a role chunk, text deltas, a finish chunk and a usage chunk', async () => {
    fake.enqueue({ cachedTokens: 11 });
    const chunks = await collect(await provider.stream(request('stream this please'), callOptions()));
    expect((fake.requests[0]!.body as { stream: boolean }).stream).toBe(true);
    expect(fake.requests[0]?.headers.accept).toBe('text/event-stream');
    expect(chunks[0]).toMatchObject({
      id: 'msg_fake_1',
      object: 'chat.completion.chunk',
      model: 'claude-fake',
    });
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(
      'echo: stream this please',
    );
    const finish = chunks.at(-2)!;
    expect(finish.choices[0]).toEqual({ index: 0, delta: {}, finish_reason: 'stop' });
    const usage = chunks.at(-1)!;
    expect(usage.choices).toEqual([]);
    expect(usage.usage).toMatchObject({ completion_tokens: 4, prompt_tokens_details: { cached_tokens: 11 } });
    expect(usage.usage?.prompt_tokens).toBe(Math.ceil('Be brief.stream this please'.length / 4) + 11);
  });

  it('streams a tool call as index/id/name then argument fragments', async () => {
    const chunks = await collect(
      await provider.stream(request('call tool now', { tools: [lookupTool] }), callOptions()),
    );
    const calls = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toEqual({
      index: 0,
      id: 'toolu_fake_1',
      type: 'function',
      function: { name: 'lookup', arguments: '' },
    });
    expect(calls.length).toBeGreaterThanOrEqual(3); // the arguments arrive in several fragments
    expect(calls.slice(1).every((call) => call.index === 0 && call.id === undefined)).toBe(true);
    expect(calls.map((call) => call.function?.arguments ?? '').join('')).toBe('{"query":"call tool now"}');
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it.each([
    ['CRLF', { lineEnding: '\r\n' as const }],
    ['fragmented writes', { fragmentSize: 5 }],
    ['keep-alive comments', { keepAliveComments: true }],
  ])('parses %s', async (_name, script) => {
    fake.enqueue(script);
    const chunks = await collect(await provider.stream(request('ça marche'), callOptions()));
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('echo: ça marche');
  });

  it.each([
    [
      'an overloaded_error event',
      { errorEventAt: 4 },
      'upstream_unavailable',
      /overloaded_error.*Overloaded/,
      true,
    ],
    [
      'an api_error event',
      { errorEventAt: 3, errorType: 'api_error', message: 'boom' },
      'upstream_error',
      /boom/,
      true,
    ],
    ['a malformed event', { malformedChunkAt: 3 }, 'upstream_error', /malformed stream event/, false],
    ['a socket cut', { cutAfterChunks: 4 }, 'upstream_error', /stream ended before message_stop/, true],
    [
      'a clean end without message_stop',
      { omitDone: true },
      'upstream_error',
      /stream ended before message_stop/,
      true,
    ],
  ])('throws from the iterator on %s', async (_name, script, code, message, retryable) => {
    fake.enqueue(script);
    const received: ChatCompletionChunk[] = [];
    const error = await caught(
      (async () => {
        for await (const chunk of await provider.stream(request('a b c d e'), callOptions()))
          received.push(chunk);
      })(),
    );
    expect(error).toMatchObject({ code, retryable });
    expect(error.message).toMatch(message);
    expect(received[0]?.choices[0]?.delta.role).toBe('assistant');
  });

  it('aborting mid-stream reaches the upstream', async () => {
    fake.enqueue({ chunkDelayMs: 100 });
    const controller = new AbortController();
    const iterator = (
      await provider.stream(request('a b c d e f'), callOptions({ signal: controller.signal }))
    )[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort();
    await expect(iterator.next()).rejects.toBeInstanceOf(UpstreamError);
    await vi.waitFor(() => expect(fake.aborted).toBe(1));
  });
});

describe('anthropic status errors', () => {
  it.each([
    [{ status: 429, headers: { 'retry-after': '7' } }, 'rate_limited', true, 429, 7],
    [{ status: 529 }, 'upstream_unavailable', true, 503, undefined],
    [{ status: 500 }, 'upstream_error', true, 502, undefined],
    [{ status: 400, message: 'max_tokens: must be positive' }, 'invalid_request', false, 400, undefined],
    [{ status: 413 }, 'invalid_request', false, 413, undefined],
  ])('maps %j for chat and stream', async (script, code, retryable, status, retryAfter) => {
    for (const call of ['chat', 'stream'] as const) {
      fake.enqueue(script);
      const promise =
        call === 'chat'
          ? provider.chat(request('x'), callOptions())
          : provider.stream(request('x'), callOptions());
      const error = await caught(promise);
      expect(error).toMatchObject({ code, retryable, status, upstreamStatus: script.status });
      expect(error.retryAfterSeconds).toBe(retryAfter);
      if ('message' in script) expect(error.message).toBe(script.message);
    }
  });

  it('names the overload in the message of a 529', async () => {
    fake.enqueue({ status: 529 });
    expect((await caught(provider.chat(request('x'), callOptions()))).message).toBe(
      'provider "claude" returned 529: Overloaded',
    );
  });

  it('rejects a request it cannot translate before calling the upstream', async () => {
    await expect(provider.chat(request('x', { n: 2 }), callOptions())).rejects.toMatchObject({
      code: 'invalid_request',
      param: 'n',
    });
    expect(fake.requests).toHaveLength(0);
  });
});
