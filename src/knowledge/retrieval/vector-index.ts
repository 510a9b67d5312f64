/**
 * Cosine-similarity search over Float32 embeddings. Vectors are L2-normalised on the way in
 * and kept in one flat Float32Array, so a similarity is a dot product. Below `exactThreshold`
 * vectors (default 20,000) search is exact: one tight loop over the flat array. From the
 * threshold on, a usearch HNSW graph (native, prebuilt) answers unfiltered queries; with a
 * filter it over-fetches and filters, widening the fetch a few times and falling back to the
 * exact scan over the accepted ordinals when the filter is too selective for the graph.
 * Scores are cosine similarities in [-1, 1]; ordinals are insertion positions.
 */

import { createRequire } from 'node:module';
import { ValidationError } from '../../core/index.js';
import { type ScoredOrdinal, TopKHeap } from './top-k-heap.js';

export interface VectorIndexOptions {
  /** Exact search below this many vectors, HNSW from it on. Default 20,000. */
  exactThreshold?: number;
  /** HNSW graph degree (usearch `connectivity`). Default 16. */
  connectivity?: number;
  /** Candidate list size while inserting. Default 128. */
  expansionAdd?: number;
  /** Candidate list size while searching. Default 64. */
  expansionSearch?: number;
}

/** The part of usearch's CommonJS API used here (its typings are unreachable from ESM). */
interface UsearchIndex {
  add(keys: BigUint64Array, vectors: Float32Array, threads: number): void;
  search(vector: Float32Array, k: number, threads: number): { keys: BigUint64Array; distances: Float32Array };
}
interface UsearchModule {
  Index: new (config: {
    dimensions: number;
    metric: string;
    quantization: string;
    connectivity: number;
    expansion_add: number;
    expansion_search: number;
    multi: boolean;
  }) => UsearchIndex;
  MetricKind: { IP: string };
  ScalarKind: { F32: string };
}

// usearch 2.x ships only a CommonJS build (its "import" export points at a missing file).
let usearchModule: UsearchModule | undefined;
function loadUsearch(): UsearchModule {
  usearchModule ??= createRequire(import.meta.url)('usearch') as UsearchModule;
  return usearchModule;
}

/** A graph search asks for at most this many neighbours before scanning exactly instead. */
const MAX_GRAPH_FETCH = 4096;
const FETCH_GROWTH = 4;

export class VectorIndex {
  readonly exactThreshold: number;
  readonly #options: Required<Omit<VectorIndexOptions, 'exactThreshold'>>;
  #dimensions = 0;
  #size = 0;
  #vectors = new Float32Array(0);
  #graph: UsearchIndex | null = null;

