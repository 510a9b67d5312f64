/**
 * What both dialects share to delete knowledge: the refusal a stack version's pin causes, and
 * the rule that the base's latest snapshot stays (it is what `kb:name` without a number and an
 * unpinned search resolve to; deleting the whole base is the way to remove it).
 */
import { ConflictError } from '../core/index.js';

/**
 * createBase's conflict clause: a purged base's row (a tombstone) is taken over by a new base of
 * the name, keeping `reserved_snapshot`, so snapshot numbers under one name are never reused
 * (replicas cache loaded snapshots by project, name and number). A live base, or one deleted
 * but not purged yet, returns no row: the name is taken.
 */
export const REVIVE_TOMBSTONE =
  'ON CONFLICT (project_id, name) DO UPDATE SET id = excluded.id, settings = excluded.settings, ' +
  'latest_snapshot = 0, created_at = excluded.created_at, deleted_at = NULL, purged_at = NULL ' +
  'WHERE knowledge_bases.purged_at IS NOT NULL';

export function baseTaken(name: string): ConflictError {
  return new ConflictError(`knowledge base "${name}" already exists (or is still being deleted)`);
}

export interface StackPinRow {
  stack_name: string;
  version: number | string;
}

/** ConflictError naming every stack version that pins what is being deleted. */
export function pinnedConflict(what: string, pins: readonly StackPinRow[]): ConflictError {
  const stackVersions = pins.map((pin) => ({ stack: pin.stack_name, version: Number(pin.version) }));
  const named = stackVersions.map((pin) => `${pin.stack}@${pin.version}`).join(', ');
  return new ConflictError(
    `${what} is pinned by stack versions ${named}: stack versions are immutable and rollback must keep ` +
      'working, so it cannot be deleted',
    { details: { stack_versions: stackVersions } },
  );
}

export function latestConflict(base: string, version: number): ConflictError {
  return new ConflictError(
    `snapshot ${version} is the latest of knowledge base "${base}" and cannot be deleted ` +
      '(take a newer snapshot first, or delete the whole base)',
  );
}
