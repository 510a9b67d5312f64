/**
 * The guard's hand-written fast paths against the simple code they replaced (kept here as
 * references): whitespace collapse vs `/\s+/`, the leetspeak fold vs its token regex, the
 * gibberish ratio vs its word regex, the view gates vs the leet regex and the spelled-out scan,
 * entropy vs a Map, and the period detector vs the O(maxPeriod) scan. Random inputs from a
 * fixed seed, drawn from alphabets that hit the edge cases (leet characters at token edges,
 * spelled-out letters, case changes, URLs, surrogates, long repeats).
 */
import { describe, expect, it } from 'vitest';
import { collapseWhitespace } from '../../src/guard/normalize/canonicalize.js';
import { foldLeetspeak } from '../../src/guard/normalize/index.js';
import { LEET_GATE, SPELLED_GATE, variantGates } from '../../src/guard/normalize/variants.js';
import {
  characterEntropy,
  gibberishRatio,
  PeriodDetector,
  type PeriodicRun,
} from '../../src/guard/output/index.js';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

function texts(seed: number, pieces: readonly string[], count: number, maxPieces: number): string[] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    let text = '';
    const length = Math.floor(next() * maxPieces);
    for (let index = 0; index < length; index++) text += pieces[Math.floor(next() * pieces.length)];
    return text;
  });
}

// --- references: the code before the fast paths -------------------------------------------

const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '@': 'a',
  $: 's',
  '|': 'l',
  '!': 'i',
  '+': 't',
};

function referenceFoldLeetspeak(canonical: string): string | null {
  if (!/[a-z][01345789@$|!+]|[01345789@$|!+][a-z]/.test(canonical)) return null;
  let changed = false;
  const folded = canonical.replace(
    /(?:[a-z0-9@$]|[|!+](?=[a-z0-9]))*[a-z](?:[a-z0-9@$]|[|!+](?=[a-z0-9]))*/g,
    (token) => {
      if (token.length > 24 || !/[01345789@$|!+]/.test(token) || !/[a-z][^a-z]*[a-z]/.test(token))
        return token;
      let out = '';
      for (const character of token) out += LEET[character] ?? character;
      if (out !== token) changed = true;
      return out;
    },
  );
  return changed ? folded : null;
}

const PAIRS = new Set(
  'bx cj cv cx dx fq fx gq gx hx jc jf jg jq js jv jw jx jz kq kx mx pq px pz qb qc qd qe qf qg qh qj qk ql qm qn qo qp qr qs qt qv qw qx qy qz sx vb vf vh vj vk vm vp vq vw vx wx xj xx zj zq zx'.split(
    ' ',
  ),
);
const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const VOWELLESS = new Set(
  'http https www html css sql xml ssh npm cpp pdf png jpg svg gcc dns tcp ssl tls rss hmm shh psst nth tsk crwth cwm mr mrs ms dr st nd rd th pm'.split(
    ' ',
  ),
);

function referenceImplausible(word: string): boolean {
  if (word.length < 4 || VOWELLESS.has(word)) return false;
  let vowels = 0;
  let run = 0;
  let longest = 0;
  for (let index = 0; index < word.length; index++) {
    if ('aeiouy'.includes(word[index]!)) {
      vowels++;
      run = 0;
    } else longest = Math.max(longest, ++run);
    if (index > 0 && PAIRS.has(word.slice(index - 1, index + 1))) return true;
  }
  let mash = false;
  for (let start = 0; start + 4 <= word.length; start++) {
    if (ROWS.some((row) => row.includes(word.slice(start, start + 4)))) mash = true;
  }
  return vowels === 0 || longest >= 6 || mash;
}

