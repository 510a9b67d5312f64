/**
 * Session 6 latency rewrites of the anomaly, toxicity and PII scanners that must not change
 * results (docs/guardrails-latency.md), each checked against a plain reference written here:
 *
 * - Toxicity windows are scored in one fused pass (scoreFeatureUnits: features hashed and
 *   their weights summed as they are made) unless the window has a lexicon candidate: the
 *   same score and probability, bit for bit, as extracting the feature indexes (extractFeatures,
 *   the training path) and summing their weights in order.
 *
 * - Toxicity preparation lower-cases ASCII as it reads and writes each kept unit as it goes
 *   (no lower-cased copy, no stretch copies), and the scanner prepares each window of an ASCII
 *   text from one copy of the whole text (prepareWindow): the same units as the replaced
 *   prepareUnits (kept here as the reference) gives for the window's slice.
 * - The input scan splits a text into toxicity windows from its code units and scores them
 *   without window objects (forEachWindowScore): the same windows, scores and hits, in order,
 *   as splitWindows (with its sentence-end regular expression) and scoreWindow.
 * - The anomaly census counts code units for the entropy in its own pass: the high_entropy
 *   signal's value is bit for bit the entropy of a Map count in order of first sight.
 * - The gibberish test of a word of letters reads each letter pair with one table load
 *   (implausibleLetters): the ratio equals a reference written with the word regex and string
 *   tests, on random words of every casing built to hit the pairs, keyboard rows and runs.
 * - The anomaly scanner skips the repetition tracker when repetitionMayScore proves that no
 *   signal can score: on texts built to sit at every signal's threshold (loops of every
 *   period around 24 repeated units, 64-unit windows around 12 distinct units, 4-grams around
 *   32 repeats, repeated lines around 12 characters and period 16, symbol runs around 256, a
 *   trailing word, line or high surrogate), it never says "no" where the tracker reports a
 *   signal, and analyzeAnomalies gives what it gives with the tracker always run.
 *
 * Random inputs from a fixed seed: English, CJK, lexicon terms, URLs and handles, surrogates
 * (paired and lone), controls, long runs.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import { CodeUnits } from '../../src/guard/normalize/code-units.js';
import { analyzeAnomalies, gibberishRatio } from '../../src/guard/output/anomaly-scanner.js';
import { repetitionMayScore } from '../../src/guard/output/repetition-bound.js';
import { RepetitionTracker } from '../../src/guard/output/repetition-tracker.js';
import { forEachWindowScore, scoreWindow, splitWindows } from '../../src/guard/toxicity/classify.js';
import { defaultToxicityModel } from '../../src/guard/toxicity/default-model.js';
import { createScratch, extractFeatures } from '../../src/guard/toxicity/features.js';
import { CHINESE_LEXICON, ENGLISH_LEXICON, RULE_FLOORS } from '../../src/guard/toxicity/lexicon.js';
import { sigmoid } from '../../src/guard/toxicity/model-format.js';
import {
  CHAR_CLASS,
  CLASS_SPACE,
  cjkShare,
  isWordCode,
  prepared,
  prepareText,
  prepareWindow,
} from '../../src/guard/toxicity/prepare-text.js';

const PIECES = [
  'hello',
  'You',
  'the',
  'THE',
  'and',
  'question',
  'about',
  "don't",
  'é',
  'Ünïcödé',
  '123',
  '.',
  '!',
  '?',
  ',',
  '\n',
  '  ',
  '\t',
  'x',
  'aaaa',
  '!!!!',
  '你',
  '的',
  '是',
  '我们',
  'カタカナ',
  '한국어',
  '“quoted”',
  '\ud83d\ude00',
  '\ud800',
  '\udc00',
  '\u0000',
  '\u200b',
  'ﬁ',
  'Ｆｕｌｌ',
  'https://example.com/a?b=c',
  'www.example.org',
  '@someone_42',
  'mail@example.com',
  ...ENGLISH_LEXICON.slice(0, 12).map((entry) => entry.term),
  ...ENGLISH_LEXICON.filter((entry) => entry.term.includes(' ')).map((entry) => entry.term),
  'i',
  'I',
  'go',
  'kill',
  'die',
  'should',
  'hope',
  'you',
  'yourself',
  ...CHINESE_LEXICON.slice(0, 6).map((entry) => entry.term),
];

function randomTexts(seed: number, pieces: readonly string[], count: number, maxPieces: number): string[] {
  const next = createRandom(seed);
  return Array.from({ length: count }, () => {
    let text = '';
    const length = Math.floor(next() * next() * maxPieces);
    for (let index = 0; index < length; index++) {
      text += pieces[Math.floor(next() * pieces.length)];
      if (next() < 0.6) text += ' ';
    }
    return text;
  });
}

// --- reference: a toxicity window scored from the extracted feature indexes ---------------

function referenceWindow(text: string, start: number, end: number) {
  const model = defaultToxicityModel();
  const prepared = prepareText(text.slice(start, end));
  const scratch = createScratch(16);
  extractFeatures(prepared, model.settings, scratch);
  let sum = 0;
  for (let feature = 0; feature < scratch.count; feature++)
    sum += model.codebook[model.codes[scratch.indexes[feature]!]! + 128]!;
  const share = cjkShare(prepared);
  const hits = scratch.hits.map((hit) => ({ ...hit }));
  if (scratch.count === 0) return { start, end, score: 0, probability: 0, cjkShare: share, hits };
  // Per-language intercept (session 13, round 6; shift 0 for a file without).
  const logit = model.bias + share * model.interceptShift + sum / Math.sqrt(scratch.count);
  const offset = share * model.offsets.zh + (1 - share) * model.offsets.en;
  // The evidence calibration (session 8): the offset scaled by n / (n + k), plus a shift.
  const evidence = model.evidenceK === 0 ? 1 : scratch.count / (scratch.count + model.evidenceK);
  const shift = share * model.shifts.zh + (1 - share) * model.shifts.en;
  let score = model.evidenceK === 0 ? sigmoid(logit - offset) : sigmoid(logit - evidence * offset + shift);
  for (const hit of hits) score = Math.max(score, RULE_FLOORS[hit.category] ?? 0);
  return { start, end, score, probability: sigmoid(logit), cjkShare: share, hits };
}

describe('session 6 rewrites give identical results', () => {
  it('toxicity windows: the fused score = features, then their weights summed in order', () => {
    const model = defaultToxicityModel();
    let windows = 0;
    let withHits = 0;
    for (const text of randomTexts(61, PIECES, 3_000, 160)) {
      for (const [start, end] of splitWindows(text)) {
        const actual = scoreWindow(model, text, start, end);
        const expected = referenceWindow(text, start, end);
        expect(Object.is(actual.score, expected.score)).toBe(true);
        expect(Object.is(actual.probability, expected.probability)).toBe(true);
        expect(actual.hits).toEqual(expected.hits);
        windows++;
        if (expected.hits.length > 0) withHits++;
      }
    }
    expect(windows).toBeGreaterThan(3_000);
    expect(withHits).toBeGreaterThan(300);
  });
});

// --- texts at the repetition signals' thresholds --------------------------------------------

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

const WORDS = ['alpha', 'Beta', 'gamma', 'delta', 'eps', 'zeta', 'eta', 'theta', 'iota', 'kappa'];
const SEPARATORS = [' ', ' ', ' ', '  ', '\n', '\t', ', ', '. ', '\r\n', '\u3000'];
const EXTRA = ['你', '好', '\ud83d\ude00', '\ud800', '\udc00', '!', '#', 'x'.repeat(40), 'é', 'Ω', '\u0000'];

/** A text near some repetition threshold: varied on purpose, so that each check is close. */
function thresholdText(next: () => number): string {
  const kind = Math.floor(next() * 7);
  const noise = next() < 0.5 ? next() * 0.08 : 0;
  const unit = (vocabulary: readonly string[]): string =>
    next() < noise ? pick(next, EXTRA) : pick(next, vocabulary);
  let text = '';
  if (kind === 0) {
    // A block of p units repeated: loop (streak ≥ max(2p, 24)).
    const period = next() < 0.2 ? pick(next, [24, 47, 48, 49]) : 1 + Math.floor(next() * 50);
    const block = Array.from({ length: period }, (_value, index) => `${pick(next, WORDS)}${index}`);
    const total =
      period + Math.max(24, 2 * period) + Math.floor(next() * 3) - 1 + Math.floor(next() * next() * 60);
    for (let index = 0; index < total; index++)
      text += (next() < noise ? pick(next, EXTRA) : block[index % period]) + pick(next, SEPARATORS);
  } else if (kind === 1) {
    // Few distinct units: low diversity (≤ 12 distinct in 64) and n-gram repeats.
    const vocabulary = Array.from({ length: 8 + Math.floor(next() * 12) }, (_value, index) => `w${index}`);
    const total = 40 + Math.floor(next() * 160);
    for (let index = 0; index < total; index++) text += unit(vocabulary) + pick(next, SEPARATORS);
  } else if (kind === 2) {
    // An n-gram repeated among fresh words: ngram_repeat (≥ 32 times, ≥ 25 % coverage).
    const gram = `${pick(next, WORDS)} ${pick(next, WORDS)} ${pick(next, ['!', ',', 'x'])} ${pick(next, WORDS)} `;
    const repeats = 24 + Math.floor(next() * 16);
    let fresh = 0;
    for (let index = 0; index < repeats; index++) {
      text += gram;
      const gap = Math.floor(next() * 4);
      for (let word = 0; word < gap; word++) text += `f${fresh++} `;
    }
  } else if (kind === 3) {
    // Lines repeated with a period: line_repeat (lines of ≥ 12 characters, period ≤ 16).
    const period = next() < 0.3 ? pick(next, [15, 16, 17]) : 1 + Math.floor(next() * 17);
    const lines = Array.from(
      { length: period },
      (_value, index) =>
        `${'ab cd'.slice(0, Math.floor(next() * 5))}L${index}${next() < 0.3 ? '\ud83d\ude00' : ''}${'x'.repeat(Math.floor(next() * 12))}`,
    );
    const total = 3 * period + Math.floor(next() * 3) - 1 + Math.floor(next() * next() * 3 * period);
    for (let index = 0; index < total; index++)
      text += `${lines[index % period]}${next() < 0.9 ? '\n' : ' \n '}`;
    if (next() < 0.5) text = text.replace(/\n $/, '');
  } else if (kind === 4) {
    // A symbol run around 256, possibly broken.
    const symbol = pick(next, ['!', '-', '\ud83d\ude00', '#', '=']);
    const length = 240 + Math.floor(next() * 30);
    for (let index = 0; index < length; index++) text += next() < noise / 4 ? ' ' : symbol;
  } else if (kind === 5) {
    // A vocabulary that grows slowly: windows of about 12 distinct units whose repeats lie up
    // to 63 units back, with new words spread out (no long runs of near repeats).
    const rate = 0.12 + next() * 0.1;
    const reach = 5 + Math.floor(next() * 10);
    const total = 64 + Math.floor(next() * 120);
    let words = 0;
    for (let index = 0; index < total; index++) {
      const word =
        words === 0 || next() < rate ? words++ : words - 1 - Math.floor(next() * Math.min(reach, words));
      text += `v${word} `;
    }
  } else {
    // Mixed prose-like text with CJK, surrogates and long words.
    const total = Math.floor(next() * 300);
    for (let index = 0; index < total; index++)
      text += unit([...WORDS, '你', '好', '的', 'the', 'a']) + (next() < 0.5 ? ' ' : pick(next, SEPARATORS));
  }
  const tail = next();
  if (tail < 0.2) text = text.trimEnd();
  else if (tail < 0.3) text += '\ud83d';
  else if (tail < 0.4) text += pick(next, WORDS);
  return text;
}

