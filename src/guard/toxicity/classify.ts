/**
 * Scoring text with a loaded toxicity model. Long text is cut into windows of whole
 * sentences (≤ `windowChars`, about the length of the tweets and comments the model learned
 * from) and scored window by window, so one abusive sentence inside a long, polite answer is
 * not averaged away; the text's score is the highest window score. Each window is scored in
 * the calibration of its language mix (the share of CJK characters interpolates between the
 * English and Chinese thresholds, and intercepts when the model has them) and of its evidence
 * (with the model's evidence calibration, the threshold offset is scaled by n / (n + k) for n
 * features), then floored by the lexicon's rule categories.
 */

import {
  createScratch,
  extractFeatureUnits,
  type FeatureScratch,
  type LexiconHit,
  scoreFeatureUnits,
} from './features.js';
import { RULE_FLOORS } from './lexicon.js';
import { sigmoid, type ToxicityModel } from './model-format.js';
import { languageMix, loadWindowText, prepared, prepareUnits, prepareWindow } from './prepare-text.js';

export const DEFAULT_WINDOW_CHARS = 240;

export interface ToxicityWindow {
  /** UTF-16 offsets into the scanned text. */
  start: number;
  end: number;
  /** Calibrated score: ≥ 0.5 is toxic at the deployed threshold. Includes the rule floor. */
  score: number;
  /** The model's uncalibrated probability (before thresholds and floors). */
  probability: number;
  /** Share of CJK letters in the window, in [0, 1]. */
  cjkShare: number;
  /** Lexicon hits, offsets into the window's prepared text. */
  hits: LexiconHit[];
}

export interface ToxicityVerdict {
  /** Highest window score (0 for empty text). */
  score: number;
  windows: ToxicityWindow[];
}

