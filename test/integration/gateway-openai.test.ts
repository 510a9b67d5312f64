/**
 * The gateway in front of a fake OpenAI-compatible upstream, driven by the official `openai`
 * SDK: chat, streams, passthrough, error mapping, retries, fallbacks, timeouts, cancel.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../fakes/fake-openai-server.js';
import { eventually, type Harness, startHarness } from '../helpers/harness.js';

let primary: FakeOpenAIServer;
let backup: FakeOpenAIServer;
let harness: Harness;

beforeAll(async () => {
  primary = await startFakeOpenAIServer();
  backup = await startFakeOpenAIServer();
  harness = await startHarness({
    gateway: { retry: { max_attempts: 3, initial_delay_ms: 10, max_delay_ms: 200 } },
    providers: [
      { name: 'primary', type: 'openai-compatible', base_url: primary.url },
      { name: 'backup', type: 'openai-compatible', base_url: backup.url },
    ],
    models: [
      {
        name: 'qwen-max',
        provider: 'primary',
        upstream_model: 'Qwen/Qwen2.5-7B-Instruct',
        pricing: { input_per_mtok: 0.4, output_per_mtok: 1.2, cached_input_per_mtok: 0.1 },
        fallbacks: ['backup-model'],
      },
      { name: 'backup-model', provider: 'backup', upstream_model: 'backup-upstream' },
      {
        name: 'short-lived',
        provider: 'backup',
        retry: { max_attempts: 1 },
        timeouts: { total_ms: 400 },
      },
      {
        name: 'impatient',
        provider: 'primary',
        retry: { max_attempts: 1 },
        timeouts: { first_token_ms: 300, total_ms: 2000 },
      },
      {
        name: 'stalls',
        provider: 'backup',
        retry: { max_attempts: 1 },
        timeouts: { idle_ms: 300, total_ms: 20_000 },
      },
      { name: 'embedder', provider: 'primary', kind: 'embedding', upstream_model: 'fake-embedding' },
    ],
  });
});

afterAll(async () => {
  await harness?.close();
  await primary?.close();
  await backup?.close();
});

beforeEach(() => {
  primary.reset();
  backup.reset();
});

/** Streams one user message and returns the text of the deltas. */
async function streamText(content: string): Promise<string> {
  const stream = await harness.client.chat.completions.create({
    model: 'qwen-max',
    messages: [{ role: 'user', content }],
    stream: true,
  });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

/** Streams one user message until it ends or fails: chunks received, the error (if any), the trace id. */
async function drainStream(model: string, content: string) {
  const { data: stream, response } = await harness.client.chat.completions
    .create({ model, messages: [{ role: 'user', content }], stream: true })
    .withResponse();
  let received = 0;
  let caught: unknown;
  try {
    for await (const _chunk of stream) received++;
  } catch (error) {
    caught = error;
  }
  return { received, caught, traceId: response.headers.get('x-stackops-trace-id')! };
}

describe('chat completions (non-streaming)', () => {
  it('answers through the upstream and records a trace with tokens, cost and latency', async () => {
    const { data: completion, response } = await harness.client.chat.completions
      .create({ model: 'qwen-max', messages: [{ role: 'user', content: 'Hello there' }] })
      .withResponse();
    expect(completion.choices[0]?.message.content).toBe('echo: Hello there');
    const traceId = response.headers.get('x-stackops-trace-id');
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(primary.requests[0]?.body).toMatchObject({ model: 'Qwen/Qwen2.5-7B-Instruct' });

    const trace = await harness.trace(traceId!);
    expect(trace).toMatchObject({
      status: 'ok',
      model: 'qwen-max',
      input_tokens: completion.usage?.prompt_tokens,
    });
    expect(trace.output_tokens).toBe(completion.usage?.completion_tokens);
    const expectedCost =
      ((completion.usage?.prompt_tokens ?? 0) * 0.4 + (completion.usage?.completion_tokens ?? 0) * 1.2) / 1e6;
    expect(trace.cost).toBeCloseTo(expectedCost, 12);
    expect(trace.latency_ms).toBeGreaterThan(0);
    const generation = trace.spans.find((span: { kind: string }) => span.kind === 'generation');
    expect(generation.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'Qwen/Qwen2.5-7B-Instruct',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': completion.usage?.prompt_tokens,
      'stackops.model': 'qwen-max',
    });
    expect(generation.attributes['gen_ai.input.messages']).toEqual([
      { role: 'user', content: 'Hello there' },
    ]);
    const root = trace.spans.find(
      (span: { span_id: string; parent_span_id: string | null }) =>
        generation.parent_span_id === span.span_id,
    );
    expect(root).toBeDefined();
  });

  it('records cached prompt tokens and bills them at the cached price', async () => {
    primary.enqueue({ cachedTokens: 2 });
    const { data: completion, response } = await harness.client.chat.completions
      .create({ model: 'qwen-max', messages: [{ role: 'user', content: 'one two three four' }] })
      .withResponse();
    const trace = await harness.trace(response.headers.get('x-stackops-trace-id')!);
    const generation = trace.spans.find((span: { kind: string }) => span.kind === 'generation');
    expect(generation.attributes['gen_ai.usage.cache_read.input_tokens']).toBe(2);
    const input = completion.usage?.prompt_tokens ?? 0;
    const output = completion.usage?.completion_tokens ?? 0;
    expect(trace.cost).toBeCloseTo(((input - 2) * 0.4 + 2 * 0.1 + output * 1.2) / 1e6, 12);
  });

  it('passes tools, tool_choice, response_format, stop and seed through faithfully', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'lookup',
          description: 'find',
          parameters: { type: 'object', properties: { q: { type: 'string' } } },
        },
      },
    ];
    const passed = {
      tools,
      tool_choice: { type: 'function' as const, function: { name: 'lookup' } },
      response_format: { type: 'json_object' as const },
      stop: ['END'],
      seed: 42,
      temperature: 0.3,
    };
    const completion = await harness.client.chat.completions.create({
      model: 'qwen-max',
      messages: [{ role: 'user', content: 'please call tool now' }],
      ...passed,
      n: 1,
      // an unknown vendor extra passes through too
      ...({ top_k: 5 } as object),
    });
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.tool_calls?.[0]).toMatchObject({ function: { name: 'lookup' } });
    expect(primary.requests[0]?.body).toMatchObject({ ...passed, top_k: 5 });
  });
});