describe('session 6: repetitionMayScore never hides a repetition signal', () => {
  it('is true wherever the tracker reports a signal, at every threshold', () => {
    const next = createRandom(66);
    const units = new CodeUnits(16);
    const tracker = new RepetitionTracker();
    const byType = new Map<string, number>();
    let clean = 0;
    for (let round = 0; round < 40_000; round++) {
      const text = thresholdText(next);
      tracker.reset();
      tracker.push(text);
      const result = tracker.result();
      const maybe = repetitionMayScore(units.load(text), text.length);
      if (result.signals.length > 0 && !maybe)
        expect({ text, signals: result.signals }).toBe('a text the bound let through');
      for (const signal of result.signals) byType.set(signal.type, (byType.get(signal.type) ?? 0) + 1);
      if (!maybe) clean++;
    }
    // Every signal occurs, and the bound still clears many texts.
    for (const type of ['loop', 'line_repeat', 'low_diversity', 'ngram_repeat', 'char_run'])
      expect(byType.get(type) ?? 0).toBeGreaterThan(200);
    expect(clean).toBeGreaterThan(5_000);
  });

  it('analyzeAnomalies gives the same signals as with the tracker always run', () => {
    const next = createRandom(67);
    const tracker = new RepetitionTracker();
    for (let round = 0; round < 3_000; round++) {
      const text = next() < 0.5 ? thresholdText(next) : randomTexts(round, PIECES, 1, 200)[0]!;
      const withoutRepetition = analyzeAnomalies(text, { repetition: false });
      tracker.reset();
      tracker.push(text);
      const strongest = tracker.result().signals[0];
      const expected = strongest
        ? [...withoutRepetition, { ...strongest, type: 'repetition' }].sort(
            (left, right) => right.score - left.score,
          )
        : withoutRepetition;
      expect(analyzeAnomalies(text)).toEqual(expected);
    }
  });
});

