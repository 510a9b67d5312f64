/**
 * Trace retention, shared by both dialects: the argument checks of `traces.deleteOlderThan`
 * (one bounded batch per call, so a retention sweep never holds a long transaction on the
 * tables the trace writer is appending to).
 */
import { ValidationError } from '../core/index.js';

/** The largest batch one call may delete: keeps each transaction short. */
export const MAX_RETENTION_BATCH = 10_000;

export function checkRetentionArguments(before: number, limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RETENTION_BATCH)
    throw new ValidationError(`limit must be an integer from 1 to ${MAX_RETENTION_BATCH}, got ${limit}`, {
      param: 'limit',
    });
  if (!Number.isFinite(before))
    throw new ValidationError(`before must be a time in epoch ms, got ${before}`, { param: 'before' });
}
