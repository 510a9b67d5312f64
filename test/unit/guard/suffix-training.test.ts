/**
 * Training of the adversarial-suffix detector on a tiny synthetic corpus: the n-gram table
 * and the whole model file are byte-identical across runs (the committed model relies on
 * this), the model prefers text like its corpus, and the threshold rule honours its budgets.
 */

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  decodeSuffixModel,
  encodeSuffixModel,
  FEATURE_NAMES,
  fitDecision,
  type LabelledWindow,
  pickJointThresholds,
  pickThreshold,
  SuffixScorer,
  TAIL_FEATURE_NAMES,
  trainLanguageModel,
} from '../../../src/guard/injection/suffix/index.js';
import { createRandom } from '../../../src/guard/injection/train-logistic.js';

const WORDS = 'the a cat dog sat on mat ran to park and saw bird in tree then went home slept'.split(' ');
const PIECES = ['](', '.Editor', '_visible', ' INST', '={', '\\!', '-mails', 'Sure', '**', ' revert'];

function corpus(seed: number, count: number): string[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => {
    const length = 6 + Math.floor(random() * 10);
    const words = Array.from({ length }, () => WORDS[Math.floor(random() * WORDS.length)]!);
    return `${words.join(' ')}.`;
  });
}

function suffixed(seed: number, count: number): string[] {
  const random = createRandom(seed);
  return corpus(seed, count).map((text) => {
    let suffix = '';
    for (let index = 0; index < 14; index++) suffix += PIECES[Math.floor(random() * PIECES.length)]!;
    return `${text} ${suffix}`;
  });
}

function buildFile(): string {
  const { model, stats } = trainLanguageModel(corpus(1, 400), { order: 5, tableBits: 12 });
  const decision = {
    window: 24,
    minOddEvents: 2,
    weights: new Array(FEATURE_NAMES.length).fill(0),
    bias: 0,
    threshold: 0,
  };
  const scorer = new SuffixScorer({ ...model, decision });
  const windows: LabelledWindow[] = [];
  for (const text of corpus(2, 60))
    for (const window of scorer.windows(text, 2))
      windows.push({ features: window.features, label: 0, weight: 1 });
  for (const text of suffixed(3, 60))
    for (const window of scorer.windows(text, 2).slice(-3))
      windows.push({ features: window.features, label: 1, weight: 1 });
  const fitted = fitDecision(windows, { iterations: 200 });
  const file = encodeSuffixModel(model, { ...decision, ...fitted, threshold: 1.5 }, { stats });
  return JSON.stringify(file);
}

describe('suffix model training', () => {
  it('writes the same bytes twice', () => {
    const first = createHash('sha256').update(buildFile()).digest('hex');
    const second = createHash('sha256').update(buildFile()).digest('hex');
    expect(second).toBe(first);
  });

  it('round-trips through the file format and prefers in-corpus text', () => {
    const file = JSON.parse(buildFile());
    const model = decodeSuffixModel(file);
    expect(model.fingerprints.length).toBe(1 << 12);
    const scorer = new SuffixScorer(model);
    const plain = scorer.windows('the cat sat on the mat and the dog ran to the park.', 4);
    const odd = scorer.windows('the cat sat ](.Editor_visible INST={\\!-mails Sure** revert](', 4);
    const mean = (windows: typeof plain): number =>
      windows.reduce((sum, window) => sum + window.features[0]!, 0) / windows.length;
    expect(mean(plain)).toBeLessThan(3);
    expect(mean(odd)).toBeGreaterThan(mean(plain) + 2);
  });
});