// --- reference: the replaced prepareUnits (lower-cased copy, stretches copied out) -----------

function referencePrepare(text: string): string {
  const source = /[^\t-~]/.test(text) ? text.normalize('NFKC').toLowerCase() : text.toLowerCase();
  const length = source.length;
  const units = Array.from({ length }, (_value, index) => source.charCodeAt(index));
  const isSpace = (code: number): boolean => (CHAR_CLASS[code]! & CLASS_SPACE) !== 0;
  const startsWith = (index: number, prefix: string): boolean => source.startsWith(prefix, index);
  const urlEnd = (index: number): number => {
    const code = units[index]!;
    if (code !== 0x68 && code !== 0x77) return -1;
    if (index > 0 && isWordCode(units[index - 1]!)) return -1;
    if (!startsWith(index, 'http://') && !startsWith(index, 'https://') && !startsWith(index, 'www.'))
      return -1;
    let end = index;
    while (end < length && !isSpace(units[end]!)) end++;
    return end;
  };
  const handleEnd = (index: number): number => {
    if (units[index] !== 0x40) return -1;
    if (index > 0 && isWordCode(units[index - 1]!)) return -1;
    let end = index + 1;
    while (end < length && end - index <= 30 && /[a-z0-9_]/.test(source[end]!)) end++;
    return end === index + 1 ? -1 : end;
  };
  const out: number[] = [];
  const copy = (start: number, end: number): void => {
    for (let index = start; index < end; index++) out.push(units[index]!);
  };
  let copyFrom = 0;
  let space = false;
  let previousUnit = -1;
  let repeats = 0;
  let index = 0;
  while (index < length) {
    const code = units[index]!;
    if (code === 0x20 && copyFrom < index && index + 1 < length && !isSpace(units[index + 1]!)) {
      index++;
      previousUnit = -1;
      continue;
    }
    if (isSpace(code)) {
      copy(copyFrom, index);
      space = true;
      index++;
      copyFrom = index;
      previousUnit = -1;
      continue;
    }
    const skipTo = code === 0x40 ? handleEnd(index) : code === 0x68 || code === 0x77 ? urlEnd(index) : -1;
    if (skipTo > 0) {
      const spaced = copyFrom < index && units[index - 1] === 0x20;
      copy(copyFrom, index);
      if (out.length > 0 && !spaced) out.push(0x20);
      for (const character of code === 0x40 ? '_user_' : '_url_') out.push(character.charCodeAt(0));
      space = true;
      index = skipTo;
      copyFrom = index;
      previousUnit = -1;
      continue;
    }
    const wide = code >= 0xd800 && code <= 0xdbff && index + 1 < length;
    const unit = wide ? code * 0x10000 + units[index + 1]! : code;
    const size = wide ? 2 : 1;
    if (unit === previousUnit) {
      if (++repeats > 2) {
        copy(copyFrom, index);
        index += size;
        copyFrom = index;
        continue;
      }
    } else {
      previousUnit = unit;
      repeats = 1;
    }
    if (space) {
      if (out.length > 0) out.push(0x20);
      space = false;
    }
    index += size;
  }
  copy(copyFrom, length);
  return String.fromCharCode(...out);
}

