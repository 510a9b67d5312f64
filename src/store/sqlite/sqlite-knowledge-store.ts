/**
 * SQLite KnowledgeStore, on the main connection. Every write runs in one `BEGIN IMMEDIATE`
 * transaction (the write lock is taken before anything is read, so another process on the file
 * cannot interleave) and loops over prepared statements: a 2,000-chunk batch is 2,000 runs of
 * one compiled INSERT, no SQL text built per row. Snapshot numbers come from the base's
 * `reserved_snapshot` counter, bumped by an UPDATE … RETURNING inside the transaction.
 */
import type { KnowledgeChunk, KnowledgeSnapshot, SnapshotDocumentEntry } from '../../core/index.js';
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
import type { KnowledgeStore, UpsertDocumentInput } from '../store.js';
import type { Prepare, SqliteDatabase } from './connection.js';
import { createSqliteKnowledgeLifecycle } from './sqlite-knowledge-lifecycle.js';

type Key = [projectId: string, base: string];
type SnapshotKey = [projectId: string, base: string, version: number];

const describeSnapshot = (base: string, version: number): string =>
  `snapshot ${version} of knowledge base "${base}"`;

/** Ready snapshots only: a building (or deleted) one is not visible to readers. */
const READY_SNAPSHOT =
  'EXISTS (SELECT 1 FROM knowledge_snapshots s WHERE s.project_id = ? AND s.base = ? AND s.version = ? ' +
  "AND s.status = 'ready' AND s.deleted_at IS NULL)";

