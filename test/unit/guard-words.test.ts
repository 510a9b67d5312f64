import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import {
  AhoCorasick,
  createSensitiveWordsScanner,
  createWordMatcher,
  foldText,
  type SensitiveTerm,
  type WordMatch,
} from '../../src/guard/words/index.js';

/** Deterministic PRNG (mulberry32) so a failing case can be replayed. */
const generator = createRandom;

function randomString(random: () => number, alphabet: readonly string[], min: number, max: number): string {
  const length = min + Math.floor(random() * (max - min + 1));
  let out = '';
  for (let index = 0; index < length; index++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

type Triple = [number, number, number];

function automatonMatches(patterns: string[], text: string): Triple[] {
  const out: Triple[] = [];
  new AhoCorasick(patterns).forEachMatch(text, (start, end, pattern) => out.push([start, end, pattern]));
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
}

function naiveMatches(patterns: string[], text: string): Triple[] {
  const out: Triple[] = [];
  patterns.forEach((pattern, index) => {
    if (pattern === '') return;
    for (let at = text.indexOf(pattern); at !== -1; at = text.indexOf(pattern, at + 1)) {
      out.push([at, at + pattern.length, index]);
    }
  });
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
}

describe('AhoCorasick', () => {
  it.each([
    [['he', 'she', 'his', 'hers'], 'ushers'],
    [['a', 'aa', 'aaa'], 'aaaa'],
    [['abc', 'abc', ''], 'xabcabc'],
    [['中文', '文字', '中文字'], '这是中文字的测试'],
    [['😀x', 'x'], 'a😀xx'],
    [[], 'anything'],
  ])('matches %j in %j like a naive search', (patterns, text) => {
    expect(automatonMatches(patterns, text)).toEqual(naiveMatches(patterns, text));
  });

  it('equals a naive search on 2,000 random pattern sets and texts', () => {
    const random = generator(1);
    const alphabets = [
      ['a', 'b'],
      ['a', 'b', 'c', 'd'],
      ['x', 'y', '中', '文', 'é'],
    ];
    for (let round = 0; round < 2000; round++) {
      const alphabet = alphabets[round % alphabets.length]!;
      const count = 1 + Math.floor(random() * 12);
      const patterns = Array.from({ length: count }, () => randomString(random, alphabet, 1, 5));
      const text = randomString(random, alphabet, 0, 80);
      expect(automatonMatches(patterns, text), JSON.stringify({ patterns, text })).toEqual(
        naiveMatches(patterns, text),
      );
    }
  });

  it('equals a naive search with 10,000 patterns', () => {
    const random = generator(2);
    const syllables = ['ka', 'ri', 'to', 'ne', 'su', 'mo', 'la', 'pe', '机', '密', '敏', '感', '词'];
    const patterns = Array.from({ length: 10_000 }, () => randomString(random, syllables, 1, 4));
    for (let round = 0; round < 5; round++) {
      const text = randomString(random, syllables, 200, 400);
      expect(automatonMatches(patterns, text)).toEqual(naiveMatches(patterns, text));
    }
  });
});

describe('foldText', () => {
  it.each([
    ['BAD Word', 'bad word'],
    ['Ｂａｄ', 'bad'],
    ['ﬁle', 'file'],
    ['b\u200Bad\u00AD', 'bad'],
    ['a \t\n b', 'a b'],
    ['café', 'cafe\u0301'],
    ['cafe\u0301', 'cafe\u0301'],
    ['機密', '機密'],
  ])('%j → %j', (text, folded) => {
    expect(foldText(text)).toBe(folded);
  });
});

describe('sensitive words scanner', () => {
  const scanner = createSensitiveWordsScanner({
    terms: [
      'project falcon',
      { term: '机密', category: 'CONFIDENTIAL' },
      { term: '内部资料', category: 'CONFIDENTIAL', score: 0.8 },
      'bad',
      { term: 'crap', wholeWord: false },
      'new york',
      'new york city',
      'york city hall',
      'C++',
      'VIP会员',
    ],
  });
  const scan = (text: string): Array<[string, string, number, number]> =>
    scanner.scan(text, { stage: 'output' }).findings.map((finding) => {
      expect(text.slice(finding.start, finding.end)).toBe(finding.value);
      return [finding.type, finding.value, finding.start, finding.end];
    });

  it.each<[string, Array<[string, string, number, number]>]>([
    ['这是机密文件', [['CONFIDENTIAL', '机密', 2, 4]]],
    [
      '请勿外传内部资料和机密',
      [
        ['CONFIDENTIAL', '内部资料', 4, 8],
        ['CONFIDENTIAL', '机密', 9, 11],
      ],
    ],
    ['Status of PROJECT  Falcon?', [['SENSITIVE_WORD', 'PROJECT  Falcon', 10, 25]]],
    ['project\nfalcon', [['SENSITIVE_WORD', 'project\nfalcon', 0, 14]]],
    [
      'a bad idea. BAD!',
      [
        ['SENSITIVE_WORD', 'bad', 2, 5],
        ['SENSITIVE_WORD', 'BAD', 12, 15],
      ],
    ],
    ['badly, abad, bad_x, bad2', []],
    [
      'Ｂａｄ and b\u200Bad',
      [
        ['SENSITIVE_WORD', 'Ｂａｄ', 0, 3],
        ['SENSITIVE_WORD', 'b\u200Bad', 8, 12],
      ],
    ],
    ['我觉得bad了', [['SENSITIVE_WORD', 'bad', 3, 6]]],
    [
      'scrappy crap',
      [
        ['SENSITIVE_WORD', 'crap', 1, 5],
        ['SENSITIVE_WORD', 'crap', 8, 12],
      ],
    ],
    ['I love new york city hall', [['SENSITIVE_WORD', 'new york city', 7, 20]]],
    ['newyork, new yorker', []],
    ['I write C++ daily', [['SENSITIVE_WORD', 'C++', 8, 11]]],
    ['成为VIP会员吧, not xVIP会员', [['SENSITIVE_WORD', 'VIP会员', 2, 7]]],
    ['nothing here', []],
  ])('%j', (text, expected) => {
    expect(scan(text)).toEqual(expected);
  });

  it('reports the scanner name, score and stages', () => {
    const named = createSensitiveWordsScanner({ name: 'brand-terms', terms: [{ term: 'acme', score: 0.4 }] });
    expect(named.stages).toEqual(['input', 'context', 'output']);
    expect(named.scan('ACME rocks', { stage: 'input' })).toEqual({
      scanner: 'brand-terms',
      score: 0.4,
      findings: [
        { scanner: 'brand-terms', type: 'SENSITIVE_WORD', score: 0.4, start: 0, end: 4, value: 'ACME' },
      ],
    });
    expect(named.scan('nothing', { stage: 'input' }).score).toBe(0);
  });

  it('matches terms with astral characters and composed/decomposed accents alike', () => {
    const matcher = createWordMatcher(['café', '🔥火']);
    expect(matcher.match('cafe\u0301 café 🔥火!')).toEqual([
      { start: 0, end: 5, termIndex: 0 },
      { start: 6, end: 10, termIndex: 0 },
      { start: 11, end: 14, termIndex: 1 },
    ]);
    // "cafe" must not match the first four code units of a decomposed "café".
    expect(createWordMatcher([{ term: 'cafe', wholeWord: false }]).match('café')).toEqual([]);
  });
});

/** Reference: every code-point substring whose fold equals a term's fold, then the same rules. */
function referenceMatch(terms: SensitiveTerm[], text: string): WordMatch[] {
  const isWord = (character: string | undefined): boolean =>
    character !== undefined && /[\p{L}\p{N}\p{M}_]/u.test(character) && !/\p{Script=Han}/u.test(character);
  const characters = [...text];
  const offsets: number[] = [0];
  for (const character of characters) offsets.push(offsets.at(-1)! + character.length);
  const found: WordMatch[] = [];
  for (let first = 0; first < characters.length; first++) {
    if (foldText(characters[first]!).trim() === '') continue;
    for (let last = first; last < characters.length; last++) {
      const folded = foldText(characters.slice(first, last + 1).join(''));
      terms.forEach((term, termIndex) => {
        if (folded !== foldText(term.term)) return;
        const termCharacters = [...term.term];
        const whole = term.wholeWord !== false;
        if (whole && isWord(termCharacters[0]) && isWord(characters[first - 1])) return;
        if (whole && isWord(termCharacters.at(-1)) && isWord(characters[last + 1])) return;
        found.push({ start: offsets[first]!, end: offsets[last + 1]!, termIndex });
      });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end || a.termIndex - b.termIndex);
  const kept: WordMatch[] = [];
  let reached = -1;
  for (const match of found) {
    if (match.start < reached) continue;
    kept.push(match);
    reached = match.end;
  }
  return kept;
}

describe('words matcher vs a reference implementation', () => {
  it('agrees on 1,500 random term lists and texts (case, width, spaces, CJK, accents)', () => {
    const random = generator(3);
    const alphabet = ['a', 'A', 'b', 'ａ', ' ', '  ', '中', '文', 'é', 'e\u0301', '_'];
    for (let round = 0; round < 1500; round++) {
      const terms: SensitiveTerm[] = Array.from({ length: 1 + Math.floor(random() * 6) }, () => ({
        term: randomString(random, alphabet, 1, 4).trim() || 'a',
        wholeWord: random() < 0.7,
      }));
      const text = randomString(random, alphabet, 0, 30);
      expect(createWordMatcher(terms).match(text), JSON.stringify({ terms, text })).toEqual(
        referenceMatch(terms, text),
      );
    }
  });
});