const PREPARE_PIECES = [
  ...PIECES,
  'HTTP://Example.COM/x',
  'Www.Site.Org',
  'xhttp://a.b',
  '@User_Name',
  '@',
  'h',
  'w',
  'W',
  'aaa',
  'AAA',
  'aAa',
  'A',
  ' ',
  '   ',
  '\u00a0',
  '\u3000',
  '\ufeff',
  '\ud83d\ude00\ud83d\ude00\ud83d\ude00',
  'ÄÖÜ',
  'ǅ',
  'İ',
];

describe('session 6: toxicity preparation', () => {
  it('prepareText = the replaced preparation, and each window of a text = its slice prepared', () => {
    const next = createRandom(68);
    let windows = 0;
    for (const text of randomTexts(69, PREPARE_PIECES, 4_000, 120)) {
      expect(prepareText(text)).toBe(referencePrepare(text));
      // Windows of the text: the scanner's and random ranges (ASCII texts take the shared copy).
      const ranges = splitWindows(text).concat(
        Array.from({ length: 3 }, () => {
          const start = Math.floor(next() * (text.length + 1));
          return [start, start + Math.floor(next() * (text.length - start + 1))] as [number, number];
        }),
      );
      for (const [start, end] of ranges) {
        prepareWindow(text, start, end);
        expect(String.fromCharCode(...prepared.units.subarray(0, prepared.length))).toBe(
          referencePrepare(text.slice(start, end)),
        );
        windows++;
      }
    }
    expect(windows).toBeGreaterThan(12_000);
  });

  it('ASCII texts without handle or URL cues (the branch-free path) = the replaced preparation', () => {
    const pieces = [
      'a',
      'A',
      'b',
      'aa',
      'AAA',
      'aAa',
      'x',
      'hello',
      'World',
      '1',
      '11',
      '111',
      '.',
      '!!!',
      "'",
      ' ',
      '  ',
      '\t',
      '\n',
      '\r\n',
      '\u000b',
      '\u000c',
      '~',
      '"',
      'h',
      'w',
      'H',
      'W',
      'ht',
      'ww',
      'wW.',
      'htt',
      'hTtP',
      'ttp',
      'www',
      'WwW.',
      'x@y',
      'HTTPS',
    ];
    const next = createRandom(73);
    let plain = 0;
    for (const text of randomTexts(74, pieces, 6_000, 300)) {
      if (!/@|http|www\./i.test(text)) plain++;
      const ranges = splitWindows(text, 40).concat([[0, text.length]]);
      for (let round = 0; round < 3; round++) {
        const start = Math.floor(next() * (text.length + 1));
        ranges.push([start, start + Math.floor(next() * (text.length - start + 1))]);
      }
      for (const [start, end] of ranges) {
        prepareWindow(text, start, end);
        expect(String.fromCharCode(...prepared.units.subarray(0, prepared.length))).toBe(
          referencePrepare(text.slice(start, end)),
        );
      }
    }
    expect(plain).toBeGreaterThan(500);
  });
});

