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

describe('words scanner options checked when a policy is created', () => {
  const withOptions = (options: Record<string, unknown>) => ({
    scanner: 'words',
    stage: 'output' as const,
    action: 'redact' as const,
    threshold: 0.5,
    options,
  });

  it.each<[string, Record<string, unknown>, string]>([
    [
      'an unknown option',
      { terms: ['x'], caseSensitive: true },
      'Unknown option "caseSensitive" for the words scanner (it takes: terms)',
    ],
    ['a blank term', { terms: ['ok', '  '] }, 'options.terms[1]: a term must not be blank'],
    [
      'a misspelt term field',
      { terms: [{ term: 'falcon', wholeword: false }] },
      'options.terms[0]: unknown field "wholeword"',
    ],
    [
      'a category that is not a type name',
      { terms: [{ term: 'falcon', category: 'top secret' }] },
      'options.terms[0]: category is a type name',
    ],
    [
      'a non-boolean wholeWord',
      { terms: [{ term: 'falcon', wholeWord: 'no' }] },
      'options.terms[0]: wholeWord is true or false',
    ],
    [
      'a score out of range',
      { terms: [{ term: 'falcon', score: 2 }] },
      'options.terms[0]: score is a number in (0, 1]',
    ],
  ])('refuses %s', (_case, options, message) => {
    expect(() => validateRules([withOptions(options)], registry)).toThrow(
      `rules[0] (words, output): ${message}`,
    );
  });

  it('still compiles such options for a policy stored before the check (the factory is unchanged)', () => {
    expect(() => registry.get('words', { terms: ['x'], caseSensitive: true }, 'output')).not.toThrow();
  });

  it('accepts every documented field', () => {
    expect(() =>
      validateRules(
        [
          withOptions({
            terms: ['falcon', { term: '机密', category: 'CONFIDENTIAL', wholeWord: false, score: 0.8 }],
          }),
        ],
        registry,
      ),
    ).not.toThrow();
  });
});
