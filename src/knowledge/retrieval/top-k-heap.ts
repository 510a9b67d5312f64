/**
 * A bounded min-heap that keeps the k best (score, ordinal) pairs seen, in typed arrays so that
 * the search loops allocate nothing per candidate. "Best" is the higher score, then the lower
 * ordinal: the same total order the exhaustive scorer uses, which keeps pruned and exhaustive
 * top-k identical when scores tie.
 */

/** One search hit: the position of the chunk in the indexed input and its score. */
export interface ScoredOrdinal {
  ordinal: number;
  score: number;
}

export class TopKHeap {
  readonly capacity: number;
  #size = 0;
  readonly #scores: Float64Array;
  readonly #ordinals: Float64Array;

  constructor(capacity: number) {
    this.capacity = Number.isFinite(capacity) ? Math.max(0, Math.floor(capacity)) : 0;
    this.#scores = new Float64Array(this.capacity);
    this.#ordinals = new Float64Array(this.capacity);
  }

  get size(): number {
    return this.#size;
  }

  get isFull(): boolean {
    return this.#size === this.capacity;
  }

  /** Score of the worst kept entry; only meaningful once full. */
  get minScore(): number {
    return this.#size > 0 ? this.#scores[0]! : Number.NEGATIVE_INFINITY;
  }

  /** Offers a candidate; returns whether it was kept. */
  push(ordinal: number, score: number): boolean {
    if (this.capacity === 0) return false;
    if (this.#size < this.capacity) {
      this.#siftUp(this.#size++, ordinal, score);
      return true;
    }
    if (!isBetter(score, ordinal, this.#scores[0]!, this.#ordinals[0]!)) return false;
    this.#siftDown(0, ordinal, score);
    return true;
  }

  /** Empties the heap into an array, best first. */
  drain(): ScoredOrdinal[] {
    const results: ScoredOrdinal[] = [];
    for (let index = 0; index < this.#size; index++) {
      results.push({ ordinal: this.#ordinals[index]!, score: this.#scores[index]! });
    }
    this.#size = 0;
    results.sort((left, right) => right.score - left.score || left.ordinal - right.ordinal);
    return results;
  }

  #siftUp(start: number, ordinal: number, score: number): void {
    const scores = this.#scores;
    const ordinals = this.#ordinals;
    let index = start;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!isBetter(scores[parent]!, ordinals[parent]!, score, ordinal)) break;
      scores[index] = scores[parent]!;
      ordinals[index] = ordinals[parent]!;
      index = parent;
    }
    scores[index] = score;
    ordinals[index] = ordinal;
  }

  #siftDown(start: number, ordinal: number, score: number): void {
    const scores = this.#scores;
    const ordinals = this.#ordinals;
    const size = this.#size;
    let index = start;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && isBetter(scores[child]!, ordinals[child]!, scores[right]!, ordinals[right]!)) {
        child = right;
      }
      if (!isBetter(score, ordinal, scores[child]!, ordinals[child]!)) break;
      scores[index] = scores[child]!;
      ordinals[index] = ordinals[child]!;
      index = child;
    }
    scores[index] = score;
    ordinals[index] = ordinal;
  }
}

/** Whether (score, ordinal) ranks above (otherScore, otherOrdinal). */
function isBetter(score: number, ordinal: number, otherScore: number, otherOrdinal: number): boolean {
  return score > otherScore || (score === otherScore && ordinal < otherOrdinal);
}
