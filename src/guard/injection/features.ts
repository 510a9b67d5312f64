/**
 * Hashed text features shared by training and inference: character 3–5-grams (they work for
 * Chinese and Japanese without word segmentation, and survive typos) plus word unigrams and
 * bigrams for space-delimited scripts, hashed into a power-of-two space with a sign bit
 * (the "hashing trick" with signed buckets, so collisions cancel instead of adding up).
 * Counts are damped (1 + ln count) and the vector is L2-normalised, so a 40-character prompt
 * and a 512-character window are on one scale. Input is a canonical view (lower case).
 */

import { CodeUnits } from '../normalize/code-units.js';

export interface FeatureSpace {
  /** Number of hash buckets; a power of two. */
  dims: number;
}

export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const WORD_SEED = 0x5bd1e995;
const BIGRAM_SEED = 0x27d4eb2f;

// 1 + ln(k) for small counts: the logarithm was a fifth of the scoring time.
const DAMPED = Float64Array.from({ length: 256 }, (_value, count) => (count === 0 ? 0 : 1 + Math.log(count)));

function finalMix(hash: number): number {
  let value = hash;
  value ^= value >>> 16;
  value = Math.imul(value, 0x85ebca6b);
  value ^= value >>> 13;
  value = Math.imul(value, 0xc2b2ae35);
  value ^= value >>> 16;
  return value;
}

/** Letters and digits of space-delimited scripts; CJK, kana and punctuation end a word. */
function isWordCharacter(code: number): boolean {
  if (code < 0x80) return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39);
  if (code < 0xc0 || code === 0xd7 || code === 0xf7) return false;
  if (code >= 0x2000 && code <= 0x2bff) return false;
  if (code >= 0x2e80 && code <= 0xa4cf) return false;
  if (code >= 0xd800 && code <= 0xdfff) return false;
  if (code >= 0xf900 && code <= 0xfaff) return false;
  return !(code >= 0xfe30 && code <= 0xffef);
}

/**
 * Accumulates the features of a text in a small open-addressing table (bucket → signed count),
 * which stays in the CPU cache: a dense buffer of `dims` entries would cost a cache miss per
 * n-gram. Reading (`drain`, `dot`) resets it. One instance per user; not re-entrant.
 */
export class FeatureAccumulator {
  readonly dims: number;
  private readonly mask: number;
  private keys: Int32Array;
  private counts: Int32Array;
  private slots: Int32Array;
  /** Damped value per insertion position, filled by dampAndScale. */
  private damped: Float64Array;
  private size = 0;
  private bits: number;
  /** Scratch copy of the text being added, see padded(). */
  private readonly codes = new CodeUnits(1024);
  /** Scratch: the mixed hashes of the text being added, in emission order. */
  private hashes = new Int32Array(4096);

  constructor(space: FeatureSpace) {
    if (space.dims <= 0 || (space.dims & (space.dims - 1)) !== 0) {
      throw new RangeError(`dims must be a power of two, got ${space.dims}`);
    }
    this.dims = space.dims;
    this.mask = space.dims - 1;
    // 8,192 slots: a 512-character window has about 1,500 distinct features, and a sparser
    // table means fewer collisions (probing mispredicts) for 64 KB more.
    this.bits = 13;
    this.keys = new Int32Array(1 << this.bits).fill(-1);
    this.counts = new Int32Array(1 << this.bits);
    this.damped = new Float64Array(1 << (this.bits - 1));
    this.slots = new Int32Array(1 << (this.bits - 1));
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldCounts = this.counts;
    const oldSlots = this.slots.subarray(0, this.size);
    this.bits++;
    this.keys = new Int32Array(1 << this.bits).fill(-1);
    this.counts = new Int32Array(1 << this.bits);
    this.damped = new Float64Array(1 << (this.bits - 1));
    this.slots = new Int32Array(1 << (this.bits - 1));
    const used = this.size;
    this.size = 0;
    for (let position = 0; position < used; position++) {
      const slot = oldSlots[position]!;
      this.insert(oldKeys[slot]!, oldCounts[slot]!);
    }
  }

  private insert(index: number, delta: number): void {
    const tableMask = (1 << this.bits) - 1;
    let slot = index & tableMask;
    for (;;) {
      const key = this.keys[slot]!;
      if (key === index) {
        this.counts[slot]! += delta;
        return;
      }
      if (key === -1) {
        this.keys[slot] = index;
        this.counts[slot] = delta;
        this.slots[this.size++] = slot;
        if (this.size >= this.slots.length) this.grow();
        return;
      }
      slot = (slot + 1) & tableMask;
    }
  }

  /**
   * Counts `total` mixed feature hashes (bucket in the low bits, sign in the top bit) in the
   * table. Hashing everything first and probing in one tight loop afterwards keeps the probing
   * loop small and its state in locals; interleaved, the two cost about a sixth more.
   */
  private insertAll(hashes: Int32Array, total: number): void {
    const mask = this.mask;
    let keys = this.keys;
    let counts = this.counts;
    let slots = this.slots;
    let tableMask = keys.length - 1;
    let size = this.size;
    for (let position = 0; position < total; position++) {
      const mixed = hashes[position]!;
      const index = mixed & mask;
      // The top bit picks the sign; it is independent of the low bits that pick the bucket.
      const delta = mixed < 0 ? -1 : 1;
      // The bucket is already a mixed hash: its low bits spread over the table as they are.
      let slot = index & tableMask;
      for (;;) {
        const key = keys[slot]!;
        if (key === index) {
          counts[slot]! += delta;
          break;
        }
        if (key === -1) {
          keys[slot] = index;
          counts[slot] = delta;
          slots[size++] = slot;
          if (size >= slots.length) {
            this.size = size;
            this.grow();
            ({ keys, counts, slots, size } = this);
            tableMask = keys.length - 1;
          }
          break;
        }
        slot = (slot + 1) & tableMask;
      }
    }
    this.size = size;
  }

