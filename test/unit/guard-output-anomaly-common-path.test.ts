/**
 * Session 11, the anomaly scanner's common path: the rewritten parts give what the code they
 * replaced gave.
 *
 * - foldCase (one unsigned comparison) = the two-comparison form, on every code unit;
 * - the census's ASCII share (now read off the unit counts) and its printable-ASCII shortcut
 *   (one unsigned comparison): high_entropy appears exactly when a straightforward count says
 *   ≥ 90 % ASCII and the entropy reaches 5.4 bits, and each ASCII code is odd exactly when it is
 *   a control other than tab, newline and carriage return, or DEL;
 * - repetitionMayScore (the ASCII word-start shortcut, the per-unit kind table) = the pass as it
 *   was before session 11 (copied below, unchanged but for its name), call after call on the
 *   same generated texts: ASCII prose, URLs, handles and e-mail addresses, CJK, accented words,
 *   every kind of space, paired, lone and trailing surrogates, controls, words past 32
 *   characters, repeated runs that make the pass say "maybe", long texts.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import { CodeUnits } from '../../src/guard/normalize/code-units.js';
import { analyzeAnomalies, characterEntropy } from '../../src/guard/output/anomaly-scanner.js';
import { repetitionMayScore } from '../../src/guard/output/repetition-bound.js';
import {
  combine,
  FNV_OFFSET,
  FNV_PRIME,
  foldCase,
  isCjk,
  isSpace,
  isWordChar,
  MAX_WORD_UNIT,
} from '../../src/guard/output/text-units.js';

// ---- The pass before session 11 (src/guard/output/repetition-bound.ts at 5e2a2f6). ----

const UNIT_BITS = 12;
const NGRAM_BITS = 12;
const LINE_BITS = 8;
/** Per unit bucket: the (global) index of the latest unit in it. */
const lastUnit = new Int32Array(1 << UNIT_BITS);
/** Per line bucket: the (global) index of the latest counted line in it. */
const lastLine = new Int32Array(1 << LINE_BITS);
/** Per n-gram key bucket: keys counted (reset per call; the pass stops at 32). */
const ngramCounts = new Uint8Array(1 << NGRAM_BITS);
/** Per unit, whether its bucket had a unit ≤ 63 back (ring of the last 64). */
const nearRing = new Uint8Array(64);
/**
 * Unit and line indexes continue across calls, each call starting at least 64 past the last
 * index of the previous one, so the tables need no clearing: an entry of an earlier call is
 * always more than 63 units (16 lines) back.
 */
let unitBase = 64;
let lineBase = 64;

/** 0 for ASCII code units that are not word characters, else foldCase (ASCII) — see the tracker. */
const ASCII_WORD_FOLDED = Uint16Array.from({ length: 128 }, (_value, code) =>
  isWordChar(code) ? foldCase(code) : 0,
);

/** 1 for the ASCII code units isSpace accepts, but for the line end. */
const ASCII_SPACE = Uint8Array.from({ length: 128 }, (_value, code) =>
  isSpace(code) && code !== 0x0a ? 1 : 0,
);

function symbolHash(code: number, low: number): number {
  const hash = Math.imul(FNV_OFFSET ^ 0x5f ^ code, FNV_PRIME);
  return (low >= 0 ? Math.imul(hash ^ low, FNV_PRIME) : hash) | 0;
}

/** The state of one pass (module-level: the pass is synchronous and never re-entered). */
let unitIndex = 0;
let nearRun = 0;
let nearSum = 0;
let symbolRun = 0;
let units = 0;
let recent1 = 0;
let recent2 = 0;
let recent3 = 0;
/** Bit k set: the unit k back (0: the latest) is a symbol. */
let symbols = 0;
let lineIndex = 0;
let lineRun = 0;
let maybe = false;

