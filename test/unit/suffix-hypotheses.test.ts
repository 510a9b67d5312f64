/**
 * The session-7 study generators (scripts/suffix-synthetic.ts `createHypothesisSuffixGenerator`,
 * read by scripts/suffix-hypotheses.ts; docs/guardrails-suffix.md, Session 7): each one is
 * seeded and makes the shape its hypothesis names.
 */

import { describe, expect, it } from 'vitest';
import {
  createHypothesisSuffixGenerator,
  latexTokenPool,
  type SuffixHypothesis,
} from '../../scripts/suffix-synthetic.js';

const draw = (hypothesis: SuffixHypothesis, seed: number, count = 200, requests: string[] = []): string[] => {
  const next = createHypothesisSuffixGenerator(hypothesis, seed, requests);
  return Array.from({ length: count }, () => next());
};

describe('hypothesis suffix generators', () => {
  it('repeat for a seed and differ between seeds', () => {
    for (const hypothesis of ['latex', 'spaced', 'long', 'followed'] as const) {
      expect(draw(hypothesis, 5, 20)).toEqual(draw(hypothesis, 5, 20));
      expect(draw(hypothesis, 5, 20)).not.toEqual(draw(hypothesis, 6, 20));
    }
  });

  it('latex: most suffixes carry LaTeX or template syntax from the pool', () => {
    const pool = latexTokenPool();
    expect(pool).toContain('\\tikz');
    expect(pool.every((token) => /[\\$^{}]/.test(token))).toBe(true);
    const suffixes = draw('latex', 11);
    const withLatex = suffixes.filter((suffix) => /\\[a-z]|[$^]|[{}]/.test(suffix)).length;
    expect(withLatex / suffixes.length).toBeGreaterThan(0.95);
  });

  it('spaced: space-led tokens with lone marks, few glued capitals', () => {
    const suffixes = draw('spaced', 12);
    const withLoneMark = suffixes.filter((suffix) => /(^| )[[{(!]( |$)/.test(suffix)).length;
    expect(withLoneMark / suffixes.length).toBeGreaterThan(0.9);
    // Case switches (a capital right after a lower-case letter) are rare: tokens are space-led.
    const text = suffixes.join(' ');
    const letters = text.replace(/[^A-Za-z]/g, '').length;
    const switches = text.match(/[a-z][A-Z]/g)?.length ?? 0;
    expect(switches / letters).toBeLessThan(0.01);
  });

  it('long: longer than the 64-symbol tail', () => {
    const suffixes = draw('long', 13);
    expect(suffixes.every((suffix) => suffix.length > 100)).toBe(true);
    const mean = suffixes.reduce((sum, suffix) => sum + suffix.length, 0) / suffixes.length;
    expect(mean).toBeGreaterThan(150);
  });

  it('followed: the suffix does not end the text', () => {
    const requests = ['How tall is the Eiffel tower?', 'What is the capital of Peru?'];
    const suffixes = draw('followed', 14, 200, requests);
    const endsInFollowUp = suffixes.filter(
      (suffix) => requests.some((request) => suffix.endsWith(request)) || /[.!"]$/.test(suffix),
    ).length;
    expect(endsInFollowUp).toBe(suffixes.length);
    expect(suffixes.filter((suffix) => suffix.includes('\n')).length).toBeGreaterThan(20);
  });
});
