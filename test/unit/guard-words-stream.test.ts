/**
 * The sensitive-words scanner on a streamed answer reads only what each rescan adds (the
 * automaton's state is carried over), and finds exactly what a whole-text scan of every prefix
 * finds: generated texts of terms, near misses, CJK, accents, emoji and space runs, cut at
 * random points and one character at a time.
 */
import { describe, expect, it } from 'vitest';
import type { ScanContext } from '../../src/guard/scanner.js';
import { createSensitiveWordsScanner, createWordMatcher } from '../../src/guard/words/index.js';

const TERMS = [
  'project falcon',
  'falcon',
  '机密',
  '绝密文件',
  { term: 'résumé', category: 'DOC' },
  { term: 'ab', wholeWord: false },
  'a b c',
  '😀 smile',
  'x-ray',
];
const PIECES = [
  'project',
  ' ',
  '   ',
  'falcon',
  'falcons',
  'Falcon',
  'PROJECT  FALCON',
  '机密',
  '绝密',
  '文件',
  'résumé',
  'RESUME',
  'resume',
  'ab',
  'cab',
  'a',
  'b',
  'c',
  '😀',
  'smile',
  'x-ray',
  'xray',
  '.',
  ',',
  '\n',
  'é',
  '\u0301',
  'ﬁ',
];

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

describe('sensitive words on a growing text', () => {
  it('matchMore equals match at every prefix, however the text is cut', () => {
    const matcher = createWordMatcher(TERMS);
    const next = random(5);
    let prefixes = 0;
    let matched = 0;
    for (let round = 0; round < 400; round++) {
      let text = '';
      const parts = 3 + Math.floor(next() * 25);
      for (let part = 0; part < parts; part++) text += PIECES[Math.floor(next() * PIECES.length)];
      const progress = matcher.newProgress();
      const oneByOne = round % 4 === 0;
      for (let cut = 0; cut < text.length; ) {
        cut = Math.min(text.length, cut + (oneByOne ? 1 : 1 + Math.floor(next() * 9)));
        const prefix = text.slice(0, cut);
        const expected = matcher.match(prefix);
        expect(matcher.matchMore(prefix, progress), JSON.stringify(prefix)).toEqual(expected);
        prefixes++;
        matched += expected.length;
      }
    }
    expect(prefixes).toBeGreaterThan(5000);
    expect(matched).toBeGreaterThan(3000);
  });

  it('a match that ended the text is dropped when a word character follows it', () => {
    const matcher = createWordMatcher(['falcon']);
    const progress = matcher.newProgress();
    expect(matcher.matchMore('the falcon', progress)).toHaveLength(1);
    expect(matcher.matchMore('the falcons', progress)).toEqual([]);
    expect(matcher.matchMore('the falcons fly; falcon.', progress)).toEqual([
      { start: 17, end: 23, termIndex: 0 },
    ]);
  });

  it('the scanner streams with one context and scans whole texts without one', () => {
    const scanner = createSensitiveWordsScanner({ terms: TERMS });
    const text = 'Our PROJECT   FALCON memo (机密) mentions résumé and 😀 smile, not falconry.';
    const context: ScanContext = { stage: 'output' };
    for (let cut = 1; cut <= text.length; cut++) {
      const prefix = text.slice(0, cut);
      expect(scanner.scan(prefix, context), prefix).toEqual(scanner.scan(prefix, { stage: 'input' }));
    }
  });
});
