import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/index.js';
import { reciprocalRankFusion } from '../../src/knowledge/retrieval/index.js';

const list = (...ordinals: number[]) => ordinals.map((ordinal) => ({ ordinal }));

describe('reciprocalRankFusion', () => {
  it('sums 1 / (k + rank) over the lists', () => {
    const fused = reciprocalRankFusion([list(1, 2, 3), list(3, 1, 4)]);
    // 1: 1/61 + 1/62; 3: 1/63 + 1/61; 2: 1/62; 4: 1/63
    expect(fused.map((hit) => hit.ordinal)).toEqual([1, 3, 2, 4]);
    expect(fused[0]!.score).toBeCloseTo(1 / 61 + 1 / 62, 12);
    expect(fused[1]!.score).toBeCloseTo(1 / 63 + 1 / 61, 12);
    expect(fused[2]!.score).toBeCloseTo(1 / 62, 12);
    expect(fused[3]!.score).toBeCloseTo(1 / 63, 12);
  });

  it('uses k and per-list weights', () => {
    const fused = reciprocalRankFusion([list(1, 2), list(2, 1)], { k: 0, weights: [1, 3] });
    // 1: 1/1 + 3/2 = 2.5; 2: 1/2 + 3/1 = 3.5
    expect(fused).toEqual([
      { ordinal: 2, score: 3.5 },
      { ordinal: 1, score: 2.5 },
    ]);
  });

  it('breaks ties by ordinal and limits the output', () => {
    const fused = reciprocalRankFusion([list(9, 4), list(4, 9)], { limit: 1 });
    expect(fused).toEqual([{ ordinal: 4, score: 1 / 61 + 1 / 62 }]);
  });

  it('counts an ordinal repeated within a list once, at its best rank', () => {
    const fused = reciprocalRankFusion([list(5, 5, 6)]);
    expect(fused).toEqual([
      { ordinal: 5, score: 1 / 61 },
      { ordinal: 6, score: 1 / 63 },
    ]);
  });

  it('handles empty input', () => {
    expect(reciprocalRankFusion([])).toEqual([]);
    expect(reciprocalRankFusion([[], []])).toEqual([]);
  });

  it('rejects a bad k or mismatched weights', () => {
    expect(() => reciprocalRankFusion([list(1)], { k: -1 })).toThrow(ValidationError);
    expect(() => reciprocalRankFusion([list(1)], { weights: [1, 2] })).toThrow(ValidationError);
  });
});
