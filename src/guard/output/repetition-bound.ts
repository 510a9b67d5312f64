/**
 * A cheap pass that proves, for most texts, that RepetitionTracker would report no signal, so
 * a caller that reads a whole text at once (the anomaly scanner's input check) can skip the
 * tracker. `repetitionMayScore` returns false only when no signal of the tracker can reach a
 * score above 0 for the text pushed whole and read with `result()`; true means "maybe", and
 * the caller runs the tracker as before. The results are the same either way.
 *
 * The pass cuts the text into the tracker's units and lines exactly as the tracker does (same
 * hashes, same order: see #char and pushUnits in repetition-tracker.ts; the trailing word,
 * line or held high surrogate counts as `result()` counts it), but replaces the tracker's
 * exact bookkeeping (hash tables keyed by unit, n-gram and line hashes, the period detector's
 * streaks per period, the window ring) by direct-mapped tables indexed by a few bits of those
 * hashes. Equal hashes fall in the same bucket, so every quantity below is at least the
 * tracker's, and each test is a necessary condition for its signal:
 *
 * - `loop` (PeriodDetector(48, 24) over word/CJK units): a score above 0 needs a streak of
 *   s ≥ max(2p, 24) ≥ 24 units each equal (same hash) to the unit p ≤ 48 before it, so 24
 *   consecutive units whose latest earlier occurrence is at most 48 units back. The latest
 *   earlier unit in the same bucket is at least as recent: the pass counts consecutive units
 *   with a same-bucket unit ≤ 48 back and says "maybe" at 24.
 * - `low_diversity` (64-unit window, distinct ratio ≤ 0.2): a window of 64 units with ≤ 12
 *   distinct hashes has ≥ 52 units whose previous same-hash unit lies in the window, hence
 *   ≤ 63 units back; the pass sums, over every full window, the units with a same-bucket unit
 *   ≤ 63 back and says "maybe" at 52.
 * - `ngram_repeat` (a wordy 4-gram key counted ≥ 32 times): the pass makes the tracker's
 *   n-gram keys (same `combine` chain, same "not only symbols" rule, from the fourth unit on)
 *   and counts them per bucket; "maybe" when a bucket reaches 32.
 * - `line_repeat` (PeriodDetector(16, 2) over lines of ≥ 12 characters): a score above 0
 *   needs a streak of s ≥ max(2p, 2) ≥ 2 lines each equal to the line p ≤ 16 before it; the
 *   pass says "maybe" at 2 consecutive lines with a same-bucket line ≤ 16 back.
 * - `char_run` (one symbol unit repeated ≥ 256 times): needs ≥ 256 consecutive symbol units.
 *
 * Why: on ordinary prompts none of these comes close, and the tracker (hash-table probes, the
 * period detector and the window per unit, field updates per character) was most of the
 * anomaly scanner's time.
 */
import {
  combine,
  FNV_OFFSET,
  FNV_PRIME,
  foldCase,
  isCjk,
  isSpace,
  isWordChar,
  MAX_WORD_UNIT,
} from './text-units.js';

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

const KIND_SYMBOL = 0;
const KIND_WORD = 1;
const KIND_SPACE = 2;
const KIND_CJK = 3;
const KIND_HIGH_SURROGATE = 4;
/**
 * What the tracker makes of each code unit that the pass's ASCII shortcuts leave to its general
 * path: a high surrogate (paired or not), isSpace, isWordChar, isCjk (exclusive: no unit is two
 * of them) or a symbol. One load and comparisons that every such unit runs, where the chains of
 * range tests had branches only non-ASCII text reaches: the first of those after optimization
 * lacked type feedback and deoptimized the pass, which then stayed in on-stack-replaced code
 * (about 25 µs per 2 KB prompt instead of about 18).
 */
const UNIT_KIND = Uint8Array.from({ length: 65536 }, (_value, code) => {
  if (code >= 0xd800 && code <= 0xdbff) return KIND_HIGH_SURROGATE;
  if (isSpace(code)) return KIND_SPACE;
  if (isWordChar(code)) return KIND_WORD;
  return isCjk(code) ? KIND_CJK : KIND_SYMBOL;
});

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
export function repetitionMayScore(codes: Uint16Array, length: number): boolean {
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
        if (wordStart >= 0) {
          if (index - wordStart < MAX_WORD_UNIT) {
            // A word continuing (its line has started and no space is pending: a space ends words).
            wordHash = Math.imul(wordHash ^ folded, FNV_PRIME);
            lineHash = Math.imul(lineHash ^ folded, FNV_PRIME);
            lineLength++;
            index++;
            continue;
          }
        } else if (lineStarted && !maybe) {
          // A word starting on a started line (most words): what the general path below does
          // for it, without its surrogate, space and class tests.
          if (lineSpace) {
            lineHash = Math.imul(lineHash ^ 0x20, FNV_PRIME);
            lineLength++;
            lineSpace = false;
          }
          lineHash = Math.imul(lineHash ^ folded, FNV_PRIME);
          lineLength++;
          wordStart = index;
          wordHash = Math.imul(FNV_OFFSET ^ folded, FNV_PRIME);
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
    const kind = UNIT_KIND[code]!;
    let low = -1;
    if (kind === KIND_HIGH_SURROGATE) {
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
    if (kind === KIND_SPACE) {
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
    if (kind === KIND_WORD) {
      // (Length first: it runs for every word start too, so it has type feedback when a long
      // or non-ASCII word first reaches it.)
      if (index - 1 - wordStart >= MAX_WORD_UNIT && wordStart >= 0) {
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
    if (kind === KIND_CJK) wordUnit(Math.imul(FNV_OFFSET ^ code, FNV_PRIME) | 0);
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