/** Whether some RepetitionTracker signal may score above 0 for `units[0 … length)` (see above). */
function referenceMayScore(codes: Uint16Array, length: number): boolean {
  if (unitBase > 0x3fffffff - 2 * length || lineBase > 0x3fffffff - 2 * length) {
    // The global indexes would overflow: clear the tables and start over.
    lastUnit.fill(0);
    lastLine.fill(0);
    unitBase = 64;
    lineBase = 64;
  }
  ngramCounts.fill(0);
  nearRing.fill(0);
  unitIndex = unitBase;
  lineIndex = lineBase;
  nearRun = 0;
  nearSum = 0;
  symbolRun = 0;
  units = 0;
  recent1 = 0;
  recent2 = 0;
  recent3 = 0;
  symbols = 0;
  lineRun = 0;
  maybe = false;
  let wordStart = -1;
  let wordHash = 0;
  let lineStarted = false;
  let lineHash = 0;
  let lineLength = 0;
  let lineSpace = false;
  let index = 0;
  while (index < length) {
    const code = codes[index]!;
    if (code < 128) {
      const folded = ASCII_WORD_FOLDED[code]!;
      if (folded !== 0) {
        if (wordStart >= 0 && index - wordStart < MAX_WORD_UNIT) {
          // A word continuing (its line has started and no space is pending: a space ends words).
          wordHash = Math.imul(wordHash ^ folded, FNV_PRIME);
          lineHash = Math.imul(lineHash ^ folded, FNV_PRIME);
          lineLength++;
          index++;
          continue;
        }
      } else if (ASCII_SPACE[code] === 1) {
        // isSpace, not a line end: what #char does for it.
        if (wordStart >= 0) {
          wordUnit(wordHash | 0);
          wordStart = -1;
          if (maybe) break;
        }
        if (lineStarted) lineSpace = true;
        index++;
        continue;
      }
    }
    // (Checked here rather than per character: only unit and line events set it.)
    if (maybe) break;
    let low = -1;
    if (code >= 0xd800 && code <= 0xdbff) {
      if (index + 1 >= length) {
        // A high surrogate at the very end: the tracker holds it, and result() counts it as a
        // symbol unit and as one more character of the line.
        if (wordStart >= 0) {
          wordUnit(wordHash | 0);
          wordStart = -1;
        }
        symbolUnit(symbolHash(code, -1));
        if (!lineStarted) {
          lineStarted = true;
          lineHash = FNV_OFFSET;
          lineLength = 0;
        }
        if (lineSpace) {
          lineHash = Math.imul(lineHash ^ 0x20, FNV_PRIME);
          lineLength++;
        }
        lineHash = Math.imul(lineHash ^ code, FNV_PRIME);
        lineLength++;
        if (lineLength >= 12) line(lineHash | 0);
        finishPass();
        return maybe;
      }
      const next = codes[index + 1]!;
      if (next >= 0xdc00 && next <= 0xdfff) low = next;
    }
    // The tracker's #char(code, low).
    if (isSpace(code)) {
      if (wordStart >= 0) {
        wordUnit(wordHash | 0);
        wordStart = -1;
      }
      if (code === 0x0a) {
        if (lineStarted) {
          lineStarted = false;
          lineSpace = false;
          if (lineLength >= 12) line(lineHash | 0);
        }
      } else if (lineStarted) lineSpace = true;
      index++;
      continue;
    }
    if (!lineStarted) {
      lineStarted = true;
      lineHash = FNV_OFFSET;
      lineLength = 0;
    }
    if (lineSpace) {
      lineHash = Math.imul(lineHash ^ 0x20, FNV_PRIME);
      lineLength++;
      lineSpace = false;
    }
    lineHash = Math.imul(lineHash ^ foldCase(code), FNV_PRIME);
    if (low >= 0) {
      lineHash = Math.imul(lineHash ^ low, FNV_PRIME);
      lineLength += 2;
      index += 2;
    } else {
      lineLength++;
      index++;
    }
    if (low < 0 && isWordChar(code)) {
      if (wordStart >= 0 && index - 1 - wordStart >= MAX_WORD_UNIT) {
        wordUnit(wordHash | 0);
        wordStart = -1;
      }
      if (wordStart < 0) {
        wordStart = index - 1;
        wordHash = FNV_OFFSET;
      }
      wordHash = Math.imul(wordHash ^ foldCase(code), FNV_PRIME);
      continue;
    }
    if (wordStart >= 0) {
      wordUnit(wordHash | 0);
      wordStart = -1;
    }
    if (low < 0 && isCjk(code)) wordUnit(Math.imul(FNV_OFFSET ^ code, FNV_PRIME) | 0);
    else symbolUnit(symbolHash(code, low));
  }
  if (!maybe) {
    // What result() counts without consuming: the trailing word and line.
    if (wordStart >= 0) wordUnit(wordHash | 0);
    if (lineStarted && lineLength >= 12) line(lineHash | 0);
  }
  finishPass();
  return maybe;
}

