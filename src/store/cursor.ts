/**
 * Opaque keyset cursors for newest-first listings. A cursor is the base64url JSON of the last
 * returned row's sort key `(time, id)`; the next page continues strictly after it, so rows
 * written meanwhile never shift a page the way OFFSET would.
 */
import { ValidationError } from '../core/index.js';

export interface CursorPosition {
  time: number;
  id: string;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.time, position.id]), 'utf8').toString('base64url');
}

/** Throws ValidationError (400) for anything that is not a cursor we issued. */
export function decodeCursor(cursor: string): CursorPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw invalidCursor();
  const [time, id] = decoded as [unknown, unknown];
  // Sort times are integer epoch ms; Postgres refuses anything else in a bigint comparison.
  if (typeof time !== 'number' || !Number.isSafeInteger(time) || typeof id !== 'string')
    throw invalidCursor();
  return { time, id };
}

/** A page size must be a positive integer; the caller decides the maximum. */
export function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ValidationError(`limit must be a positive integer, got ${limit}`, { param: 'limit' });
  }
  return limit;
}

function invalidCursor(): ValidationError {
  return new ValidationError('invalid cursor', { param: 'cursor' });
}
