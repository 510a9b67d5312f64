import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/index.js';
import { Bm25Index, createTextAnalyzer, type ScoredOrdinal } from '../../src/knowledge/retrieval/index.js';

// Whitespace terms, no stopwords, no stemming: the hand computations below see what the index sees.
const plain = createTextAnalyzer({ stem: false, stopwords: new Set() });

describe('Bm25Index scores', () => {
  // N = 3, lengths 3, 2, 4, avgdl = 3, k1 = 1.2, b = 0.75.
  const documents = ['apple banana apple', 'banana cherry', 'cherry cherry cherry date'];

  it('matches a hand-computed single-term score', () => {
    const index = new Bm25Index({ analyzer: plain });
    index.add(documents);
    // idf = ln(1 + (3 − 1 + 0.5) / (1 + 0.5)) = ln(8/3) = 0.980829
    // tf = 2, norm = 1.2 · (0.25 + 0.75 · 3/3) = 1.2 → 2.2 · 2 / 3.2 = 1.375 → 1.348640
    const hits = index.search('apple', 10);
    expect(hits).toHaveLength(1);
    expect(hits[0]!.ordinal).toBe(0);
    expect(hits[0]!.score).toBeCloseTo(1.34864, 5);
  });

  it('matches a hand-computed two-term ranking', () => {
    const index = new Bm25Index({ analyzer: plain });
    index.add(documents);
    // idf(banana) = idf(cherry) = ln(1 + 1.5 / 2.5) = ln 1.6 = 0.470004
    // doc 1: norm 0.9, each term 2.2 / 1.9 · 0.470004 = 0.544215 → 1.088431
    // doc 2: cherry tf 3, norm 1.5 → 2.2 · 3 / 4.5 · 0.470004 = 0.689339
    // doc 0: banana tf 1, norm 1.2 → 2.2 / 2.2 · 0.470004 = 0.470004
    const hits = index.search('banana cherry', 10);
    expect(hits.map((hit) => hit.ordinal)).toEqual([1, 2, 0]);
    expect(hits.map((hit) => hit.score)).toEqual([
      expect.closeTo(1.088431, 5),
      expect.closeTo(0.689339, 5),
      expect.closeTo(0.470004, 5),
    ]);
  });

  it('counts a repeated query term each time', () => {
    const index = new Bm25Index({ analyzer: plain });
    index.add(documents);
    const once = index.search('apple', 1)[0]!.score;
    expect(index.search('apple apple', 1)[0]!.score).toBeCloseTo(2 * once, 10);
  });

  it('honours k1 and b', () => {
    const index = new Bm25Index({ analyzer: plain, k1: 2, b: 0 });
    index.add(documents);
    // norm = k1 = 2 for every document: 3 · 3 / 5 · ln 1.6
    expect(index.search('cherry', 1)[0]!.score).toBeCloseTo((9 / 5) * Math.log(1.6), 10);
  });

  it('returns nothing for unknown terms, empty queries and topK 0', () => {
    const index = new Bm25Index({ analyzer: plain });
    index.add(documents);
    expect(index.search('zebra', 10)).toEqual([]);
    expect(index.search('', 10)).toEqual([]);
    expect(index.search('apple', 0)).toEqual([]);
    expect(index.search('apple', Number.NaN)).toEqual([]);
    expect(index.search('apple', 2.9).map((hit) => hit.ordinal)).toEqual([0]);
  });

  it('rejects invalid parameters', () => {
    expect(() => new Bm25Index({ b: 2 })).toThrow(ValidationError);
    expect(() => new Bm25Index({ k1: -1 })).toThrow(ValidationError);
  });

  it('reports its memory', () => {
    const index = new Bm25Index();
    index.add(['refund policy for damaged goods']);
    index.commit();
    const small = index.memoryBytes();
    index.add(
      Array.from({ length: 2000 }, (_, index) => `refund request number ${index} for order ${index * 7}`),
    );
    index.commit();
    expect(small).toBeGreaterThan(0);
    expect(index.memoryBytes()).toBeGreaterThan(small);
  });
});

/** A seeded generator: deterministic property tests. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}

/** Skewed vocabulary of `size` words: low indexes are frequent (some ~everywhere). */
function skewedWord(next: () => number, size: number): string {
  return `w${Math.floor(size * next() ** 3)}`;
}

function randomCorpus(seed: number, count: number, vocabulary: number): string[] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const length = 1 + Math.floor(next() * 40);
    return Array.from({ length }, () => skewedWord(next, vocabulary)).join(' ');
  });
}

