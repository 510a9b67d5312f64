/**
 * An in-memory BM25 index over chunk texts. A chunk's ordinal is its position in the order of
 * `add` calls. Storage is typed arrays only: per term a run of ascending document ids and term
 * frequencies, per document a length and a precomputed length norm, plus per-term and per-block
 * score maxima for dynamic pruning (see `bm25-search.ts`). Scores use Robertson's BM25 with
 * Lucene's non-negative idf, ln(1 + (N − df + 0.5) / (df + 0.5)); a repeated query term counts
 * each time. Defaults k1 = 1.2, b = 0.75 (Robertson & Zaragoza; Terrier and Lucene defaults).
 *
 * `add` appends in batches; collection statistics (N, avgdl, df) change with every add, so the
 * inverted file is rebuilt lazily by the next `search` (or an explicit `commit`), once per batch
 * of adds rather than once per chunk.
 *
 * @example
 * const index = new Bm25Index();
 * index.add(['the cat sat', 'dogs bark']);
 * index.search('cats', 10); // → [{ ordinal: 0, score: 0.69… }]
 */

import { ValidationError } from '../../core/index.js';
import { computeScoreBounds, type ScoringPostings, searchTopK, type WeightedTerm } from './bm25-search.js';
import { type InvertedPostings, PostingsBuilder } from './postings-builder.js';
import { defaultTextAnalyzer, type TextAnalyzer } from './text-analysis.js';
import type { ScoredOrdinal } from './top-k-heap.js';

export interface Bm25IndexOptions {
  /** Term-frequency saturation. Default 1.2. */
  k1?: number;
  /** Length normalisation, 0…1. Default 0.75. */
  b?: number;
  /** Text → terms, for chunks and queries alike. Default: `defaultTextAnalyzer`. */
  analyzer?: TextAnalyzer;
  /** Postings buffered before they are sorted into a run (build memory vs. run count). Default 2^21. */
  postingsFlushSize?: number;
}

/** A predicate over ordinals: only chunks it accepts are returned. */
export type OrdinalFilter = (ordinal: number) => boolean;

/** Rough bytes per dictionary entry: the term string, the Map slot and its hash. */
const DICTIONARY_ENTRY_BYTES = 64;
/** Word → term id memo bound (raw words outnumber terms: "runs", "running" → "run"). */
const MAX_MEMOIZED_WORDS = 1_000_000;
/** Memo value of a stopword. */
const STOPWORD = -1;

export class Bm25Index {
  readonly k1: number;
  readonly b: number;
  readonly #analyzer: TextAnalyzer;
  readonly #termIds = new Map<string, number>();
  /** Word → term id (or STOPWORD): one hash lookup per token while adding. */
  readonly #wordTermIds = new Map<string, number>();
  #documentLengths = new Uint32Array(1024);
  #documentCount = 0;
  #totalLength = 0;
  readonly #builder: PostingsBuilder;
  #inverted: InvertedPostings | null = null;
  #scoring: ScoringPostings | null = null;
  /** Per-term counts of the chunk being added, and which terms it touched. */
  #termCounts = new Uint32Array(1024);
  #touchedTerms = new Uint32Array(256);

  constructor(options: Bm25IndexOptions = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    if (!Number.isFinite(this.k1) || this.k1 < 0) throw new ValidationError('BM25 k1 must be ≥ 0');
    if (!Number.isFinite(this.b) || this.b < 0 || this.b > 1) {
      throw new ValidationError('BM25 b must be between 0 and 1');
    }
    this.#analyzer = options.analyzer ?? defaultTextAnalyzer;
    this.#builder = new PostingsBuilder(options.postingsFlushSize);
  }

  /** Number of chunks added. */
  get size(): number {
    return this.#documentCount;
  }

  /** Number of distinct terms. */
  get termCount(): number {
    return this.#termIds.size;
  }

  /** Appends chunks; their ordinals continue from `size`. */
  add(texts: readonly string[]): void {
    for (const text of texts) this.#addDocument(this.#analyzer.words(text));
    this.#scoring = null;
  }

