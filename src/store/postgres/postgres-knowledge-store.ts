/**
 * Postgres KnowledgeStore. Batch writes are one transaction of array statements (`unnest`),
 * so a batch of any size is a few round trips and never meets the bind-parameter limit.
 * Upserts are one `INSERT … ON CONFLICT DO UPDATE … WHERE the hash changed`, whose RETURNING
 * tells inserted rows (xmax = 0) from updated ones; rows not returned were unchanged.
 * beginSnapshot bumps the base's `reserved_snapshot` under its row lock, so concurrent calls
 * from any replica get distinct numbers. addSnapshotContent, finishSnapshot and abandonSnapshot
 * lock the snapshot row for update (a content batch also writes the heartbeat): content can
 * never land in a snapshot that another transaction is making ready, expiring or deleting.
 */
import type { KnowledgeChunk, KnowledgeSnapshot } from '../../core/index.js';
import { ConflictError, NotFoundError, newId } from '../../core/index.js';
import { classifyError } from '../classify-error.js';
import { baseTaken, REVIVE_TOMBSTONE } from '../knowledge-lifecycle.js';
import {
  checkDocuments,
  checkSnapshotContent,
  checkTotals,
  chunkPageQuery,
  documentPageQuery,
  encodeChunkCursor,
  encodeDocumentCursor,
  encodeEmbedding,
  jsonColumn,
  KNOWLEDGE_BASE_COLUMNS,
  KNOWLEDGE_CHUNK_COLUMNS,
  KNOWLEDGE_DOCUMENT_COLUMNS,
  KNOWLEDGE_DOCUMENT_META_COLUMNS,
  KNOWLEDGE_SNAPSHOT_COLUMNS,
  type KnowledgeBaseRow,
  type KnowledgeChunkRow,
  type KnowledgeDocumentRow,
  type KnowledgeSnapshotRow,
  keysetPage,
  SNAPSHOT_DOCUMENT_COLUMNS,
  type SnapshotDocumentRow,
  storableVersion,
  toKnowledgeBase,
  toKnowledgeChunk,
  toKnowledgeDocument,
  toKnowledgeSnapshot,
  toSnapshotDocument,
} from '../knowledge-rows.js';
import type { KnowledgeStore } from '../store.js';
import { type Pool, type PoolClient, withRetriedTransaction, withTransaction } from './connection.js';
import { createPostgresKnowledgeLifecycle } from './postgres-knowledge-lifecycle.js';

const describeSnapshot = (base: string, version: number): string =>
  `snapshot ${version} of knowledge base "${base}"`;

const UPSERT_DOCUMENTS = `
INSERT INTO knowledge_documents AS stored (${KNOWLEDGE_DOCUMENT_COLUMNS})
SELECT $1, $2, id, source, title, content_hash, source_updated_at, $3, metadata::jsonb, text
FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::text[], $10::text[])
  AS incoming (id, source, title, content_hash, source_updated_at, metadata, text)
ON CONFLICT (project_id, base, id) DO UPDATE SET
  source = excluded.source,
  title = excluded.title,
  content_hash = excluded.content_hash,
  source_updated_at = excluded.source_updated_at,
  updated_at = excluded.updated_at,
  metadata = excluded.metadata,
  text = excluded.text
WHERE stored.content_hash <> excluded.content_hash
RETURNING (xmax = 0) AS inserted`;

const INSERT_SNAPSHOT_DOCUMENTS = `
INSERT INTO knowledge_snapshot_documents (project_id, base, version, ${SNAPSHOT_DOCUMENT_COLUMNS})
SELECT $1, $2, $3, document_id, source, title, content_hash, source_updated_at, chunk_count
FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::integer[])
  AS incoming (document_id, source, title, content_hash, source_updated_at, chunk_count)`;

/**
 * Embeddings travel as ONE binary parameter ($9: every embedding's bytes back to back) cut
 * apart by offset and length: a Buffer parameter is sent in binary, whereas a bytea[] would be
 * hex text both ways (about twice the time for a 2,000 × 1,536-dim batch). substring() is
 * strict, so a NULL length (no embedding) stores NULL.
 */
