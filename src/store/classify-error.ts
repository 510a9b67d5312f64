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
