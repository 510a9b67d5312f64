/**
 * Exact periodicity of a hash sequence: for every period p ≤ maxPeriod it keeps the streak of
 * consecutive elements equal to the element p positions earlier, updated per element in time
 * proportional to the element's repeats within the last maxPeriod elements (each element links
 * to the previous one with the same hash), not to maxPeriod. A streak of s at period p means the last p + s elements are one block
 * repeated (1 + s / p times). This is the signature of a looping model — "I'm sorry. I'm
 * sorry. …", a paragraph emitted again and again — and, unlike counting repeated n-grams, it
 * stays quiet on code and tables, whose repeated pieces are interleaved with new content.
 *
 * `peek` answers "what if this element came next" without changing the state, which lets the
 * stream tracker count a word or line that is still being written.
 */

import { HashCounts } from './hash-counts.js';

export interface PeriodicRun {
  /** Elements repeating the previous period. */
  streak: number;
  period: number;
  /** Stream offsets of the repeated region (first occurrence of the block to the end). */
  start: number;
  end: number;
  score: number;
}

export const NO_RUN: PeriodicRun = { streak: 0, period: 0, start: 0, end: 0, score: 0 };

export class PeriodDetector {
  readonly #maxPeriod: number;
  readonly #minRepeated: number;
  readonly #starts: Float64Array;
  /** Per ring slot (element index mod maxPeriod): the previous element with the same hash, or -1. */
  readonly #previousSame: Int32Array;
  /** Hash → index of its latest element (the payload). */
  readonly #latest = new HashCounts(256);
  readonly #streaks: Int32Array;
  /** Per period: the element index of the last match (a streak is alive only right after it). */
  readonly #lastMatch: Float64Array;
  readonly #runStarts: Float64Array;
  #count = 0;
  #best: PeriodicRun = NO_RUN;

  /**
   * @param maxPeriod longest block, in elements, that is recognised as repeating
   * @param minRepeated repeated elements needed at any period (the threshold is max(2p, this))
   */
  constructor(maxPeriod: number, minRepeated: number) {
    this.#maxPeriod = maxPeriod;
    this.#minRepeated = minRepeated;
    this.#starts = new Float64Array(maxPeriod);
    this.#previousSame = new Int32Array(maxPeriod);
    this.#streaks = new Int32Array(maxPeriod + 1);
    this.#lastMatch = new Float64Array(maxPeriod + 1).fill(-1);
    this.#runStarts = new Float64Array(maxPeriod + 1);
  }

  get best(): PeriodicRun {
    return this.#best;
  }

  /** Score of a streak at a period: 0.5 at 3 occurrences and ≥ minRepeated elements, 1 at 4× that. */
  score(streak: number, period: number): number {
    const threshold = Math.max(2 * period, this.#minRepeated);
    if (streak < threshold) return 0;
    return Math.min(1, 0.5 + (0.5 * (streak - threshold)) / (3 * threshold));
  }

  /** Starts over as if newly built (the arrays are kept). */
  reset(): void {
    this.#latest.clear();
    this.#streaks.fill(0);
    this.#lastMatch.fill(-1);
    this.#runStarts.fill(0);
    this.#count = 0;
    this.#best = NO_RUN;
    this.lastPrevious = -1;
  }

  /** Index of the previous element with the hash of the last pushed one, or -1 (set by push). */
  lastPrevious = -1;

  /** Elements pushed since the last reset. */
  get count(): number {
    return this.#count;
  }

  /** Index of the latest element with `hash`, or -1. */
  latest(hash: number): number {
    return this.#latest.payload(hash, -1) | 0;
  }

  push(hash: number, start: number, end: number): void {
    // Payloads are float64 slots; `| 0` (exact: element indexes) keeps the index arithmetic
    // below in integers (`%` on a double is a call to fmod).
    const previous = this.#latest.exchangePayload(hash, this.#count, -1) | 0;
    this.lastPrevious = previous;
    this.#best = this.#visit(previous, end, true);
    const slot = this.#count % this.#maxPeriod;
    this.#starts[slot] = start;
    this.#previousSame[slot] = previous;
    this.#count++;
  }

  /** The best run if `hash` (ending at `end`) came next; the state is unchanged. */
  peek(hash: number, end: number): PeriodicRun {
    return this.#visit(this.#latest.payload(hash, -1) | 0, end, false);
  }

  /**
   * Visits the periods at which the element repeats an earlier one — its hash's earlier
   * occurrences at most maxPeriod back, from `previous` (the latest) on, so shortest period
   * first — extending or starting their streaks.
   * Every other period's streak is broken: a streak counts only if its period also matched the
   * element before (#lastMatch), so broken streaks need no write.
   */
  #visit(previous: number, end: number, apply: boolean): PeriodicRun {
    let best = this.#best;
    const count = this.#count;
    const maxPeriod = this.#maxPeriod;
    for (let earlier = previous; earlier >= 0; ) {
      const period = count - earlier;
      if (period > maxPeriod) break;
      const slot = earlier % maxPeriod;
      const streak = (this.#lastMatch[period] === count - 1 ? this.#streaks[period]! : 0) + 1;
      // The repeated region begins with the first copy of the block: p elements before the streak.
      const runStart = streak === 1 ? this.#starts[slot]! : this.#runStarts[period]!;
      if (apply) {
        this.#streaks[period] = streak;
        this.#lastMatch[period] = count;
        this.#runStarts[period] = runStart;
      }
      const score = this.score(streak, period);
      if (score > best.score || (score === best.score && score > 0 && streak > best.streak)) {
        best = { streak, period, start: runStart, end, score };
      }
      earlier = this.#previousSame[slot]!;
    }
    return best;
  }
}
