/**
 * Maps driver errors to the core error hierarchy, the same way for both dialects: a unique
 * or primary-key violation becomes ConflictError (409), a foreign-key violation NotFoundError
 * (404, the referenced parent is missing). better-sqlite3 and pg both expose a string `code`
 * (SQLITE_CONSTRAINT_* / SQLSTATE), so one function reads both.
 */
import { ConflictError, NotFoundError } from '../core/index.js';

export type ConstraintKind = 'unique' | 'foreign_key';

const CONSTRAINT_CODES: Readonly<Record<string, ConstraintKind>> = {
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreign_key',
  '23505': 'unique', // unique_violation
  '23503': 'foreign_key', // foreign_key_violation
};

export function constraintKind(error: unknown): ConstraintKind | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? (CONSTRAINT_CODES[code] ?? null) : null;
}

export interface ConstraintMessages {
  /** Message for a unique violation, e.g. `project name "x" is taken`. */
  conflict: string;
  /** What is missing on a foreign-key violation, e.g. `project p_1`. */
  missing?: string;
}

/** Returns the AppError for a constraint violation, or the original error unchanged. */
export function classifyError(error: unknown, messages: ConstraintMessages): unknown {
  const kind = constraintKind(error);
  if (kind === 'unique') return new ConflictError(messages.conflict, { cause: error });
  if (kind === 'foreign_key')
    return new NotFoundError(messages.missing ?? 'referenced row', { cause: error });
  return error;
}

// Postgres SQLSTATE classes 22 (data exception: bad text, number out of range, bad JSON) and
// 23 (integrity constraint); SQLite's constraint, type-mismatch and too-big results.
const DATA_SQLSTATE = /^2[23][0-9A-Z]{3}$/;
const DATA_SQLITE_CODE = /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG)/;

/**
 * Whether a failed write was refused for the rows it carried — it fails the same way on
 * every retry — rather than for the database's state (down, locked, a dropped connection).
 * The trace writer isolates such rows instead of retrying the whole batch forever.
 */
export function isDataError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  return DATA_SQLSTATE.test(code) || DATA_SQLITE_CODE.test(code);
}

/**
 * Whether Postgres refused a number in a query for its column's range (SQLSTATE 22003), as a
 * stack or prompt version past 2^31 − 1. SQLite compares such a number and finds nothing;
 * Postgres fails the statement. Either way it names nothing that can exist: the request's fault.
 */
export function isOutOfRangeError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  return (error as { code?: unknown }).code === '22003';
}

/**
 * Postgres SQLSTATEs for text it cannot store: U+0000 in text (22021 character_not_in_repertoire)
 * or in jsonb (22P05 untranslatable_character), and a lone UTF-16 surrogate in jsonb, which the
 * driver sends as invalid JSON (22P02). SQLite stores both. Values come from the request.
 */
const UNSTORABLE_TEXT_SQLSTATES = new Set(['22021', '22P05', '22P02']);

/** Whether Postgres refused a string the request carried because it cannot store its characters. */
export function isUnstorableTextError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && UNSTORABLE_TEXT_SQLSTATES.has(code);
}

/**
 * Postgres: connection exceptions (08…), shutdown or crash of the server (57P01–57P03), too
 * many connections (53300), and a query cancelled (57014) — by `statement_timeout`, or by an
 * operator — which says the database was too slow or busy to answer now, not that the request
 * was wrong.
 */
const UNAVAILABLE_SQLSTATE = /^(?:08[0-9A-Z]{3}|57P0[123]|57014|53300)$/;
/** Node socket errors and SQLite's busy/locked database. */
const UNAVAILABLE_CODE =
  /^(?:ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|SQLITE_BUSY\w*|SQLITE_LOCKED\w*)$/;

/**
 * Whether a store call failed because the database could not be reached or was going away — a
 * state that passes (a restart, a failover, a lock) — rather than for what the request asked.
 * pg reports a connection cut mid-query, and its own query timeout (no answer at all: a
 * partition), without a code, only by its message.
 */
export function isUnavailableError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_CODE.test(code);
  const message = (error as { message?: unknown }).message;
  return (
    typeof message === 'string' &&
    /^(?:Connection terminated(?: unexpectedly| due to connection timeout)?|timeout exceeded when trying to connect|Query read timeout)$/.test(
      message,
    )
  );
}
