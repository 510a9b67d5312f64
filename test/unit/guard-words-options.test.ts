/**
 * The words scanner's `options.terms` from a policy: an entry that is neither a string nor a
 * `{term: string, …}` object made `POST /api/guard/policies` answer 500 ("Cannot read
 * properties of undefined (reading 'trim')"); it is a 400 naming the entry.
 */
import { describe, expect, it } from 'vitest';
import { ScannerRegistry, validateRules } from '../../src/guard/index.js';

const registry = new ScannerRegistry();
const rule = (terms: unknown) => ({
  scanner: 'words',
  stage: 'input' as const,
  action: 'block' as const,
  threshold: 0.5,
  options: { terms },
});

describe('words scanner terms from a policy', () => {
  it.each([
    [[5], 'options.terms[0]'],
    [['ok', null], 'options.terms[1]'],
    [[{}], 'options.terms[0]'],
    [[{ term: 7 }], 'options.terms[0]'],
  ])('refuses %j with a validation error naming %s', (terms, where) => {
    expect(() => validateRules([rule(terms)], registry)).toThrow(
      `rules[0] (words, input): ${where}: a term is a string or {term: "…", category?, wholeWord?, score?}`,
    );
  });

  it('accepts strings and term objects', () => {
    expect(() =>
      validateRules([rule(['project falcon', { term: '机密', category: 'CONFIDENTIAL' }])], registry),
    ).not.toThrow();
  });
});