  /** Builds the searchable structures now instead of at the next search. */
  commit(): void {
    if (this.#scoring !== null) return;
    if (this.#builder.hasPending || this.#inverted === null) {
      this.#inverted = this.#builder.build(this.#inverted, this.#termIds.size);
    }
    const inverted = this.#inverted;
    const documentNorms = new Float32Array(this.#documentCount);
    const averageLength = this.#documentCount > 0 ? this.#totalLength / this.#documentCount : 0;
    const safeAverage = averageLength > 0 ? averageLength : 1;
    for (let document = 0; document < this.#documentCount; document++) {
      const length = this.#documentLengths[document]!;
      documentNorms[document] = this.k1 * (1 - this.b + (this.b * length) / safeAverage);
    }
    const bounds = computeScoreBounds(
      inverted.termCount,
      inverted.termOffsets,
      inverted.docIds,
      inverted.termFrequencies,
      documentNorms,
    );
    this.#scoring = { ...inverted, documentNorms, ...bounds };
  }

  /** The best `topK` chunks for `query`, best first; chunks without any query term never appear. */
  search(query: string, topK: number, filter?: OrdinalFilter): ScoredOrdinal[] {
    return this.searchTerms(this.#analyzer.analyze(query), topK, filter);
  }

  /** Like `search`, for an already analyzed query. */
  searchTerms(queryTerms: readonly string[], topK: number, filter?: OrdinalFilter): ScoredOrdinal[] {
    this.commit();
    const scoring = this.#scoring!;
    const weights = new Map<number, number>();
    for (const term of queryTerms) {
      const termId = this.#termIds.get(term);
      if (termId === undefined) continue;
      const frequency = scoring.termOffsets[termId + 1]! - scoring.termOffsets[termId]!;
      if (frequency === 0) continue;
      weights.set(termId, (weights.get(termId) ?? 0) + this.#termWeight(frequency));
    }
    const terms: WeightedTerm[] = [];
    for (const [termId, weight] of weights) terms.push({ termId, weight });
    return searchTopK(scoring, terms, Math.floor(topK), filter);
  }

  /** Documents containing `term` (already analyzed), as of the last commit. */
  documentFrequency(term: string): number {
    this.commit();
    const termId = this.#termIds.get(term);
    if (termId === undefined) return 0;
    return this.#scoring!.termOffsets[termId + 1]! - this.#scoring!.termOffsets[termId]!;
  }

  /** Bytes held by the index: typed arrays exactly, the term dictionary estimated. */
  memoryBytes(): number {
    let bytes = this.#documentLengths.byteLength + this.#termCounts.byteLength;
    bytes += this.#touchedTerms.byteLength + this.#builder.pendingBytes();
    bytes += (this.#termIds.size + this.#wordTermIds.size) * DICTIONARY_ENTRY_BYTES;
    const scoring = this.#scoring;
    const inverted = this.#inverted;
    if (inverted !== null) {
      bytes += inverted.termOffsets.byteLength + inverted.docIds.byteLength;
      bytes += inverted.termFrequencies.byteLength;
    }
    if (scoring !== null) {
      bytes += scoring.documentNorms.byteLength + scoring.termMaxRatio.byteLength;
      bytes += scoring.blockOffsets.byteLength + scoring.blockMaxRatio.byteLength;
    }
    return bytes;
  }

  /** idf · (k1 + 1): the weight of one occurrence of a term in the query. */
  #termWeight(documentFrequency: number): number {
    const count = this.#documentCount;
    const idf = Math.log(1 + (count - documentFrequency + 0.5) / (documentFrequency + 0.5));
    return idf * (this.k1 + 1);
  }

  #addDocument(words: readonly string[]): void {
    const document = this.#documentCount;
    let touched = 0;
    let length = 0;
    for (const word of words) {
      let termId = this.#wordTermIds.get(word);
      if (termId === undefined) termId = this.#resolveWord(word);
      if (termId === STOPWORD) continue;
      length++;
      const seen = this.#termCounts[termId]!;
      this.#termCounts[termId] = seen + 1;
      if (seen === 0) {
        if (touched === this.#touchedTerms.length) this.#touchedTerms = grow(this.#touchedTerms, touched + 1);
        this.#touchedTerms[touched++] = termId;
      }
    }
    for (let index = 0; index < touched; index++) {
      const termId = this.#touchedTerms[index]!;
      this.#builder.push(termId, document, this.#termCounts[termId]!);
      this.#termCounts[termId] = 0;
    }
    this.#builder.endDocument();
    if (document >= this.#documentLengths.length) {
      this.#documentLengths = grow(this.#documentLengths, document + 1);
    }
    this.#documentLengths[document] = length;
    this.#totalLength += length;
    this.#documentCount = document + 1;
  }

  /** Analyzes a word not yet memoized, registering its term if new. */
  #resolveWord(word: string): number {
    const term = this.#analyzer.termOf(word);
    let termId = STOPWORD;
    if (term !== null) {
      const known = this.#termIds.get(term);
      if (known !== undefined) termId = known;
      else {
        termId = this.#termIds.size;
        this.#termIds.set(term, termId);
        if (termId >= this.#termCounts.length) this.#termCounts = grow(this.#termCounts, termId + 1);
      }
    }
    if (this.#wordTermIds.size >= MAX_MEMOIZED_WORDS) this.#wordTermIds.clear();
    this.#wordTermIds.set(word, termId);
    return termId;
  }
}

/** A copy of `array` with room for at least `minimum` elements (capacity doubles). */
function grow(array: Uint32Array, minimum: number): Uint32Array<ArrayBuffer> {
  let capacity = Math.max(array.length * 2, 16);
  while (capacity < minimum) capacity *= 2;
  const grown = new Uint32Array(capacity);
  grown.set(array);
  return grown;
}
