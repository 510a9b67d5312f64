/**
 * Durability of the trace path: content the database cannot store (U+0000, lone surrogates
 * on Postgres) must not block the traces behind it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../src/core/index.js';
import { makeTrace } from '../contract/contract-fixtures.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../fakes/fake-openai-server.js';
import { type Harness, startHarness } from '../helpers/harness.js';

let fake: FakeOpenAIServer;
const harnesses: Harness[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAIServer();
});
afterAll(async () => {
  for (const harness of harnesses) await harness.close();
  await fake?.close();
});

const config = () => ({
  providers: [{ name: 'vllm', type: 'openai-compatible', base_url: fake.url }],
  models: [{ name: 'qwen', provider: 'vllm', pricing: { input_per_mtok: 1, output_per_mtok: 1 } }],
});

/** Asks one question a request, in order; the trace ids. */
async function askEach(harness: Harness, contents: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const content of contents) {
    const { response } = await harness.client.chat.completions
      .create({ model: 'qwen', messages: [{ role: 'user', content }] })
      .withResponse();
    ids.push(response.headers.get('x-stackops-trace-id')!);
  }
  return ids;
}

describe.each(['sqlite', 'postgres'] as const)('trace durability on %s', (backend) => {
  it('a prompt with U+0000 or a lone surrogate is traced and does not block later traces', async () => {
    const harness = await startHarness(config(), { backend });
    harnesses.push(harness);
    const ids = await askEach(harness, ['nul \u0000 here', 'lone \ud800 surrogate', 'plain']);
    await harness.server.writer.flush();
    expect(harness.server.writer.stats()).toMatchObject({ buffered: 0, written: 3 });
    for (const id of ids) expect((await harness.trace(id)).status).toBe('ok');
  });
});

describe.each(['sqlite', 'postgres'] as const)('odd upstream usage on %s', (backend) => {
  it('an upstream usage that is not a count does not block later traces', async () => {
    const harness = await startHarness(config(), { backend });
    harnesses.push(harness);
    const body = (usage: unknown) => ({
      id: 'chatcmpl-x',
      object: 'chat.completion',
      created: 1,
      model: 'qwen',
      choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
      usage,
    });
    fake.enqueue({ body: body({ prompt_tokens: 'many', completion_tokens: 2, total_tokens: 3 }) });
    fake.enqueue({ body: body({ prompt_tokens: 1e300, completion_tokens: -5, total_tokens: 3 }) });
    const ids = await askEach(harness, ['a', 'b', 'plain']);
    await harness.server.writer.flush();
    expect(harness.server.writer.stats()).toMatchObject({ buffered: 0 });
    const last = await harness.trace(ids[2]!);
    expect(last.status).toBe('ok');
    // Not counts: recorded as 0 rather than refused by the database.
    expect(await harness.trace(ids[0]!)).toMatchObject({ input_tokens: 0, output_tokens: 2 });
    expect(await harness.trace(ids[1]!)).toMatchObject({ input_tokens: 0, output_tokens: 0 });
  });
});

describe.each(['sqlite', 'postgres'] as const)('a trace the database refuses on %s', (backend) => {
  it('is dropped and counted; the traces batched with it are written', async () => {
    const harness = await startHarness(config(), { backend });
    harnesses.push(harness);
    const projectId = (await harness.api('GET', '/api/projects')).body.data[0].id as string;
    const record = (id: string, status: string) =>
      makeTrace(projectId, { id, status: status as TraceRecord['status'], model: 'qwen' });
    const good = ['a', 'b', 'c'].map((letter) => letter.repeat(32));
    harness.server.writer.enqueue(record(good[0]!, 'ok'), []);
    harness.server.writer.enqueue(record('d'.repeat(32), 'not-a-status'), []); // CHECK constraint
    harness.server.writer.enqueue(record(good[1]!, 'ok'), []);
    harness.server.writer.enqueue(record(good[2]!, 'error'), []);
    await harness.server.writer.flush();
    expect(harness.server.writer.stats()).toMatchObject({ buffered: 0, written: 3, rejected: 1 });
    for (const id of good) expect((await harness.trace(id)).id).toBe(id);
  });
});

describe('trace buffer while the store is down', () => {
  const blockStore = (harness: Harness) => {
    // The writer calls its sink per batch: a store that does not answer, as a hung database,
    // until the test ends (so that close() can drain).
    const traces = harness.server.store.traces;
    const writeBatch = traces.writeBatch.bind(traces);
    let unblock: () => void = () => {};
    const unblocked = new Promise<void>((resolve) => {
      unblock = resolve;
    });
    traces.writeBatch = (batch) => unblocked.then(() => writeBatch(batch));
    const close = harness.close.bind(harness);
    harness.close = async () => {
      unblock();
      await close();
    };
  };
  const send = async (harness: Harness, count: number) => {
    const prompt = 'x'.repeat(300_000);
    for (let index = 0; index < count; index++)
      await harness.client.chat.completions.create({
        model: 'qwen',
        messages: [{ role: 'user', content: `${index} ${prompt}` }],
      });
  };

  it('holds at most tracing.max_buffer_bytes of captured content, shedding the rest', async () => {
    const harness = await startHarness({ ...config(), tracing: { max_buffer_bytes: 1_048_576 } });
    harnesses.push(harness);
    blockStore(harness);
    await send(harness, 8);
    const stats = harness.server.writer.stats();
    expect(stats.bufferedBytes).toBeLessThanOrEqual(1_048_576);
    expect(stats.buffered).toBeGreaterThanOrEqual(2);
    expect(stats.shed).toBe(8 - stats.buffered);
  });

  it('counts no content bytes when content is not captured', async () => {
    const harness = await startHarness({
      ...config(),
      tracing: { max_buffer_bytes: 1_048_576, capture_content: false },
    });
    harnesses.push(harness);
    blockStore(harness);
    await send(harness, 8);
    expect(harness.server.writer.stats()).toMatchObject({ buffered: 8, shed: 0, bufferedBytes: 0 });
  });
});

describe.each(['sqlite', 'postgres'] as const)('shutdown on %s', (backend) => {
  it('writes the interrupted trace of a stream that the drain deadline cut', async () => {
    const harness = await startHarness(
      { ...config(), tracing: { flush_interval_ms: 60_000 } },
      { backend, drainTimeoutMs: 300 },
    );
    harnesses.push(harness);
    const traces = harness.server.store.traces;
    const writeBatch = traces.writeBatch.bind(traces);
    const written: Array<{ id: string; status: string }> = [];
    traces.writeBatch = async (batch) => {
      await writeBatch(batch);
      for (const trace of batch.traces) written.push({ id: trace.id, status: trace.status });
    };
    fake.enqueue({ stallAfterChunks: 2 });
    const { data: stream, response } = await harness.client.chat.completions
      .create({ model: 'qwen', messages: [{ role: 'user', content: 'a b c d e f' }], stream: true })
      .withResponse();
    const traceId = response.headers.get('x-stackops-trace-id')!;
    const consumed = (async () => {
      for await (const _chunk of stream) {
        // the stream stalls after two chunks; the shutdown cuts it
      }
    })().catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    await harness.server.close();
    await consumed;
    // flush_interval is a minute: only the drain can have written it.
    expect(harness.server.writer.stats()).toMatchObject({ buffered: 0, written: 1 });
    expect(written).toEqual([{ id: traceId, status: 'interrupted' }]);
  });
});
