/**
 * Freezes a knowledge base's current documents into an immutable snapshot: pages through the
 * documents (bounded memory), chunks each one, embeds the chunks in batches when the base
 * names an embedding model, and writes manifest + chunks batch by batch (each batch is also the
 * build's heartbeat). A failure abandons the half-built snapshot, so readers only ever see
 * complete ones; a build whose process died is removed by the cleanup sweep
 * (knowledge-cleanup.ts) once its heartbeat is older than `knowledge.stale_build_minutes`.
 */
import type { KnowledgeChunk, KnowledgeSnapshot, SnapshotDocumentEntry } from '../core/index.js';
import type { Store } from '../store/index.js';
import { countTokens } from './context/index.js';
import { chunkText } from './ingest/index.js';

/** Embeds texts with a registered embedding model; returns one vector per text. */
export type Embedder = (model: string, texts: string[]) => Promise<Float32Array[]>;

const DOCUMENT_PAGE = 200;
const EMBED_BATCH = 128;

export async function buildSnapshot(
  store: Store,
  projectId: string,
  baseName: string,
  embed: Embedder | null,
  actor: string | null,
): Promise<KnowledgeSnapshot> {
  const base = await store.knowledge.getBase(projectId, baseName);
  if (!base) throw new Error(`knowledge base ${baseName} vanished`);
  const settings = base.settings;
  const snapshot = await store.knowledge.beginSnapshot(projectId, baseName, { settings, createdBy: actor });
  let documentCount = 0;
  let chunkCount = 0;
  let dimensions: number | null = null;
  try {
    let cursor: string | undefined;
    do {
      const page = await store.knowledge.listDocuments(projectId, baseName, {
        limit: DOCUMENT_PAGE,
        cursor,
        withText: true,
      });
      const entries: SnapshotDocumentEntry[] = [];
      const chunks: KnowledgeChunk[] = [];
      for (const document of page.data) {
        const pieces = chunkText(document.text, {
          chunkTokens: settings.chunk_tokens,
          overlapTokens: settings.overlap_tokens,
          countTokens: (text: string) => countTokens(text),
        });
        pieces.forEach((piece, ordinal) => {
          chunks.push({
            id: `${document.id}#${ordinal}`,
            documentId: document.id,
            ordinal,
            text: piece.text,
            tokenCount: piece.tokenCount,
            metadata: {
              ...document.metadata,
              source: document.source,
              ...(document.title ? { title: document.title } : {}),
              ...(piece.headings.length > 0 ? { headings: piece.headings } : {}),
              ...(document.sourceUpdatedAt !== null
                ? { source_updated_at: new Date(document.sourceUpdatedAt).toISOString() }
                : {}),
            },
            embedding: null,
          });
        });
        entries.push({
          id: document.id,
          source: document.source,
          title: document.title,
          contentHash: document.contentHash,
          sourceUpdatedAt: document.sourceUpdatedAt,
          chunkCount: pieces.length,
        });
      }
      if (embed && settings.embedding_model) {
        for (let start = 0; start < chunks.length; start += EMBED_BATCH) {
          const batch = chunks.slice(start, start + EMBED_BATCH);
          const vectors = await embed(
            settings.embedding_model,
            batch.map((chunk) => chunk.text),
          );
          batch.forEach((chunk, index) => {
            chunk.embedding = vectors[index] ?? null;
          });
          dimensions ??= vectors[0]?.length ?? null;
        }
      }
      await store.knowledge.addSnapshotContent(projectId, baseName, snapshot.version, {
        documents: entries,
        chunks,
      });
      documentCount += entries.length;
      chunkCount += chunks.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return await store.knowledge.finishSnapshot(projectId, baseName, snapshot.version, {
      documentCount,
      chunkCount,
      embeddingDimensions: dimensions,
    });
  } catch (error) {
    await store.knowledge.abandonSnapshot(projectId, baseName, snapshot.version).catch(() => {});
    throw error;
  }
}