// --- reference: Shannon entropy of the code units, a Map counted in order of first sight ----

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

describe('session 6: anomaly entropy from the census', () => {
  it('high_entropy = the entropy of the text, bit for bit, whatever came before', () => {
    const next = createRandom(70);
    const alphabet = Array.from({ length: 94 }, (_value, index) => String.fromCharCode(0x21 + index));
    let flagged = 0;
    for (let round = 0; round < 3_000; round++) {
      // Random printable ASCII (high entropy) mixed with surrogates, CJK and controls; some
      // texts under 90 % ASCII, which skip the entropy and must leave no counts behind.
      const size = 100 + Math.floor(next() * 600);
      let text = '';
      for (let index = 0; index < size; index++) {
        const roll = next();
        text +=
          roll < 0.02
            ? pick(next, ['\ud83d\ude00', '\ud800', '\udc00', '你', '\u0000', 'é'])
            : roll < 0.04 && round % 3 === 0
              ? '汉字汉字汉'
              : pick(next, alphabet);
      }
      const signal = analyzeAnomalies(text, { repetition: false }).find(
        (candidate) => candidate.type === 'high_entropy',
      );
      const ascii = text.split('').filter((unit) => unit.charCodeAt(0) < 0x80).length;
      const expected = text.length >= 128 && ascii / text.length >= 0.9 ? referenceEntropy(text) : 0;
      if (expected >= 5.4) {
        flagged++;
        expect(signal && Object.is(signal.value, expected)).toBe(true);
      } else expect(signal).toBeUndefined();
    }
    expect(flagged).toBeGreaterThan(1_000);
  });
});

// --- reference: the gibberish ratio from the word regex and string tests --------------------

const VOWELLESS = new Set(
  'http https www html css sql xml ssh npm cpp pdf png jpg svg gcc dns tcp ssl tls rss hmm shh psst nth tsk crwth cwm mr mrs ms dr st nd rd th pm'.split(
    ' ',
  ),
);
const NEVER_PAIRS = new Set(
  (
    'bx cj cv cx dx fq fx gq gx hx jc jf jg jq js jv jw jx jz kq kx mx pq px pz qb qc qd qe qf qg qh qj qk ql ' +
    'qm qn qo qp qr qs qt qv qw qx qy qz sx vb vf vh vj vk vm vp vq vw vx wx xj xx zj zq zx'
  ).split(' '),
);
const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

