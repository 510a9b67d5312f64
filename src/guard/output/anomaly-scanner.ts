/**
 * Input anomalies: cheap signals that a prompt is not ordinary human text. Each signal scores
 * 0.5 at its threshold and rises to 1:
 *
 * - `too_long` — more than `maxChars` characters (default 32,000): score 1;
 * - `gibberish` — share of Latin letters in implausible words (no vowel, a run of ≥ 6
 *   consonants, a letter pair English never writes such as "qx", "zj", or a keyboard row like
 *   "asdf"), after URLs, acronyms and camelCase are taken apart: 0.5 at 30 %, 1 at 70 %; needs
 *   ≥ 24 letters;
 * - `high_entropy` — Shannon entropy of the characters ≥ 5.4 bits (English prose stays near
 *   4.3, code near 4.8, random base64 reaches ~6): only for ≥ 128 characters of ≥ 90 % ASCII
 *   text, since other scripts simply have more distinct characters;
 * - `invisible_chars` — bidi overrides and Unicode tag characters (any: they smuggle hidden
 *   instructions) and zero-width characters (≥ 3; ZWJ and variation selectors, which emoji use,
 *   are not counted);
 * - `invalid_chars` — control characters, U+FFFD, lone surrogates, private-use and
 *   non-characters: 0.5 at 1 % of the text or 8 of them;
 * - `rare_chars` — CJK text made of rare ideographs (extension blocks, compatibility forms):
 *   0.5 at 10 % of the CJK characters (everyday Chinese stays under 1 %);
 * - `repetition` — the degeneration signals of RepetitionTracker, applied to the input
 *   (flooding, many-shot padding).
 */
import { isWhitespace } from '../normalize/canonicalize.js';
import { CodeUnits } from '../normalize/code-units.js';
import type { Finding, GuardStage, ScanContext, Scanner, ScanResult } from '../scanner.js';
import { repetitionMayScore } from './repetition-bound.js';
import { RepetitionTracker } from './repetition-tracker.js';
import { isCjk } from './text-units.js';
import { replaceUrlsAndHandles } from './url-handles.js';

export interface AnomalyScannerOptions {
  name?: string;
  /** Longest accepted input in characters (default 32,000). */
  maxChars?: number;
  stages?: readonly GuardStage[];
  /** Also report repetition in the input (default true). */
  repetition?: boolean;
}

export type AnomalyType =
  | 'too_long'
  | 'gibberish'
  | 'high_entropy'
  | 'invisible_chars'
  | 'invalid_chars'
  | 'rare_chars'
  | 'repetition';

export interface AnomalySignal {
  type: AnomalyType;
  score: number;
  start: number;
  end: number;
  /** The measured quantity (length, ratio, bits, count). */
  value: number;
}

function rise(value: number, threshold: number, full: number): number {
  if (value < threshold) return 0;
  return Math.min(1, 0.5 + (0.5 * (value - threshold)) / Math.max(1e-9, full - threshold));
}

const IMPOSSIBLE_PAIR_LIST =
  'bx cj cv cx dx fq fx gq gx hx jc jf jg jq js jv jw jx jz kq kx mx pq px pz qb qc qd qe qf qg qh qj qk ql ' +
  'qm qn qo qp qr qs qt qv qw qx qy qz sx vb vf vh vj vk vm vp vq vw vx wx xj xx zj zq zx';
/** 1 at [first − 'a'] · 26 + [second − 'a'] for a letter pair English never writes. */
const IMPOSSIBLE_PAIRS = new Uint8Array(26 * 26);
for (const pair of IMPOSSIBLE_PAIR_LIST.split(' ')) {
  IMPOSSIBLE_PAIRS[(pair.charCodeAt(0) - 0x61) * 26 + (pair.charCodeAt(1) - 0x61)] = 1;
}
const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
/**
 * The letter after each letter in its keyboard row (0 for a row's last letter), so "four
 * letters in a row of the keyboard" is three successor checks instead of substring searches.
 */
const KEYBOARD_NEXT = new Uint8Array(128);
for (const row of KEYBOARD_ROWS) {
  for (let index = 0; index + 1 < row.length; index++)
    KEYBOARD_NEXT[row.charCodeAt(index)] = row.charCodeAt(index + 1);
}
const VOWELLESS_WORDS = new Set(
  'http https www html css sql xml ssh npm cpp pdf png jpg svg gcc dns tcp ssl tls rss hmm shh psst nth tsk crwth cwm mr mrs ms dr st nd rd th pm'.split(
    ' ',
  ),
);
const LONGEST_VOWELLESS_WORD = Math.max(...[...VOWELLESS_WORDS].map((word) => word.length));

