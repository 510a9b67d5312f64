import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/index.js';
import { createRetriever, type RetrieverChunk } from '../../src/knowledge/retrieval/index.js';

const chunks: RetrieverChunk[] = [
  { text: 'Refunds are paid within five working days.', metadata: { lang: 'en', year: 2023 } },
  { text: 'Shipping to Europe takes two weeks.', metadata: { lang: 'en', year: 2021 } },
  { text: 'Les remboursements prennent cinq jours.', metadata: { lang: 'fr', year: 2023 } },
  { text: '退款将在五个工作日内支付。', metadata: { lang: 'zh', year: 2024 } },
  { text: 'Refund requests need an order number.', metadata: { lang: 'en', year: 2024 } },
];

/** Toy embeddings: one axis per topic (refund, shipping, other). */
const topicVector = (text: string): Float32Array => {
  const lower = text.toLowerCase();
  const refund = /refund|rembourse|退款/.test(lower) ? 1 : 0;
  const shipping = /ship|deliver/.test(lower) ? 1 : 0;
  return Float32Array.from([refund, shipping, 0.1]);
};

describe('createRetriever without embeddings', () => {
  const retriever = createRetriever({ chunks });

  it('defaults to BM25', async () => {
    expect(retriever.defaultMode).toBe('bm25');
    const hits = await retriever.search({ query: 'refund', topK: 5 });
    expect(hits.map((hit) => hit.ordinal).sort()).toEqual([0, 4]);
    for (const hit of hits) {
      expect(hit.bm25Score).toBe(hit.score);
      expect(hit.vectorScore).toBeUndefined();
    }
  });

  it('finds Chinese text with a Chinese query', async () => {
    const hits = await retriever.search({ query: '退款', topK: 3 });
    expect(hits.map((hit) => hit.ordinal)).toEqual([3]);
  });

  it('applies metadata filters', async () => {
    const hits = await retriever.search({ query: 'refund', topK: 5, filter: { year: { $gte: 2024 } } });
    expect(hits.map((hit) => hit.ordinal)).toEqual([4]);
  });

  it('applies minScore to the score', async () => {
    const all = await retriever.search({ query: 'refund number', topK: 5 });
    expect(all).toHaveLength(2);
    const kept = await retriever.search({ query: 'refund number', topK: 5, minScore: all[0]!.score });
    expect(kept).toEqual([all[0]]);
  });

  it('returns nothing for a blank query', async () => {
    expect(await retriever.search({ query: '   ', topK: 3 })).toEqual([]);
  });

  it('rejects vector modes, bad topK and bad filters', async () => {
    await expect(retriever.search({ query: 'refund', topK: 3, mode: 'vector' })).rejects.toThrow(
      ValidationError,
    );
    await expect(retriever.search({ query: 'refund', topK: 0 })).rejects.toThrow(ValidationError);
    await expect(retriever.search({ query: 'refund', topK: 2.5 })).rejects.toThrow(ValidationError);
    await expect(
      retriever.search({ query: 'refund', topK: 3, filter: { year: { $near: 1 } } as never }),
    ).rejects.toThrow(/not a known operator/);
  });
});

describe('createRetriever with embeddings', () => {
  const retriever = createRetriever({
    chunks,
    embeddings: chunks.map((chunk) => topicVector(chunk.text)),
    embedQuery: async (text) => topicVector(text),
  });

  it('defaults to hybrid and reports both scores', async () => {
    expect(retriever.defaultMode).toBe('hybrid');
    const hits = await retriever.search({ query: 'refund', topK: 3 });
    // BM25 finds 0 and 4; vectors also rank the French and Chinese refund chunks high.
    expect(new Set(hits.slice(0, 2).map((hit) => hit.ordinal))).toEqual(new Set([0, 4]));
    expect(hits[0]!.bm25Score).toBeGreaterThan(0);
    // Same topic vector as the query: cosine 1. Fused from ranks ≤ 3 in both lists.
    expect(hits[0]!.vectorScore).toBeCloseTo(1, 5);
    expect(hits[0]!.score).toBeGreaterThanOrEqual(1 / 62 + 1 / 64);
    expect(hits[0]!.score).toBeLessThanOrEqual(2 / 61);
    const third = hits[2]!;
    expect([2, 3]).toContain(third.ordinal);
    expect(third.bm25Score).toBeUndefined();
    expect(third.vectorScore).toBeGreaterThan(0.9);
  });

  it('searches vectors alone in vector mode', async () => {
    const hits = await retriever.search({ query: 'remboursement', topK: 4, mode: 'vector' });
    expect(new Set(hits.map((hit) => hit.ordinal))).toEqual(new Set([0, 2, 3, 4]));
    for (const hit of hits) expect(hit.score).toBe(hit.vectorScore);
  });

  it('filters both rankings in hybrid mode', async () => {
    const hits = await retriever.search({
      query: 'refund',
      topK: 5,
      filter: { lang: { $in: ['fr', 'zh'] } },
    });
    expect(hits.map((hit) => hit.ordinal).sort()).toEqual([2, 3]);
  });

  it('can still run BM25 alone', async () => {
    const hits = await retriever.search({ query: 'shipping', topK: 5, mode: 'bm25' });
    expect(hits.map((hit) => hit.ordinal)).toEqual([1]);
  });

  it('rejects embeddings that do not match the chunks', () => {
    expect(() => createRetriever({ chunks, embeddings: [new Float32Array(3)] })).toThrow(ValidationError);
  });

  it('without a query embedder, falls back to BM25 and refuses vector search', async () => {
    const lexicalOnly = createRetriever({
      chunks,
      embeddings: chunks.map((chunk) => topicVector(chunk.text)),
    });
    expect(lexicalOnly.defaultMode).toBe('bm25');
    await expect(lexicalOnly.search({ query: 'refund', topK: 2, mode: 'hybrid' })).rejects.toThrow(
      ValidationError,
    );
  });
});
