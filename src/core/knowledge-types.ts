/**
 * Knowledge records: a knowledge base's working set of documents, and immutable snapshots
 * (versions) that freeze documents, their chunks and embeddings. Stacks pin a snapshot.
 */

export interface KnowledgeBaseSettings {
  /** Target chunk size in tokens. */
  chunk_tokens: number;
  /** Tokens repeated between consecutive chunks of a document. */
  overlap_tokens: number;
  /** A registered embedding model; null = BM25 only. */
  embedding_model: string | null;
}

export interface KnowledgeBase {
  id: string;
  projectId: string;
  name: string;
  settings: KnowledgeBaseSettings;
  /** 0 when no snapshot exists yet. */
  latestSnapshot: number;
  createdAt: number;
}

export interface KnowledgeDocument {
  projectId: string;
  knowledgeBase: string;
  /** Stable id: given by the source (jsonl `id`) or derived from its path. */
  id: string;
  source: string;
  title: string | null;
  text: string;
  metadata: Record<string, unknown>;
  /** SHA-256 of the text and metadata: unchanged documents are not rewritten. */
  contentHash: string;
  /** When the source itself last changed (file mtime, record field), if known. */
  sourceUpdatedAt: number | null;
  updatedAt: number;
}

export interface SnapshotDocumentEntry {
  id: string;
  source: string;
  title: string | null;
  contentHash: string;
  sourceUpdatedAt: number | null;
  chunkCount: number;
}

export interface KnowledgeSnapshot {
  projectId: string;
  knowledgeBase: string;
  version: number;
  status: 'building' | 'ready';
  settings: KnowledgeBaseSettings;
  documentCount: number;
  chunkCount: number;
  /** Dimensions of the stored embeddings, or null without embeddings. */
  embeddingDimensions: number | null;
  createdAt: number;
  createdBy: string | null;
}

export interface KnowledgeChunk {
  /** `${documentId}#${ordinal}` — stable within a snapshot, cited in answers. */
  id: string;
  documentId: string;
  /** Position of the chunk within its document, from 0. */
  ordinal: number;
  text: string;
  tokenCount: number;
  /** Document metadata plus chunk facts (heading path…), used by metadata filters. */
  metadata: Record<string, unknown>;
  embedding: Float32Array | null;
}