/** 1 for the lower-case vowels (y included), by code below 128: one load instead of six compares. */
const VOWELS = new Uint8Array(128);
for (const vowel of 'aeiouy') VOWELS[vowel.charCodeAt(0)] = 1;

function isVowelCode(code: number): boolean {
  return code < 128 && VOWELS[code] === 1;
}

/**
 * Implausibility of text[start, end) read as a word, with ASCII upper case folded when `fold`
 * (the gibberish pass reads words straight out of the text instead of slicing and lower-casing
 * them). The vowelless allow-list is checked by the caller.
 */
function implausibleCodes(units: Uint16Array, start: number, end: number, fold: boolean): boolean {
  let vowels = 0;
  let run = 0;
  let longestRun = 0;
  let keyboardRun = 0;
  let last = -1;
  for (let index = start; index < end; index++) {
    let code = units[index]!;
    if (fold && code >= 0x41 && code <= 0x5a) code += 32;
    if (isVowelCode(code)) {
      vowels++;
      run = 0;
    } else if (++run > longestRun) longestRun = run;
    if (last >= 0x61 && last <= 0x7a && code >= 0x61 && code <= 0x7a) {
      if (IMPOSSIBLE_PAIRS[(last - 0x61) * 26 + (code - 0x61)] === 1) return true;
    }
    // Consecutive successors along one keyboard row: three of them are four keys in a row.
    if (index > start) {
      keyboardRun = last < 128 && KEYBOARD_NEXT[last] === code && code !== 0 ? keyboardRun + 1 : 0;
      if (keyboardRun >= 3) return true;
    }
    last = code;
  }
  return vowels === 0 || longestRun >= 6;
}

/**
 * Per pair of lower-case letters, at [first − 'a'] · 32 + [second − 'a']: 1 when English never
 * writes the pair (IMPOSSIBLE_PAIRS), 2 when the second follows the first on a keyboard row
 * (KEYBOARD_NEXT). One load per letter for what implausibleCodes tests with four.
 */
const PAIR_FLAGS = new Uint8Array(26 * 32);
for (let first = 0; first < 26; first++) {
  for (let second = 0; second < 26; second++) {
    PAIR_FLAGS[first * 32 + second] =
      IMPOSSIBLE_PAIRS[first * 26 + second]! | (KEYBOARD_NEXT[0x61 + first] === 0x61 + second ? 2 : 0);
  }
}

/**
 * implausibleCodes(units, start, end, true) of a word of ASCII letters only (A-Z, a-z), which
 * is what the gibberish pass hands it: folding is `| 0x20`, and the pair tests are one table
 * load. The tests are the same (any impossible pair, four keys along a row, no vowel, six
 * consonants in a row), so is the answer.
 */
function implausibleLetters(units: Uint16Array, start: number, end: number): boolean {
  let last = units[start]! | 0x20;
  let vowels = VOWELS[last]!;
  let run = 1 - vowels;
  let longestRun = run;
  let keyboardRun = 0;
  for (let index = start + 1; index < end; index++) {
    const code = units[index]! | 0x20;
    const flags = PAIR_FLAGS[(last - 0x61) * 32 + (code - 0x61)]!;
    if ((flags & 1) !== 0) return true;
    keyboardRun = (flags & 2) !== 0 ? keyboardRun + 1 : 0;
    if (keyboardRun >= 3) return true;
    if (VOWELS[code] === 1) {
      vowels++;
      run = 0;
    } else if (++run > longestRun) longestRun = run;
    last = code;
  }
  return vowels === 0 || longestRun >= 6;
}

const wordUnits = new CodeUnits(64);

/** Whether a lower-case ASCII word looks like no English (or borrowed) word could. */
export function implausibleWord(word: string): boolean {
  if (word.length < 4 || VOWELLESS_WORDS.has(word)) return false;
  return implausibleCodes(wordUnits.load(word), 0, word.length, false);
}

