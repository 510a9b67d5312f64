/**
 * Knowledge bases as a service: create, ingest documents (content-hash dedupe), snapshot,
 * diff two snapshots, report staleness, search any snapshot, delete a snapshot or a base. The gateway's retrieve
 * stage and the REST API both go through here.
 */
import {
  AppError,
  contentHash,
  type KnowledgeBase,
  type KnowledgeBaseSettings,
  type KnowledgeSnapshot,
  NotFoundError,
  ValidationError,
} from '../core/index.js';
import type { Store } from '../store/index.js';
import { PURGE_BATCH_ROWS, purgeBaseRows, purgeSnapshotRows } from './knowledge-cleanup.js';
import type { MetadataFilter, SearchMode } from './retrieval/index.js';
import { buildSnapshot, type Embedder } from './snapshot-builder.js';
import { type LoadedSnapshot, SnapshotCache } from './snapshot-cache.js';

export interface IncomingDocument {
  id: string;
  text: string;
  source?: string;
  title?: string | null;
  metadata?: Record<string, unknown>;
  sourceUpdatedAt?: number | null;
}

export interface SearchRequest {
  query: string;
  topK: number;
  /** Omitted: the newest snapshot. */
  snapshot?: number;
  minScore?: number;
  filter?: MetadataFilter;
  mode?: SearchMode;
}

export interface SearchHit {
  documentId: string;
  chunkId: string;
  score: number;
  text: string;
  tokenCount: number;
  metadata: Record<string, unknown>;
}

export const DEFAULT_KNOWLEDGE_SETTINGS: KnowledgeBaseSettings = {
  chunk_tokens: 300,
  overlap_tokens: 40,
  embedding_model: null,
};

export class KnowledgeService {
  readonly cache: SnapshotCache;

  constructor(
    private readonly store: Store,
    private readonly embed: Embedder | null,
  ) {
    const embedder = embed;
    this.cache = new SnapshotCache(
      store,
      embedder ? async (model, text) => (await embedder(model, [text]))[0] ?? new Float32Array() : null,
    );
  }

  async requireBase(projectId: string, name: string): Promise<KnowledgeBase> {
    const base = await this.store.knowledge.getBase(projectId, name);
    if (!base) throw new NotFoundError(`Knowledge base "${name}"`);
    return base;
  }

  async ingest(projectId: string, name: string, documents: IncomingDocument[]) {
    await this.requireBase(projectId, name);
    const seen = new Set<string>();
    for (const document of documents) {
      if (seen.has(document.id))
        throw new ValidationError(`Document id "${document.id}" appears twice in one batch`);
      seen.add(document.id);
      if (document.text.trim() === '') throw new ValidationError(`Document "${document.id}" is empty`);
    }
    return this.store.knowledge.upsertDocuments(
      projectId,
      name,
      documents.map((document) => {
        const metadata = document.metadata ?? {};
        return {
          id: document.id,
          source: document.source ?? document.id,
          title: document.title ?? null,
          text: document.text,
          metadata,
          contentHash: contentHash({ text: document.text, metadata, title: document.title ?? null }),
          sourceUpdatedAt: document.sourceUpdatedAt ?? null,
        };
      }),
    );
  }

  async snapshot(projectId: string, name: string, actor: string | null): Promise<KnowledgeSnapshot> {
    await this.requireBase(projectId, name);
    if ((await this.store.knowledge.countDocuments(projectId, name)) === 0) {
      throw new AppError('conflict', `Knowledge base "${name}" has no documents to snapshot`);
    }
    return buildSnapshot(this.store, projectId, name, this.embed, actor);
  }

  /**
   * Deletes one snapshot: refused (409) while a stack version pins it or while it is the latest.
   * It is invisible at once and dropped from this replica's cache (other replicas never load it
   * again: nothing pins it, and every unpinned read checks the store first). Its rows are left
   * for purgeSnapshot, or the cleanup sweep.
   */
  async deleteSnapshot(projectId: string, name: string, version: number): Promise<void> {
    await this.requireBase(projectId, name);
    await this.store.knowledge.deleteSnapshot(projectId, name, version);
    this.cache.forget(projectId, name, version);
  }

  /** Purges a deleted snapshot's rows in batches; returns the rows deleted. */
  purgeSnapshot(projectId: string, name: string, version: number): Promise<number> {
    return purgeSnapshotRows(this.store, { projectId, base: name, version }, PURGE_BATCH_ROWS);
  }

  /** Deletes a base with its documents and snapshots: refused (409) while a stack version pins one. */
  async deleteBase(projectId: string, name: string): Promise<void> {
    await this.store.knowledge.deleteBase(projectId, name);
    this.cache.forget(projectId, name);
  }

