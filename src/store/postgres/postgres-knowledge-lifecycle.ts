/**
 * Postgres half of knowledge deletion: marking snapshots and bases deleted (after checking no
 * stack version pins them), expiring crashed builds, and purging marked rows in batches.
 * Locking: deletion locks the snapshot rows FOR UPDATE before it reads the pins, and a new
 * stack version locks its pinned snapshot FOR SHARE, so one always sees the other. Expiry is
 * one UPDATE whose row lock waits for a content batch in flight (which writes the heartbeat),
 * then re-checks the heartbeat: a build still writing is never expired.
 */
import { NotFoundError } from '../../core/index.js';
import { latestConflict, pinnedConflict, type StackPinRow } from '../knowledge-lifecycle.js';
import { storableVersion } from '../knowledge-rows.js';
import type { KnowledgeStore, SnapshotRef } from '../store.js';
import { type Pool, type PoolClient, withTransaction } from './connection.js';

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

interface SnapshotRefRow {
  project_id: string;
  base: string;
  version: number;
}

const toRef = (row: SnapshotRefRow): SnapshotRef => ({
  projectId: row.project_id,
  base: row.base,
  version: row.version,
});

const PINS =
  "SELECT stack_name, version FROM stack_versions WHERE project_id = $1 AND spec -> 'knowledge' ->> 'name' = $2";

async function pinsOf(client: PoolClient, projectId: string, base: string, version?: number) {
  const result =
    version === undefined
      ? await client.query<StackPinRow>(`${PINS} ORDER BY stack_name, version`, [projectId, base])
      : await client.query<StackPinRow>(
          `${PINS} AND spec -> 'knowledge' -> 'snapshot' = to_jsonb($3::integer) ORDER BY stack_name, version`,
          [projectId, base, version],
        );
  return result.rows;
}

/** Deletes up to `limit` rows of `table` matching `where` ($1…); returns how many. */
async function deleteSome(
  client: PoolClient,
  table: string,
  where: string,
  parameters: unknown[],
  limit: number,
): Promise<number> {
  const result = await client.query(
    `DELETE FROM ${table} WHERE ctid = ANY (ARRAY (SELECT ctid FROM ${table} WHERE ${where} LIMIT $${
      parameters.length + 1
    }))`,
    [...parameters, limit],
  );
  return result.rowCount ?? 0;
}

