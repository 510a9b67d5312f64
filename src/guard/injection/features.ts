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

/**
 * sign(count) · (1 + ln |count|), 0 for 0, without branches on the sign (random in signed
 * hashing: a branch on it was mispredicted half the time and cost more than the rest of the
 * dot product). Multiplying by ±1 is exact, so the value is the same as the branching form.
 */
function dampedCount(count: number): number {
  const sign = count >> 31;
  const magnitude = (count ^ sign) - sign;
  const value = magnitude < DAMPED.length ? DAMPED[magnitude]! : 1 + Math.log(magnitude);
  return (sign | 1) * value;
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

/** isWordCharacter of every UTF-16 code unit, 1 or 0 (64 KB, built once). */
const WORD_CHARACTER = Uint8Array.from({ length: 65536 }, (_value, code) => (isWordCharacter(code) ? 1 : 0));

// The size tags of 3-, 4- and 5-grams (mixed into the n-gram's hash before finalMix).
const SIZE_3 = Math.imul(3, 0x9e3779b1);
const SIZE_4 = Math.imul(4, 0x9e3779b1);
const SIZE_5 = Math.imul(5, 0x9e3779b1);

/** Mixed hashes of the 3-, 4- and 5-gram of units a … e, written to hashes[at … at + 2]. */
function ngramsOf(
  hashes: Int32Array,
  at: number,
  a: number,
  b: number,
  c: number,
  d: number,
  e: number,
): void {
  const hash2 = Math.imul(Math.imul(FNV_OFFSET ^ a, FNV_PRIME) ^ b, FNV_PRIME);
  const hash3 = Math.imul(hash2 ^ c, FNV_PRIME);
  const hash4 = Math.imul(hash3 ^ d, FNV_PRIME);
  hashes[at] = finalMix(hash3 ^ SIZE_3);
  hashes[at + 1] = finalMix(hash4 ^ SIZE_4);
  hashes[at + 2] = finalMix(Math.imul(hash4 ^ e, FNV_PRIME) ^ SIZE_5);
}

/** Raw (unmixed) hash of the word in units[from … to). */
function wordHash(units: Uint16Array, from: number, to: number): number {
  let hash = FNV_OFFSET ^ WORD_SEED;
  for (let index = from; index < to; index++) hash = Math.imul(hash ^ units[index]!, FNV_PRIME);
  return hash;
}

/**
 * The 3-, 4- and 5-gram hashes (in that order) of every start position in [from, to), written
 * three per position from hashes[at]; units[start + 4] must exist for each. Returns the next
 * free index. The last five units are kept in locals: one load per position.
 */
function hashNgrams(units: Uint16Array, from: number, to: number, hashes: Int32Array, at: number): number {
  if (from >= to) return at;
  let a = units[from]!;
  let b = units[from + 1]!;
  let c = units[from + 2]!;
  let d = units[from + 3]!;
  let next = at;
  for (let start = from; start < to; start++, next += 3) {
    const e = units[start + 4]!;
    const hash3 = Math.imul(Math.imul(Math.imul(FNV_OFFSET ^ a, FNV_PRIME) ^ b, FNV_PRIME) ^ c, FNV_PRIME);
    const hash4 = Math.imul(hash3 ^ d, FNV_PRIME);
    hashes[next] = finalMix(hash3 ^ SIZE_3);
    hashes[next + 1] = finalMix(hash4 ^ SIZE_4);
    hashes[next + 2] = finalMix(Math.imul(hash4 ^ e, FNV_PRIME) ^ SIZE_5);
    a = b;
    b = c;
    c = d;
    d = e;
  }
  return next;
}

/**
 * The words (maximal runs of word characters) of units[from … to), where units[to] is not a
 * word character: start, end and raw hash (see add) of each, in order; returns their number.
 * The arrays need room for (to − from) / 2 + 2 entries. Without a branch on the character
 * (word edges are unpredictable in prose): every position writes a candidate entry at
 * `count`, which only a word's end keeps.
 */
function scanWords(
  units: Uint16Array,
  from: number,
  to: number,
  starts: Int32Array,
  ends: Int32Array,
  hashes: Int32Array,
): number {
  const seed = FNV_OFFSET ^ WORD_SEED;
  let count = 0;
  let hash = seed;
  let start = from;
  let previous = 0;
  for (let index = from; index <= to; index++) {
    const unit = units[index]!;
    const word = WORD_CHARACTER[unit]!;
    starts[count] = start;
    ends[count] = index;
    hashes[count] = hash;
    // A word ends here: keep the entry.
    count += previous & (word ^ 1);
    // A word starts here.
    start += (index - start) & -(word & (previous ^ 1));
    // The running hash of the word (reset to the seed outside words).
    hash = (Math.imul(hash ^ unit, FNV_PRIME) & -word) | (seed & (word - 1));
    previous = word;
  }
  return count;
}

/** Longest word that is a feature (longer words are skipped, and break the bigram chain). */
const MAX_WORD = 40;

/** Shortest slice read from the whole text's hashes (addSlice); shorter ones are hashed. */
const MIN_SLICE = 16;

/**
 * Longest whole text that addSlice hashes once (slices of longer ones are hashed one by one):
 * its hashes and words are kept until the next text (24 bytes per character), and prompts are
 * far shorter, while a policy may scan up to millions of characters.
 */
const MAX_WHOLE = 32_768;

/** insertAll on 32-bit counts (see FeatureAccumulator.wide); returns the new size of `order`. */
function countInto(
  counts: Int32Array,
  mask: number,
  order: Int32Array,
  start: number,
  hashes: Int32Array,
  from: number,
  to: number,
): number {
  let size = start;
  for (let position = from; position < to; position++) {
    const mixed = hashes[position]!;
    const index = mixed & mask;
    const before = counts[index]!;
    counts[index] = before + ((mixed >> 31) | 1);
    if (before === 0) order[size++] = index;
  }
  return size;
}

/** dot on 32-bit counts (see FeatureAccumulator.wide): same entries, same order; clears them. */
function dotOf(counts: Int32Array, order: Int32Array, size: number, weights: Int8Array): number {
  let norm = 0;
  let sum = 0;
  for (let position = 0; position < size; position++) {
    const index = order[position]!;
    const value = dampedCount(counts[index]!);
    counts[index] = 0;
    norm += value * value;
    sum += weights[index]! * value;
  }
  return sum * (norm > 0 ? 1 / Math.sqrt(norm) : 0);
}

/** Most features counted between two reads while the counts are 16-bit (no count can overflow). */
const NARROW_LIMIT = 32_767;

/**
 * Accumulates the features of a text as signed counts per bucket, then reads them once
 * (`drain`, `dot`), which also resets them. One instance per user; not re-entrant.
 *
 * The counts are a dense array of `dims` entries (1 MB for the default 2^18), not a hash
 * table: a window adds about 1,700 features, and a direct `counts[bucket] += ±1` costs less
 * than probing a table (measured 2026-11-29: 43.7 → 20 µs per 512-character view together
 * with the branch-free signs below). `order` lists the buckets in the order they were first
 * counted, which is the order the sums run in, so results are bit-for-bit what the hash table
 * (which kept first-insertion order) gave. A bucket whose count went back to zero and then up
 * again is listed twice; it is read (and cleared) at its first place and adds exactly zero at
 * its second.
 *
 * The counts are 16-bit (512 KB for 2^18 buckets instead of 1 MB): the scanners around the
 * classifier evict it from the cache, and at half the size the whole input stage measured
 * about 5 % less CPU (2026-11-29, session 5). A count cannot overflow while at most
 * NARROW_LIMIT features have been added since the last read, which holds for every view a
 * scanner reads (a 512-character window adds about 2,000); past that (a long training text)
 * the counts move to a 32-bit array (`wide`) until the next read.
 */
export class FeatureAccumulator {
  readonly dims: number;
  private readonly mask: number;
  private readonly counts: Int16Array;
  /** 32-bit counts, used instead of `counts` once more than NARROW_LIMIT features are pending. */
  private wide: Int32Array | null = null;
  /** The 32-bit array, kept for the next time (all zero between uses). */
  private wideStore: Int32Array | null = null;
  /** Features added since the last read. */
  private pending = 0;
  /** Buckets in first-counted order (with the repeats described above). */
  private order = new Int32Array(4096);
  private size = 0;
  /** Scratch for drain: damped value per position of `order`. */
  private damped = new Float64Array(4096);
  /** Scratch copy of the text being added, see padded(). */
  private readonly codes = new CodeUnits(1024);
  /** Scratch: the mixed hashes of the text being added, in emission order. */
  private hashes = new Int32Array(4096);
  /** The text loaded for addSlice (see loadWhole), its units, n-gram hashes and words. */
  private whole: string | null = null;
  private readonly wholeCodes = new CodeUnits(4096);
  /** 3-, 4- and 5-gram hashes of every position whose 5-gram lies inside the whole text. */
  private wholeHashes = new Int32Array(3 * 4096);
  /** Words of the whole text: start, end, raw hash (see add), in order. */
  private wordStarts = new Int32Array(1024);
  private wordEnds = new Int32Array(1024);
  private wordHashes = new Int32Array(1024);
  private wordCount = 0;
  /** Scratch: the words of the text being added (see add). */
  private textWordStarts = new Int32Array(1024);
  private textWordEnds = new Int32Array(1024);
  private textWordHashes = new Int32Array(1024);

  constructor(space: FeatureSpace) {
    if (space.dims <= 0 || (space.dims & (space.dims - 1)) !== 0) {
      throw new RangeError(`dims must be a power of two, got ${space.dims}`);
    }
    this.dims = space.dims;
    this.mask = space.dims - 1;
    this.counts = new Int16Array(space.dims);
  }

  /**
   * Counts the mixed feature hashes `hashes[from … to)` (bucket in the low bits, sign in the
   * top bit). Hashing everything first and counting in one tight loop afterwards keeps each
   * loop small. Consecutive calls count as one call over the concatenation would.
   */
  private insertAll(hashes: Int32Array, from: number, to: number): void {
    const total = to - from;
    if (this.order.length < this.size + total) {
      const grown = new Int32Array(2 * (this.size + total));
      grown.set(this.order.subarray(0, this.size));
      this.order = grown;
    }
    if (this.wide === null && this.pending + total > NARROW_LIMIT) this.widen();
    this.pending += total;
    if (this.wide !== null) {
      this.size = countInto(this.wide, this.mask, this.order, this.size, hashes, from, to);
      return;
    }
    const { mask, counts, order } = this;
    let size = this.size;
    for (let position = from; position < to; position++) {
      const mixed = hashes[position]!;
      const index = mixed & mask;
      const before = counts[index]!;
      // The top bit picks the sign (−1 or +1), without a branch: the signs are random, so a
      // branch would be mispredicted half the time.
      counts[index] = before + ((mixed >> 31) | 1);
      // Listed when it was zero before, without a branch (taken for most features, not all).
      order[size] = index;
      size += ((before | -before) >>> 31) ^ 1;
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
    // Character 3-, 4- and 5-grams over " text " (codes[0 … length + 1]), so word edges are
    // features too, emitted per start position in the order 3, 4, 5. Where all three fit, the
    // FNV chain is unrolled (hashNgrams); the last positions take the general loop.
    const last = length + 1;
    let start = Math.max(0, last - 3);
    let total = hashNgrams(codes, 0, start, hashes, 0);
    for (; start + 2 <= last; start++) {
      let hash = FNV_OFFSET;
      for (let size = 1; size <= 5 && start + size - 1 <= last; size++) {
        hash = Math.imul(hash ^ codes[start + size - 1]!, FNV_PRIME);
        if (size >= 3) hashes[total++] = finalMix(hash ^ Math.imul(size, 0x9e3779b1));
      }
    }
    // Word unigrams and bigrams of codes[1 … length] (the padding space after them ends the
    // last word).
    const capacity = (length >> 1) + 2;
    if (this.textWordStarts.length < capacity) {
      this.textWordStarts = new Int32Array(2 * capacity);
      this.textWordEnds = new Int32Array(2 * capacity);
      this.textWordHashes = new Int32Array(2 * capacity);
    }
    const starts = this.textWordStarts;
    const ends = this.textWordEnds;
    const wordHashes = this.textWordHashes;
    const count = scanWords(codes, 1, length + 1, starts, ends, wordHashes);
    let previous = 0;
    let hasPrevious = false;
    for (let word = 0; word < count; word++) {
      if (ends[word]! - starts[word]! > MAX_WORD) {
        hasPrevious = false;
        continue;
      }
      const hash = wordHashes[word]!;
      hashes[total++] = finalMix(hash);
      if (hasPrevious) hashes[total++] = finalMix(Math.imul(previous, 31) ^ hash ^ BIGRAM_SEED);
      previous = hash;
      hasPrevious = true;
    }
    this.insertAll(hashes, 0, total);
  }

  /**
   * Hashes `whole` once for addSlice: the 3-, 4- and 5-grams at every position, and its words.
   * The overlapping windows of a long text are slices of one canonical string for most texts
   * (normalize/inert-views.ts), and hashing each window anew hashed the overlaps twice.
   */
  private loadWhole(whole: string): void {
    const length = whole.length;
    const units = this.wholeCodes.load(whole);
    if (this.wholeHashes.length < 3 * length) this.wholeHashes = new Int32Array(3 * length);
    // The n-grams at each start position whose 5-gram lies inside the text (as in add).
    hashNgrams(units, 0, length - 4, this.wholeHashes, 0);
    const capacity = (length >> 1) + 2;
    if (this.wordStarts.length < capacity) {
      this.wordStarts = new Int32Array(capacity);
      this.wordEnds = new Int32Array(capacity);
      this.wordHashes = new Int32Array(capacity);
    }
    // A space after the text (the copy has room for it) ends the last word.
    units[length] = 0x20;
    this.wordCount = scanWords(units, 0, length, this.wordStarts, this.wordEnds, this.wordHashes);
    this.whole = whole;
  }

  /**
   * Adds the features of `whole.slice(start, end)`: exactly the hashes `add` emits for that
   * slice, in the same order (so the sums are the same bit for bit), most of them copied from
   * the whole text's hashes. The slice is padded with spaces in `add`, so only the n-grams that
   * touch its edges (the first start position and the last three) and the words cut by its
   * edges (and the bigram after a cut word) are hashed here; every other n-gram and word lies
   * inside the whole text as it is.
   */
  addSlice(whole: string, start: number, end: number): void {
    const length = end - start;
    // A short slice, or the whole text (a text of one window): hashing it is less work. A very
    // long text: its hashes would take too much memory (MAX_WHOLE).
    if (length < MIN_SLICE || length === whole.length || whole.length > MAX_WHOLE) {
      this.add(whole.slice(start, end));
      return;
    }
    if (this.whole !== whole) this.loadWhole(whole);
    const units = this.wholeCodes.units;
    if (this.hashes.length < 4 * length + 8) this.hashes = new Int32Array(4 * length + 8);
    const hashes = this.hashes;
    // Start positions of " slice " (see add): 0 (the leading space), then 1 … length − 4 (the
    // whole text's n-grams at start … end − 5), then length − 3 … length − 1 (the trailing space).
    ngramsOf(hashes, 0, 0x20, units[start]!, units[start + 1]!, units[start + 2]!, units[start + 3]!);
    this.insertAll(hashes, 0, 3);
    // Counted in place: the same sequence as one array of them all.
    this.insertAll(this.wholeHashes, 3 * start, 3 * (end - 4));
    let total = 0;
    ngramsOf(hashes, total, units[end - 4]!, units[end - 3]!, units[end - 2]!, units[end - 1]!, 0x20);
    total += 3;
    // Position length − 2: the 3- and 4-gram (a 5-gram would pass the trailing space).
    const tail2 = Math.imul(Math.imul(FNV_OFFSET ^ units[end - 3]!, FNV_PRIME) ^ units[end - 2]!, FNV_PRIME);
    const tail3 = Math.imul(tail2 ^ units[end - 1]!, FNV_PRIME);
    hashes[total++] = finalMix(tail3 ^ SIZE_3);
    hashes[total++] = finalMix(Math.imul(tail3 ^ 0x20, FNV_PRIME) ^ SIZE_4);
    // Position length − 1: the 3-gram.
    const last2 = Math.imul(Math.imul(FNV_OFFSET ^ units[end - 2]!, FNV_PRIME) ^ units[end - 1]!, FNV_PRIME);
    hashes[total++] = finalMix(Math.imul(last2 ^ 0x20, FNV_PRIME) ^ SIZE_3);
    // Words: the whole text's words that meet the slice, cut to it.
    const { wordStarts, wordEnds, wordHashes, wordCount } = this;
    let low = 0;
    let high = wordCount;
    // The first word ending after `start`.
    while (low < high) {
      const middle = (low + high) >> 1;
      if (wordEnds[middle]! <= start) low = middle + 1;
      else high = middle;
    }
    let previous = 0;
    let hasPrevious = false;
    for (let word = low; word < wordCount && wordStarts[word]! < end; word++) {
      const from = Math.max(wordStarts[word]!, start);
      const to = Math.min(wordEnds[word]!, end);
      if (to - from > MAX_WORD) {
        hasPrevious = false;
        continue;
      }
      const hash =
        from === wordStarts[word] && to === wordEnds[word] ? wordHashes[word]! : wordHash(units, from, to);
      hashes[total++] = finalMix(hash);
      if (hasPrevious) hashes[total++] = finalMix(Math.imul(previous, 31) ^ hash ^ BIGRAM_SEED);
      previous = hash;
      hasPrevious = true;
    }
    this.insertAll(hashes, 0, total);
  }

  /** Moves the counts so far to the 32-bit array, which counts until the next read. */
  private widen(): void {
    this.wideStore ??= new Int32Array(this.dims);
    const wide = this.wideStore;
    const { counts, order } = this;
    for (let position = 0; position < this.size; position++) {
      const index = order[position]!;
      // A repeated bucket was moved (and cleared) at its first place.
      if (counts[index] !== 0) {
        wide[index] = counts[index]!;
        counts[index] = 0;
      }
    }
    this.wide = wide;
  }

  /** Hands every non-zero normalised feature to `visit` (in first-counted order), then resets. */
  drain(visit: (index: number, value: number) => void): void {
    const { order } = this;
    const counts = this.wide ?? this.counts;
    this.wide = null;
    this.pending = 0;
    if (this.damped.length < this.size) this.damped = new Float64Array(this.order.length);
    const damped = this.damped;
    let norm = 0;
    for (let position = 0; position < this.size; position++) {
      const index = order[position]!;
      const value = dampedCount(counts[index]!);
      // Cleared at once, so a repeated bucket adds 0 at its later places.
      counts[index] = 0;
      damped[position] = value;
      norm += value * value;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let position = 0; position < this.size; position++) {
      const value = damped[position]!;
      if (value !== 0) visit(order[position]!, value * scale);
    }
    this.size = 0;
  }

  /**
   * Dot product of the normalised features with int8 weights (unscaled: multiply by the head's
   * scale), written to `out[0]`; then resets. One pass: the norm and the sum run over the same
   * entries in the same order as drain would, so the result is the same.
   */
  dot(weights: Int8Array, out: Float64Array): void {
    this.pending = 0;
    if (this.wide !== null) {
      const wide = this.wide;
      this.wide = null;
      out[0] = dotOf(wide, this.order, this.size, weights);
      this.size = 0;
      return;
    }
    const { counts, order } = this;
    let norm = 0;
    let sum = 0;
    for (let position = 0; position < this.size; position++) {
      const index = order[position]!;
      const value = dampedCount(counts[index]!);
      counts[index] = 0;
      norm += value * value;
      sum += weights[index]! * value;
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
