/**
 * Degeneration detection on a growing stream, at O(new text) per chunk. The tracker reads the
 * stream once, character by character, cuts it into units (words, CJK characters, symbols;
 * see text-units.ts) and lines, and keeps five signals up to date:
 *
 * - `loop` — a block of ≤ 48 word/CJK units repeated back to back (≥ 3 copies and ≥ 24
 *   repeated units): "I'm sorry. I'm sorry. …", "the the the", "哈哈哈…";
 * - `line_repeat` — a block of ≤ 16 lines (each ≥ 12 characters, trimmed and whitespace-
 *   collapsed; shorter lines such as `}` are skipped) repeated back to back ≥ 3 times;
 * - `low_diversity` — the lowest distinct ratio over any 64 consecutive word/CJK units falls to
 *   0.2 (prose stays above ~0.45, code above ~0.25; a near-loop with small variations drops
 *   below);
 * - `ngram_repeat` — one unit 4-gram (not made of symbols only) occurs ≥ 32 times and covers
 *   ≥ 25 % of the text: long loops that are neither back to back nor line-shaped;
 * - `char_run` — one symbol repeated ≥ 256 times ("!!!!…", "\n\n\n…" is whitespace and free).
 *
 * Each signal scores 0.5 at its threshold and rises to 1. A trailing word or line still being
 * written is counted as if the stream ended there (`result()` peeks without consuming), so any
 * chunking of a text gives the same result as pushing it at once.
 */
import { CodeUnits } from '../normalize/code-units.js';
import { HashCounts } from './hash-counts.js';
import { PeriodDetector, type PeriodicRun } from './period-detector.js';
import {
  combine,
  FNV_OFFSET,
  fnvStep,
  foldCase,
  isCjk,
  isSpace,
  isWordChar,
  MAX_WORD_UNIT,
} from './text-units.js';

export type RepetitionType = 'loop' | 'line_repeat' | 'low_diversity' | 'ngram_repeat' | 'char_run';

export interface RepetitionSignal {
  type: RepetitionType;
  score: number;
  /** Offsets into the whole stream. */
  start: number;
  end: number;
  /** Copies of the block (loop, line_repeat), distinct ratio, n-gram count or run length. */
  value: number;
}

export interface RepetitionResult {
  score: number;
  /** Signals at or past their threshold (score ≥ 0.5), highest first. */
  signals: RepetitionSignal[];
  /** Units read (words, CJK characters, symbols). */
  units: number;
}

interface Best {
  value: number;
  start: number;
  end: number;
}

const NGRAM = 4;
const NGRAM_MIN_REPEATS = 32;
const NGRAM_MIN_COVERAGE = 0.25;
const WINDOW = 64;
const DISTINCT_THRESHOLD = 0.2;
const LINE_MIN_CHARS = 12;
const RUN_MIN_LENGTH = 256;

function rise(value: number, threshold: number, full: number): number {
  if (value < threshold) return 0;
  return Math.min(1, 0.5 + (0.5 * (value - threshold)) / Math.max(1e-9, full - threshold));
}

export class RepetitionTracker {
  /** Code units of the chunk being pushed. */
  #chunkUnits = new CodeUnits(256);
  #offset = 0;
  #pendingHigh = -1;
  #wordStart = -1;
  #wordHash = 0;
  #lineStart = -1;
  #lineEnd = 0;
  #lineHash = 0;
  #lineLength = 0;
  #lineSpace = false;
  #units = 0;
  readonly #loops = new PeriodDetector(48, 24);
  readonly #lineLoops = new PeriodDetector(16, 2);
  // Last NGRAM − 1 units, for n-gram keys.
  readonly #recent = new Int32Array(NGRAM);
  readonly #recentSymbol = new Uint8Array(NGRAM);
  readonly #recentStarts = new Float64Array(NGRAM);
  // N-gram key → count, with the offset of its first occurrence as the payload.
  readonly #ngrams = new HashCounts(256);
  // Set by #ngramEffect: the n-gram ending with the unit looked at, its count including that
  // unit, and where its first occurrence starts (fields rather than a returned object: this
  // runs once per unit).
  #effectKey = 0;
  #effectCount = 0;
  #effectFirst = 0;
  // The best n-gram, window and run so far: updated in place (this runs once per unit, and a
  // new object per improvement was most of the tracker's garbage); result() only reads them.
  readonly #topNgram: Best = { value: 0, start: 0, end: 0 };
  // Sliding window of the last WINDOW word/CJK units (the elements of #loops, so unit k of the
  // window is element k of #loops, whose links to the previous element with the same hash
  // give the window's distinct count without a counter keyed by hash: two hash-table probes
  // and a deletion per unit fewer). Slot k % WINDOW holds unit k's start and whether a later
  // unit of the window has the same hash.
  readonly #ringStarts = new Float64Array(WINDOW);
  readonly #repeatedLater = new Uint8Array(WINDOW);
  #ringHead = 0;
  #ringSize = 0;
  /** Distinct hashes among the units in the window. */
  #distinct = 0;
  // Set by #windowEffect: where the window ending with the unit looked at starts.
  #windowStart = 0;
  readonly #minRatio: Best = { value: 1, start: 0, end: 0 };
  #runHash = 0;
  #runLength = 0;
  #runStart = 0;
  readonly #longestRun: Best = { value: 0, start: 0, end: 0 };