const INSERT_CHUNKS = `
INSERT INTO knowledge_chunks (project_id, base, version, ${KNOWLEDGE_CHUNK_COLUMNS})
SELECT $1, $2, $3, document_id, ordinal, chunk_id, token_count, metadata::jsonb,
  substring($9::bytea FROM embedding_start FOR embedding_length), text
FROM unnest($4::text[], $5::integer[], $6::text[], $7::integer[], $8::text[], $10::integer[], $11::integer[],
  $12::text[])
  AS incoming (document_id, ordinal, chunk_id, token_count, metadata, embedding_start, embedding_length, text)`;

/** The embeddings of a batch as one buffer, with each one's 1-based start and length (null: none). */
function packEmbeddings(chunks: readonly KnowledgeChunk[]): {
  bytes: Buffer;
  starts: (number | null)[];
  lengths: (number | null)[];
} {
  const parts: Buffer[] = [];
  const starts: (number | null)[] = [];
  const lengths: (number | null)[] = [];
  let offset = 0;
  for (const chunk of chunks) {
    if (chunk.embedding === null) {
      starts.push(null);
      lengths.push(null);
      continue;
    }
    const bytes = encodeEmbedding(chunk.embedding);
    parts.push(bytes);
    starts.push(offset + 1);
    lengths.push(bytes.byteLength);
    offset += bytes.byteLength;
  }
  return { bytes: Buffer.concat(parts, offset), starts, lengths };
}

/** Ready snapshots only: a building (or deleted) one is not visible to readers. */
const READY_SNAPSHOT =
  'EXISTS (SELECT 1 FROM knowledge_snapshots s WHERE s.project_id = $1 AND s.base = $2 AND s.version = $3 ' +
  "AND s.status = 'ready' AND s.deleted_at IS NULL)";

/** Locks the snapshot row and throws unless it exists, is not deleted and is still building. */
async function requireBuilding(
  client: PoolClient,
  projectId: string,
  base: string,
  version: number,
): Promise<void> {
  const found = await client.query<{ status: string }>(
    'SELECT status FROM knowledge_snapshots WHERE project_id = $1 AND base = $2 AND version = $3 ' +
      'AND deleted_at IS NULL FOR UPDATE',
    [projectId, base, version],
  );
  const status = found.rows[0]?.status;
  if (status === undefined) throw new NotFoundError(describeSnapshot(base, version));
  if (status !== 'building') {
    throw new ConflictError(`${describeSnapshot(base, version)} is ready: snapshots are immutable`);
  }
}