const SENTENCE_END = /[.!?。！？；;\n]+["'”’)）\]]*\s*/g;

/**
 * Where the next sentence that ends at or after `from` ends (the end of the next match of
 * SENTENCE_END), or -1. `test` moves `lastIndex` to the match's end like `exec`, but makes no
 * match array (one per sentence was part of the scanner's garbage), and the split needs only
 * the ends.
 */
function nextSentenceEnd(text: string, from: number): number {
  SENTENCE_END.lastIndex = from;
  return SENTENCE_END.test(text) ? SENTENCE_END.lastIndex : -1;
}

/**
 * Window boundaries: sentences packed greedily until a window reaches half of `maxChars`
 * (never past `maxChars`); a sentence longer than that is cut at the last space before the
 * limit (or hard at the limit for unspaced text).
 *
 * For a growing text (a stream), `from` resumes the split at a window start that an earlier
 * split of a prefix reported in `sentenceStarts` (the starts of windows that open a sentence):
 * the windows from there on are the same as a split from 0 would give. Why: the sentence that
 * ended there ended before a character that is already in place, so it cannot grow, and every
 * decision to close a window before a sentence only becomes more certain as that sentence grows.
 * (Texts up to `maxChars` are one window and report no restart points.)
 */
export function splitWindows(
  text: string,
  maxChars = DEFAULT_WINDOW_CHARS,
  from = 0,
  sentenceStarts?: number[],
): Array<[number, number]> {
  if (from === 0 && text.length <= maxChars) return text.length === 0 ? [] : [[0, text.length]];
  const windows: Array<[number, number]> = [];
  let windowStart = -1;
  let windowEnd = -1;
  // Sentences one by one (no list of them): each ends at a sentence end, the last at the text's end.
  let last = from;
  while (last < text.length) {
    const start = last;
    const found = nextSentenceEnd(text, last);
    const end = found < 0 ? text.length : found;
    last = end;
    if (end - start > maxChars) {
      if (windowStart >= 0) windows.push([windowStart, windowEnd]);
      windowStart = -1;
      sentenceStarts?.push(start);
      for (let piece = start; piece < end; ) {
        let to = Math.min(end, piece + maxChars);
        if (to < end) {
          const space = text.lastIndexOf(' ', to);
          if (space > piece + maxChars / 2) to = space + 1;
        }
        windows.push([piece, to]);
        piece = to;
      }
      continue;
    }
    // A window closes once it holds half the limit: one abusive sentence is never diluted by
    // more than about its own length of neighbouring text.
    if (windowStart >= 0 && (end - windowStart > maxChars || windowEnd - windowStart >= maxChars / 2)) {
      windows.push([windowStart, windowEnd]);
      windowStart = -1;
    }
    if (windowStart < 0) {
      windowStart = start;
      sentenceStarts?.push(start);
    }
    windowEnd = end;
  }
  if (windowStart >= 0) windows.push([windowStart, windowEnd]);
  return windows;
}

/** Per code unit: 1 a sentence end of SENTENCE_END, 2 a closer after it, 4 whitespace (`\s`). */
const SENTENCE_CLASS = (() => {
  const table = new Uint8Array(65536);
  for (const character of '.!?。！？；;\n') table[character.charCodeAt(0)]! |= 1;
  for (const character of '"\'”’)）]') table[character.charCodeAt(0)]! |= 2;
  // `\s` as the regular-expression engine defines it: one scan of every code unit in order
  // (a test per code unit took 4 ms at start-up).
  let every = '';
  const codes = new Array<number>(4096);
  for (let from = 0; from < 65536; from += 4096) {
    for (let offset = 0; offset < 4096; offset++) codes[offset] = from + offset;
    every += String.fromCharCode(...codes);
  }
  for (const match of every.matchAll(/\s/g)) table[match.index]! |= 4;
  return table;
})();

/**
 * nextSentenceEnd read from the text's code units `units[0 … length)`: the leftmost match of
 * SENTENCE_END at or after `from` starts at the first sentence end there, and its greedy parts
 * (ends, closers, whitespace; nothing after them to backtrack for) take what this loop takes.
 */
function nextSentenceEndUnits(units: Uint16Array, length: number, from: number): number {
  let index = from;
  while (index < length && (SENTENCE_CLASS[units[index]!]! & 1) === 0) index++;
  if (index === length) return -1;
  while (index < length && (SENTENCE_CLASS[units[index]!]! & 1) !== 0) index++;
  while (index < length && (SENTENCE_CLASS[units[index]!]! & 2) !== 0) index++;
  while (index < length && (SENTENCE_CLASS[units[index]!]! & 4) !== 0) index++;
  return index;
}

/** Window bounds of splitWindowUnits: start, end, start, end, … (reused). */
let windowBounds = new Int32Array(64);

function pushBounds(count: number, start: number, end: number): number {
  if (windowBounds.length < 2 * count + 2) {
    const grown = new Int32Array(windowBounds.length * 2);
    grown.set(windowBounds);
    windowBounds = grown;
  }
  windowBounds[2 * count] = start;
  windowBounds[2 * count + 1] = end;
  return count + 1;
}

/**
 * splitWindows(text, maxChars) of the whole text, read from its code units (`units[0 …
 * length)`, see loadWindowText) and written to windowBounds; returns the number of windows.
 * The same decisions in the same order; sentence ends come from nextSentenceEndUnits and the
 * last space before a cut from a backward scan (String#lastIndexOf(' ', to)). For the input
 * scan: no tuples, no regular-expression calls.
 */
function splitWindowUnits(units: Uint16Array, length: number, maxChars: number): number {
  if (length <= maxChars) return length === 0 ? 0 : pushBounds(0, 0, length);
  let count = 0;
  let windowStart = -1;
  let windowEnd = -1;
  let last = 0;
  while (last < length) {
    const start = last;
    const found = nextSentenceEndUnits(units, length, last);
    const end = found < 0 ? length : found;
    last = end;
    if (end - start > maxChars) {
      if (windowStart >= 0) count = pushBounds(count, windowStart, windowEnd);
      windowStart = -1;
      for (let piece = start; piece < end; ) {
        let to = Math.min(end, piece + maxChars);
        if (to < end) {
          // The last space at or before `to`, if it lies past the middle (the scan stops there).
          const floor = piece + maxChars / 2;
          let space = to;
          while (space > floor && units[space] !== 0x20) space--;
          if (space > floor) to = space + 1;
        }
        count = pushBounds(count, piece, to);
        piece = to;
      }
      continue;
    }
    if (windowStart >= 0 && (end - windowStart > maxChars || windowEnd - windowStart >= maxChars / 2)) {
      count = pushBounds(count, windowStart, windowEnd);
      windowStart = -1;
    }
    if (windowStart < 0) windowStart = start;
    windowEnd = end;
  }
  if (windowStart >= 0) count = pushBounds(count, windowStart, windowEnd);
  return count;
}

/** The score and hits of the window forEachWindowScore visits (one object, reused). */
export interface VisitedWindow {
  score: number;
  hits: readonly LexiconHit[];
}

const visited: VisitedWindow = { score: 0, hits: [] };

/**
 * The windows of `text` scored one by one, for a caller that needs only each window's score
 * and hits (the input scan): `visit(start, end, window)` per window in order, `window` (its
 * score and hits) valid during the call only. The same windows and scores as splitWindows +
 * scoreWindow, without the tuples, window objects and hit copies (garbage per prompt) and with
 * the split read from the code units. The score goes in a reused object's field, not as an
 * argument: a double passed to a call that is not inlined is a new heap number per window.
 */
export function forEachWindowScore(
  model: ToxicityModel,
  text: string,
  windowChars: number,
  visit: (start: number, end: number, window: VisitedWindow) => void,
): void {
  const count = splitWindowUnits(loadWindowText(text), text.length, windowChars);
  for (let window = 0; window < count; window++) {
    const start = windowBounds[2 * window]!;
    const end = windowBounds[2 * window + 1]!;
    // The window's range of the text's units (read once above), not a slice of its own.
    prepareWindow(text, start, end);
    scorePrepared(model);
    visited.score = parts[SCORE]!;
    visited.hits = sharedScratch!.hits;
    visit(start, end, visited);
  }
  visited.hits = NO_HITS;
}

let sharedScratch: FeatureScratch | undefined;
const NO_HITS: LexiconHit[] = [];
// Set by scorePrepared: [score, probability, CJK share]. A typed array, not module variables or
// a returned number: a double stored in a variable, or returned from a call that is not
// inlined, is a new heap number each time.
const parts = new Float64Array(3);
const SCORE = 0;
const PROBABILITY = 1;
const CJK_SHARE = 2;

/** Scores text[start, end) as one window. */
export function scoreWindow(model: ToxicityModel, text: string, start: number, end: number): ToxicityWindow {
  // A slice of its own: a streamed text is rescanned window by window as it grows, and
  // prepareWindow would copy the whole text on each rescan.
  prepareUnits(start === 0 && end === text.length ? text : text.slice(start, end));
  scorePrepared(model);
  const score = parts[SCORE]!;
  const hits = sharedScratch!.hits;
  return {
    start,
    end,
    score,
    probability: parts[PROBABILITY]!,
    cjkShare: parts[CJK_SHARE]!,
    hits: hits.length === 0 ? NO_HITS : hits.slice(),
  };
}

/**
 * Scores the window just prepared (into `prepared`: prepareUnits or prepareWindow): its score,
 * probability and CJK share are left in `parts`, its hits in
 * sharedScratch.hits (until the next call). Prepared into code units, no string: less garbage.
 */
function scorePrepared(model: ToxicityModel): void {
  sharedScratch ??= createScratch(4096);
  const scratch = sharedScratch;
  const { codes, codebook } = model;
  let sum: number;
  // One pass when the window has no lexicon candidate (scoreFeatureUnits: the same sum, bit
  // for bit); otherwise the features, their category insertions, then the dot product.
  if (scoreFeatureUnits(prepared.units, prepared.length, model.settings, codes, codebook, scratch))
    sum = scratch.sum;
  else {
    extractFeatureUnits(prepared.units, prepared.length, model.settings, scratch);
    sum = 0;
    const indexes = scratch.indexes;
    for (let feature = 0; feature < scratch.count; feature++)
      sum += codebook[codes[indexes[feature]!]! + 128]!;
  }
  const share = languageMix(scratch.cjk, scratch.letters);
  parts[CJK_SHARE] = share;
  if (scratch.count === 0) {
    parts[PROBABILITY] = 0;
    parts[SCORE] = 0;
    return;
  }
  // Per-language intercept (0 shift for a file without: bias + 0 is the bias, bit for bit).
  const logit = model.bias + share * model.interceptShift + sum / Math.sqrt(scratch.count);
  const offset = share * model.offsets.zh + (1 - share) * model.offsets.en;
  let score: number;
  if (model.evidenceK === 0) score = sigmoid(logit - offset);
  else {
    // Evidence calibration (model-format.ts): the threshold offset counts in proportion to the
    // window's features, so a few features score near the model's own prior.
    const evidence = scratch.count / (scratch.count + model.evidenceK);
    const shift = share * model.shifts.zh + (1 - share) * model.shifts.en;
    score = sigmoid(logit - evidence * offset + shift);
  }
  for (const hit of scratch.hits) score = Math.max(score, RULE_FLOORS[hit.category] ?? 0);
  parts[PROBABILITY] = sigmoid(logit);
  parts[SCORE] = score;
}

export function classifyWithModel(
  model: ToxicityModel,
  text: string,
  windowChars = DEFAULT_WINDOW_CHARS,
): ToxicityVerdict {
  const windows = splitWindows(text, windowChars).map(([start, end]) => scoreWindow(model, text, start, end));
  let score = 0;
  for (const window of windows) score = Math.max(score, window.score);
  return { score, windows };
}