  constructor(options: VectorIndexOptions = {}) {
    this.exactThreshold = options.exactThreshold ?? 20_000;
    this.#options = {
      connectivity: options.connectivity ?? 16,
      expansionAdd: options.expansionAdd ?? 128,
      expansionSearch: options.expansionSearch ?? 64,
    };
  }

  get size(): number {
    return this.#size;
  }

  get dimensions(): number {
    return this.#dimensions;
  }

  /** Whether searches go through the HNSW graph. */
  get usesGraph(): boolean {
    return this.#graph !== null;
  }

  /** Appends vectors; all must share one dimension. Their ordinals continue from `size`. */
  add(vectors: readonly Float32Array[]): void {
    if (vectors.length === 0) return;
    if (this.#dimensions === 0) this.#dimensions = vectors[0]!.length;
    const dimensions = this.#dimensions;
    if (dimensions === 0) throw new ValidationError('embeddings must not be empty');
    this.#reserve(this.#size + vectors.length);
    const first = this.#size;
    for (const vector of vectors) {
      if (vector.length !== dimensions) {
        throw new ValidationError(`embedding has ${vector.length} dimensions, expected ${dimensions}`);
      }
      const offset = this.#size * dimensions;
      let norm = 0;
      for (let index = 0; index < dimensions; index++) norm += vector[index]! * vector[index]!;
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let index = 0; index < dimensions; index++) this.#vectors[offset + index] = vector[index]! * scale;
      this.#size++;
    }
    if (this.#graph !== null) this.#addToGraph(first, this.#size);
    else if (this.#size >= this.exactThreshold) {
      this.#graph = this.#createGraph();
      this.#addToGraph(0, this.#size);
    }
  }

  /** The `topK` most similar vectors, best first. */
  search(query: Float32Array, topK: number, filter?: (ordinal: number) => boolean): ScoredOrdinal[] {
    const wanted = Math.min(Math.floor(topK), this.#size);
    if (wanted <= 0) return [];
    if (query.length !== this.#dimensions) {
      throw new ValidationError(
        `query embedding has ${query.length} dimensions, expected ${this.#dimensions}`,
      );
    }
    const normalized = normalize(query);
    if (this.#graph === null) return this.#exactSearch(normalized, wanted, filter);
    let fetch = filter === undefined ? wanted : wanted * FETCH_GROWTH;
    for (;;) {
      fetch = Math.min(fetch, this.#size);
      const hits = this.#graphSearch(normalized, fetch, filter);
      if (hits.length >= wanted || fetch === this.#size) return hits.slice(0, wanted);
      if (fetch * FETCH_GROWTH > MAX_GRAPH_FETCH) return this.#exactSearch(normalized, wanted, filter);
      fetch *= FETCH_GROWTH;
    }
  }

  /** Exact cosine top-k, whatever the size (the reference the graph is measured against). */
  exactSearch(query: Float32Array, topK: number, filter?: (ordinal: number) => boolean): ScoredOrdinal[] {
    if (query.length !== this.#dimensions) {
      throw new ValidationError(
        `query embedding has ${query.length} dimensions, expected ${this.#dimensions}`,
      );
    }
    return this.#exactSearch(normalize(query), Math.min(Math.floor(topK), this.#size), filter);
  }

  /** Bytes of the flat vectors, plus an estimate of the graph (usearch does not report it). */
  memoryBytes(): number {
    let bytes = this.#vectors.byteLength;
    if (this.#graph !== null) {
      // Level-0 neighbour lists (2 × connectivity 4-byte slots), a copy of each vector, and
      // the upper levels (~1/connectivity of the nodes) — usearch's own layout, approximately.
      const perNode = this.#dimensions * 4 + this.#options.connectivity * 2 * 4 + 16;
      bytes += Math.ceil(this.#size * perNode * (1 + 1 / this.#options.connectivity));
    }
    return bytes;
  }

  #exactSearch(query: Float32Array, topK: number, filter?: (ordinal: number) => boolean): ScoredOrdinal[] {
    const heap = new TopKHeap(topK);
    const vectors = this.#vectors;
    const dimensions = this.#dimensions;
    const count = this.#size;
    for (let ordinal = 0; ordinal < count; ordinal++) {
      if (filter !== undefined && !filter(ordinal)) continue;
      const dot = dotProduct(vectors, ordinal * dimensions, query);
      if (!heap.isFull || dot > heap.minScore) heap.push(ordinal, dot);
    }
    return heap.drain();
  }

  #graphSearch(query: Float32Array, fetch: number, filter?: (ordinal: number) => boolean): ScoredOrdinal[] {
    const matches = this.#graph!.search(query, fetch, 1);
    const hits: ScoredOrdinal[] = [];
    const size = BigInt(this.#size);
    for (let index = 0; index < matches.keys.length; index++) {
      const key = matches.keys[index]!;
      // usearch pads missing results with the all-ones key.
      if (key >= size) continue;
      const ordinal = Number(key);
      if (filter !== undefined && !filter(ordinal)) continue;
      hits.push({ ordinal, score: 1 - matches.distances[index]! });
    }
    hits.sort((left, right) => right.score - left.score || left.ordinal - right.ordinal);
    return hits;
  }

  #createGraph(): UsearchIndex {
    const usearch = loadUsearch();
    return new usearch.Index({
      dimensions: this.#dimensions,
      metric: usearch.MetricKind.IP,
      quantization: usearch.ScalarKind.F32,
      connectivity: this.#options.connectivity,
      expansion_add: this.#options.expansionAdd,
      expansion_search: this.#options.expansionSearch,
      multi: false,
    });
  }

  #addToGraph(from: number, to: number): void {
    const keys = new BigUint64Array(to - from);
    for (let ordinal = from; ordinal < to; ordinal++) keys[ordinal - from] = BigInt(ordinal);
    const dimensions = this.#dimensions;
    this.#graph!.add(keys, this.#vectors.subarray(from * dimensions, to * dimensions), 0);
  }

  #reserve(count: number): void {
    const needed = count * this.#dimensions;
    if (needed <= this.#vectors.length) return;
    // Doubling for trickles of adds; exactly what is needed for one big batch.
    const capacity = Math.max(needed, this.#vectors.length * 2, this.#dimensions * 1024);
    const grown = new Float32Array(capacity);
    grown.set(this.#vectors.subarray(0, this.#size * this.#dimensions));
    this.#vectors = grown;
  }
}

/** vectors[offset … offset + query.length) · query, with four accumulators for instruction-level parallelism. */
function dotProduct(vectors: Float32Array, offset: number, query: Float32Array): number {
  const dimensions = query.length;
  let first = 0;
  let second = 0;
  let third = 0;
  let fourth = 0;
  let index = 0;
  for (; index + 3 < dimensions; index += 4) {
    first += vectors[offset + index]! * query[index]!;
    second += vectors[offset + index + 1]! * query[index + 1]!;
    third += vectors[offset + index + 2]! * query[index + 2]!;
    fourth += vectors[offset + index + 3]! * query[index + 3]!;
  }
  for (; index < dimensions; index++) first += vectors[offset + index]! * query[index]!;
  return first + second + third + fourth;
}

function normalize(vector: Float32Array): Float32Array {
  let norm = 0;
  for (let index = 0; index < vector.length; index++) norm += vector[index]! * vector[index]!;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const normalized = new Float32Array(vector.length);
  for (let index = 0; index < vector.length; index++) normalized[index] = vector[index]! * scale;
  return normalized;
}