function referenceImplausible(word: string): boolean {
  if (!/[aeiouy]/.test(word) || /[^aeiouy]{6}/.test(word)) return true;
  for (let index = 0; index + 1 < word.length; index++)
    if (NEVER_PAIRS.has(word.slice(index, index + 2))) return true;
  for (let index = 0; index + 4 <= word.length; index++) {
    const four = word.slice(index, index + 4);
    if (ROWS.some((row) => row.includes(four))) return true;
  }
  return false;
}

function referenceRatio(text: string): { ratio: number; letters: number } {
  let letters = 0;
  let bad = 0;
  for (const word of text.match(/[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+/g) ?? []) {
    letters += word.length;
    if (/^[A-Z]+$/.test(word) && word.length <= 6) continue;
    const lower = word.toLowerCase();
    if (word.length < 4 || VOWELLESS.has(lower) || !referenceImplausible(lower)) continue;
    bad += word.length;
  }
  return { ratio: letters === 0 ? 0 : bad / letters, letters };
}

describe('session 6: gibberish words', () => {
  it('gibberishRatio of letter words = the regex and string reference', () => {
    const next = createRandom(71);
    // Letters weighted to make keyboard runs, never-pairs and vowelless runs common.
    const letters = 'qwertyuiopasdfghjklzxcvbnmqwertasdfgzxcvbxjqzaeiouy';
    let implausible = 0;
    for (let round = 0; round < 20_000; round++) {
      let text = '';
      const words = 1 + Math.floor(next() * 6);
      for (let word = 0; word < words; word++) {
        const length = 1 + Math.floor(next() * 12);
        const casing = next();
        for (let index = 0; index < length; index++) {
          const letter = letters[Math.floor(next() * letters.length)]!;
          const upper = casing < 0.2 || (casing < 0.4 && index === 0) || (casing < 0.5 && next() < 0.3);
          text += upper ? letter.toUpperCase() : letter;
        }
        text += next() < 0.8 ? ' ' : pick(next, ['-', '1', '.', '\n']);
      }
      const expected = referenceRatio(text);
      if (expected.ratio > 0) implausible++;
      expect(gibberishRatio(text)).toEqual(expected);
    }
    expect(implausible).toBeGreaterThan(5_000);
  });
});

describe('session 6: toxicity windows of the input scan', () => {
  it('forEachWindowScore = splitWindows, then scoreWindow per window', () => {
    const model = defaultToxicityModel();
    const pieces = [
      'word',
      'Idiot',
      'fuck',
      'kill yourself',
      '傻逼',
      ' ',
      '  ',
      '.',
      '!',
      '?',
      '。',
      '！',
      '？',
      '；',
      ';',
      '\n',
      '"',
      "'",
      '”',
      '’',
      ')',
      '）',
      ']',
      '\t',
      '\u000b',
      '\u00a0',
      '\u1680',
      '\u2005',
      '\u202f',
      '\u205f',
      '\u3000',
      '\u2028',
      '\u2029',
      '\ufeff',
      '\u200b',
      'x'.repeat(300),
      '中文'.repeat(40),
      '\ud83d\ude00',
      '\ud800',
      '(',
      'https://example.com/a.b',
    ];
    const next = createRandom(72);
    let windows = 0;
    for (let round = 0; round < 6_000; round++) {
      let text = '';
      const length = Math.floor(next() * (next() < 0.1 ? 1_200 : 300));
      while (text.length < length) text += pick(next, pieces);
      for (const maxChars of [240, 40, 41]) {
        const expected = splitWindows(text, maxChars).map(([start, end]) => {
          const window = scoreWindow(model, text, start, end);
          return { start, end, score: window.score, hits: window.hits.map((hit) => ({ ...hit })) };
        });
        const actual: typeof expected = [];
        forEachWindowScore(model, text, maxChars, (start, end, window) =>
          actual.push({ start, end, score: window.score, hits: window.hits.map((hit) => ({ ...hit })) }),
        );
        expect(actual).toEqual(expected);
        windows += expected.length;
      }
    }
    expect(windows).toBeGreaterThan(30_000);
  });
});
