/**
 * The retriever over one immutable set of chunks: a BM25 index over their texts, a vector
 * index over their embeddings when there are any, metadata filters, and hybrid search that
 * fuses both rankings with reciprocal rank fusion. Pure and in-memory: the caller loads the
 * chunks (from a snapshot) and supplies the query embedder.
 *
 * Modes: 'bm25' (score = BM25), 'vector' (score = cosine similarity), 'hybrid' (score = RRF,
 * with both underlying scores attached when known). The default is 'hybrid' when embeddings and
 * `embedQuery` are both given, else 'bm25'. `minScore` applies to `score` in the scale of the
 * mode used — so it is rarely useful with hybrid, whose RRF scores are below 2 / 61.
 *
 * @example
 * const retriever = createRetriever({ chunks: [{ text: 'Refunds take 5 days', metadata: { lang: 'en' } }] });
 * await retriever.search({ query: 'refund', topK: 3, filter: { lang: 'en' } });
 * // → [{ ordinal: 0, score: 0.28…, bm25Score: 0.28… }]
 */

import { ValidationError } from '../../core/index.js';
import { Bm25Index, type Bm25IndexOptions, type OrdinalFilter } from './bm25-index.js';
import { reciprocalRankFusion } from './hybrid.js';
import { compileMetadataFilter, type MetadataFilter } from './metadata-filter.js';
import { VectorIndex, type VectorIndexOptions } from './vector-index.js';

export type SearchMode = 'bm25' | 'vector' | 'hybrid';

export interface RetrieverChunk {
  text: string;
  metadata: Record<string, unknown>;
}

export interface RetrieverOptions {
  chunks: readonly RetrieverChunk[];
  /** One embedding per chunk, or null/omitted for BM25 only. */
  embeddings?: readonly Float32Array[] | null;
  /** Embeds a query with the same model as the chunks; needed for 'vector' and 'hybrid'. */
  embedQuery?: ((text: string) => Promise<Float32Array>) | undefined;
  bm25?: Bm25IndexOptions;
  vector?: VectorIndexOptions;
  /** RRF rank offset. Default 60. */
  rrfK?: number;
}

export interface RetrieverSearchOptions {
  query: string;
  topK: number;
  /** Drop hits whose `score` is below this (in the mode's own scale). */
  minScore?: number | undefined;
  filter?: MetadataFilter | undefined;
  mode?: SearchMode | undefined;
}

export interface RetrievalHit {
  /** Position of the chunk in `chunks`. */
  ordinal: number;
  score: number;
  bm25Score?: number;
  vectorScore?: number;
}

export interface Retriever {
  /** Number of chunks. */
  readonly size: number;
  /** The mode used when a search names none. */
  readonly defaultMode: SearchMode;
  search(options: RetrieverSearchOptions): Promise<RetrievalHit[]>;
  /** Bytes held by the indexes (approximate for the HNSW graph). */
  memoryBytes(): number;
}

export const MAX_TOP_K = 10_000;
/** Each ranking contributes this many candidates (at least) to hybrid fusion. */
const MIN_FUSION_CANDIDATES = 50;
const FUSION_CANDIDATE_FACTOR = 4;

export function createRetriever(options: RetrieverOptions): Retriever {
  const chunks = options.chunks;
  const embeddings = options.embeddings ?? null;
  if (embeddings !== null && embeddings.length !== chunks.length) {
    throw new ValidationError(`got ${embeddings.length} embeddings for ${chunks.length} chunks`);
  }
  const lexical = new Bm25Index(options.bm25);
  lexical.add(chunks.map((chunk) => chunk.text));
  lexical.commit();
  let vectors: VectorIndex | null = null;
  if (embeddings !== null && embeddings.length > 0) {
    vectors = new VectorIndex(options.vector);
    vectors.add(embeddings);
  }
  const embedQuery = options.embedQuery;
  const rrfK = options.rrfK ?? 60;
  const defaultMode: SearchMode = vectors !== null && embedQuery !== undefined ? 'hybrid' : 'bm25';

  const embed = async (query: string): Promise<Float32Array> => {
    if (embedQuery === undefined) throw new ValidationError('this knowledge base has no query embedder');
    return embedQuery(query);
  };

  const search = async (request: RetrieverSearchOptions): Promise<RetrievalHit[]> => {
    const { query, topK } = request;
    const mode = request.mode ?? defaultMode;
    if (typeof query !== 'string') throw new ValidationError('query must be a string', { param: 'query' });
    if (!Number.isInteger(topK) || topK < 1 || topK > MAX_TOP_K) {
      throw new ValidationError(`topK must be an integer from 1 to ${MAX_TOP_K}`, { param: 'top_k' });
    }
    if (mode !== 'bm25' && mode !== 'vector' && mode !== 'hybrid') {
      throw new ValidationError('mode must be bm25, vector or hybrid', { param: 'mode' });
    }
    if (mode !== 'bm25' && vectors === null) {
      throw new ValidationError(`${mode} search needs embeddings; this knowledge base has none`, {
        param: 'mode',
      });
    }
    const predicate = request.filter === undefined ? undefined : compileMetadataFilter(request.filter);
    const filter: OrdinalFilter | undefined =
      predicate === undefined ? undefined : (ordinal) => predicate(chunks[ordinal]!.metadata);
    if (query.trim().length === 0 || chunks.length === 0) return [];

    let hits: RetrievalHit[];
    if (mode === 'bm25') {
      hits = lexical.search(query, topK, filter).map((hit) => ({ ...hit, bm25Score: hit.score }));
    } else if (mode === 'vector') {
      const queryVector = await embed(query);
      hits = vectors!.search(queryVector, topK, filter).map((hit) => ({ ...hit, vectorScore: hit.score }));
    } else {
      const candidates = Math.max(topK * FUSION_CANDIDATE_FACTOR, MIN_FUSION_CANDIDATES);
      const queryVector = await embed(query);
      const lexicalHits = lexical.search(query, candidates, filter);
      const vectorHits = vectors!.search(queryVector, candidates, filter);
      const bm25Scores = new Map(lexicalHits.map((hit) => [hit.ordinal, hit.score]));
      const vectorScores = new Map(vectorHits.map((hit) => [hit.ordinal, hit.score]));
      hits = reciprocalRankFusion([lexicalHits, vectorHits], { k: rrfK, limit: topK }).map((hit) => {
        const fused: RetrievalHit = { ...hit };
        const bm25Score = bm25Scores.get(hit.ordinal);
        const vectorScore = vectorScores.get(hit.ordinal);
        if (bm25Score !== undefined) fused.bm25Score = bm25Score;
        if (vectorScore !== undefined) fused.vectorScore = vectorScore;
        return fused;
      });
    }
    const minScore = request.minScore;
    return minScore === undefined ? hits : hits.filter((hit) => hit.score >= minScore);
  };

  return {
    size: chunks.length,
    defaultMode,
    search,
    memoryBytes: () => lexical.memoryBytes() + (vectors?.memoryBytes() ?? 0),
  };
}