  /**
   * The code units of `text` between two spaces (" text "), copied once: views are often sliced
   * or concatenated strings, on which each charCodeAt costs several times a typed-array read,
   * and every character is read up to six times below.
   */
  private padded(text: string): Uint16Array {
    const length = text.length;
    const codes = this.codes.load(text, 1);
    codes[0] = 0x20;
    codes[length + 1] = 0x20;
    return codes;
  }

  /** Adds the n-gram and word features of `text`. */
  add(text: string): void {
    const length = text.length;
    const codes = this.padded(text);
    // At most three n-grams per position and two features per word (a word and a separator).
    if (this.hashes.length < 4 * length + 8) this.hashes = new Int32Array(4 * length + 8);
    const hashes = this.hashes;
    let total = 0;
    // Character n-grams over " text ", so word edges are features too: codes[start + 1] is the
    // character at `start`, from −1 (the leading space) to length (the trailing one).
    for (let start = -1; start < length - 1; start++) {
      let hash = FNV_OFFSET;
      for (let size = 1; size <= 5; size++) {
        const position = start + size - 1;
        if (position > length) break;
        hash = Math.imul(hash ^ codes[position + 1]!, FNV_PRIME);
        if (size >= 3) hashes[total++] = finalMix(hash ^ Math.imul(size, 0x9e3779b1));
      }
    }
    // Word unigrams and bigrams (codes[index + 1] is the character at `index`).
    let previous = 0;
    let hasPrevious = false;
    let index = 0;
    while (index < length) {
      while (index < length && !isWordCharacter(codes[index + 1]!)) index++;
      if (index >= length) break;
      let hash = FNV_OFFSET ^ WORD_SEED;
      let size = 0;
      while (index < length && isWordCharacter(codes[index + 1]!)) {
        hash = Math.imul(hash ^ codes[index + 1]!, FNV_PRIME);
        index++;
        size++;
      }
      if (size > 40) {
        hasPrevious = false;
        continue;
      }
      hashes[total++] = finalMix(hash);
      if (hasPrevious) hashes[total++] = finalMix(Math.imul(previous, 31) ^ hash ^ BIGRAM_SEED);
      previous = hash;
      hasPrevious = true;
    }
    this.insertAll(hashes, total);
  }

  /** Damps counts (sign · (1 + ln |count|)) into `damped` and returns 1 / L2 norm (0 if empty). */
  private dampAndScale(): number {
    let norm = 0;
    for (let position = 0; position < this.size; position++) {
      const count = this.counts[this.slots[position]!]!;
      const magnitude = count < 0 ? -count : count;
      const value = magnitude < DAMPED.length ? DAMPED[magnitude]! : 1 + Math.log(magnitude);
      const damped = count < 0 ? -value : value;
      this.damped[position] = damped;
      norm += damped * damped;
    }
    return norm > 0 ? 1 / Math.sqrt(norm) : 0;
  }

  private reset(): void {
    for (let position = 0; position < this.size; position++) this.keys[this.slots[position]!] = -1;
    this.size = 0;
  }

  /** Hands every non-zero normalised feature to `visit` (in insertion order), then resets. */
  drain(visit: (index: number, value: number) => void): void {
    const scale = this.dampAndScale();
    for (let position = 0; position < this.size; position++) {
      const value = this.damped[position]!;
      if (value !== 0) visit(this.keys[this.slots[position]!]!, value * scale);
    }
    this.reset();
  }

  /**
   * Dot product of the normalised features with int8 weights (unscaled: multiply by the head's
   * scale), written to `out[0]`; then resets. One pass: the norm and the sum run over the same
   * entries in the same order as dampAndScale and drain would, so the result is the same.
   */
  dot(weights: Int8Array, out: Float64Array): void {
    const { keys, counts, slots } = this;
    let norm = 0;
    let sum = 0;
    for (let position = 0; position < this.size; position++) {
      const slot = slots[position]!;
      const count = counts[slot]!;
      const magnitude = count < 0 ? -count : count;
      const value = magnitude < DAMPED.length ? DAMPED[magnitude]! : 1 + Math.log(magnitude);
      const damped = count < 0 ? -value : value;
      norm += damped * damped;
      sum += weights[keys[slot]!]! * damped;
      keys[slot] = -1;
    }
    this.size = 0;
    out[0] = sum * (norm > 0 ? 1 / Math.sqrt(norm) : 0);
  }

  /** The features of `text` as a sparse vector (for training). */
  vectorize(text: string): SparseVector {
    this.add(text);
    const indices: number[] = [];
    const values: number[] = [];
    this.drain((index, value) => {
      indices.push(index);
      values.push(value);
    });
    return { indices: Int32Array.from(indices), values: Float32Array.from(values) };
  }
}