export function createPostgresKnowledgeLifecycle(pool: Pool): Lifecycle {
  return {
    async deleteSnapshot(projectId, base, version) {
      if (storableVersion(version) === null) throw new NotFoundError(`Snapshot ${base}@${version}`);
      await withTransaction(pool, async (client) => {
        const found = await client.query<{ latest: number }>(
          'SELECT b.latest_snapshot AS latest FROM knowledge_snapshots s JOIN knowledge_bases b ' +
            'ON b.project_id = s.project_id AND b.name = s.base ' +
            "WHERE s.project_id = $1 AND s.base = $2 AND s.version = $3 AND s.status = 'ready' " +
            'AND s.deleted_at IS NULL AND b.deleted_at IS NULL FOR UPDATE OF s',
          [projectId, base, version],
        );
        const latest = found.rows[0]?.latest;
        if (latest === undefined) throw new NotFoundError(`Snapshot ${base}@${version}`);
        const pins = await pinsOf(client, projectId, base, version);
        if (pins.length > 0) throw pinnedConflict(`Snapshot ${base}@${version}`, pins);
        if (latest === version) throw latestConflict(base, version);
        await client.query(
          'UPDATE knowledge_snapshots SET deleted_at = $4 WHERE project_id = $1 AND base = $2 AND version = $3',
          [projectId, base, version, Date.now()],
        );
      });
    },
    async expireStaleBuilds(before) {
      const result = await pool.query<SnapshotRefRow>(
        'UPDATE knowledge_snapshots SET deleted_at = $2 ' +
          "WHERE status = 'building' AND deleted_at IS NULL AND coalesce(heartbeat_at, created_at) < $1 " +
          'RETURNING project_id, base, version',
        [before, Date.now()],
      );
      return result.rows.map(toRef);
    },
    async listDeletedSnapshots(limit) {
      const result = await pool.query<SnapshotRefRow>(
        'SELECT project_id, base, version FROM knowledge_snapshots WHERE deleted_at IS NOT NULL ' +
          'ORDER BY deleted_at, project_id, base, version LIMIT $1',
        [limit],
      );
      return result.rows.map(toRef);
    },
    async purgeSnapshot(projectId, base, version, batchSize) {
      if (storableVersion(version) === null) return 0;
      return withTransaction(pool, async (client) => {
        // FOR UPDATE: purges of one snapshot from several replicas take turns.
        const found = await client.query<{ deleted_at: string | null }>(
          'SELECT deleted_at FROM knowledge_snapshots WHERE project_id = $1 AND base = $2 AND version = $3 ' +
            'FOR UPDATE',
          [projectId, base, version],
        );
        // Gone already, or not marked deleted: nothing to purge (a live snapshot is never touched).
        if ((found.rows[0]?.deleted_at ?? null) === null) return 0;
        const key = [projectId, base, version];
        const where = 'project_id = $1 AND base = $2 AND version = $3';
        const chunks = await deleteSome(client, 'knowledge_chunks', where, key, batchSize);
        if (chunks > 0) return chunks;
        const documents = await deleteSome(client, 'knowledge_snapshot_documents', where, key, batchSize);
        if (documents > 0) return documents;
        return (await client.query(`DELETE FROM knowledge_snapshots WHERE ${where}`, key)).rowCount ?? 0;
      });
    },
    async deleteBase(projectId, name) {
      await withTransaction(pool, async (client) => {
        // Snapshot rows first, then the base row: the order finishSnapshot takes them in, so the
        // two cannot deadlock. The snapshot locks keep new pins out (see deleteSnapshot).
        await client.query(
          'SELECT 1 FROM knowledge_snapshots WHERE project_id = $1 AND base = $2 AND deleted_at IS NULL FOR UPDATE',
          [projectId, name],
        );
        // FOR UPDATE (not the UPDATE's weaker lock): waits for document upserts holding KEY SHARE.
        const found = await client.query(
          'SELECT 1 FROM knowledge_bases WHERE project_id = $1 AND name = $2 AND deleted_at IS NULL FOR UPDATE',
          [projectId, name],
        );
        if (found.rowCount === 0) throw new NotFoundError(`Knowledge base "${name}"`);
        const pins = await pinsOf(client, projectId, name);
        if (pins.length > 0) throw pinnedConflict(`Knowledge base "${name}"`, pins);
        const now = Date.now();
        await client.query('UPDATE knowledge_bases SET deleted_at = $3 WHERE project_id = $1 AND name = $2', [
          projectId,
          name,
          now,
        ]);
        await client.query(
          'UPDATE knowledge_snapshots SET deleted_at = $3 WHERE project_id = $1 AND base = $2 AND deleted_at IS NULL',
          [projectId, name, now],
        );
      });
    },
    async listDeletedBases(limit) {
      const result = await pool.query<{ project_id: string; name: string }>(
        'SELECT project_id, name FROM knowledge_bases WHERE deleted_at IS NOT NULL AND purged_at IS NULL ' +
          'ORDER BY deleted_at LIMIT $1',
        [limit],
      );
      return result.rows.map((row) => ({ projectId: row.project_id, base: row.name }));
    },
    async purgeBase(projectId, base, batchSize) {
      return withTransaction(pool, async (client) => {
        const found = await client.query<{ deleted_at: string | null }>(
          'SELECT deleted_at FROM knowledge_bases WHERE project_id = $1 AND name = $2 AND purged_at IS NULL ' +
            'FOR UPDATE',
          [projectId, base],
        );
        if ((found.rows[0]?.deleted_at ?? null) === null) return 0;
        const key = [projectId, base];
        const where = 'project_id = $1 AND base = $2';
        for (const table of [
          'knowledge_chunks',
          'knowledge_snapshot_documents',
          'knowledge_snapshots',
          'knowledge_documents',
        ]) {
          const deleted = await deleteSome(client, table, where, key, batchSize);
          if (deleted > 0) return deleted;
        }
        // The row stays as a tombstone keeping the snapshot counter (see REVIVE_TOMBSTONE).
        const tombstone = await client.query(
          'UPDATE knowledge_bases SET purged_at = $3, latest_snapshot = 0 WHERE project_id = $1 AND name = $2',
          [...key, Date.now()],
        );
        return tombstone.rowCount ?? 0;
      });
    },
  };
}