describe('streaming', () => {
  it('relays SSE chunks, the usage-only final chunk when asked, and records TTFT', async () => {
    const { data: stream, response } = await harness.client.chat.completions
      .create({
        model: 'qwen-max',
        messages: [{ role: 'user', content: 'stream me please' }],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    let text = '';
    let usageChunks = 0;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usageChunks++;
    }
    expect(text).toBe('echo: stream me please');
    expect(usageChunks).toBe(1);
    const trace = await harness.trace(response.headers.get('x-stackops-trace-id')!);
    expect(trace.status).toBe('ok');
    expect(trace.ttft_ms).toBeGreaterThan(0);
    expect(trace.output_tokens).toBeGreaterThan(0);
    const generation = trace.spans.find((span: { kind: string }) => span.kind === 'generation');
    // the attempt's own time to first token: positive, and within the request's
    expect(generation.attributes['stackops.ttft_ms']).toBeGreaterThan(0);
    expect(generation.attributes['stackops.ttft_ms']).toBeLessThanOrEqual(trace.ttft_ms);
    expect(generation.attributes['gen_ai.output.messages'][0].content).toBe('echo: stream me please');
  });

  it('asks upstream for usage but hides the usage chunk when the client did not ask', async () => {
    const { data: stream, response } = await harness.client.chat.completions
      .create({ model: 'qwen-max', messages: [{ role: 'user', content: 'no usage for me' }], stream: true })
      .withResponse();
    let usageChunks = 0;
    for await (const chunk of stream) if (chunk.usage) usageChunks++;
    expect(usageChunks).toBe(0);
    expect(primary.requests[0]?.body).toMatchObject({ stream_options: { include_usage: true } });
    const trace = await harness.trace(response.headers.get('x-stackops-trace-id')!);
    expect(trace.input_tokens).toBeGreaterThan(0);
    // the upstream's usage is recorded as it is, not estimated
    expect(trace.attributes['stackops.usage.estimated']).toBeUndefined();
  });

  it('tolerates an empty-choices chunk', async () => {
    primary.enqueue({ emptyChoicesChunk: true });
    expect(await streamText('hi')).toBe('echo: hi');
  });

  it.each([
    ['a mid-stream cut', { cutAfterChunks: 3 }],
    ['a malformed chunk', { malformedChunkAt: 2 }],
    ['an in-band error event', { errorEventAt: 2 }],
  ])('turns %s after the first token into an error event and an interrupted trace', async (_name, script) => {
    primary.enqueue(script);
    const { received, caught, traceId } = await drainStream('qwen-max', 'one two three four five six seven');
    expect(received).toBeGreaterThan(0);
    expect(caught).toBeInstanceOf(OpenAI.APIError);
    const trace = await harness.trace(traceId);
    expect(trace.status).toBe('interrupted');
    expect(trace.attributes['stackops.stream.interrupted']).toBe(true);
    // no usage chunk came: the tokens are estimated from the text, not recorded as 0
    expect(trace.attributes['stackops.usage.estimated']).toBe(true);
    expect(trace.input_tokens).toBeGreaterThan(0);
    expect(trace.output_tokens).toBeGreaterThan(0);
    expect(trace.cost).toBeGreaterThan(0);
    // the stream had started: no retry, one attempt only
    expect(primary.requests).toHaveLength(1);
  });

  it('retries a failure that happens before the first chunk', async () => {
    primary.enqueue({ status: 503 }, { cutAfterChunks: 0 });
    expect(await streamText('again')).toBe('echo: again');
    expect(primary.requests).toHaveLength(3);
  });

  it('retries an in-band error that follows the role-only opening chunk', async () => {
    // Nothing but the role had come: the client has been sent nothing, so this is still a retry.
    primary.enqueue({ errorEventAt: 1 });
    expect(await streamText('after the role')).toBe('echo: after the role');
    expect(primary.requests).toHaveLength(2);
  });

  it('aborts the upstream call when the client disconnects', async () => {
    primary.enqueue({ chunkDelayMs: 100 });
    const controller = new AbortController();
    const { data: stream, response } = await harness.client.chat.completions
      .create(
        {
          model: 'qwen-max',
          messages: [{ role: 'user', content: 'a b c d e f g h i j k l m n o p' }],
          stream: true,
        },
        { signal: controller.signal },
      )
      .withResponse();
    const traceId = response.headers.get('x-stackops-trace-id')!;
    let received = 0;
    try {
      for await (const _chunk of stream) {
        if (++received === 2) controller.abort();
      }
    } catch {
      // the SDK may end the iteration or throw an abort error: both are a disconnect
    }
    expect(received).toBeLessThan(5);
    await eventually(() => primary.aborted === 1);
    await eventually(async () => {
      await harness.server.writer.flush();
      const response = await harness.api('GET', `/api/traces/${traceId}`);
      return response.status === 200 && response.body.status === 'interrupted';
    });
  });
});

describe('errors, retries, fallbacks and timeouts', () => {
  it('maps errors to the OpenAI shape and status codes', async () => {
    await expect(
      harness.client.chat.completions.create({
        model: 'no-such-model',
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
    await expect(
      harness.client.chat.completions.create({ model: 'qwen-max', messages: [] }),
    ).rejects.toMatchObject({ status: 400, code: 'invalid_request' });
    const anonymous = harness.clientFor('sk-so-wrong');
    await expect(
      anonymous.chat.completions.create({ model: 'qwen-max', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const raw = await fetch(`${harness.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.adminKey}`, 'content-type': 'application/json' },
      body: '{"model": "qwen-max", "messages": [',
    });
    expect(raw.status).toBe(400);
    expect(raw.headers.get('x-stackops-trace-id')).toBeTruthy();
    expect(await raw.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect(primary.requests).toHaveLength(0);
  });

  it('passes an upstream 400 through without retrying or falling back', async () => {
    primary.enqueue({ status: 400, message: 'context length exceeded' });
    await expect(
      harness.client.chat.completions.create({
        model: 'qwen-max',
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('context length exceeded') });
    expect(primary.requests).toHaveLength(1);
    expect(backup.requests).toHaveLength(0);
  });

  it('retries 429 (honouring retry-after) and 5xx, one generation span per attempt', async () => {
    primary.enqueue({ status: 429, headers: { 'retry-after': '0.15' } }, { status: 500 });
    const started = Date.now();
    const { data, response } = await harness.client.chat.completions
      .create({ model: 'qwen-max', messages: [{ role: 'user', content: 'retry me' }] })
      .withResponse();
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(data.choices[0]?.message.content).toBe('echo: retry me');
    expect(primary.requests).toHaveLength(3);
    const trace = await harness.trace(response.headers.get('x-stackops-trace-id')!);
    const attempts = trace.spans
      .filter((span: { kind: string }) => span.kind === 'generation')
      .sort(
        (a: { attributes: Record<string, number> }, b: { attributes: Record<string, number> }) =>
          a.attributes['stackops.attempt']! - b.attributes['stackops.attempt']!,
      );
    expect(attempts.map((span: { status: string }) => span.status)).toEqual(['error', 'error', 'ok']);
    expect(attempts[0].attributes['error.type']).toBe('rate_limited');
    expect(trace.status).toBe('ok');
  });

  it('falls back to the next model after retries are spent', async () => {
    primary.enqueue({ status: 503 }, { status: 503 }, { status: 503 });
    const { data, response } = await harness.client.chat.completions
      .create({ model: 'qwen-max', messages: [{ role: 'user', content: 'fall back' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('echo: fall back');
    expect(primary.requests).toHaveLength(3);
    expect(backup.requests[0]?.body).toMatchObject({ model: 'backup-upstream' });
    const trace = await harness.trace(response.headers.get('x-stackops-trace-id')!);
    const served = trace.spans.find(
      (span: { kind: string; status: string }) => span.kind === 'generation' && span.status === 'ok',
    );
    expect(served.attributes).toMatchObject({
      'stackops.model': 'backup-model',
      'stackops.fallback_index': 1,
    });
    expect(trace.attributes['stackops.model']).toBe('backup-model');
  });

  it('returns the last error when every model fails, and records it', async () => {
    primary.enqueue({ status: 503 }, { status: 503 }, { status: 503 });
    backup.enqueue({ status: 502 }, { status: 502 }, { status: 502 });
    const error = await harness.client.chat.completions
      .create({ model: 'qwen-max', messages: [{ role: 'user', content: 'doomed' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBeGreaterThanOrEqual(500);
    const traceId = (error as InstanceType<typeof OpenAI.APIError>).headers?.get('x-stackops-trace-id');
    const trace = await harness.trace(traceId!);
    expect(trace.status).toBe('error');
    expect(trace.spans.filter((span: { kind: string }) => span.kind === 'generation')).toHaveLength(6);
  });

  it('times out a hanging non-streaming upstream at the total timeout with 504', async () => {
    primary.enqueue({ hang: true });
    const started = Date.now();
    await expect(
      harness.client.chat.completions.create({
        model: 'impatient',
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toMatchObject({ status: 504, code: 'upstream_timeout' });
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('waits past first_token_ms for a non-streaming answer (its headers come with the whole answer)', async () => {
    // Servers send a non-streaming answer's headers when generation is done: a long answer
    // took longer than first_token_ms (300 ms here) and was cut with a 504, then retried.
    primary.enqueue({ delayMs: 1400, reply: 'a long answer' });
    const answer = await harness.client.chat.completions.create({
      model: 'impatient',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(answer.choices[0]?.message.content).toBe('a long answer');
  });

  it('times out a stream whose first token never comes', async () => {
    primary.enqueue({ stallAfterChunks: 0 });
    await expect(
      harness.client.chat.completions.create({
        model: 'impatient',
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
      }),
    ).rejects.toMatchObject({ status: 504 });
  });

  it('ends a started stream at the total timeout and records it as interrupted', async () => {
    backup.enqueue({ chunkDelayMs: 150 });
    const { received, caught, traceId } = await drainStream('short-lived', 'a b c d e f g h i j k l');
    expect(received).toBeGreaterThan(0);
    expect(caught).toBeInstanceOf(OpenAI.APIError);
    expect((caught as Error).message).toMatch(/did not finish within 400 ms/);
    const trace = await harness.trace(traceId);
    expect(trace.status).toBe('interrupted');
    // its own fake: earlier tests leave hung requests on the primary
    await eventually(() => backup.aborted === 1);
    expect(backup.completed).toBe(0);
  });

  it('ends a stream that stalls after its first tokens at idle_ms, not at the total timeout', async () => {
    backup.enqueue({ stallAfterChunks: 2 });
    const started = Date.now();
    const { received, caught, traceId } = await drainStream('stalls', 'a b c d e f g h');
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(received).toBeGreaterThan(0);
    expect(caught).toBeInstanceOf(OpenAI.APIError);
    expect((caught as Error).message).toMatch(/sent nothing for 300 ms \(idle_ms\)/);
    const trace = await harness.trace(traceId);
    expect(trace.status).toBe('interrupted');
  });

  it('rejects n > 1 and a viewer key', async () => {
    await expect(
      harness.client.chat.completions.create({
        model: 'qwen-max',
        n: 2,
        messages: [{ role: 'user', content: 'x' }],
      }),
    ).rejects.toMatchObject({ status: 400, param: 'n' });
    const created = await harness.api('POST', '/api/keys', { name: 'watcher', role: 'viewer' });
    const viewer = harness.clientFor(created.body.secret);
    await expect(
      viewer.chat.completions.create({ model: 'qwen-max', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 403 });
  });
});

describe('trace context, embeddings and models', () => {
  it('joins the caller trace from traceparent and forwards one upstream', async () => {
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const { response } = await harness.client.chat.completions
      .create(
        { model: 'qwen-max', messages: [{ role: 'user', content: 'traced' }] },
        { headers: { traceparent: `00-${callerTrace}-${callerSpan}-01` } },
      )
      .withResponse();
    expect(response.headers.get('x-stackops-trace-id')).toBe(callerTrace);
    const trace = await harness.trace(callerTrace);
    const root = trace.spans.find(
      (span: { parent_span_id: string | null }) => span.parent_span_id === callerSpan,
    );
    expect(root).toBeDefined();
    const generation = trace.spans.find((span: { kind: string }) => span.kind === 'generation');
    expect(generation.parent_span_id).toBe(root.span_id);
    expect(primary.requests[0]?.headers.traceparent).toBe(`00-${callerTrace}-${generation.span_id}-01`);
  });

  it('serves embeddings and lists models', async () => {
    const embedding = await harness.client.embeddings.create({ model: 'embedder', input: ['alpha', 'beta'] });
    expect(embedding.data).toHaveLength(2);
    expect(embedding.data[0]?.embedding.length).toBeGreaterThan(0);
    const models = await harness.client.models.list();
    const ids = models.data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(['qwen-max', 'backup-model', 'embedder', 'local-extractive']));
  });
});

describe('provider misconfiguration', () => {
  it('reports an upstream 401 as a 502 after trying the fallback, never as the caller’s 401', async () => {
    primary.enqueue({ status: 401, message: 'Incorrect API key provided' });
    backup.enqueue({ status: 401, message: 'Incorrect API key provided' });
    const error = await harness.client.chat.completions
      .create({ model: 'qwen-max', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 502, code: 'upstream_error' });
    expect((error as Error).message).toContain('Provider "backup" answered 401');
    expect(primary.requests).toHaveLength(1);
    expect(backup.requests).toHaveLength(1);
  });
});