/** Plain BM25 over every document: the reference the pruned search must reproduce. */
function createExhaustiveScorer(documents: readonly string[]) {
  const counts = documents.map((text) => {
    const terms = plain.analyze(text);
    const frequencies = new Map<string, number>();
    for (const term of terms) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
    return { length: terms.length, frequencies };
  });
  const documentFrequency = new Map<string, number>();
  for (const { frequencies } of counts) {
    for (const term of frequencies.keys())
      documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const averageLength = counts.reduce((sum, document) => sum + document.length, 0) / counts.length;
  return (query: string, filter?: (ordinal: number) => boolean): ScoredOrdinal[] => {
    const scores: ScoredOrdinal[] = [];
    counts.forEach(({ length, frequencies }, ordinal) => {
      let score = 0;
      let matched = false;
      for (const queryTerm of plain.analyze(query)) {
        const frequency = frequencies.get(queryTerm) ?? 0;
        if (frequency === 0) continue;
        const df = documentFrequency.get(queryTerm)!;
        const idf = Math.log(1 + (counts.length - df + 0.5) / (df + 0.5));
        const norm = Math.fround(1.2 * (0.25 + (0.75 * length) / averageLength));
        score += (idf * 2.2 * frequency) / (frequency + norm);
        matched = true;
      }
      if (matched && (filter === undefined || filter(ordinal))) scores.push({ ordinal, score });
    });
    return scores.sort((left, right) => right.score - left.score || left.ordinal - right.ordinal);
  };
}

/**
 * `actual` is a correct top-k of `reference` (the full exhaustive ranking): same length, same
 * scores rank by rank, and every returned ordinal's true score equals its reported score. Only
 * the choice among documents whose scores tie within 1e-9 may differ.
 */
function expectSameTopK(actual: readonly ScoredOrdinal[], reference: readonly ScoredOrdinal[], topK: number) {
  const expected = reference.slice(0, topK);
  expect(actual.length).toBe(expected.length);
  const trueScores = new Map(reference.map((hit) => [hit.ordinal, hit.score]));
  actual.forEach((hit, rank) => {
    expect(hit.score).toBeCloseTo(expected[rank]!.score, 9);
    expect(trueScores.get(hit.ordinal)).toBeCloseTo(hit.score, 9);
  });
  expect(new Set(actual.map((hit) => hit.ordinal)).size).toBe(actual.length);
}

describe('Bm25Index pruned search equals exhaustive scoring', () => {
  const seeds = [1, 2, 3, 4, 5, 6];
  it.each(seeds)('seed %i', (seed) => {
    const documents = randomCorpus(seed, 600, 80 + seed * 40);
    const exhaustive = createExhaustiveScorer(documents);
    // Small flush size: postings go through several sorted runs and a merge.
    const index = new Bm25Index({ analyzer: plain, postingsFlushSize: 1000 });
    index.add(documents.slice(0, 250));
    index.commit();
    index.add(documents.slice(250));
    const next = random(seed * 7919);
    let nonEmpty = 0;
    for (let query = 0; query < 60; query++) {
      const length = 1 + Math.floor(next() * 6);
      const text = Array.from({ length }, () => skewedWord(next, 100 + seed * 40)).join(' ');
      const reference = exhaustive(text);
      if (reference.length > 0) nonEmpty++;
      for (const topK of [1, 3, 10, 50]) expectSameTopK(index.search(text, topK), reference, topK);
      const filter = (ordinal: number): boolean => ordinal % 3 === 1;
      const filtered = exhaustive(text, filter);
      const hits = index.search(text, 10, filter);
      expectSameTopK(hits, filtered, 10);
      expect(hits.every((hit) => filter(hit.ordinal))).toBe(true);
    }
    expect(nonEmpty).toBeGreaterThan(45);
  });

  it('gives the same results whatever the batching', () => {
    const documents = randomCorpus(42, 500, 150);
    const once = new Bm25Index({ analyzer: plain });
    once.add(documents);
    const batched = new Bm25Index({ analyzer: plain, postingsFlushSize: 700 });
    for (let start = 0; start < documents.length; start += 37) {
      batched.add(documents.slice(start, start + 37));
      if (start % 111 === 0) batched.search('w1', 1);
    }
    expect(batched.size).toBe(500);
    for (const query of ['w0 w1', 'w5 w17 w3', 'w120 w2', 'w0']) {
      expect(batched.search(query, 20)).toEqual(once.search(query, 20));
    }
  });
});