/** Counts one word units[start, end) into `tally`; `capitals`: an all-capitals word (acronym). */
function countWord(
  units: Uint16Array,
  start: number,
  end: number,
  capitals: boolean,
  tally: Int32Array,
): void {
  const length = end - start;
  tally[0]! += length;
  if (capitals && length <= 6) return;
  if (length < 4 || !implausibleLetters(units, start, end)) return;
  if (length <= LONGEST_VOWELLESS_WORD && VOWELLESS_WORDS.has(lowerWordText(units, start, end))) return;
  tally[1]! += length;
}

/** Set by lowerWord: whether the word it read is implausible (implausibleLetters). */
let wordImplausible = false;

/**
 * Reads a word that starts at `start` with a letter (of either case) followed by the lower-case
 * letters from `start + 1` on; returns its end and leaves implausibleLetters(units, start, end)
 * in wordImplausible. One pass: the word's end is found and its letters tested together (the
 * same tests as implausibleLetters, run to the end instead of stopping at the first that holds).
 */
function lowerWord(units: Uint16Array, length: number, start: number): number {
  let last = units[start]! | 0x20;
  let vowels = VOWELS[last]!;
  let run = 1 - vowels;
  let keyboardRun = 0;
  // Bit 0 set once an impossible pair, four keys in a row or six consonants in a row is seen
  // (longestRun ≥ 6 of implausibleLetters is "run reached 6 at some letter"). Arithmetic, not
  // branches: whether a letter is a vowel is as good as random to the branch predictor.
  let found = 0;
  let end = start + 1;
  for (; end < length; end++) {
    const code = units[end]!;
    if (code < 0x61 || code > 0x7a) break;
    const flags = PAIR_FLAGS[(last - 0x61) * 32 + (code - 0x61)]!;
    const vowel = VOWELS[code]!;
    keyboardRun = (keyboardRun + 1) & -((flags >> 1) & 1);
    run = (run + 1) & (vowel - 1);
    vowels |= vowel;
    found |= flags | ((2 - keyboardRun) >>> 31) | ((5 - run) >>> 31);
    last = code;
  }
  wordImplausible = (found & 1) !== 0 || vowels === 0;
  return end;
}

/** countWord of a word that is not all capitals, whose implausibility is known (lowerWord). */
function countLowerWord(
  units: Uint16Array,
  start: number,
  end: number,
  implausible: boolean,
  tally: Int32Array,
): void {
  const length = end - start;
  tally[0]! += length;
  if (length < 4 || !implausible) return;
  if (length <= LONGEST_VOWELLESS_WORD && VOWELLESS_WORDS.has(lowerWordText(units, start, end))) return;
  tally[1]! += length;
}

const isUpper = (code: number): boolean => code >= 0x41 && code <= 0x5a;
const isLower = (code: number): boolean => code >= 0x61 && code <= 0x7a;

const URL_OR_HANDLE_CUES = ['@', 'http', 'www.'];

/** The next position at or after `from` of '@', "http" or "www.", or -1. */
function nextUrlOrHandleCue(text: string, from: number): number {
  let next = -1;
  // One array for all calls, read by index (no array or iterator per call).
  for (let index = 0; index < URL_OR_HANDLE_CUES.length; index++) {
    const at = text.indexOf(URL_OR_HANDLE_CUES[index]!, from);
    if (at >= 0 && (next < 0 || at < next)) next = at;
  }
  return next;
}

/**
 * URLs and handles replaced by a space (url-handles.ts), applied only where they can match: a match never spans
 * whitespace and needs '@', "http" or "www.", so only the whitespace-free runs holding one are
 * rewritten (the pattern, tried at every position of a 2 KB prompt, cost more than the rest of
 * the gibberish test). Returns `textUnits` when nothing was replaced, otherwise the cleaned
 * text's code units, written piece by piece (a concatenated string would be flattened, a copy of
 * the whole prompt, when its units are copied); its length is left in cleanedLength.
 */