describe('tail layer in the file format', () => {
  it('round-trips the tail layer and keeps files without one readable', () => {
    const withoutTail = JSON.parse(buildFile());
    expect(withoutTail.decision.tail).toBeUndefined();
    expect(decodeSuffixModel(withoutTail).decision.tail).toBeUndefined();
    const { model } = trainLanguageModel(corpus(1, 50), { order: 5, tableBits: 12 });
    const weights = TAIL_FEATURE_NAMES.map((_name, index) => index / 8 - 1);
    const tail = { window: 40, minOddEvents: 1, weights, bias: -2.5, threshold: 1.25 };
    const decision = {
      window: 24,
      minOddEvents: 2,
      weights: new Array(FEATURE_NAMES.length).fill(0),
      bias: 0,
      threshold: 0,
      tail,
    };
    const decoded = decodeSuffixModel(JSON.parse(JSON.stringify(encodeSuffixModel(model, decision, {}))));
    expect(decoded.decision.tail).toEqual(tail);
    // Its tail is scored: a suffixed text gets tail features.
    const scorer = new SuffixScorer(decoded);
    expect(scorer.tail(suffixed(5, 1)[0]!)).not.toBeNull();
    expect(scorer.tail('the cat sat on the mat and the dog ran to the park and saw a bird.')).toBeNull();
  });
});

describe('pickJointThresholds', () => {
  it('keeps the union of both layers within the budget and uses the tail when it adds recall', () => {
    // Source a: 200 texts, window logits 0…19.9, tail logit high on the last text.
    const a = Array.from({ length: 200 }, (_value, index) => [index / 10, index >= 199 ? 5 : 0] as const);
    const b = Array.from({ length: 100 }, (_value, index) => [index / 20, Number.NEGATIVE_INFINITY] as const);
    const benign = new Map<string, ReadonlyArray<readonly [number, number]>>([
      ['a', a],
      ['b', b],
    ]);
    // Positives: low window logits, tail logits of 4 (between benign tails 0 and 5).
    const positives = Array.from({ length: 10 }, () => [1, 4] as const);
    const budget = { perSource: 0.01, pooled: 0.005 };
    const chosen = pickJointThresholds(benign, positives, budget);
    const flagged = (texts: ReadonlyArray<readonly [number, number]>): number =>
      texts.filter(([window, tail]) => window >= chosen.main || tail >= chosen.tail).length;
    expect(flagged(a)).toBeLessThanOrEqual(2);
    expect(flagged(b)).toBeLessThanOrEqual(1);
    expect(flagged(a) + flagged(b)).toBeLessThanOrEqual(1);
    expect(chosen.recall).toBe(1);
    expect(chosen.tail).toBeGreaterThan(0);
    expect(chosen.tail).toBeLessThanOrEqual(4);
    // Without a useful tail, it turns the tail layer off.
    const none = pickJointThresholds(benign, [[30, 0] as const], budget);
    expect(none.tail).toBe(Number.POSITIVE_INFINITY);
    expect(none.recall).toBe(1);
  });
});

describe('pickThreshold', () => {
  it('keeps every source within its cap and the pool within the pooled budget', () => {
    const logits = new Map<string, number[]>([
      ['a', Array.from({ length: 200 }, (_value, index) => index / 10)],
      ['b', Array.from({ length: 100 }, (_value, index) => index / 20)],
    ]);
    const threshold = pickThreshold(logits, { perSource: 0.01, pooled: 0.005 });
    const above = (values: number[]): number => values.filter((value) => value >= threshold).length;
    expect(above(logits.get('a')!)).toBeLessThanOrEqual(1);
    expect(above(logits.get('b')!)).toBeLessThanOrEqual(1);
    // Lowest such threshold: one step lower would break the pooled budget (300 × 0.5 % = 1).
    expect(above(logits.get('a')!) + above(logits.get('b')!)).toBe(1);
    expect(threshold).toBeGreaterThan(19.8);
  });

  it('ignores texts without a scorable window', () => {
    const threshold = pickThreshold(new Map([['a', [Number.NEGATIVE_INFINITY, 1, 2]]]), {
      perSource: 0.5,
      pooled: 0.5,
    });
    expect(threshold).toBeGreaterThan(1);
  });
});
