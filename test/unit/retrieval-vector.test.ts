import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/index.js';
import { VectorIndex } from '../../src/knowledge/retrieval/index.js';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}

function randomVectors(seed: number, count: number, dimensions: number): Float32Array[] {
  const next = random(seed);
  return Array.from({ length: count }, () => Float32Array.from({ length: dimensions }, () => next() * 2 - 1));
}

function cosine(left: Float32Array, right: Float32Array): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < left.length; index++) {
    dot += left[index]! * right[index]!;
    leftNorm += left[index]! ** 2;
    rightNorm += right[index]! ** 2;
  }
  return dot / Math.sqrt(leftNorm * rightNorm);
}

describe('VectorIndex exact search', () => {
  const vectors = randomVectors(7, 300, 16);

  it('ranks by cosine similarity, scale-invariant', () => {
    const index = new VectorIndex();
    index.add(vectors);
    expect(index.usesGraph).toBe(false);
    const query = randomVectors(8, 1, 16)[0]!;
    const expected = vectors
      .map((vector, ordinal) => ({ ordinal, score: cosine(vector, query) }))
      .sort((left, right) => right.score - left.score)
      .slice(0, 5);
    const hits = index.search(query, 5);
    expect(hits.map((hit) => hit.ordinal)).toEqual(expected.map((hit) => hit.ordinal));
    for (const [rank, hit] of hits.entries()) expect(hit.score).toBeCloseTo(expected[rank]!.score, 5);
    const scaled = query.map((value) => value * 40);
    expect(index.search(scaled, 5).map((hit) => hit.ordinal)).toEqual(hits.map((hit) => hit.ordinal));
  });

  it('finds a stored vector first with similarity 1', () => {
    const index = new VectorIndex();
    index.add(vectors);
    const [best] = index.search(vectors[123]!, 1);
    expect(best!.ordinal).toBe(123);
    expect(best!.score).toBeCloseTo(1, 5);
  });

  it('applies a filter', () => {
    const index = new VectorIndex();
    index.add(vectors);
    const hits = index.search(vectors[10]!, 10, (ordinal) => ordinal % 5 === 0);
    expect(hits).toHaveLength(10);
    expect(hits[0]!.ordinal).toBe(10);
    expect(hits.every((hit) => hit.ordinal % 5 === 0)).toBe(true);
  });

  it('rejects mismatched dimensions', () => {
    const index = new VectorIndex();
    index.add(vectors);
    expect(() => index.add([new Float32Array(3)])).toThrow(ValidationError);
    expect(() => index.search(new Float32Array(3), 1)).toThrow(ValidationError);
  });

  it('returns nothing when empty or for topK 0', () => {
    expect(new VectorIndex().search(new Float32Array(4), 3)).toEqual([]);
    const index = new VectorIndex();
    index.add(vectors);
    expect(index.search(vectors[0]!, 0)).toEqual([]);
  });
});

describe('VectorIndex with usearch HNSW', () => {
  const dimensions = 32;
  const vectors = randomVectors(11, 6000, dimensions);
  const queries = randomVectors(12, 60, dimensions);
  const index = new VectorIndex({ exactThreshold: 1000 });
  // Two adds: the graph is created when the threshold is crossed, then extended.
  index.add(vectors.slice(0, 4000));
  index.add(vectors.slice(4000));

  it('switches to the graph above the threshold', () => {
    expect(index.usesGraph).toBe(true);
    expect(index.size).toBe(6000);
    expect(index.memoryBytes()).toBeGreaterThan(6000 * dimensions * 4);
  });

  it('agrees with exact search: recall@10 ≥ 0.95', () => {
    let found = 0;
    for (const query of queries) {
      const exact = new Set(index.exactSearch(query, 10).map((hit) => hit.ordinal));
      const approximate = index.search(query, 10);
      expect(approximate).toHaveLength(10);
      found += approximate.filter((hit) => exact.has(hit.ordinal)).length;
    }
    expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.95);
  });

  it('reports cosine scores consistent with exact search', () => {
    const [best] = index.search(vectors[4321]!, 1);
    expect(best!.ordinal).toBe(4321);
    expect(best!.score).toBeCloseTo(1, 4);
  });

  it('over-fetches for a mild filter', () => {
    const filter = (ordinal: number): boolean => ordinal % 2 === 0;
    for (const query of queries.slice(0, 10)) {
      const hits = index.search(query, 10, filter);
      expect(hits).toHaveLength(10);
      expect(hits.every((hit) => filter(hit.ordinal))).toBe(true);
    }
  });

  it('falls back to exact search for a very selective filter', () => {
    const allowed = new Set([5, 77, 901, 2500, 5999]);
    const filter = (ordinal: number): boolean => allowed.has(ordinal);
    const hits = index.search(queries[0]!, 10, filter);
    expect(hits.map((hit) => hit.ordinal).sort((left, right) => left - right)).toEqual([
      5, 77, 901, 2500, 5999,
    ]);
    expect(hits).toEqual(index.exactSearch(queries[0]!, 10, filter));
  });
});