function referenceGibberish(text: string): { ratio: number; letters: number } {
  const cleaned = text.replace(/\b(?:https?:\/\/|www\.)\S+|\S+@\S+\.\w+/g, ' ');
  let letters = 0;
  let implausible = 0;
  for (const match of cleaned.matchAll(/[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+/g)) {
    const word = match[0];
    letters += word.length;
    if (word.length <= 6 && word === word.toUpperCase()) continue;
    if (referenceImplausible(word.toLowerCase())) implausible += word.length;
  }
  return { ratio: letters === 0 ? 0 : implausible / letters, letters };
}

function referenceEntropy(text: string): number {
  const counts = new Map<number, number>();
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  let entropy = 0;
  for (const count of counts.values()) {
    const probability = count / text.length;
    entropy -= probability * Math.log2(probability);
  }
  return entropy;
}

const isSeparator = (code: number): boolean => ' ._*\u00b7/\\|-'.includes(String.fromCharCode(code));
const isWordLike = (code: number): boolean =>
  code < 0x80 ? /[a-zA-Z0-9]/.test(String.fromCharCode(code)) : code !== 0xb7 && code !== 0xa0;

function referenceSpelledOut(text: string): boolean {
  for (let index = 0; index + 6 < text.length; index++) {
    const at = (offset: number) => text.charCodeAt(index + offset);
    if (
      isWordLike(at(0)) &&
      !(index > 0 && isWordLike(at(-1))) &&
      isSeparator(at(1)) &&
      isWordLike(at(2)) &&
      isSeparator(at(3)) &&
      isWordLike(at(4)) &&
      isSeparator(at(5)) &&
      isWordLike(at(6)) &&
      (index + 7 >= text.length || !isWordLike(at(7)))
    ) {
      return true;
    }
  }
  return false;
}

/** The period detector before the sparse update: every period checked on every element. */
class ReferencePeriods {
  private readonly history: Int32Array;
  private readonly starts: Float64Array;
  private readonly streaks: Int32Array;
  private readonly runStarts: Float64Array;
  private count = 0;
  best: PeriodicRun = { streak: 0, period: 0, start: 0, end: 0, score: 0 };

  constructor(
    private readonly maxPeriod: number,
    private readonly minRepeated: number,
  ) {
    this.history = new Int32Array(maxPeriod);
    this.starts = new Float64Array(maxPeriod);
    this.streaks = new Int32Array(maxPeriod + 1);
    this.runStarts = new Float64Array(maxPeriod + 1);
  }

  private score(streak: number, period: number): number {
    const threshold = Math.max(2 * period, this.minRepeated);
    if (streak < threshold) return 0;
    return Math.min(1, 0.5 + (0.5 * (streak - threshold)) / (3 * threshold));
  }

  visit(hash: number, end: number, apply: boolean): PeriodicRun {
    let best = this.best;
    const limit = Math.min(this.maxPeriod, this.count);
    for (let period = 1; period <= limit; period++) {
      const slot = (this.count - period) % this.maxPeriod;
      const matches = this.history[slot] === hash;
      const streak = matches ? this.streaks[period]! + 1 : 0;
      const runStart = matches && streak === 1 ? this.starts[slot]! : this.runStarts[period]!;
      if (apply) {
        this.streaks[period] = streak;
        this.runStarts[period] = runStart;
      }
      if (streak === 0) continue;
      const score = this.score(streak, period);
      if (score > best.score || (score === best.score && score > 0 && streak > best.streak)) {
        best = { streak, period, start: runStart, end, score };
      }
    }
    return best;
  }

  push(hash: number, start: number, end: number): void {
    this.best = this.visit(hash, end, true);
    const slot = this.count % this.maxPeriod;
    this.history[slot] = hash;
    this.starts[slot] = start;
    this.count++;
  }
}

// --- comparisons ------------------------------------------------------------------------------

describe('fast paths give what the code they replaced gave', () => {
  it('collapseWhitespace = replace(/\\s+/g, " ").trim()', () => {
    const pieces = ['a', 'bc', ' ', '  ', '\n', '\t', '\u00a0', '\u3000', 'x y', '\ufeff', ' \n ', '\u2028'];
    for (const text of texts(1, pieces, 20_000, 12)) {
      expect(collapseWhitespace(text)).toBe(text.replace(/\s+/g, ' ').trim());
    }
  });

  it('foldLeetspeak = the token regex with its callback', () => {
    const pieces =
      'ab e i o s t z 0 1 3 4 5 7 8 9 2 6 @ $ | ! + . - é x1 4th 1gn0r3 h4ck3r covid19 v1 5g aaaaaaaaaaaaaaaaaaaaa1'.split(
        ' ',
      );
    const next = random(2);
    let folded = 0;
    for (const text of texts(3, pieces, 30_000, 24)) {
      const spaced = text.replace(/(.)/g, (character) => (next() < 0.25 ? `${character} ` : character));
      const expected = referenceFoldLeetspeak(spaced);
      if (expected !== null) folded++;
      expect(foldLeetspeak(spaced)).toBe(expected);
    }
    expect(folded).toBeGreaterThan(1_000);
  });

  it('variantGates = the leetspeak adjacency regex and the spelled-out scan', () => {
    const pieces = [
      'i',
      ' ',
      '  ',
      '.',
      '-',
      '·',
      '\u00a0',
      'g',
      'no',
      '1',
      '4',
      '!',
      '|',
      'é',
      'ab',
      'X',
      '汉',
      '_',
    ];
    const letters = ['a ', 'b.', 'c-', '1 ', '汉 ', 'x|', 'y/', 'é ', 'q·'];
    let spelled = 0;
    for (const text of texts(7, [...pieces, ...letters, ...letters], 20_000, 20)) {
      const expected =
        (/[a-z][01345789@$|!+]|[01345789@$|!+][a-z]/.test(text) ? LEET_GATE : 0) |
        (referenceSpelledOut(text) ? SPELLED_GATE : 0);
      if (expected & SPELLED_GATE) spelled++;
      expect(variantGates(text)).toBe(expected);
    }
    expect(spelled).toBeGreaterThan(1_000);
  });

  it('gibberishRatio = the word regex and string tests', () => {
    const pieces = [
      'Hello',
      'world',
      ' ',
      'qwxz',
      'ASDF',
      'asdfgh',
      'HTTPServer',
      'ABc',
      'XMLHttpRequest',
      'rhythm',
      'strengths',
      'https://x.io/a?b=qzx',
      'me@qx.zz',
      'www.zzq.com',
      '12',
      'é',
      'Qq',
      'bcdfgh',
      'zxcv',
      '-',
      '\t',
      '\u00a0',
      '\u3000',
      'a@b.c',
      '@user',
      'x@',
      'http://',
      'https://qzx.io',
      'wwwx',
      'www.',
      '.',
      'q_',
      // A run of 32 units or more kept before a URL (copied natively into the cleaned units).
      `${'Qzx'.repeat(12)}(https://q.io`,
      `${'rhythm'.repeat(6)}<me@qx.zz`,
    ];
    for (const text of texts(4, pieces, 20_000, 16)) {
      expect(gibberishRatio(text)).toEqual(referenceGibberish(text));
    }
  });

  it('characterEntropy = the Map-based sum (same order)', () => {
    const pieces = ['a', 'b', 'Zz', '😀', '汉字', ' ', '\n', 'ab', '\ud800'];
    for (const text of texts(5, pieces, 5_000, 40)) {
      expect(characterEntropy(text)).toBe(referenceEntropy(text));
    }
  });

  it('PeriodDetector = the scan of every period, pushes and peeks', () => {
    const next = random(6);
    let scored = 0;
    for (let trial = 0; trial < 120; trial++) {
      const [maxPeriod, minRepeated] = trial % 2 === 0 ? [48, 24] : [16, 2];
      const fast = new PeriodDetector(maxPeriod, minRepeated);
      const reference = new ReferencePeriods(maxPeriod, minRepeated);
      const vocabulary = 2 + Math.floor(next() * 12);
      const block = Array.from({ length: 1 + Math.floor(next() * 20) }, () =>
        Math.floor(next() * vocabulary),
      );
      const keep = next() < 0.5 ? 0.98 : 0.7;
      for (let index = 0; index < 400; index++) {
        const hash =
          next() < keep ? block[index % block.length]! : Math.floor(next() * vocabulary) * 0x9e3779b1;
        if (index % 4 === 0) {
          const probe = Math.floor(next() * vocabulary);
          expect(fast.peek(probe, index * 3 + 2)).toEqual(reference.visit(probe, index * 3 + 2, false));
        }
        fast.push(hash, index * 3, index * 3 + 2);
        reference.push(hash, index * 3, index * 3 + 2);
        expect(fast.best).toEqual(reference.best);
      }
      if (fast.best.score > 0) scored++;
    }
    expect(scored).toBeGreaterThan(20);
  });
});