export function createSqliteKnowledgeStore(database: SqliteDatabase, prepare: Prepare): KnowledgeStore {
  const baseExists = (projectId: string, base: string): boolean =>
    prepare<Key, number>(
      'SELECT 1 FROM knowledge_bases WHERE project_id = ? AND name = ? AND deleted_at IS NULL',
    )
      .pluck()
      .get(projectId, base) !== undefined;

  const snapshotStatus = (projectId: string, base: string, version: number): string | undefined =>
    prepare<SnapshotKey, string>(
      'SELECT status FROM knowledge_snapshots WHERE project_id = ? AND base = ? AND version = ? ' +
        'AND deleted_at IS NULL',
    )
      .pluck()
      .get(projectId, base, version);

  /** Throws unless the snapshot exists and is still building. */
  const requireBuilding = (projectId: string, base: string, version: number): void => {
    const status = snapshotStatus(projectId, base, version);
    if (status === undefined) throw new NotFoundError(describeSnapshot(base, version));
    if (status !== 'building') {
      throw new ConflictError(`${describeSnapshot(base, version)} is ready: snapshots are immutable`);
    }
  };

  const upsertDocuments = database.transaction(
    (projectId: string, base: string, documents: readonly UpsertDocumentInput[], now: number) => {
      if (!baseExists(projectId, base)) throw new NotFoundError(`knowledge base "${base}"`);
      const storedHash = prepare<[string, string, string], string>(
        'SELECT content_hash FROM knowledge_documents WHERE project_id = ? AND base = ? AND id = ?',
      ).pluck();
      const insert = prepare(
        `INSERT INTO knowledge_documents (${KNOWLEDGE_DOCUMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const update = prepare(
        'UPDATE knowledge_documents SET source = ?, title = ?, content_hash = ?, source_updated_at = ?, ' +
          'updated_at = ?, metadata = ?, text = ? WHERE project_id = ? AND base = ? AND id = ?',
      );
      const counts = { inserted: 0, updated: 0, unchanged: 0 };
      for (const document of documents) {
        const hash = storedHash.get(projectId, base, document.id);
        if (hash === document.contentHash) {
          counts.unchanged++;
          continue;
        }
        const metadata = jsonColumn(document.metadata, `metadata of document "${document.id}"`);
        if (hash === undefined) {
          insert.run(
            projectId,
            base,
            document.id,
            document.source,
            document.title,
            document.contentHash,
            document.sourceUpdatedAt,
            now,
            metadata,
            document.text,
          );
          counts.inserted++;
        } else {
          update.run(
            document.source,
            document.title,
            document.contentHash,
            document.sourceUpdatedAt,
            now,
            metadata,
            document.text,
            projectId,
            base,
            document.id,
          );
          counts.updated++;
        }
      }
      return counts;
    },
  );

  const deleteDocuments = database.transaction((projectId: string, base: string, ids: readonly string[]) => {
    const remove = prepare<[string, string, string]>(
      'DELETE FROM knowledge_documents WHERE project_id = ? AND base = ? AND id = ?',
    );
    let deleted = 0;
    for (const id of ids) deleted += remove.run(projectId, base, id).changes;
    return deleted;
  });

  const beginSnapshot = database.transaction(
    (projectId: string, base: string, snapshot: Omit<KnowledgeSnapshot, 'version'>): KnowledgeSnapshot => {
      const version = prepare<Key, number>(
        'UPDATE knowledge_bases SET reserved_snapshot = reserved_snapshot + 1 ' +
          'WHERE project_id = ? AND name = ? AND deleted_at IS NULL RETURNING reserved_snapshot',
      )
        .pluck()
        .get(projectId, base);
      if (version === undefined) throw new NotFoundError(`knowledge base "${base}"`);
      prepare(
        'INSERT INTO knowledge_snapshots (project_id, base, version, status, settings, created_at, created_by) ' +
          "VALUES (?, ?, ?, 'building', ?, ?, ?)",
      ).run(
        projectId,
        base,
        version,
        JSON.stringify(snapshot.settings),
        snapshot.createdAt,
        snapshot.createdBy,
      );
      return { ...snapshot, version };
    },
  );

  const addSnapshotContent = database.transaction(
    (
      projectId: string,
      base: string,
      version: number,
      content: { documents: readonly SnapshotDocumentEntry[]; chunks: readonly KnowledgeChunk[] },
    ) => {
      requireBuilding(projectId, base, version);
      // Each batch is a heartbeat: a build still writing is not taken for a crashed one.
      prepare<[number, ...SnapshotKey]>(
        'UPDATE knowledge_snapshots SET heartbeat_at = ? WHERE project_id = ? AND base = ? AND version = ?',
      ).run(Date.now(), projectId, base, version);
      const insertDocument = prepare(
        `INSERT INTO knowledge_snapshot_documents (project_id, base, version, ${SNAPSHOT_DOCUMENT_COLUMNS}) ` +
          'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const entry of content.documents) {
        insertDocument.run(
          projectId,
          base,
          version,
          entry.id,
          entry.source,
          entry.title,
          entry.contentHash,
          entry.sourceUpdatedAt,
          entry.chunkCount,
        );
      }
      const insertChunk = prepare(
        `INSERT INTO knowledge_chunks (project_id, base, version, ${KNOWLEDGE_CHUNK_COLUMNS}) ` +
          'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const chunk of content.chunks) {
        insertChunk.run(
          projectId,
          base,
          version,
          chunk.documentId,
          chunk.ordinal,
          chunk.id,
          chunk.tokenCount,
          jsonColumn(chunk.metadata, `metadata of chunk "${chunk.id}"`),
          chunk.embedding === null ? null : encodeEmbedding(chunk.embedding),
          chunk.text,
        );
      }
    },
  );

  const finishSnapshot = database.transaction(
    (
      projectId: string,
      base: string,
      version: number,
      totals: { documentCount: number; chunkCount: number; embeddingDimensions: number | null },
    ): KnowledgeSnapshot => {
      requireBuilding(projectId, base, version);
      const row = prepare<[number, number, number | null, string, string, number], KnowledgeSnapshotRow>(
        "UPDATE knowledge_snapshots SET status = 'ready', document_count = ?, chunk_count = ?, " +
          'embedding_dimensions = ? WHERE project_id = ? AND base = ? AND version = ? ' +
          `RETURNING ${KNOWLEDGE_SNAPSHOT_COLUMNS}`,
      ).get(totals.documentCount, totals.chunkCount, totals.embeddingDimensions, projectId, base, version)!;
      // Snapshots may finish out of order: latest_snapshot only moves forward.
      prepare(
        'UPDATE knowledge_bases SET latest_snapshot = max(latest_snapshot, ?) WHERE project_id = ? AND name = ?',
      ).run(version, projectId, base);
      return toKnowledgeSnapshot(row);
    },
  );

  const abandonSnapshot = database.transaction((projectId: string, base: string, version: number) => {
    const status = snapshotStatus(projectId, base, version);
    if (status === undefined) return;
    if (status !== 'building') {
      throw new ConflictError(`${describeSnapshot(base, version)} is ready: snapshots are immutable`);
    }
    // Manifest rows and chunks go with it: ON DELETE CASCADE.
    prepare('DELETE FROM knowledge_snapshots WHERE project_id = ? AND base = ? AND version = ?').run(
      projectId,
      base,
      version,
    );
  });

  return {
    ...createSqliteKnowledgeLifecycle(database, prepare),
    async createBase(projectId, input) {
      const created = Date.now();
      let row: KnowledgeBaseRow | undefined;
      try {
        // A purged base's tombstone is taken over, keeping its snapshot counter (migration 6).
        row = prepare<[string, string, string, string, number], KnowledgeBaseRow>(
          'INSERT INTO knowledge_bases (id, project_id, name, settings, created_at) VALUES (?, ?, ?, ?, ?) ' +
            `${REVIVE_TOMBSTONE} RETURNING ${KNOWLEDGE_BASE_COLUMNS}`,
        ).get(newId('kb'), projectId, input.name, JSON.stringify(input.settings), created);
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
      const row = prepare<Key, KnowledgeBaseRow>(
        `SELECT ${KNOWLEDGE_BASE_COLUMNS} FROM knowledge_bases WHERE project_id = ? AND name = ? AND deleted_at IS NULL`,
      ).get(projectId, name);
      return row === undefined ? null : toKnowledgeBase(row);
    },
    async listBases(projectId) {
      return prepare<[string], KnowledgeBaseRow>(
        `SELECT ${KNOWLEDGE_BASE_COLUMNS} FROM knowledge_bases WHERE project_id = ? AND deleted_at IS NULL ORDER BY name`,
      )
        .all(projectId)
        .map(toKnowledgeBase);
    },
    async upsertDocuments(projectId, base, documents) {
      const sorted = checkDocuments(documents);
      try {
        return upsertDocuments.immediate(projectId, base, sorted, Date.now());
      } catch (error) {
        throw classifyError(error, {
          conflict: `documents of knowledge base "${base}" changed concurrently`,
          missing: `knowledge base "${base}"`,
        });
      }
    },
    async deleteDocuments(projectId, base, ids) {
      return deleteDocuments.immediate(projectId, base, ids);
    },
    async getDocument(projectId, base, id) {
      const row = prepare<[string, string, string], KnowledgeDocumentRow>(
        `SELECT ${KNOWLEDGE_DOCUMENT_COLUMNS} FROM knowledge_documents WHERE project_id = ? AND base = ? AND id = ?`,
      ).get(projectId, base, id);
      return row === undefined ? null : toKnowledgeDocument(row);
    },
    async listDocuments(projectId, base, options) {
      const { limit, after } = documentPageQuery(options);
      const columns =
        options.withText === false
          ? `${KNOWLEDGE_DOCUMENT_META_COLUMNS}, '' AS text`
          : KNOWLEDGE_DOCUMENT_COLUMNS;
      const select = `SELECT ${columns} FROM knowledge_documents WHERE project_id = ? AND base = ?`;
      const rows =
        after === null
          ? prepare<[string, string, number], KnowledgeDocumentRow>(`${select} ORDER BY id LIMIT ?`).all(
              projectId,
              base,
              limit + 1,
            )
          : prepare<[string, string, string, number], KnowledgeDocumentRow>(
              `${select} AND id > ? ORDER BY id LIMIT ?`,
            ).all(projectId, base, after, limit + 1);
      return keysetPage(rows, limit, toKnowledgeDocument, (document) => encodeDocumentCursor(document.id));
    },
    async countDocuments(projectId, base) {
      return prepare<Key, number>(
        'SELECT count(*) FROM knowledge_documents WHERE project_id = ? AND base = ?',
      )
        .pluck()
        .get(projectId, base)!;
    },

    async beginSnapshot(projectId, base, input) {
      const snapshot: Omit<KnowledgeSnapshot, 'version'> = {
        projectId,
        knowledgeBase: base,
        status: 'building',
        settings: input.settings,
        documentCount: 0,
        chunkCount: 0,
        embeddingDimensions: null,
        createdAt: Date.now(),
        createdBy: input.createdBy,
      };
      return beginSnapshot.immediate(projectId, base, snapshot);
    },
    async addSnapshotContent(projectId, base, version, content) {
      if (storableVersion(version) === null) throw new NotFoundError(describeSnapshot(base, version));
      const checked = checkSnapshotContent(content);
      try {
        addSnapshotContent.immediate(projectId, base, version, checked);
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
      return finishSnapshot.immediate(projectId, base, version, totals);
    },
    async abandonSnapshot(projectId, base, version) {
      if (storableVersion(version) === null) return;
      abandonSnapshot.immediate(projectId, base, version);
    },
    async getSnapshot(projectId, base, version) {
      if (version !== undefined && storableVersion(version) === null) return null;
      const select = `SELECT ${KNOWLEDGE_SNAPSHOT_COLUMNS} FROM knowledge_snapshots WHERE project_id = ? AND base = ? AND status = 'ready' AND deleted_at IS NULL`;
      const row =
        version === undefined
          ? prepare<Key, KnowledgeSnapshotRow>(`${select} ORDER BY version DESC LIMIT 1`).get(projectId, base)
          : prepare<SnapshotKey, KnowledgeSnapshotRow>(`${select} AND version = ?`).get(
              projectId,
              base,
              version,
            );
      return row === undefined ? null : toKnowledgeSnapshot(row);
    },
    async listSnapshots(projectId, base) {
      return prepare<Key, KnowledgeSnapshotRow>(
        `SELECT ${KNOWLEDGE_SNAPSHOT_COLUMNS} FROM knowledge_snapshots ` +
          "WHERE project_id = ? AND base = ? AND status = 'ready' AND deleted_at IS NULL ORDER BY version",
      )
        .all(projectId, base)
        .map(toKnowledgeSnapshot);
    },
    async snapshotDocuments(projectId, base, version) {
      if (storableVersion(version) === null) return [];
      return prepare<[...SnapshotKey, ...SnapshotKey], SnapshotDocumentRow>(
        `SELECT ${SNAPSHOT_DOCUMENT_COLUMNS} FROM knowledge_snapshot_documents ` +
          `WHERE project_id = ? AND base = ? AND version = ? AND ${READY_SNAPSHOT} ORDER BY document_id`,
      )
        .all(projectId, base, version, projectId, base, version)
        .map(toSnapshotDocument);
    },
    async snapshotChunks(projectId, base, version, options) {
      const { limit, after } = chunkPageQuery(options);
      if (storableVersion(version) === null) return { data: [], nextCursor: null };
      const select =
        `SELECT ${KNOWLEDGE_CHUNK_COLUMNS} FROM knowledge_chunks ` +
        `WHERE project_id = ? AND base = ? AND version = ? AND ${READY_SNAPSHOT}`;
      const order = 'ORDER BY document_id, ordinal LIMIT ?';
      const rows =
        after === null
          ? prepare<[...SnapshotKey, ...SnapshotKey, number], KnowledgeChunkRow>(`${select} ${order}`).all(
              projectId,
              base,
              version,
              projectId,
              base,
              version,
              limit + 1,
            )
          : prepare<[...SnapshotKey, ...SnapshotKey, string, number, number], KnowledgeChunkRow>(
              `${select} AND (document_id, ordinal) > (?, ?) ${order}`,
            ).all(
              projectId,
              base,
              version,
              projectId,
              base,
              version,
              after.documentId,
              after.ordinal,
              limit + 1,
            );
      return keysetPage(rows, limit, toKnowledgeChunk, (chunk) =>
        encodeChunkCursor({ documentId: chunk.documentId, ordinal: chunk.ordinal }),
      );
    },
  };
}
