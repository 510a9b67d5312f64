/**
 * A counter keyed by 32-bit hashes in typed arrays (open addressing, linear probing), for the
 * repetition tracker's per-unit bookkeeping. A `Map` keyed by such hashes stores most keys as
 * heap numbers (they do not fit a small integer) and allocates per entry; this one allocates
 * only when it grows. Each entry holds a count and one number of payload (the tracker keeps the
 * offset where an n-gram was first seen). Removing an entry shifts its cluster back, so there
 * are no tombstones and a sliding window can add and remove forever.
 */

const EMPTY = 0;
const USED = 1;

export class HashCounts {
  #keys: Int32Array;
  #counts: Int32Array;
  #payloads: Float64Array;
  #state: Uint8Array;
  #mask: number;
  #size = 0;

  constructor(capacity = 64) {
    let slots = 16;
    while (slots < capacity * 2) slots *= 2;
    this.#keys = new Int32Array(slots);
    this.#counts = new Int32Array(slots);
    this.#payloads = new Float64Array(slots);
    this.#state = new Uint8Array(slots);
    this.#mask = slots - 1;
  }

  /** Distinct keys with a count. */
  get size(): number {
    return this.#size;
  }

  #slotOf(key: number): number {
    let slot = Math.imul(key, 0x9e3779b1) >>> 0;
    slot = (slot ^ (slot >>> 15)) & this.#mask;
    while (this.#state[slot] === USED && this.#keys[slot] !== key) slot = (slot + 1) & this.#mask;
    return slot;
  }

  /** Removes every entry (the table keeps its size). */
  clear(): void {
    if (this.#size === 0) return;
    this.#state.fill(EMPTY);
    this.#size = 0;
  }

  /** The count of `key` (0 when absent). */
  count(key: number): number {
    const slot = this.#slotOf(key);
    return this.#state[slot] === USED ? this.#counts[slot]! : 0;
  }

  /** The payload stored with `key` when it was added (`fallback` when absent). */
  payload(key: number, fallback: number): number {
    const slot = this.#slotOf(key);
    return this.#state[slot] === USED ? this.#payloads[slot]! : fallback;
  }

  /** Adds one to `key`; a new key keeps `payload`. */
  increment(key: number, payload = 0): void {
    const slot = this.#slotOf(key);
    if (this.#state[slot] === USED) {
      this.#counts[slot]!++;
      return;
    }
    this.#state[slot] = USED;
    this.#keys[slot] = key;
    this.#counts[slot] = 1;
    this.#payloads[slot] = payload;
    if (++this.#size * 2 > this.#mask + 1) this.#grow();
  }

  /** Payload of the entry touched by the last `add`. */
  lastPayload = 0;

  /**
   * Adds one to `key` (a new key keeps `payload`) and returns its count; the entry's payload is
   * left in `lastPayload`. One probe for what count, payload and increment would take three.
   */
  add(key: number, payload: number): number {
    const slot = this.#slotOf(key);
    if (this.#state[slot] === USED) {
      this.lastPayload = this.#payloads[slot]!;
      return ++this.#counts[slot]!;
    }
    this.#state[slot] = USED;
    this.#keys[slot] = key;
    this.#counts[slot] = 1;
    this.#payloads[slot] = payload;
    this.lastPayload = payload;
    if (++this.#size * 2 > this.#mask + 1) this.#grow();
    return 1;
  }

  /** Sets the payload of `key` (count 1 when new) and returns the previous one, or `fallback`. */
  exchangePayload(key: number, payload: number, fallback: number): number {
    const slot = this.#slotOf(key);
    if (this.#state[slot] === USED) {
      const previous = this.#payloads[slot]!;
      this.#payloads[slot] = payload;
      return previous;
    }
    this.#state[slot] = USED;
    this.#keys[slot] = key;
    this.#counts[slot] = 1;
    this.#payloads[slot] = payload;
    if (++this.#size * 2 > this.#mask + 1) this.#grow();
    return fallback;
  }

  /** Takes one from `key`; the entry goes when its count reaches 0. */
  decrement(key: number): void {
    const slot = this.#slotOf(key);
    if (this.#state[slot] !== USED) return;
    if (--this.#counts[slot]! > 0) return;
    this.#remove(slot);
  }

  #remove(slot: number): void {
    const mask = this.#mask;
    let hole = slot;
    this.#state[hole] = EMPTY;
    this.#size--;
    // Backward-shift deletion: move later members of the cluster into the hole when their
    // home slot does not lie strictly between the hole and their position.
    let next = (hole + 1) & mask;
    while (this.#state[next] === USED) {
      let home = Math.imul(this.#keys[next]!, 0x9e3779b1) >>> 0;
      home = (home ^ (home >>> 15)) & mask;
      const between = hole <= next ? home > hole && home <= next : home > hole || home <= next;
      if (!between) {
        this.#state[hole] = USED;
        this.#keys[hole] = this.#keys[next]!;
        this.#counts[hole] = this.#counts[next]!;
        this.#payloads[hole] = this.#payloads[next]!;
        this.#state[next] = EMPTY;
        hole = next;
      }
      next = (next + 1) & mask;
    }
  }

  #grow(): void {
    const keys = this.#keys;
    const counts = this.#counts;
    const payloads = this.#payloads;
    const state = this.#state;
    const slots = (this.#mask + 1) * 2;
    this.#keys = new Int32Array(slots);
    this.#counts = new Int32Array(slots);
    this.#payloads = new Float64Array(slots);
    this.#state = new Uint8Array(slots);
    this.#mask = slots - 1;
    for (let slot = 0; slot < state.length; slot++) {
      if (state[slot] !== USED) continue;
      const target = this.#slotOf(keys[slot]!);
      this.#state[target] = USED;
      this.#keys[target] = keys[slot]!;
      this.#counts[target] = counts[slot]!;
      this.#payloads[target] = payloads[slot]!;
    }
  }
}
