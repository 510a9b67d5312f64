/**
 * Exact periodicity of a hash sequence, updated in O(maxPeriod) per element: for every
 * period p ≤ maxPeriod it keeps the streak of consecutive elements equal to the element p
 * positions earlier. A streak of s at period p means the last p + s elements are one block
 * repeated (1 + s / p times). This is the signature of a looping model — "I'm sorry. I'm
 * sorry. …", a paragraph emitted again and again — and, unlike counting repeated n-grams, it
 * stays quiet on code and tables, whose repeated pieces are interleaved with new content.
 *
 * `peek` answers "what if this element came next" without changing the state, which lets the
 * stream tracker count a word or line that is still being written.
 */

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
  readonly #history: Int32Array;
  readonly #starts: Float64Array;
  readonly #streaks: Int32Array;
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
    this.#history = new Int32Array(maxPeriod);
    this.#starts = new Float64Array(maxPeriod);
    this.#streaks = new Int32Array(maxPeriod + 1);
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
    this.#streaks.fill(0);
    this.#runStarts.fill(0);
    this.#count = 0;
    this.#best = NO_RUN;
  }

  push(hash: number, start: number, end: number): void {
    this.#best = this.#visit(hash, end, true);
    const slot = this.#count % this.#maxPeriod;
    this.#history[slot] = hash;
    this.#starts[slot] = start;
    this.#count++;
  }

  /** The best run if `hash` (ending at `end`) came next; the state is unchanged. */
  peek(hash: number, end: number): PeriodicRun {
    return this.#visit(hash, end, false);
  }

  #visit(hash: number, end: number, apply: boolean): PeriodicRun {
    let best = this.#best;
    const maxPeriod = this.#maxPeriod;
    const history = this.#history;
    const streaks = this.#streaks;
    const limit = Math.min(maxPeriod, this.#count);
    // Slot of the element `period` back, stepped down (with wrap-around) instead of a modulo
    // per period.
    let slot = (this.#count - 1) % maxPeriod;
    for (let period = 1; period <= limit; period++, slot = slot === 0 ? maxPeriod - 1 : slot - 1) {
      // Most periods do not match: their streak drops to 0 and their run start is not read
      // again until a new streak sets it.
      if (history[slot] !== hash) {
        if (apply) streaks[period] = 0;
        continue;
      }
      const streak = streaks[period]! + 1;
      // The repeated region begins with the first copy of the block: p elements before the streak.
      const runStart = streak === 1 ? this.#starts[slot]! : this.#runStarts[period]!;
      if (apply) {
        streaks[period] = streak;
        this.#runStarts[period] = runStart;
      }
      const score = this.score(streak, period);
      if (score > best.score || (score === best.score && score > 0 && streak > best.streak)) {
        best = { streak, period, start: runStart, end, score };
      }
    }
    return best;
  }
}