function removeUrlsAndHandles(text: string, textUnits: Uint16Array): Uint16Array {
  let out: Uint16Array | null = null;
  let written = 0;
  let copied = 0;
  for (let cue = nextUrlOrHandleCue(text, 0); cue >= 0; ) {
    let start = cue;
    while (start > 0 && !isWhitespace(text.charCodeAt(start - 1))) start--;
    let end = cue;
    while (end < text.length && !isWhitespace(text.charCodeAt(end))) end++;
    const run = text.slice(start, end);
    const replaced = replaceUrlsAndHandles(run);
    if (replaced !== run) {
      // A replacement is never longer than its run (each match becomes one space), so the
      // cleaned text fits in text.length units and load() never reallocates below.
      out ??= cleanedUnits.reserve(text.length);
      for (let index = copied; index < start; index++) out[written++] = textUnits[index]!;
      cleanedUnits.load(replaced, written);
      written += replaced.length;
      copied = end;
    }
    cue = nextUrlOrHandleCue(text, end);
  }
  if (out === null) {
    cleanedLength = text.length;
    return textUnits;
  }
  for (let index = copied; index < text.length; index++) out[written++] = textUnits[index]!;
  cleanedLength = written;
  return out;
}

/** Length of the text whose units the last removeUrlsAndHandles returned. */
let cleanedLength = 0;

/**
 * A word of ASCII letters `units[start … end)`, lower-cased (`text.slice(start, end)
 * .toLowerCase()` of the text the units hold), for the short words looked up in VOWELLESS_WORDS.
 */
function lowerWordText(units: Uint16Array, start: number, end: number): string {
  let word = '';
  for (let index = start; index < end; index++) word += String.fromCharCode(units[index]! | 0x20);
  return word;
}

/** Share of Latin letters that sit in implausible words, and the letters counted. */
export function gibberishRatio(text: string): { ratio: number; letters: number } {
  return gibberishOf(text, sampleUnits.load(text));
}

/** gibberishRatio, given the text's code units (CodeUnits) as well. */
/** Letters and letters of gibberish words (countWord), reused by every call (synchronous). */
const TALLY = new Int32Array(2);

function gibberishOf(text: string, textUnits: Uint16Array): { ratio: number; letters: number } {
  // URLs and handles become a space.
  const units = removeUrlsAndHandles(text, textUnits);
  // Words split at case changes (camelCase) and at anything not a letter; all-caps acronyms
  // skipped. Hand-written equivalent of matching /[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+/g.
  const tally = TALLY.fill(0);
  const length = cleanedLength;
  let index = 0;
  while (index < length) {
    const code = units[index]!;
    if (isLower(code)) {
      const end = lowerWord(units, length, index);
      countLowerWord(units, index, end, wordImplausible, tally);
      index = end;
      continue;
    }
    if (!isUpper(code)) {
      index++;
      continue;
    }
    let capitalsEnd = index + 1;
    while (capitalsEnd < length && isUpper(units[capitalsEnd]!)) capitalsEnd++;
    const capitals = capitalsEnd - index;
    if (capitalsEnd < length && isLower(units[capitalsEnd]!)) {
      // "HTTPServer": the capitals but the last are an acronym, the last one starts a word;
      // "ABc" (two capitals) leaves the first one out of every word.
      if (capitals >= 3) countWord(units, index, capitalsEnd - 1, true, tally);
      const end = lowerWord(units, length, capitalsEnd - 1);
      countLowerWord(units, capitalsEnd - 1, end, wordImplausible, tally);
      index = end;
      continue;
    }
    if (capitals >= 2) countWord(units, index, capitalsEnd, true, tally);
    index = capitalsEnd;
  }
  const letters = tally[0]!;
  return { ratio: letters === 0 ? 0 : tally[1]! / letters, letters };
}

// Scratch for characterEntropy: counts per UTF-16 code unit and the order of first sight (the
// sum runs in that order, as a Map's iteration would). Reset after each use.
const entropyCounts = new Int32Array(65536);
let entropyOrder = new Uint16Array(1024);

export function characterEntropy(text: string): number {
  return entropyOf(sampleUnits.load(text), text.length);
}

function entropyOf(units: Uint16Array, length: number): number {
  entropyDistinct = 0;
  for (let index = 0; index < length; index++) {
    const code = units[index]!;
    if (entropyCounts[code]!++ === 0) firstSight(code);
  }
  return entropyOfCounts(length);
}

/** Distinct code units counted in entropyCounts (listed in entropyOrder). */
let entropyDistinct = 0;

/** Lists a code unit seen for the first time in entropyOrder. */
function firstSight(code: number): void {
  if (entropyDistinct === entropyOrder.length) {
    const grown = new Uint16Array(Math.min(65536, entropyOrder.length * 2));
    grown.set(entropyOrder);
    entropyOrder = grown;
  }
  entropyOrder[entropyDistinct++] = code;
}