/** Moves the index bases past this call's indexes. */
function finishPass(): void {
  unitBase = unitIndex + 64;
  lineBase = lineIndex + 64;
}

/** The n-gram ending with a unit of `hash` (symbol or not), as the tracker counts it. */
function ngram(hash: number, symbol: boolean): void {
  symbols = ((symbols << 1) | (symbol ? 1 : 0)) & 0xf;
  if (units >= 3 && symbols !== 0xf) {
    const key = combine(combine(combine(combine(0, recent3), recent2), recent1), hash);
    const bucket = Math.imul(key, 0x9e3779b1) >>> (32 - NGRAM_BITS);
    if (++ngramCounts[bucket]! >= 32) maybe = true;
  }
  recent3 = recent2;
  recent2 = recent1;
  recent1 = hash;
  units++;
}

function symbolUnit(hash: number): void {
  ngram(hash, true);
  if (++symbolRun >= 256) maybe = true;
}

/** A word or CJK unit: an element of the tracker's period detector and window. */
function wordUnit(hash: number): void {
  ngram(hash, false);
  symbolRun = 0;
  const bucket = Math.imul(hash, 0x9e3779b1) >>> (32 - UNIT_BITS);
  const index = unitIndex++;
  const distance = index - lastUnit[bucket]!;
  lastUnit[bucket] = index;
  nearRun = distance <= 48 ? nearRun + 1 : 0;
  if (nearRun >= 24) maybe = true;
  const near = distance <= 63 ? 1 : 0;
  const slot = index & 63;
  nearSum += near - nearRing[slot]!;
  nearRing[slot] = near;
  // A full window: this call's 64th unit on (the ring is zeroed at the start of each call).
  if (index - unitBase >= 63 && nearSum >= 52) maybe = true;
}

function line(hash: number): void {
  const bucket = Math.imul(hash, 0x9e3779b1) >>> (32 - LINE_BITS);
  const index = lineIndex++;
  const distance = index - lastLine[bucket]!;
  lastLine[bucket] = index;
  lineRun = distance <= 16 ? lineRun + 1 : 0;
  if (lineRun >= 2) maybe = true;
}

// ---- Generated texts. ----

const PIECES = [
  'the',
  'The',
  'question',
  'about',
  "don't",
  'HTTPServer',
  'camelCase',
  'ABc',
  'xkcd',
  'asdfgh',
  'https://example.com/a?b=1',
  'http://x.y',
  'www.example.org',
  '@handle',
  'mail@example.com',
  'a@b.c',
  'a@a@a.b',
  '𠀀',
  '中文',
  '日本語',
  'café',
  'Ünïcödé',
  'naïve',
  '123',
  '3.14',
  '!',
  '.',
  ',',
  '?',
  '-',
  '(',
  ')',
  '"',
  '“',
  '”',
  '’',
  '°',
  '—',
  '😀',
  '👍🏽',
  '\u200b',
  '\u202e',
  '\u0000',
  '\u0007',
  '\ufffd',
  '\ud800',
  '\udc00',
  'é',
  'ß',
  '×',
  '÷',
  'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  'Zz9_Zz9_Zz9_Zz9_Zz9_Zz9_Zz9_Zz9_Zz9_Zz9',
  'ééééééééééééééééééééééééééééééééééééééé',
];
const SPACES = [' ', ' ', ' ', ' ', '\n', '\n\n', '\t', '\r\n', '\u00a0', '\u2003', '\u3000', '\u2028', ''];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

