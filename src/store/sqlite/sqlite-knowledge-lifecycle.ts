/**
 * SQLite half of knowledge deletion: marking snapshots and bases deleted (after checking no
 * stack version pins them), expiring crashed builds, and purging marked rows in batches.
 * Every call is one short `BEGIN IMMEDIATE` transaction; a purge batch deletes at most
 * `batchSize` rows, so the main connection (which the gateway also uses) is never held long.
 */
import { NotFoundError } from '../../core/index.js';
import { latestConflict, pinnedConflict, type StackPinRow } from '../knowledge-lifecycle.js';
import { storableVersion } from '../knowledge-rows.js';
import type { KnowledgeStore, SnapshotRef } from '../store.js';
import type { Prepare, SqliteDatabase } from './connection.js';

type Lifecycle = Pick<
  KnowledgeStore,
  | 'deleteSnapshot'
  | 'expireStaleBuilds'
  | 'listDeletedSnapshots'
  | 'purgeSnapshot'
  | 'deleteBase'
  | 'listDeletedBases'
  | 'purgeBase'
>;

const PINS =
  'SELECT stack_name, version FROM stack_versions WHERE project_id = ? ' +
  "AND json_extract(spec, '$.knowledge.name') = ?";

export function createSqliteKnowledgeLifecycle(database: SqliteDatabase, prepare: Prepare): Lifecycle {
  const pinsOf = (projectId: string, base: string, version?: number): StackPinRow[] =>
    version === undefined
      ? prepare<[string, string], StackPinRow>(`${PINS} ORDER BY stack_name, version`).all(projectId, base)
      : prepare<[string, string, number], StackPinRow>(
          `${PINS} AND json_extract(spec, '$.knowledge.snapshot') = ? ORDER BY stack_name, version`,
        ).all(projectId, base, version);

  const deleteSnapshot = database.transaction(
    (projectId: string, base: string, version: number, now: number) => {
      const found = prepare<[string, string, number], { latest: number }>(
        'SELECT b.latest_snapshot AS latest FROM knowledge_snapshots s JOIN knowledge_bases b ' +
          'ON b.project_id = s.project_id AND b.name = s.base ' +
          "WHERE s.project_id = ? AND s.base = ? AND s.version = ? AND s.status = 'ready' " +
          'AND s.deleted_at IS NULL AND b.deleted_at IS NULL',
      ).get(projectId, base, version);
      if (found === undefined) throw new NotFoundError(`Snapshot ${base}@${version}`);
      const pins = pinsOf(projectId, base, version);
      if (pins.length > 0) throw pinnedConflict(`Snapshot ${base}@${version}`, pins);
      if (found.latest === version) throw latestConflict(base, version);
      prepare(
        'UPDATE knowledge_snapshots SET deleted_at = ? WHERE project_id = ? AND base = ? AND version = ?',
      ).run(now, projectId, base, version);
    },
  );

  const deleteBase = database.transaction((projectId: string, base: string, now: number) => {
    const found = prepare<[string, string], number>(
      'SELECT 1 FROM knowledge_bases WHERE project_id = ? AND name = ? AND deleted_at IS NULL',
    )
      .pluck()
      .get(projectId, base);
    if (found === undefined) throw new NotFoundError(`Knowledge base "${base}"`);
    const pins = pinsOf(projectId, base);
    if (pins.length > 0) throw pinnedConflict(`Knowledge base "${base}"`, pins);
    prepare('UPDATE knowledge_bases SET deleted_at = ? WHERE project_id = ? AND name = ?').run(
      now,
      projectId,
      base,
    );
    prepare(
      'UPDATE knowledge_snapshots SET deleted_at = ? WHERE project_id = ? AND base = ? AND deleted_at IS NULL',
    ).run(now, projectId, base);
  });

  const expireStaleBuilds = database.transaction((before: number, now: number): SnapshotRef[] =>
    prepare<[number, number], { project_id: string; base: string; version: number }>(
      'UPDATE knowledge_snapshots SET deleted_at = ? ' +
        "WHERE status = 'building' AND deleted_at IS NULL AND coalesce(heartbeat_at, created_at) < ? " +
        'RETURNING project_id, base, version',
    )
      .all(now, before)
      .map((row) => ({ projectId: row.project_id, base: row.base, version: row.version })),
  );

  /** Deletes up to `limit` rows of `table` matching `where`; returns how many. */
  const deleteSome = (table: string, where: string, parameters: unknown[], limit: number): number =>
    prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${where} LIMIT ?)`).run(
      ...parameters,
      limit,
    ).changes;

  const purgeSnapshot = database.transaction(
    (projectId: string, base: string, version: number, batchSize: number): number => {
      const deletedAt = prepare<[string, string, number], number | null>(
        'SELECT deleted_at FROM knowledge_snapshots WHERE project_id = ? AND base = ? AND version = ?',
      )
        .pluck()
        .get(projectId, base, version);
      // Gone already, or not marked deleted: nothing to purge (a live snapshot is never touched).
      if (deletedAt === undefined || deletedAt === null) return 0;
      const key = [projectId, base, version];
      const where = 'project_id = ? AND base = ? AND version = ?';
      const chunks = deleteSome('knowledge_chunks', where, key, batchSize);
      if (chunks > 0) return chunks;
      const documents = deleteSome('knowledge_snapshot_documents', where, key, batchSize);
      if (documents > 0) return documents;
      return prepare(`DELETE FROM knowledge_snapshots WHERE ${where}`).run(...key).changes;
    },
  );

  const purgeBase = database.transaction((projectId: string, base: string, batchSize: number): number => {
    const deletedAt = prepare<[string, string], number | null>(
      'SELECT deleted_at FROM knowledge_bases WHERE project_id = ? AND name = ? AND purged_at IS NULL',
    )
      .pluck()
      .get(projectId, base);
    if (deletedAt === undefined || deletedAt === null) return 0;
    const key = [projectId, base];
    const where = 'project_id = ? AND base = ?';
    for (const table of [
      'knowledge_chunks',
      'knowledge_snapshot_documents',
      'knowledge_snapshots',
      'knowledge_documents',
    ]) {
      const deleted = deleteSome(table, where, key, batchSize);
      if (deleted > 0) return deleted;
    }
    // The row stays as a tombstone keeping the snapshot counter (see REVIVE_TOMBSTONE).
    return prepare(
      'UPDATE knowledge_bases SET purged_at = ?, latest_snapshot = 0 WHERE project_id = ? AND name = ? ' +
        'AND purged_at IS NULL',
    ).run(Date.now(), ...key).changes;
  });

  return {
    async deleteSnapshot(projectId, base, version) {
      if (storableVersion(version) === null) throw new NotFoundError(`Snapshot ${base}@${version}`);
      deleteSnapshot.immediate(projectId, base, version, Date.now());
    },
    async expireStaleBuilds(before) {
      return expireStaleBuilds.immediate(before, Date.now());
    },
    async listDeletedSnapshots(limit) {
      return prepare<[number], { project_id: string; base: string; version: number }>(
        'SELECT project_id, base, version FROM knowledge_snapshots WHERE deleted_at IS NOT NULL ' +
          'ORDER BY deleted_at, project_id, base, version LIMIT ?',
      )
        .all(limit)
        .map((row) => ({ projectId: row.project_id, base: row.base, version: row.version }));
    },
    async purgeSnapshot(projectId, base, version, batchSize) {
      if (storableVersion(version) === null) return 0;
      return purgeSnapshot.immediate(projectId, base, version, batchSize);
    },
    async deleteBase(projectId, name) {
      deleteBase.immediate(projectId, name, Date.now());
    },
    async listDeletedBases(limit) {
      return prepare<[number], { project_id: string; name: string }>(
        'SELECT project_id, name FROM knowledge_bases WHERE deleted_at IS NOT NULL AND purged_at IS NULL ' +
          'ORDER BY deleted_at LIMIT ?',
      )
        .all(limit)
        .map((row) => ({ projectId: row.project_id, base: row.name }));
    },
    async purgeBase(projectId, base, batchSize) {
      return purgeBase.immediate(projectId, base, batchSize);
    },
  };
}