  /**
   * Starts over as if newly built, keeping the allocated tables (a batch caller scanning one
   * text after another reuses one tracker). The last-units and window rings need no clearing:
   * they are read only up to what was written since.
   */
  reset(): void {
    this.#offset = 0;
    this.#pendingHigh = -1;
    this.#wordStart = -1;
    this.#wordHash = 0;
    this.#lineStart = -1;
    this.#lineEnd = 0;
    this.#lineHash = 0;
    this.#lineLength = 0;
    this.#lineSpace = false;
    this.#units = 0;
    this.#loops.reset();
    this.#lineLoops.reset();
    this.#ngrams.clear();
    setBest(this.#topNgram, 0, 0, 0);
    this.#ringHead = 0;
    this.#ringSize = 0;
    this.#distinct = 0;
    setBest(this.#minRatio, 1, 0, 0);
    this.#runHash = 0;
    this.#runLength = 0;
    this.#runStart = 0;
    setBest(this.#longestRun, 0, 0, 0);
  }

  /** Characters consumed so far. */
  get length(): number {
    return this.#offset + (this.#pendingHigh >= 0 ? 1 : 0);
  }

  push(chunk: string): void {
    this.pushUnits(this.#chunkUnits.load(chunk), chunk.length);
  }

  /**
   * `push` of a chunk given as its code units `units[0 … length)` (CodeUnits: the loop reads a
   * typed array, not the string, so it stays fast whatever strings the tracker has been fed).
   */
  pushUnits(units: Uint16Array, length: number): void {
    let index = 0;
    if (this.#pendingHigh >= 0 && length > 0) {
      const high = this.#pendingHigh;
      this.#pendingHigh = -1;
      const low = units[0]!;
      const paired = low >= 0xdc00 && low <= 0xdfff;
      this.#char(high, paired ? low : -1);
      if (paired) index = 1;
    }
    for (; index < length; index++) {
      const code = units[index]!;
      if (this.#wordStart >= 0 && isWordChar(code)) {
        // The rest of a word, in locals: what #char does for a word character continuing a
        // word (its line has started and has no pending space, since a space ends the word),
        // until the word ends or reaches MAX_WORD_UNIT, which #char handles. Most characters
        // take this path; #char's field updates and class tests per character were a third
        // of the tracker's time.
        const wordStart = this.#wordStart;
        let offset = this.#offset;
        let wordHash = this.#wordHash;
        let lineHash = this.#lineHash;
        let at = index;
        while (at < length && offset - wordStart < MAX_WORD_UNIT) {
          const next = units[at]!;
          // isWordChar and foldCase in one load for ASCII (0: not a word character).
          const folded = next < 128 ? ASCII_WORD_FOLDED[next]! : isWordChar(next) ? next : 0;
          if (folded === 0) break;
          lineHash = fnvStep(lineHash, folded);
          wordHash = fnvStep(wordHash, folded);
          offset++;
          at++;
        }
        if (at > index) {
          this.#lineLength += offset - this.#offset;
          this.#offset = offset;
          this.#lineEnd = offset;
          this.#lineHash = lineHash;
          this.#wordHash = wordHash;
          index = at - 1;
          continue;
        }
      }
      if (code >= 0xd800 && code <= 0xdbff) {
        if (index + 1 >= length) {
          // Held until the next chunk says whether a low surrogate follows; it ends any word.
          this.#endWord(this.#offset);
          this.#pendingHigh = code;
          return;
        }
        const low = units[index + 1]!;
        if (low >= 0xdc00 && low <= 0xdfff) {
          this.#char(code, low);
          index++;
          continue;
        }
      }
      this.#char(code, -1);
    }
  }

  /** Ends the stream: the trailing word and line are consumed. */
  finish(): void {
    if (this.#pendingHigh >= 0) {
      const high = this.#pendingHigh;
      this.#pendingHigh = -1;
      this.#char(high, -1);
    }
    this.#endWord(this.#offset);
    this.#endLine();
  }

  #char(code: number, low: number): void {
    const position = this.#offset;
    const size = low >= 0 ? 2 : 1;
    this.#offset += size;
    if (isSpace(code)) {
      this.#endWord(position);
      if (code === 0x0a) this.#endLine();
      else if (this.#lineStart >= 0) this.#lineSpace = true;
      return;
    }
    if (this.#lineStart < 0) {
      this.#lineStart = position;
      this.#lineHash = FNV_OFFSET;
      this.#lineLength = 0;
    }
    if (this.#lineSpace) {
      this.#lineHash = fnvStep(this.#lineHash, 0x20);
      this.#lineLength++;
      this.#lineSpace = false;
    }
    this.#lineHash = fnvStep(this.#lineHash, foldCase(code));
    if (low >= 0) this.#lineHash = fnvStep(this.#lineHash, low);
    this.#lineLength += size;
    this.#lineEnd = position + size;
    if (low < 0 && isWordChar(code)) {
      if (this.#wordStart >= 0 && position - this.#wordStart >= MAX_WORD_UNIT) this.#endWord(position);
      if (this.#wordStart < 0) {
        this.#wordStart = position;
        this.#wordHash = FNV_OFFSET;
      }
      this.#wordHash = fnvStep(this.#wordHash, foldCase(code));
      return;
    }
    this.#endWord(position);
    if (low < 0 && isCjk(code)) {
      this.#unit(fnvStep(FNV_OFFSET, code) | 0, position, position + 1, false);
      return;
    }
    this.#unit(symbolHash(code, low), position, position + size, true);
  }

  /** Ends the word being read; `end` is where the character that ended it begins. */
  #endWord(end: number): void {
    if (this.#wordStart < 0) return;
    const start = this.#wordStart;
    this.#wordStart = -1;
    this.#unit(this.#wordHash | 0, start, end, false);
  }

  #endLine(): void {
    if (this.#lineStart < 0) return;
    const start = this.#lineStart;
    this.#lineStart = -1;
    this.#lineSpace = false;
    if (this.#lineLength >= LINE_MIN_CHARS) this.#lineLoops.push(this.#lineHash | 0, start, this.#lineEnd);
  }

  #unit(hash: number, start: number, end: number, symbol: boolean): void {
    const counted = this.#ngramKey(hash, start, symbol);
    const slot = this.#units % NGRAM;
    this.#recent[slot] = hash;
    this.#recentSymbol[slot] = symbol ? 1 : 0;
    this.#recentStarts[slot] = start;
    this.#units++;
    if (counted) {
      // One probe: the count after this occurrence, and the first occurrence's start.
      const count = this.#ngrams.add(this.#effectKey, this.#effectFirst);
      if (count > this.#topNgram.value) setBest(this.#topNgram, count, this.#ngrams.lastPayload, end);
    }
    if (symbol) {
      this.#runLength = hash === this.#runHash && this.#runLength > 0 ? this.#runLength + 1 : 1;
      if (this.#runLength === 1) this.#runStart = start;
      this.#runHash = hash;
      if (this.#runLength > this.#longestRun.value)
        setBest(this.#longestRun, this.#runLength, this.#runStart, end);
      return;
    }
    this.#runLength = 0;
    // This unit's index among the window units, and the previous one with its hash.
    const index = this.#loops.count;
    this.#loops.push(hash, start, end);
    const previous = this.#loops.lastPrevious;
    // Slide the window, then update its distinct count (#windowEffect computes the same
    // without changing anything, for peeks). The evicted unit's hash leaves the window unless
    // a later unit in it has the same hash; this unit's hash is new to the window unless its
    // previous occurrence is in it (then that one is marked as repeated later).
    let windowStart: number;
    if (this.#ringSize === WINDOW) {
      const head = this.#ringHead;
      if (this.#repeatedLater[head] === 0) this.#distinct--;
      this.#repeatedLater[head] = 0;
      this.#ringStarts[head] = start;
      this.#ringHead = (head + 1) % WINDOW;
      windowStart = this.#ringStarts[this.#ringHead]!;
    } else {
      windowStart = this.#ringSize > 0 ? this.#ringStarts[this.#ringHead]! : start;
      const position = (this.#ringHead + this.#ringSize) % WINDOW;
      this.#repeatedLater[position] = 0;
      this.#ringStarts[position] = start;
      this.#ringSize++;
    }
    if (previous >= 0 && index - previous < WINDOW) this.#repeatedLater[previous % WINDOW] = 1;
    else this.#distinct++;
    if (this.#ringSize === WINDOW) {
      const ratio = this.#distinct / WINDOW;
      if (ratio < this.#minRatio.value) setBest(this.#minRatio, ratio, windowStart, end);
    }
  }

  /**
   * Whether the n-gram ending with this unit is counted; if so its key, its count including
   * this unit and its first start are left in #effectKey, #effectCount and #effectFirst.
   */
  #ngramEffect(hash: number, start: number, symbol: boolean): boolean {
    if (!this.#ngramKey(hash, start, symbol)) return false;
    this.#effectCount = this.#ngrams.count(this.#effectKey) + 1;
    this.#effectFirst = this.#ngrams.payload(this.#effectKey, this.#effectFirst);
    return true;
  }

  /**
   * Whether the n-gram ending with this unit is counted (not made of symbols only); if so its
   * key and the start of its first unit are left in #effectKey and #effectFirst.
   */
  #ngramKey(hash: number, start: number, symbol: boolean): boolean {
    if (this.#units + 1 < NGRAM) return false;
    let key = 0;
    let wordy = !symbol;
    let first = start;
    for (let back = NGRAM - 1; back >= 1; back--) {
      const position = (this.#units - back) % NGRAM;
      key = combine(key, this.#recent[position]!);
      if (this.#recentSymbol[position] === 0) wordy = true;
      if (back === NGRAM - 1) first = this.#recentStarts[position]!;
    }
    if (!wordy) return false;
    this.#effectKey = combine(key, hash);
    this.#effectFirst = first;
    return true;
  }

  /**
   * Distinct ratio of the window after adding this word/CJK unit (1 while not yet full); the
   * window's start is left in #windowStart.
   */
  #windowEffect(hash: number, start: number): number {
    let distinct = this.#distinct;
    let windowStart = this.#ringSize > 0 ? this.#ringStarts[this.#ringHead]! : start;
    if (this.#ringSize === WINDOW) {
      if (this.#repeatedLater[this.#ringHead] === 0) distinct--;
      windowStart = this.#ringStarts[(this.#ringHead + 1) % WINDOW]!;
    } else if (this.#ringSize + 1 < WINDOW) {
      this.#windowStart = start;
      return 1;
    }
    // New to the window (after the eviction) unless its latest occurrence is in it.
    const index = this.#loops.count;
    const previous = this.#loops.latest(hash);
    if (!(previous >= 0 && index - previous < WINDOW)) distinct++;
    this.#windowStart = windowStart;
    return distinct / WINDOW;
  }

  /** The current verdict; a trailing partial word or line is counted without being consumed. */
  result(): RepetitionResult {
    let topNgram = this.#topNgram;
    let minRatio = this.#minRatio;
    let loop = this.#loops.best;
    let longestRun = this.#longestRun;
    let lineLoop = this.#lineLoops.best;
    let units = this.#units;
    if (this.#wordStart >= 0 || this.#pendingHigh >= 0) {
      const word = this.#wordStart >= 0;
      const start = word ? this.#wordStart : this.#offset;
      const end = word ? this.#offset : this.#offset + 1;
      const hash = word ? this.#wordHash | 0 : symbolHash(this.#pendingHigh, -1);
      units++;
      if (this.#ngramEffect(hash, start, !word) && this.#effectCount > topNgram.value)
        topNgram = { value: this.#effectCount, start: this.#effectFirst, end };
      if (word) {
        loop = this.#loops.peek(hash, end);
        const ratio = this.#windowEffect(hash, start);
        if (ratio < minRatio.value) minRatio = { value: ratio, start: this.#windowStart, end };
      } else {
        const run = hash === this.#runHash && this.#runLength > 0 ? this.#runLength + 1 : 1;
        if (run > longestRun.value)
          longestRun = { value: run, start: run === 1 ? start : this.#runStart, end };
      }
    }
    const line = this.#pendingLine();
    if (line) lineLoop = this.#lineLoops.peek(line.hash, line.end);
    return score(units, loop, lineLoop, minRatio, topNgram, longestRun);
  }

  /** The line being written (with a held surrogate), if long enough to count. */
  #pendingLine(): { hash: number; start: number; end: number } | null {
    let { lineStart: start, lineHash: hash, lineLength: length, lineEnd: end } = this.#lineState();
    if (this.#pendingHigh >= 0) {
      if (start < 0) {
        start = this.#offset;
        hash = FNV_OFFSET;
        length = 0;
      }
      if (this.#lineSpace) {
        hash = fnvStep(hash, 0x20);
        length++;
      }
      hash = fnvStep(hash, this.#pendingHigh);
      length++;
      end = this.#offset + 1;
    }
    return start >= 0 && length >= LINE_MIN_CHARS ? { hash: hash | 0, start, end } : null;
  }

  #lineState(): { lineStart: number; lineHash: number; lineLength: number; lineEnd: number } {
    return {
      lineStart: this.#lineStart,
      lineHash: this.#lineHash,
      lineLength: this.#lineLength,
      lineEnd: this.#lineEnd,
    };
  }
}

/** foldCase of each ASCII word character (isWordChar), 0 for the other ASCII code units. */
const ASCII_WORD_FOLDED = Uint16Array.from({ length: 128 }, (_value, code) =>
  isWordChar(code) ? foldCase(code) : 0,
);

function setBest(best: Best, value: number, start: number, end: number): void {
  best.value = value;
  best.start = start;
  best.end = end;
}

function symbolHash(code: number, low: number): number {
  const hash = fnvStep(FNV_OFFSET ^ 0x5f, code);
  return (low >= 0 ? fnvStep(hash, low) : hash) | 0;
}

function fromRun(type: RepetitionType, run: PeriodicRun): RepetitionSignal[] {
  if (run.score <= 0) return [];
  return [{ type, score: run.score, start: run.start, end: run.end, value: 1 + run.streak / run.period }];
}

function score(
  units: number,
  loop: PeriodicRun,
  lineLoop: PeriodicRun,
  minRatio: Best,
  topNgram: Best,
  longestRun: Best,
): RepetitionResult {
  const signals: RepetitionSignal[] = [...fromRun('loop', loop), ...fromRun('line_repeat', lineLoop)];
  if (minRatio.value <= DISTINCT_THRESHOLD) {
    const value = rise(DISTINCT_THRESHOLD - minRatio.value, 0, DISTINCT_THRESHOLD / 2);
    signals.push({
      type: 'low_diversity',
      score: value,
      start: minRatio.start,
      end: minRatio.end,
      value: minRatio.value,
    });
  }
  const coverage = units === 0 ? 0 : (topNgram.value * NGRAM) / units;
  const ngramScore =
    coverage >= NGRAM_MIN_COVERAGE ? rise(topNgram.value, NGRAM_MIN_REPEATS, NGRAM_MIN_REPEATS * 4) : 0;
  if (ngramScore > 0)
    signals.push({ type: 'ngram_repeat', score: ngramScore, ...spanOf(topNgram), value: topNgram.value });
  const runScore = rise(longestRun.value, RUN_MIN_LENGTH, RUN_MIN_LENGTH * 4);
  if (runScore > 0)
    signals.push({ type: 'char_run', score: runScore, ...spanOf(longestRun), value: longestRun.value });
  signals.sort((left, right) => right.score - left.score);
  return { score: signals[0]?.score ?? 0, signals, units };
}

function spanOf(best: Best): { start: number; end: number } {
  return { start: best.start, end: best.end };
}
