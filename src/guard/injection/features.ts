/**
 * Hashed text features shared by training and inference: character 3–5-grams (they work for
 * Chinese and Japanese without word segmentation, and survive typos) plus word unigrams and
 * bigrams for space-delimited scripts, hashed into a power-of-two space with a sign bit
 * (the "hashing trick" with signed buckets, so collisions cancel instead of adding up).
 * Counts are damped (1 + ln count) and the vector is L2-normalised, so a 40-character prompt
 * and a 512-character window are on one scale. Input is a canonical view (lower case).
 */

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
 * Accumulates the features of a text into a dense scratch buffer, recording which buckets
 * were touched so that the buffer can be read and reset in time proportional to the text.
 * One instance per thread of use; not re-entrant.
 */
export class FeatureAccumulator {
  readonly dims: number;
  private readonly mask: number;
  private readonly scratch: Float64Array;
  private readonly touched: Int32Array;
  private touchedCount = 0;

  constructor(space: FeatureSpace, maxTouched = 1 << 16) {
    if (space.dims <= 0 || (space.dims & (space.dims - 1)) !== 0) {
      throw new RangeError(`dims must be a power of two, got ${space.dims}`);
    }
    this.dims = space.dims;
    this.mask = space.dims - 1;
    this.scratch = new Float64Array(space.dims);
    this.touched = new Int32Array(maxTouched);
  }

  private emit(hash: number): void {
    const mixed = finalMix(hash);
    const index = mixed & this.mask;
    if (this.scratch[index] === 0 && this.touchedCount < this.touched.length) {
      this.touched[this.touchedCount++] = index;
    }
    // The top bit picks the sign; it is independent of the low bits that pick the bucket.
    this.scratch[index]! += mixed < 0 ? -1 : 1;
  }

  /** Adds the n-gram and word features of `text`. */
  add(text: string): void {
    const length = text.length;
    // Character n-grams over " text ", so word edges are features too.
    for (let start = -1; start < length - 1; start++) {
      let hash = FNV_OFFSET;
      for (let size = 1; size <= 5; size++) {
        const position = start + size - 1;
        if (position > length) break;
        const code = position < 0 || position === length ? 0x20 : text.charCodeAt(position);
        hash = Math.imul(hash ^ code, FNV_PRIME);
        if (size >= 3) this.emit(hash ^ Math.imul(size, 0x9e3779b1));
      }
    }
    // Word unigrams and bigrams.
    let previous = 0;
    let hasPrevious = false;
    let index = 0;
    while (index < length) {
      while (index < length && !isWordCharacter(text.charCodeAt(index))) index++;
      if (index >= length) break;
      let hash = FNV_OFFSET ^ WORD_SEED;
      let size = 0;
      while (index < length && isWordCharacter(text.charCodeAt(index))) {
        hash = Math.imul(hash ^ text.charCodeAt(index), FNV_PRIME);
        index++;
        size++;
      }
      if (size > 40) {
        hasPrevious = false;
        continue;
      }
      this.emit(hash);
      if (hasPrevious) this.emit(Math.imul(previous, 31) ^ hash ^ BIGRAM_SEED);
      previous = hash;
      hasPrevious = true;
    }
  }

  /**
   * Damps, normalises and hands the touched buckets to `visit`, then resets. Returns the
   * number of features visited.
   */
  drain(visit: (index: number, value: number) => void): number {
    let norm = 0;
    for (let position = 0; position < this.touchedCount; position++) {
      const index = this.touched[position]!;
      const count = this.scratch[index]!;
      const damped = count === 0 ? 0 : Math.sign(count) * (1 + Math.log(Math.abs(count)));
      this.scratch[index] = damped;
      norm += damped * damped;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const visited = this.touchedCount;
    for (let position = 0; position < this.touchedCount; position++) {
      const index = this.touched[position]!;
      const value = this.scratch[index]!;
      this.scratch[index] = 0;
      if (value !== 0) visit(index, value * scale);
    }
    this.touchedCount = 0;
    return visited;
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
