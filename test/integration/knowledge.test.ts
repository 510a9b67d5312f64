/**
 * Knowledge bases end to end over the REST API and the gateway: ingest with dedupe,
 * immutable snapshots, diff, staleness, search, embeddings, stacks answering from a pinned
 * snapshot with citations and a retrieval span, budgeting, and rollback of knowledge.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../fakes/fake-openai-server.js';
import { type Harness, startHarnessOn } from '../helpers/harness.js';

let fake: FakeOpenAIServer;
let harness: Harness;

const docs = [
  {
    id: 'refunds',
    text: 'Refunds are issued within 14 days of the return. Refunds go back to the original card.',
    metadata: { lang: 'en', team: 'billing' },
  },
  {
    id: 'shipping',
    text: 'Standard shipping takes three to five business days. Express shipping arrives next day.',
    metadata: { lang: 'en', team: 'logistics' },
  },
  {
    id: 'passwords',
    text: 'To reset your password, open Settings and choose Reset password. A link arrives by email.',
    metadata: { lang: 'en', team: 'support' },
  },
  {
    id: 'zh-invoice',
    text: '发票会在订单完成后三个工作日内通过电子邮件发送。如需纸质发票请联系客服。',
    metadata: { lang: 'zh', team: 'billing' },
  },
];

beforeAll(async () => {
  fake = await startFakeOpenAIServer();
  harness = await startHarnessOn(fake, 'vllm', [
    { name: 'qwen-max', context_window: 32768 },
    { name: 'tiny-window', context_window: 110 },
  ]);
});
afterAll(async () => {
  await harness?.close();
  await fake?.close();
});
beforeEach(() => fake.reset());

describe('knowledge bases', () => {
  it('ingests with content-hash dedupe, snapshots, diffs and searches any snapshot', async () => {
    expect(
      (await harness.api('POST', '/api/knowledge', { name: 'faq', chunk_tokens: 64, overlap_tokens: 8 }))
        .status,
    ).toBe(201);
    expect((await harness.api('POST', '/api/knowledge', { name: 'faq' })).status).toBe(409);
    const first = await harness.api('POST', '/api/knowledge/faq/documents', { documents: docs });
    expect(first.body).toEqual({ inserted: 4, updated: 0, unchanged: 0 });
    const again = await harness.api('POST', '/api/knowledge/faq/documents', { documents: docs });
    expect(again.body).toEqual({ inserted: 0, updated: 0, unchanged: 4 });
    const v1 = await harness.api('POST', '/api/knowledge/faq/snapshots');
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ version: 1, documents: 4 });

    const search = await harness.api('POST', '/api/knowledge/faq/search', {
      query: 'how long do refunds take',
      top_k: 3,
    });
    expect(search.status).toBe(200);
    expect(search.body.snapshot).toBe(1);
    expect(search.body.results[0]).toMatchObject({ document_id: 'refunds', chunk_id: 'refunds#0' });
    expect(search.body.results[0].score).toBeGreaterThan(0);
    const chinese = await harness.api('POST', '/api/knowledge/faq/search', {
      query: '电子发票什么时候发送',
      top_k: 1,
    });
    expect(chinese.body.results[0].document_id).toBe('zh-invoice');
    const filtered = await harness.api('POST', '/api/knowledge/faq/search', {
      query: 'shipping refunds password',
      top_k: 5,
      filter: { team: 'billing' },
    });
    expect(filtered.body.results.map((hit: { document_id: string }) => hit.document_id).sort()).toEqual([
      'refunds',
    ]);

    await harness.api('POST', '/api/knowledge/faq/documents', {
      documents: [
        { ...docs[0], text: 'Refunds are issued within 30 days of the return.' },
        { id: 'warranty', text: 'Every device has a two year warranty covering hardware faults.' },
      ],
    });
    expect((await harness.api('DELETE', '/api/knowledge/faq/documents/shipping')).status).toBe(200);
    const v2 = await harness.api('POST', '/api/knowledge/faq/snapshots');
    expect(v2.body).toMatchObject({ version: 2, documents: 4 });
    const diff = await harness.api('GET', '/api/knowledge/faq/diff?from=1&to=2');
    expect(diff.body).toMatchObject({ added: ['warranty'], removed: ['shipping'], changed: ['refunds'] });

    const old = await harness.api('POST', '/api/knowledge/faq/search', {
      query: 'express shipping next day',
      top_k: 1,
      snapshot: 1,
    });
    expect(old.body.results[0].document_id).toBe('shipping');
    const now = await harness.api('POST', '/api/knowledge/faq/search', {
      query: 'express shipping next day',
      top_k: 5,
    });
    expect(now.body.results.map((hit: { document_id: string }) => hit.document_id)).not.toContain('shipping');
  });

  it('reports stale documents: old sources and sources changed since the snapshot', async () => {
    await harness.api('POST', '/api/knowledge', { name: 'stale-kb' });
    await harness.api('POST', '/api/knowledge/stale-kb/documents', {
      documents: [
        { id: 'ancient', text: 'An ancient page.', source_updated_at: '2020-01-01T00:00:00Z' },
        { id: 'fresh', text: 'A fresh page.', source_updated_at: new Date().toISOString() },
      ],
    });
    await harness.api('POST', '/api/knowledge/stale-kb/snapshots');
    await harness.api('POST', '/api/knowledge/stale-kb/documents', {
      documents: [{ id: 'fresh', text: 'A fresh page, edited.' }],
    });
    const stale = await harness.api('GET', '/api/knowledge/stale-kb/stale?days=365');
    expect(stale.body.old.map((entry: { id: string }) => entry.id)).toEqual(['ancient']);
    expect(stale.body.changed_since_snapshot).toEqual(['fresh']);
  });

  it('rejects bad input with clear errors and changes nothing', async () => {
    expect(
      (await harness.api('POST', '/api/knowledge/nope/documents', { documents: [{ id: 'a', text: 'x' }] }))
        .status,
    ).toBe(404);
    expect(
      (await harness.api('POST', '/api/knowledge/faq/documents', { documents: [{ id: 'e', text: '   ' }] }))
        .status,
    ).toBe(400);
    expect(
      (
        await harness.api('POST', '/api/knowledge/faq/documents', {
          documents: [
            { id: 'd', text: 'a' },
            { id: 'd', text: 'b' },
          ],
        })
      ).status,
    ).toBe(400);
    expect((await harness.api('POST', '/api/knowledge/faq/search', { query: '' })).status).toBe(400);
    expect(
      (await harness.api('POST', '/api/knowledge/faq/search', { query: 'x', snapshot: 99 })).status,
    ).toBe(404);
    expect(
      (
        await harness.api('POST', '/api/knowledge/faq/search', {
          query: 'x',
          filter: { team: { $regex: 'x' } },
        })
      ).status,
    ).toBe(400);
    expect(
      (await harness.api('POST', '/api/knowledge', { name: 'emb', embedding_model: 'qwen-max' })).status,
    ).toBe(404);
    await harness.api('POST', '/api/knowledge', { name: 'empty-kb' });
    expect((await harness.api('POST', '/api/knowledge/empty-kb/snapshots')).status).toBe(409);
    const faq = await harness.api('GET', '/api/knowledge/faq');
    expect(faq.body.snapshots).toHaveLength(2);
  });

  it('builds embeddings with an embedding model and searches hybrid', async () => {
    await harness.api('POST', '/api/knowledge', { name: 'dense', embedding_model: 'local-embedding' });
    await harness.api('POST', '/api/knowledge/dense/documents', { documents: docs });
    const snapshot = await harness.api('POST', '/api/knowledge/dense/snapshots');
    expect(snapshot.body.embedding_dimensions).toBeGreaterThan(0);
    for (const mode of ['vector', 'hybrid']) {
      const found = await harness.api('POST', '/api/knowledge/dense/search', {
        query: 'reset password settings',
        top_k: 2,
        mode,
      });
      expect(found.body.results[0].document_id).toBe('passwords');
    }
  });
});

describe('stacks answering from knowledge', () => {
  it('puts budgeted context and citations in, records the retrieval, and rolls knowledge back with the stack', async () => {
    await harness.api('POST', '/api/prompts', {
      name: 'kb-support',
      messages: [
        { role: 'system', content: 'Answer from the sources.\n{{context}}' },
        { role: 'user', content: '{{input}}' },
      ],
    });
    const stack1 = await harness.api('POST', '/api/stacks', {
      name: 'kb-bot',
      model: 'qwen-max',
      prompt: 'kb-support',
      knowledge: 'faq@1',
      retrieval: { top_k: 2 },
    });
    expect(stack1.status).toBe(201);
    expect(stack1.body.lineage).toBe('qwen-max + prompt:kb-support@1 + kb:faq@1');
    const stack2 = await harness.api('POST', '/api/stacks', {
      name: 'kb-bot',
      model: 'qwen-max',
      prompt: 'kb-support',
      knowledge: 'faq',
      retrieval: { top_k: 2 },
    });
    expect(stack2.body.spec.knowledge).toEqual({ name: 'faq', snapshot: 2 });
    await harness.api('POST', '/api/stacks/kb-bot/deploy', { environment: 'production', version: 1 });

    const ask = async () => {
      const { data, response } = await harness.client.chat.completions
        .create({
          model: 'kb-bot',
          messages: [{ role: 'user', content: 'How many days until refunds are issued?' }],
        })
        .withResponse();
      return {
        data: data as unknown as { citations: Array<Record<string, unknown>> },
        traceId: response.headers.get('x-stackops-trace-id')!,
      };
    };
    const first = await ask();
    const sent = fake.requests.at(-1)!.body as { messages: Array<{ role: string; content: string }> };
    expect(sent.messages[0]!.content).toContain('[1]');
    expect(sent.messages[0]!.content).toContain('within 14 days');
    expect(sent.messages.at(-1)).toEqual({
      role: 'user',
      content: 'How many days until refunds are issued?',
    });
    expect(first.data.citations[0]).toMatchObject({
      index: 1,
      document_id: 'refunds',
      chunk_id: 'refunds#0',
      snapshot: 'faq@1',
    });
    const trace = await harness.trace(first.traceId);
    expect(trace.attributes['stackops.kb.snapshot']).toBe('faq@1');
    const retrieval = trace.spans.find((span: { kind: string }) => span.kind === 'retrieval');
    expect(retrieval.attributes).toMatchObject({
      'stackops.kb.snapshot': 'faq@1',
      'stackops.retrieval.query': 'How many days until refunds are issued?',
    });
    expect(retrieval.attributes['stackops.retrieval.context_tokens']).toBeGreaterThan(0);

    await harness.api('POST', '/api/stacks/kb-bot/deploy', { environment: 'production', version: 2 });
    await ask();
    const afterDeploy = fake.requests.at(-1)!.body as { messages: Array<{ content: string }> };
    expect(afterDeploy.messages[0]!.content).toContain('within 30 days');

    await harness.api('POST', '/api/stacks/kb-bot/rollback', { environment: 'production' });
    const rolledBack = await ask();
    expect(
      (fake.requests.at(-1)!.body as { messages: Array<{ content: string }> }).messages[0]!.content,
    ).toContain('within 14 days');
    expect(rolledBack.data.citations[0]).toMatchObject({ snapshot: 'faq@1' });
  });

  it('streams citations in a final chunk', async () => {
    const { data: stream } = await harness.client.chat.completions
      .create({ model: 'kb-bot', messages: [{ role: 'user', content: 'refunds?' }], stream: true })
      .withResponse();
    let citations: unknown = null;
    for await (const chunk of stream)
      if ((chunk as unknown as { citations?: unknown }).citations)
        citations = (chunk as unknown as { citations: unknown }).citations;
    expect(citations).toEqual([expect.objectContaining({ document_id: 'refunds', snapshot: 'faq@1' })]);
  });

  it('fits context into a small window without cutting the question', async () => {
    await harness.api('POST', '/api/stacks', {
      name: 'tiny-bot',
      model: 'tiny-window',
      knowledge: 'faq@1',
      retrieval: { top_k: 4 },
      params: { max_tokens: 60 },
    });
    await harness.api('POST', '/api/stacks/tiny-bot/deploy', {
      environment: 'production',
      version: 'latest',
    });
    const question = 'Tell me everything about refunds, shipping, passwords and invoices please';
    const { response } = await harness.client.chat.completions
      .create({ model: 'tiny-bot', messages: [{ role: 'user', content: question }] })
      .withResponse();
    const sent = fake.requests.at(-1)!.body as { messages: Array<{ role: string; content: string }> };
    expect(sent.messages.at(-1)).toEqual({ role: 'user', content: question });
    const trace = await harness.trace(response.headers.get('x-stackops-trace-id')!);
    const retrieval = trace.spans.find((span: { kind: string }) => span.kind === 'retrieval');
    const budget = retrieval.attributes['stackops.retrieval.budget_tokens'];
    expect(retrieval.attributes['stackops.retrieval.context_tokens']).toBeLessThanOrEqual(budget);
    expect(retrieval.attributes['stackops.retrieval.dropped'].length).toBeGreaterThan(0);
  });

  it('refuses a max_tokens that leaves no room in the window, instead of answering without the knowledge', async () => {
    // tiny-bot exists (above); its window is 110 tokens. A caller's max_tokens beyond it left a
    // budget of 0: every chunk was dropped and the model answered without the knowledge base.
    const calls = fake.requests.length;
    const refused = await harness.client.chat.completions
      .create({
        model: 'tiny-bot',
        messages: [{ role: 'user', content: 'How do refunds work?' }],
        max_tokens: 1_000_000_000,
      })
      .catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect(refused).toMatchObject({
      code: 'context_length_exceeded',
      param: 'max_tokens',
      message: expect.stringContaining('110'),
    });
    expect(fake.requests.length).toBe(calls);
  });

  it('refuses a stack pinning a snapshot that does not exist', async () => {
    const response = await harness.api('POST', '/api/stacks', {
      name: 'ghost-bot',
      model: 'qwen-max',
      knowledge: 'faq@9',
    });
    expect(response.status).toBe(404);
    expect(response.body.error.param).toBe('knowledge');
  });
});