/** The entropy of the counted units (`length` of them), in order of first sight; resets the counts. */
function entropyOfCounts(length: number): number {
  let entropy = 0;
  for (let position = 0; position < entropyDistinct; position++) {
    const code = entropyOrder[position]!;
    const probability = entropyCounts[code]! / length;
    entropyCounts[code] = 0;
    entropy -= probability * Math.log2(probability);
  }
  entropyDistinct = 0;
  return entropy;
}

/** Resets the counts without computing anything. */
function clearCounts(): void {
  for (let position = 0; position < entropyDistinct; position++) entropyCounts[entropyOrder[position]!] = 0;
  entropyDistinct = 0;
}

interface CharCensus {
  /** Code units below U+0080. */
  ascii: number;
  invisible: number;
  smuggling: number;
  invalid: number;
  cjk: number;
  rareCjk: number;
  firstOdd: number;
  lastOdd: number;
}

/** Notes an odd character at `index`, `width` units wide (a function, not a closure per call). */
function odd(counts: CharCensus, index: number, width: number): void {
  if (counts.firstOdd < 0) counts.firstOdd = index;
  counts.lastOdd = index + width;
}

/**
 * Counts the odd characters of units[0 … length), and every code unit into entropyCounts (in
 * the order entropyOf would: one pass for both; the caller computes the entropy from the counts
 * or clears them).
 */
