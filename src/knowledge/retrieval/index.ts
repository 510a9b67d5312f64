/**
 * Retrieval engine: text analysis, BM25 with dynamic pruning, cosine vector search (exact or
 * usearch HNSW), reciprocal rank fusion, metadata filters, and the retriever that ties them
 * together. Pure and in-memory; imports only core.
 */

export { Bm25Index, type Bm25IndexOptions, type OrdinalFilter } from './bm25-index.js';
export { ENGLISH_STOPWORDS } from './english-stopwords.js';
export { type ReciprocalRankFusionOptions, reciprocalRankFusion } from './hybrid.js';
export {
  compileMetadataFilter,
  type FieldCondition,
  type FieldOperators,
  type FilterScalar,
  type MetadataFilter,
  type MetadataPredicate,
  parseIsoDate,
} from './metadata-filter.js';
export {
  createRetriever,
  MAX_TOP_K,
  type RetrievalHit,
  type Retriever,
  type RetrieverChunk,
  type RetrieverOptions,
  type RetrieverSearchOptions,
  type SearchMode,
} from './retriever.js';
export {
  analyzeText,
  createTextAnalyzer,
  defaultTextAnalyzer,
  type TextAnalyzer,
  type TextAnalyzerOptions,
} from './text-analysis.js';
export type { ScoredOrdinal } from './top-k-heap.js';
export { VectorIndex, type VectorIndexOptions } from './vector-index.js';