  /** Purges a deleted base's rows in batches; returns the rows deleted. */
  purgeBase(projectId: string, name: string): Promise<number> {
    return purgeBaseRows(this.store, { projectId, base: name }, PURGE_BATCH_ROWS);
  }

  async requireSnapshot(projectId: string, name: string, version?: number): Promise<KnowledgeSnapshot> {
    const snapshot = await this.store.knowledge.getSnapshot(projectId, name, version);
    if (!snapshot) {
      throw new NotFoundError(
        version === undefined ? `A snapshot of knowledge base "${name}"` : `Snapshot ${name}@${version}`,
      );
    }
    return snapshot;
  }

  async load(projectId: string, name: string, version?: number): Promise<LoadedSnapshot> {
    const snapshot = await this.requireSnapshot(projectId, name, version);
    return this.cache.get(projectId, name, snapshot.version, snapshot.settings.embedding_model);
  }

  /** The hot-path read: a pinned snapshot from the cache; the store is read only on first use. */
  loadVersion(projectId: string, name: string, version: number): Promise<LoadedSnapshot> {
    return this.cache.peek(projectId, name, version) ?? this.load(projectId, name, version);
  }

  async search(
    projectId: string,
    name: string,
    request: SearchRequest,
  ): Promise<{ snapshot: number; results: SearchHit[] }> {
    const loaded = await this.load(projectId, name, request.snapshot);
    return { snapshot: loaded.version, results: await searchLoaded(loaded, request) };
  }

  async diff(projectId: string, name: string, from: number, to: number) {
    await Promise.all([
      this.requireSnapshot(projectId, name, from),
      this.requireSnapshot(projectId, name, to),
    ]);
    const [before, after] = await Promise.all([
      this.store.knowledge.snapshotDocuments(projectId, name, from),
      this.store.knowledge.snapshotDocuments(projectId, name, to),
    ]);
    const beforeById = new Map(before.map((entry) => [entry.id, entry]));
    const afterById = new Map(after.map((entry) => [entry.id, entry]));
    return {
      from,
      to,
      added: after.filter((entry) => !beforeById.has(entry.id)).map((entry) => entry.id),
      removed: before.filter((entry) => !afterById.has(entry.id)).map((entry) => entry.id),
      changed: after
        .filter((entry) => {
          const previous = beforeById.get(entry.id);
          return previous !== undefined && previous.contentHash !== entry.contentHash;
        })
        .map((entry) => entry.id),
      unchanged: after.filter((entry) => beforeById.get(entry.id)?.contentHash === entry.contentHash).length,
    };
  }

  /**
   * Documents of a snapshot that are older than `olderThanDays` (by their source time), whose
   * current version differs from the snapshot's, or that were deleted since.
   */
  async stale(
    projectId: string,
    name: string,
    options: { olderThanDays: number; snapshot?: number; now?: number },
  ) {
    const snapshot = await this.requireSnapshot(projectId, name, options.snapshot);
    const entries = await this.store.knowledge.snapshotDocuments(projectId, name, snapshot.version);
    const threshold = (options.now ?? Date.now()) - options.olderThanDays * 86_400_000;
    const old: Array<{ id: string; source_updated_at: string }> = [];
    const changed: string[] = [];
    const deleted: string[] = [];
    for (const entry of entries) {
      if (entry.sourceUpdatedAt !== null && entry.sourceUpdatedAt < threshold) {
        old.push({ id: entry.id, source_updated_at: new Date(entry.sourceUpdatedAt).toISOString() });
      }
      const current = await this.store.knowledge.getDocument(projectId, name, entry.id);
      if (!current) deleted.push(entry.id);
      else if (current.contentHash !== entry.contentHash) changed.push(entry.id);
    }
    return {
      snapshot: snapshot.version,
      older_than_days: options.olderThanDays,
      old,
      changed_since_snapshot: changed,
      deleted_since_snapshot: deleted,
    };
  }
}

export async function searchLoaded(loaded: LoadedSnapshot, request: SearchRequest): Promise<SearchHit[]> {
  const hits = await loaded.retriever.search({
    query: request.query,
    topK: request.topK,
    minScore: request.minScore,
    filter: request.filter,
    mode: request.mode,
  });
  return hits.map((hit) => {
    const chunk = loaded.chunks[hit.ordinal]!;
    return {
      documentId: chunk.documentId,
      chunkId: chunk.id,
      score: hit.score,
      text: chunk.text,
      tokenCount: chunk.tokenCount,
      metadata: chunk.metadata,
    };
  });
}
