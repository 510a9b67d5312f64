/**
 * The gateway in front of a fake Anthropic Messages API, driven by the `openai` SDK: the
 * translation both ways, streaming, tool calls, cached-token accounting, error mapping.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeAnthropicServer, startFakeAnthropicServer } from '../fakes/fake-anthropic-server.js';
import { type Harness, startHarness } from '../helpers/harness.js';

let fake: FakeAnthropicServer;
let harness: Harness;

beforeAll(async () => {
  fake = await startFakeAnthropicServer({ apiKey: 'anthropic-secret' });
  harness = await startHarness(
    {
      gateway: { retry: { max_attempts: 2, initial_delay_ms: 5, max_delay_ms: 50 } },
      providers: [
        { name: 'claude', type: 'anthropic', base_url: fake.url, api_key_env: 'TEST_ANTHROPIC_KEY' },
      ],
      models: [
        {
          name: 'claude',
          provider: 'claude',
          upstream_model: 'claude-sonnet-4-5',
          pricing: { input_per_mtok: 3, output_per_mtok: 15, cached_input_per_mtok: 0.3 },
        },
        {
          name: 'claude-listed',
          provider: 'claude',
          upstream_model: 'claude-sonnet-4-5',
          pricing: {
            input_per_mtok: 3,
            output_per_mtok: 15,
            cached_input_per_mtok: 0.5,
            cache_write_input_per_mtok: 4,
          },
        },
        {
          name: 'claude-unlisted',
          provider: 'claude',
          upstream_model: 'claude-sonnet-4-5',
          pricing: { input_per_mtok: 3, output_per_mtok: 15 },
        },
      ],
    },
    { env: { TEST_ANTHROPIC_KEY: 'anthropic-secret' } },
  );
});
afterAll(async () => {
  await harness?.close();
  await fake?.close();
});
beforeEach(() => fake.reset());

const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'weather', parameters: { type: 'object', properties: {} } },
};

describe('anthropic through the gateway', () => {
  it('translates a chat with a system prompt and reads the key from the named env var', async () => {
    const completion = await harness.client.chat.completions.create({
      model: 'claude',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello Claude' },
      ],
      max_tokens: 100,
    });
    expect(completion.choices[0]?.message.content).toBe('echo: Hello Claude');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe('anthropic-secret');
    expect(sent.body).toMatchObject({ model: 'claude-sonnet-4-5', system: 'Be brief.', max_tokens: 100 });
  });

  it('streams, with tool calls, and records usage including cached tokens', async () => {
    fake.enqueue({ cachedTokens: 3 });
    const { data: stream, response } = await harness.client.chat.completions
      .create({
        model: 'claude',
        messages: [{ role: 'user', content: 'please call tool for Paris' }],
        tools: [weatherTool],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    let argumentsText = '';
    let toolName = '';
    let finish: string | null = null;
    let usage: { prompt_tokens: number; prompt_tokens_details?: { cached_tokens?: number } } | null = null;
    for await (const chunk of stream) {
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      if (call?.function?.name) toolName = call.function.name;
      if (call?.function?.arguments) argumentsText += call.function.arguments;
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(toolName).toBe('get_weather');
    expect(JSON.parse(argumentsText)).toEqual({ query: 'please call tool for Paris' });
    expect(finish).toBe('tool_calls');
    expect(usage?.prompt_tokens_details?.cached_tokens).toBe(3);
    const trace = await harness.trace(response.headers.get('x-stackops-trace-id')!);
    expect(trace.status).toBe('ok');
    expect(trace.ttft_ms).toBeGreaterThan(0);
    const generation = trace.spans.find((span: { kind: string }) => span.kind === 'generation');
    expect(generation.attributes['gen_ai.usage.cache_read.input_tokens']).toBe(3);
    expect(generation.attributes['gen_ai.system']).toBe('anthropic');
  });

  it.each([
    ['claude-listed', false, { read: 0.5, write: 4 }],
    ['claude-unlisted', true, { read: 0.3, write: 3.75 }],
  ])(
    'bills cache writes and reads of %s (stream: %s) at their rates and traces the split',
    async (model, stream, rates) => {
      fake.enqueue({ cacheCreationTokens: 40, cachedTokens: 10 });
      const request = { model, messages: [{ role: 'user' as const, content: 'cache me' }] };
      let traceId: string;
      if (stream) {
        const { data, response } = await harness.client.chat.completions
          .create({ ...request, stream: true })
          .withResponse();
        for await (const _chunk of data) {
        }
        traceId = response.headers.get('x-stackops-trace-id')!;
      } else {
        const { response } = await harness.client.chat.completions.create(request).withResponse();
        traceId = response.headers.get('x-stackops-trace-id')!;
      }
      const trace = await harness.trace(traceId);
      const generation = trace.spans.find((span: { kind: string }) => span.kind === 'generation');
      const prompt = generation.attributes['gen_ai.usage.input_tokens'];
      const output = generation.attributes['gen_ai.usage.output_tokens'];
      expect(generation.attributes['gen_ai.usage.cache_creation.input_tokens']).toBe(40);
      expect(generation.attributes['gen_ai.usage.cache_read.input_tokens']).toBe(10);
      expect(prompt).toBeGreaterThan(50);
      const root = trace.spans.find((span: { kind: string }) => span.kind === 'span');
      expect(root.attributes['gen_ai.usage.cache_creation.input_tokens']).toBe(40);
      const expected = ((prompt - 50) * 3 + 40 * rates.write + 10 * rates.read + output * 15) / 1e6;
      expect(trace.cost).toBeCloseTo(expected, 12);
    },
  );

  it('sends a tool result back as an Anthropic tool_result block', async () => {
    const completion = await harness.client.chat.completions.create({
      model: 'claude',
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'toolu_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' },
      ],
    });
    expect(completion.choices[0]?.message.content).toContain('tool result');
    const body = fake.requests[0]!.body as {
      messages: Array<{ role: string; content: Array<Record<string, unknown>> }>;
    };
    expect(body.messages[1]!.content[0]).toMatchObject({
      type: 'tool_use',
      id: 'toolu_1',
      input: { city: 'Paris' },
    });
    expect(body.messages[2]!.content[0]).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_1' });
  });

  it('retries 529 overloaded and maps a 400 to the OpenAI error shape', async () => {
    fake.enqueue({ status: 529 });
    const completion = await harness.client.chat.completions.create({
      model: 'claude',
      messages: [{ role: 'user', content: 'after overload' }],
    });
    expect(completion.choices[0]?.message.content).toBe('echo: after overload');
    expect(fake.requests).toHaveLength(2);

    fake.enqueue({ status: 400, message: 'messages: roles must alternate' });
    await expect(
      harness.client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('roles must alternate') });
  });

  it('retries an overloaded_error that comes right after message_start, before any output', async () => {
    // Anthropic answers 200, sends message_start, then the overload as an in-band event: the
    // client has been sent nothing yet, so the stream has not started and the call is retried.
    fake.enqueue({ errorEventAt: 1, errorType: 'overloaded_error', message: 'Overloaded' });
    const { data: stream, response } = await harness.client.chat.completions
      .create({ model: 'claude', messages: [{ role: 'user', content: 'after an overload' }], stream: true })
      .withResponse();
    let text = '';
    let role: string | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      role ??= chunk.choices[0]?.delta.role;
    }
    expect(text).toBe('echo: after an overload');
    expect(role).toBe('assistant');
    expect(fake.requests).toHaveLength(2);
    const trace = await harness.trace(response.headers.get('x-stackops-trace-id')!);
    expect(trace.status).toBe('ok');
    const attempts = trace.spans.filter((span: { kind: string }) => span.kind === 'generation');
    expect(attempts.map((span: { status: string }) => span.status).sort()).toEqual(['error', 'ok']);
  });

  it('records a stream cut after the first token as interrupted', async () => {
    fake.enqueue({ cutAfterChunks: 4 });
    const { data: stream, response } = await harness.client.chat.completions
      .create({ model: 'claude', messages: [{ role: 'user', content: 'a b c d e f g h' }], stream: true })
      .withResponse();
    await expect(
      (async () => {
        for await (const _chunk of stream) {
          // drain
        }
      })(),
    ).rejects.toThrow();
    const trace = await harness.trace(response.headers.get('x-stackops-trace-id')!);
    expect(trace.status).toBe('interrupted');
  });
});