function census(units: Uint16Array, length: number): CharCensus {
  const counts: CharCensus = {
    ascii: 0,
    invisible: 0,
    smuggling: 0,
    invalid: 0,
    cjk: 0,
    rareCjk: 0,
    firstOdd: -1,
    lastOdd: -1,
  };
  entropyDistinct = 0;
  for (let index = 0; index < length; index++) {
    const code = units[index]!;
    if (entropyCounts[code]!++ === 0) firstSight(code);
    // Printable ASCII (one unsigned comparison) is none of the odd characters below; neither are
    // tab, newline and carriage return, which the tests below pass over.
    if ((code - 0x20) >>> 0 < 0x5f) continue;
    if (code >= 0xd800 && code <= 0xdbff) {
      // Past the end: NaN, as charCodeAt gave (units beyond `length` hold stale values).
      const low = index + 1 < length ? units[index + 1]! : Number.NaN;
      if (!(low >= 0xdc00 && low <= 0xdfff)) {
        // Not a pair: the next unit is counted by its own iteration.
        counts.invalid++;
        odd(counts, index, 1);
        continue;
      }
      // The pair's low unit is skipped below: counted here.
      if (entropyCounts[low]!++ === 0) firstSight(low);
      const point = (code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
      if (point >= 0xe0000 && point <= 0xe007f) {
        counts.smuggling++;
        odd(counts, index, 2);
      } else if (point >= 0xf0000) {
        counts.invalid++;
        odd(counts, index, 2);
      } else if (point >= 0x20000 && point <= 0x3134f) {
        counts.cjk++;
        counts.rareCjk++;
      }
      index++;
      continue;
    }
    if (code >= 0xdc00 && code <= 0xdfff) {
      counts.invalid++;
      odd(counts, index, 1);
    } else if (
      (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
      (code >= 0x7f && code <= 0x9f)
    ) {
      counts.invalid++;
      odd(counts, index, 1);
    } else if (
      code === 0xfffd ||
      (code >= 0xe000 && code <= 0xf8ff) ||
      (code >= 0xfdd0 && code <= 0xfdef) ||
      code >= 0xfffe
    ) {
      counts.invalid++;
      odd(counts, index, 1);
    } else if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) {
      counts.smuggling++;
      odd(counts, index, 1);
    } else if (
      code === 0x200b ||
      code === 0x200c ||
      code === 0x200e ||
      code === 0x200f ||
      code === 0x2060 ||
      code === 0xfeff
    ) {
      counts.invisible++;
      odd(counts, index, 1);
    } else if (isCjk(code) && code >= 0x3400) {
      counts.cjk++;
      if (code < 0x4e00 || code >= 0xf900) counts.rareCjk++;
    }
  }
  // Units below U+0080, from their counts (a surrogate pair's low unit, counted too, is not one).
  for (let position = 0; position < entropyDistinct; position++) {
    const code = entropyOrder[position]!;
    if (code < 0x80) counts.ascii += entropyCounts[code]!;
  }
  return counts;
}

// Code units of the sample and of its URL-free copy (scans are synchronous: one at a time).
const sampleUnits = new CodeUnits(4096);
const cleanedUnits = new CodeUnits(4096);

// One tracker for every call (scans are synchronous, so never two at once): its tables are
// allocated once instead of per prompt.
const sharedTracker = new RepetitionTracker();

/** All anomaly signals of a text that reach their threshold, highest score first. */
export function analyzeAnomalies(text: string, options: AnomalyScannerOptions = {}): AnomalySignal[] {
  const signals: AnomalySignal[] = [];
  const maxChars = options.maxChars ?? 32_000;
  if (text.length > maxChars) {
    signals.push({ type: 'too_long', score: 1, start: maxChars, end: text.length, value: text.length });
  }
  // Heuristics below read at most the first 64 K characters: enough to judge, bounded cost.
  const sample = text.length > 65_536 ? text.slice(0, 65_536) : text;
  const whole = { start: 0, end: sample.length };
  // Every pass below reads the sample's code units from one copy (see CodeUnits).
  const units = sampleUnits.load(sample);
  const gibberish = gibberishOf(sample, units);
  if (gibberish.letters >= 24) {
    const score = rise(gibberish.ratio, 0.3, 0.7);
    if (score > 0) signals.push({ type: 'gibberish', score, ...whole, value: gibberish.ratio });
  }
  const counts = census(units, sample.length);
  if (sample.length >= 128 && counts.ascii / sample.length >= 0.9) {
    const entropy = entropyOfCounts(sample.length);
    const score = rise(entropy, 5.4, 6);
    if (score > 0) signals.push({ type: 'high_entropy', score, ...whole, value: entropy });
  } else clearCounts();
  const oddSpan = { start: Math.max(0, counts.firstOdd), end: Math.max(0, counts.lastOdd) };
  const hidden =
    counts.smuggling > 0 ? Math.max(0.8, rise(counts.invisible, 3, 20)) : rise(counts.invisible, 3, 20);
  if (hidden > 0) {
    signals.push({
      type: 'invisible_chars',
      score: hidden,
      ...oddSpan,
      value: counts.invisible + counts.smuggling,
    });
  }
  const invalidScore = Math.max(
    rise(counts.invalid / Math.max(1, sample.length), 0.01, 0.1),
    rise(counts.invalid, 8, 64),
  );
  if (invalidScore > 0)
    signals.push({ type: 'invalid_chars', score: invalidScore, ...oddSpan, value: counts.invalid });
  if (counts.cjk >= 20) {
    const score = rise(counts.rareCjk / counts.cjk, 0.1, 0.4);
    if (score > 0) signals.push({ type: 'rare_chars', score, ...whole, value: counts.rareCjk / counts.cjk });
  }
  // The tracker only when some repetition signal may score (repetitionMayScore: a cheap
  // pass that proves most texts clean; the result is the same).
  if (options.repetition !== false && repetitionMayScore(units, sample.length)) {
    const tracker = sharedTracker;
    tracker.reset();
    tracker.pushUnits(units, sample.length);
    const strongest = tracker.result().signals[0];
    if (strongest) signals.push({ ...strongest, type: 'repetition' });
  }
  return signals.sort((left, right) => right.score - left.score);
}

export function createAnomalyScanner(options: AnomalyScannerOptions = {}): Scanner {
  const name = options.name ?? 'anomaly';
  return {
    name,
    stages: options.stages ?? ['input'],
    findingTypes: [
      'too_long',
      'gibberish',
      'high_entropy',
      'invisible_chars',
      'invalid_chars',
      'rare_chars',
      'repetition',
    ],
    scan(text: string, _context: ScanContext): ScanResult {
      const signals = analyzeAnomalies(text, options);
      const findings: Finding[] = signals.map((signal) => {
        const whole = signal.start === 0 && signal.end === text.length;
        return {
          scanner: name,
          type: signal.type,
          score: signal.score,
          start: signal.start,
          end: signal.end,
          value: whole ? '' : text.slice(signal.start, Math.min(signal.end, signal.start + 200)),
        };
      });
      return { scanner: name, score: signals[0]?.score ?? 0, findings };
    },
  };
}