function generatedText(next: () => number): string {
  const kind = Math.floor(next() * 4);
  const length = next() < 0.1 ? 2000 + Math.floor(next() * 6000) : Math.floor(next() * 600);
  let text = '';
  if (kind === 0) {
    // Mixed pieces and separators.
    while (text.length < length) text += pick(next, PIECES) + pick(next, SPACES);
  } else if (kind === 1) {
    // A few pieces repeated (loops, low diversity, n-grams, repeated lines: "maybe").
    const vocabulary = Array.from({ length: 1 + Math.floor(next() * 10) }, () => pick(next, PIECES));
    while (text.length < length) text += pick(next, vocabulary) + pick(next, SPACES);
  } else if (kind === 2) {
    // Random code units, weighted to ASCII letters and the ranges the pass tells apart.
    for (let index = 0; index < length; index++) {
      const roll = next();
      const code =
        roll < 0.6
          ? 0x61 + Math.floor(next() * 26) - (next() < 0.2 ? 32 : 0)
          : roll < 0.75
            ? pick(next, [0x20, 0x0a, 0x09, 0x2e, 0x27, 0x30, 0x2c])
            : roll < 0.8
              ? 0xd800 + Math.floor(next() * 0x800)
              : Math.floor(next() * 0x10000);
      text += String.fromCharCode(code);
    }
  } else {
    // One symbol or one word run long (char_run, long words), maybe ending on a high surrogate.
    text = pick(next, PIECES).repeat(1 + Math.floor(next() * 300));
  }
  if (next() < 0.1) text += '\ud83d';
  return text;
}

describe('session 11: the anomaly scanner common path', () => {
  it('foldCase = the two-comparison form on every code unit', () => {
    let folded = 0;
    for (let code = 0; code <= 0xffff; code++) {
      const expected = code >= 0x41 && code <= 0x5a ? code + 32 : code;
      expect(foldCase(code)).toBe(expected);
      if (expected !== code) folded++;
    }
    expect(folded).toBe(26);
  });

  it('repetitionMayScore = the pass before session 11, call after call', () => {
    const next = createRandom(1111);
    const units = new CodeUnits(16);
    let maybe = 0;
    const rounds = 6000;
    for (let round = 0; round < rounds; round++) {
      const text = generatedText(next);
      const codes = units.load(text);
      const fast = repetitionMayScore(codes, text.length);
      const reference = referenceMayScore(codes, text.length);
      if (fast !== reference) expect({ text, fast }).toEqual({ text, fast: reference });
      if (fast) maybe++;
    }
    // Both answers are common, so a pass that always said one of them would fail above.
    expect(maybe).toBeGreaterThan(rounds / 10);
    expect(maybe).toBeLessThan((rounds * 9) / 10);
  });
  it('high_entropy follows the straightforward ASCII share', () => {
    const next = createRandom(2222);
    const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const other = ['é', '中', '😀', '\u00a0', '\ud800', 'Ж'];
    const seen = { entropic: 0, flagged: 0, notAscii: 0 };
    for (let round = 0; round < 3000; round++) {
      // Random base64 (entropy near 6 bits) or prose-like text, with a share of non-ASCII
      // units around the 10 % limit.
      const length = 120 + Math.floor(next() * 400);
      const share = next() * 0.2;
      const prose = next() < 0.3;
      let text = '';
      while (text.length < length) {
        text +=
          next() < share
            ? pick(next, other)
            : prose
              ? pick(next, ['the ', 'cat ', 'sat ', 'on ', 'a ', 'mat. '])
              : base64[Math.floor(next() * 64)]!;
      }
      let ascii = 0;
      for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) < 0x80) ascii++;
      const entropic = characterEntropy(text) >= 5.4;
      const expected = text.length >= 128 && ascii / text.length >= 0.9 && entropic;
      const flagged = analyzeAnomalies(text).some((signal) => signal.type === 'high_entropy');
      expect({ text, flagged }).toEqual({ text, flagged: expected });
      if (entropic) seen.entropic++;
      if (flagged) seen.flagged++;
      if (entropic && !flagged && text.length >= 128) seen.notAscii++;
    }
    // The share decides both ways on texts of high entropy.
    expect(seen.flagged).toBeGreaterThan(300);
    expect(seen.notAscii).toBeGreaterThan(300);
  });

  it('each ASCII code is an invalid character exactly when it is a control but tab, newline, CR', () => {
    for (let code = 0; code < 0x80; code++) {
      const text = `plain words ${String.fromCharCode(code).repeat(10)} more plain words here`;
      const invalid = analyzeAnomalies(text).find((signal) => signal.type === 'invalid_chars');
      const control = (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f;
      expect({ code, value: invalid?.value ?? 0 }).toEqual({ code, value: control ? 10 : 0 });
    }
  });
});
