/**
 * Knowledge bases: ingest → chunk → embed → index → immutable snapshot; retrieve (BM25,
 * vectors, hybrid RRF, metadata filters) and context budgeting. Uses core, store and (through
 * an injected embedder) providers.
 */
export * from './context/index.js';
export * from './ingest/index.js';
export {
  KnowledgeCleanup,
  type KnowledgeCleanupOptions,
  type KnowledgeSweepResult,
  PURGE_BATCH_ROWS,
} from './knowledge-cleanup.js';
export {
  DEFAULT_KNOWLEDGE_SETTINGS,
  type IncomingDocument,
  KnowledgeService,
  type SearchHit,
  type SearchRequest,
  searchLoaded,
} from './knowledge-service.js';
export * from './retrieval/index.js';
export { buildSnapshot, type Embedder } from './snapshot-builder.js';
export type { LoadedSnapshot } from './snapshot-cache.js';
