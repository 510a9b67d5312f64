/**
 * Accumulates (term, document, frequency) postings while chunks are added and turns them into
 * one compact inverted file: per term a run of ascending document ids (Uint32Array) with their
 * term frequencies (Uint16Array, saturated at 65,535), addressed by a term offset table. Adds go
 * to a small pending buffer that is counting-sorted into a segment whenever it fills, so
 * building never holds per-term objects or JS arrays; `build()` merges the previous inverted
 * file and the segments once. Documents arrive in ordinal order, so concatenating runs keeps every
 * posting list sorted.
 */

/** The frozen inverted file: the postings of term t are [termOffsets[t], termOffsets[t + 1]). */
export interface InvertedPostings {
  termCount: number;
  termOffsets: Uint32Array;
  docIds: Uint32Array;
  termFrequencies: Uint16Array;
}

/** A sorted run of postings over the terms it contains (sparse, ascending term ids). */
interface Segment {
  terms: Uint32Array;
  starts: Uint32Array;
  docIds: Uint32Array;
  termFrequencies: Uint16Array;
}

/** Pending postings per segment: ~20 MB of buffer, few enough segments at 1M chunks. */
const DEFAULT_FLUSH_SIZE = 1 << 21;
const MAX_TERM_FREQUENCY = 65_535;

export class PostingsBuilder {
  readonly #flushSize: number;
  #pendingTerms = new Uint32Array(1024);
  #pendingDocs = new Uint32Array(1024);
  #pendingFrequencies = new Uint16Array(1024);
  #pendingLength = 0;
  #segments: Segment[] = [];
  #termCount = 0;

  constructor(flushSize = DEFAULT_FLUSH_SIZE) {
    this.#flushSize = flushSize;
  }

  /** Records that `docId` contains `termId` `frequency` times; docIds must not decrease. */
  push(termId: number, docId: number, frequency: number): void {
    if (this.#pendingLength === this.#pendingTerms.length) this.#growPending();
    const index = this.#pendingLength++;
    this.#pendingTerms[index] = termId;
    this.#pendingDocs[index] = docId;
    this.#pendingFrequencies[index] = Math.min(frequency, MAX_TERM_FREQUENCY);
    if (termId >= this.#termCount) this.#termCount = termId + 1;
  }

  /** Call between documents: flushes the pending buffer when it is full. */
  endDocument(): void {
    if (this.#pendingLength >= this.#flushSize) this.#flush();
  }

  get hasPending(): boolean {
    return this.#pendingLength > 0 || this.#segments.length > 0;
  }

  /** Bytes held by pending postings (not yet in the inverted file). */
  pendingBytes(): number {
    let bytes = this.#pendingTerms.byteLength + this.#pendingDocs.byteLength;
    bytes += this.#pendingFrequencies.byteLength;
    for (const segment of this.#segments) {
      bytes += segment.terms.byteLength + segment.starts.byteLength;
      bytes += segment.docIds.byteLength + segment.termFrequencies.byteLength;
    }
    return bytes;
  }

  /** Merges `previous` (older documents) with everything pushed since into a new inverted file. */
  build(previous: InvertedPostings | null, termCount: number): InvertedPostings {
    this.#flush();
    const termOffsets = new Uint32Array(termCount + 1);
    if (previous !== null) {
      for (let term = 0; term < previous.termCount; term++) {
        termOffsets[term + 1] = previous.termOffsets[term + 1]! - previous.termOffsets[term]!;
      }
    }
    for (const segment of this.#segments) {
      for (let index = 0; index < segment.terms.length; index++) {
        termOffsets[segment.terms[index]! + 1]! += segment.starts[index + 1]! - segment.starts[index]!;
      }
    }
    for (let term = 0; term < termCount; term++) termOffsets[term + 1]! += termOffsets[term]!;
    const total = termOffsets[termCount]!;
    const docIds = new Uint32Array(total);
    const termFrequencies = new Uint16Array(total);
    const writeAt = termOffsets.slice(0, termCount);
    if (previous !== null) {
      // Terms are laid out in the same order, so the old file shifts term by term.
      for (let term = 0; term < previous.termCount; term++) {
        const start = previous.termOffsets[term]!;
        const end = previous.termOffsets[term + 1]!;
        if (end === start) continue;
        docIds.set(previous.docIds.subarray(start, end), writeAt[term]!);
        termFrequencies.set(previous.termFrequencies.subarray(start, end), writeAt[term]!);
        writeAt[term]! += end - start;
      }
    }
    for (const segment of this.#segments) {
      for (let index = 0; index < segment.terms.length; index++) {
        const term = segment.terms[index]!;
        const start = segment.starts[index]!;
        const end = segment.starts[index + 1]!;
        docIds.set(segment.docIds.subarray(start, end), writeAt[term]!);
        termFrequencies.set(segment.termFrequencies.subarray(start, end), writeAt[term]!);
        writeAt[term]! += end - start;
      }
    }
    this.#segments = [];
    this.#pendingTerms = new Uint32Array(1024);
    this.#pendingDocs = new Uint32Array(1024);
    this.#pendingFrequencies = new Uint16Array(1024);
    return { termCount, termOffsets, docIds, termFrequencies };
  }

  #growPending(): void {
    const capacity = this.#pendingTerms.length * 2;
    const terms = new Uint32Array(capacity);
    terms.set(this.#pendingTerms);
    const docs = new Uint32Array(capacity);
    docs.set(this.#pendingDocs);
    const frequencies = new Uint16Array(capacity);
    frequencies.set(this.#pendingFrequencies);
    this.#pendingTerms = terms;
    this.#pendingDocs = docs;
    this.#pendingFrequencies = frequencies;
  }

  /** Counting-sorts the pending buffer by term (stable, so doc order holds) into a segment. */
  #flush(): void {
    const length = this.#pendingLength;
    if (length === 0) return;
    const termCount = this.#termCount;
    const counts = new Uint32Array(termCount + 1);
    const pendingTerms = this.#pendingTerms;
    for (let index = 0; index < length; index++) counts[pendingTerms[index]! + 1]!++;
    let distinct = 0;
    for (let term = 0; term < termCount; term++) {
      if (counts[term + 1]! > 0) distinct++;
      counts[term + 1]! += counts[term]!;
    }
    const terms = new Uint32Array(distinct);
    const starts = new Uint32Array(distinct + 1);
    let cursor = 0;
    for (let term = 0; term < termCount; term++) {
      if (counts[term + 1]! === counts[term]!) continue;
      terms[cursor] = term;
      starts[cursor] = counts[term]!;
      cursor++;
    }
    starts[distinct] = length;
    const docIds = new Uint32Array(length);
    const termFrequencies = new Uint16Array(length);
    for (let index = 0; index < length; index++) {
      const position = counts[pendingTerms[index]!]!++;
      docIds[position] = this.#pendingDocs[index]!;
      termFrequencies[position] = this.#pendingFrequencies[index]!;
    }
    this.#segments.push({ terms, starts, docIds, termFrequencies });
    this.#pendingLength = 0;
  }
}
