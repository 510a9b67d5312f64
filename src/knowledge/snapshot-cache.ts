/**
 * Loaded snapshots: chunks and their retrieval indexes, built once per replica from the
 * stored chunks and embeddings (snapshots are immutable, so a loaded one never goes stale).
 * Bounded: the least recently used snapshot is evicted beyond `maxSnapshots`.
 */
import type { KnowledgeChunk } from '../core/index.js';
import type { Store } from '../store/index.js';
import { createRetriever, type Retriever } from './retrieval/index.js';

export interface LoadedSnapshot {
  version: number;
  chunks: KnowledgeChunk[];
  retriever: Retriever;
  embeddingModel: string | null;
}

const CHUNK_PAGE = 2000;

export class SnapshotCache {
  private readonly loaded = new Map<string, Promise<LoadedSnapshot>>();

  constructor(
    private readonly store: Store,
    private readonly embedQuery: ((model: string, text: string) => Promise<Float32Array>) | null,
    private readonly maxSnapshots = 16,
  ) {}

  get(
    projectId: string,
    base: string,
    version: number,
    embeddingModel: string | null,
  ): Promise<LoadedSnapshot> {
    const key = `${projectId}\u0000${base}\u0000${version}`;
    let pending = this.loaded.get(key);
    if (pending) {
      // refresh recency
      this.loaded.delete(key);
      this.loaded.set(key, pending);
      return pending;
    }
    pending = this.load(projectId, base, version, embeddingModel);
    this.loaded.set(key, pending);
    pending.catch(() => this.loaded.delete(key));
    while (this.loaded.size > this.maxSnapshots) {
      const oldest = this.loaded.keys().next().value;
      if (oldest === undefined) break;
      this.loaded.delete(oldest);
    }
    return pending;
  }

  /** The loaded (or loading) snapshot, if cached. */
  peek(projectId: string, base: string, version: number): Promise<LoadedSnapshot> | undefined {
    return this.loaded.get(`${projectId}\u0000${base}\u0000${version}`);
  }

  /**
   * Forget a deleted snapshot (or, without a version, every snapshot of a deleted base). A
   * request already holding the loaded snapshot finishes with it; later reads go to the store,
   * which no longer has it.
   */
  forget(projectId: string, base: string, version?: number): void {
    const prefix = `${projectId}\u0000${base}\u0000`;
    if (version !== undefined) {
      this.loaded.delete(`${prefix}${version}`);
      return;
    }
    for (const key of this.loaded.keys()) if (key.startsWith(prefix)) this.loaded.delete(key);
  }

  /** Forget a project's snapshots (project deleted). */
  drop(projectId: string): void {
    for (const key of this.loaded.keys()) if (key.startsWith(`${projectId}\u0000`)) this.loaded.delete(key);
  }

  private async load(
    projectId: string,
    base: string,
    version: number,
    embeddingModel: string | null,
  ): Promise<LoadedSnapshot> {
    const chunks: KnowledgeChunk[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.store.knowledge.snapshotChunks(projectId, base, version, {
        limit: CHUNK_PAGE,
        cursor,
      });
      for (const chunk of page.data) chunks.push(chunk);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const embeddings =
      chunks.length > 0 && chunks.every((chunk) => chunk.embedding !== null)
        ? chunks.map((chunk) => chunk.embedding as Float32Array)
        : null;
    const embedQuery = this.embedQuery;
    const retriever = createRetriever({
      chunks: chunks.map((chunk) => ({ text: chunk.text, metadata: chunk.metadata })),
      embeddings,
      embedQuery:
        embeddings && embeddingModel && embedQuery
          ? (text: string) => embedQuery(embeddingModel, text)
          : undefined,
    });
    return { version, chunks, retriever, embeddingModel };
  }
}