export function createPostgresKnowledgeStore(pool: Pool): KnowledgeStore {
  return {
    ...createPostgresKnowledgeLifecycle(pool),
    async createBase(projectId, input) {
      let row: KnowledgeBaseRow | undefined;
      try {
        // A purged base's tombstone is taken over, keeping its snapshot counter (migration 6).
        const result = await pool.query<KnowledgeBaseRow>(
          'INSERT INTO knowledge_bases (id, project_id, name, settings, created_at) ' +
            `VALUES ($1, $2, $3, $4::jsonb, $5) ${REVIVE_TOMBSTONE} RETURNING ${KNOWLEDGE_BASE_COLUMNS}`,
          [newId('kb'), projectId, input.name, JSON.stringify(input.settings), Date.now()],
        );
        row = result.rows[0];
      } catch (error) {
        throw classifyError(error, {
          conflict: `knowledge base "${input.name}" already exists`,
          missing: `project ${projectId}`,
        });
      }
      if (row === undefined) throw baseTaken(input.name);
      return toKnowledgeBase(row);
    },
    async getBase(projectId, name) {
      const result = await pool.query<KnowledgeBaseRow>(
        `SELECT ${KNOWLEDGE_BASE_COLUMNS} FROM knowledge_bases WHERE project_id = $1 AND name = $2 AND deleted_at IS NULL`,
        [projectId, name],
      );
      const row = result.rows[0];
      return row === undefined ? null : toKnowledgeBase(row);
    },
    async listBases(projectId) {
      const result = await pool.query<KnowledgeBaseRow>(
        `SELECT ${KNOWLEDGE_BASE_COLUMNS} FROM knowledge_bases WHERE project_id = $1 AND deleted_at IS NULL ORDER BY name`,
        [projectId],
      );
      return result.rows.map(toKnowledgeBase);
    },
    async upsertDocuments(projectId, base, documents) {
      const sorted = checkDocuments(documents);
      const metadata = sorted.map((document) =>
        jsonColumn(document.metadata, `metadata of document "${document.id}"`),
      );
      const now = Date.now();
      try {
        return await withRetriedTransaction(pool, async (client) => {
          // KEY SHARE keeps the base from disappearing under the upsert without blocking others.
          const found = await client.query(
            'SELECT 1 FROM knowledge_bases WHERE project_id = $1 AND name = $2 AND deleted_at IS NULL FOR KEY SHARE',
            [projectId, base],
          );
          if (found.rowCount === 0) throw new NotFoundError(`knowledge base "${base}"`);
          if (sorted.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
          const written = await client.query<{ inserted: boolean }>(UPSERT_DOCUMENTS, [
            projectId,
            base,
            now,
            sorted.map((document) => document.id),
            sorted.map((document) => document.source),
            sorted.map((document) => document.title),
            sorted.map((document) => document.contentHash),
            sorted.map((document) => document.sourceUpdatedAt),
            metadata,
            sorted.map((document) => document.text),
          ]);
          const inserted = written.rows.filter((row) => row.inserted).length;
          const updated = written.rows.length - inserted;
          return { inserted, updated, unchanged: sorted.length - written.rows.length };
        });
      } catch (error) {
        throw classifyError(error, {
          conflict: `documents of knowledge base "${base}" changed concurrently`,
          missing: `knowledge base "${base}"`,
        });
      }
    },
    async deleteDocuments(projectId, base, ids) {
      if (ids.length === 0) return 0;
      const result = await pool.query(
        'DELETE FROM knowledge_documents WHERE project_id = $1 AND base = $2 AND id = ANY($3::text[])',
        [projectId, base, [...ids]],
      );
      return result.rowCount ?? 0;
    },
    async getDocument(projectId, base, id) {
      const result = await pool.query<KnowledgeDocumentRow>(
        `SELECT ${KNOWLEDGE_DOCUMENT_COLUMNS} FROM knowledge_documents WHERE project_id = $1 AND base = $2 AND id = $3`,
        [projectId, base, id],
      );
      const row = result.rows[0];
      return row === undefined ? null : toKnowledgeDocument(row);
    },
    async listDocuments(projectId, base, options) {
      const { limit, after } = documentPageQuery(options);
      const columns =
        options.withText === false
          ? `${KNOWLEDGE_DOCUMENT_META_COLUMNS}, '' AS text`
          : KNOWLEDGE_DOCUMENT_COLUMNS;
      const select = `SELECT ${columns} FROM knowledge_documents WHERE project_id = $1 AND base = $2`;
      const result =
        after === null
          ? await pool.query<KnowledgeDocumentRow>(`${select} ORDER BY id LIMIT $3`, [
              projectId,
              base,
              limit + 1,
            ])
          : await pool.query<KnowledgeDocumentRow>(`${select} AND id > $3 ORDER BY id LIMIT $4`, [
              projectId,
              base,
              after,
              limit + 1,
            ]);
      return keysetPage(result.rows, limit, toKnowledgeDocument, (document) =>
        encodeDocumentCursor(document.id),
      );
    },
    async countDocuments(projectId, base) {
      const result = await pool.query<{ count: number }>(
        'SELECT count(*)::integer AS count FROM knowledge_documents WHERE project_id = $1 AND base = $2',
        [projectId, base],
      );
      return result.rows[0]?.count ?? 0;
    },

    async beginSnapshot(projectId, base, input) {
      const createdAt = Date.now();
      return withTransaction(pool, async (client): Promise<KnowledgeSnapshot> => {
        // The base row stays locked until commit: concurrent calls queue for the next number.
        const reserved = await client.query<{ version: number }>(
          'UPDATE knowledge_bases SET reserved_snapshot = reserved_snapshot + 1 ' +
            'WHERE project_id = $1 AND name = $2 AND deleted_at IS NULL RETURNING reserved_snapshot AS version',
          [projectId, base],
        );
        const version = reserved.rows[0]?.version;
        if (version === undefined) throw new NotFoundError(`knowledge base "${base}"`);
        await client.query(
          'INSERT INTO knowledge_snapshots (project_id, base, version, status, settings, created_at, created_by) ' +
            "VALUES ($1, $2, $3, 'building', $4::jsonb, $5, $6)",
          [projectId, base, version, JSON.stringify(input.settings), createdAt, input.createdBy],
        );
        return {
          projectId,
          knowledgeBase: base,
          version,
          status: 'building',
          settings: input.settings,
          documentCount: 0,
          chunkCount: 0,
          embeddingDimensions: null,
          createdAt,
          createdBy: input.createdBy,
        };
      });
    },
    async addSnapshotContent(projectId, base, version, content) {
      if (storableVersion(version) === null) throw new NotFoundError(describeSnapshot(base, version));
      const { documents, chunks } = checkSnapshotContent(content);
      const chunkMetadata = chunks.map((chunk) =>
        jsonColumn(chunk.metadata, `metadata of chunk "${chunk.id}"`),
      );
      try {
        await withTransaction(pool, async (client) => {
          await requireBuilding(client, projectId, base, version);
          // Each batch is a heartbeat: a build still writing is not taken for a crashed one.
          await client.query(
            'UPDATE knowledge_snapshots SET heartbeat_at = $4 WHERE project_id = $1 AND base = $2 AND version = $3',
            [projectId, base, version, Date.now()],
          );
          if (documents.length > 0) {
            await client.query(INSERT_SNAPSHOT_DOCUMENTS, [
              projectId,
              base,
              version,
              documents.map((entry) => entry.id),
              documents.map((entry) => entry.source),
              documents.map((entry) => entry.title),
              documents.map((entry) => entry.contentHash),
              documents.map((entry) => entry.sourceUpdatedAt),
              documents.map((entry) => entry.chunkCount),
            ]);
          }
          if (chunks.length > 0) {
            const embeddings = packEmbeddings(chunks);
            await client.query(INSERT_CHUNKS, [
              projectId,
              base,
              version,
              chunks.map((chunk) => chunk.documentId),
              chunks.map((chunk) => chunk.ordinal),
              chunks.map((chunk) => chunk.id),
              chunks.map((chunk) => chunk.tokenCount),
              chunkMetadata,
              embeddings.bytes,
              embeddings.starts,
              embeddings.lengths,
              chunks.map((chunk) => chunk.text),
            ]);
          }
        });
      } catch (error) {
        throw classifyError(error, {
          conflict: `${describeSnapshot(base, version)} already holds one of these documents or chunks`,
          missing: `the manifest entry of a chunk's document in ${describeSnapshot(base, version)}`,
        });
      }
    },
    async finishSnapshot(projectId, base, version, totals) {
      checkTotals(totals);
      if (storableVersion(version) === null) throw new NotFoundError(describeSnapshot(base, version));
      return withTransaction(pool, async (client) => {
        await requireBuilding(client, projectId, base, version);
        const finished = await client.query<KnowledgeSnapshotRow>(
          "UPDATE knowledge_snapshots SET status = 'ready', document_count = $4, chunk_count = $5, " +
            'embedding_dimensions = $6 WHERE project_id = $1 AND base = $2 AND version = $3 ' +
            `RETURNING ${KNOWLEDGE_SNAPSHOT_COLUMNS}`,
          [projectId, base, version, totals.documentCount, totals.chunkCount, totals.embeddingDimensions],
        );
        // Snapshots may finish out of order: latest_snapshot only moves forward.
        await client.query(
          'UPDATE knowledge_bases SET latest_snapshot = greatest(latest_snapshot, $3) ' +
            'WHERE project_id = $1 AND name = $2',
          [projectId, base, version],
        );
        return toKnowledgeSnapshot(finished.rows[0]!);
      });
    },
    async abandonSnapshot(projectId, base, version) {
      if (storableVersion(version) === null) return;
      await withTransaction(pool, async (client) => {
        const found = await client.query<{ status: string }>(
          'SELECT status FROM knowledge_snapshots WHERE project_id = $1 AND base = $2 AND version = $3 ' +
            'AND deleted_at IS NULL FOR UPDATE',
          [projectId, base, version],
        );
        const status = found.rows[0]?.status;
        if (status === undefined) return;
        if (status !== 'building') {
          throw new ConflictError(`${describeSnapshot(base, version)} is ready: snapshots are immutable`);
        }
        // Manifest rows and chunks go with it: ON DELETE CASCADE.
        await client.query(
          'DELETE FROM knowledge_snapshots WHERE project_id = $1 AND base = $2 AND version = $3',
          [projectId, base, version],
        );
      });
    },
    async getSnapshot(projectId, base, version) {
      if (version !== undefined && storableVersion(version) === null) return null;
      const select = `SELECT ${KNOWLEDGE_SNAPSHOT_COLUMNS} FROM knowledge_snapshots WHERE project_id = $1 AND base = $2 AND status = 'ready' AND deleted_at IS NULL`;
      const result =
        version === undefined
          ? await pool.query<KnowledgeSnapshotRow>(`${select} ORDER BY version DESC LIMIT 1`, [
              projectId,
              base,
            ])
          : await pool.query<KnowledgeSnapshotRow>(`${select} AND version = $3`, [projectId, base, version]);
      const row = result.rows[0];
      return row === undefined ? null : toKnowledgeSnapshot(row);
    },
    async listSnapshots(projectId, base) {
      const result = await pool.query<KnowledgeSnapshotRow>(
        `SELECT ${KNOWLEDGE_SNAPSHOT_COLUMNS} FROM knowledge_snapshots ` +
          "WHERE project_id = $1 AND base = $2 AND status = 'ready' AND deleted_at IS NULL ORDER BY version",
        [projectId, base],
      );
      return result.rows.map(toKnowledgeSnapshot);
    },
    async snapshotDocuments(projectId, base, version) {
      if (storableVersion(version) === null) return [];
      const result = await pool.query<SnapshotDocumentRow>(
        `SELECT ${SNAPSHOT_DOCUMENT_COLUMNS} FROM knowledge_snapshot_documents ` +
          `WHERE project_id = $1 AND base = $2 AND version = $3 AND ${READY_SNAPSHOT} ORDER BY document_id`,
        [projectId, base, version],
      );
      return result.rows.map(toSnapshotDocument);
    },
    async snapshotChunks(projectId, base, version, options) {
      const { limit, after } = chunkPageQuery(options);
      if (storableVersion(version) === null) return { data: [], nextCursor: null };
      const select =
        `SELECT ${KNOWLEDGE_CHUNK_COLUMNS} FROM knowledge_chunks ` +
        `WHERE project_id = $1 AND base = $2 AND version = $3 AND ${READY_SNAPSHOT}`;
      const result =
        after === null
          ? await pool.query<KnowledgeChunkRow>(`${select} ORDER BY document_id, ordinal LIMIT $4`, [
              projectId,
              base,
              version,
              limit + 1,
            ])
          : await pool.query<KnowledgeChunkRow>(
              `${select} AND (document_id, ordinal) > ($4, $5) ORDER BY document_id, ordinal LIMIT $6`,
              [projectId, base, version, after.documentId, after.ordinal, limit + 1],
            );
      return keysetPage(result.rows, limit, toKnowledgeChunk, (chunk) =>
        encodeChunkCursor({ documentId: chunk.documentId, ordinal: chunk.ordinal }),
      );
    },
  };
}
