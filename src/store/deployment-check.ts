/**
 * The optimistic-concurrency rule of `StackStore.setDeployment`, shared by both dialects; each
 * calls it inside its transaction, after locking (PG) or with the write lock held (SQLite).
 */
import { ConflictError } from '../core/index.js';
import type { SetDeploymentInput } from './store.js';

/**
 * Throws ConflictError when `expectedFromVersion` is given (null = "not deployed yet") and the
 * environment currently points elsewhere. `undefined` means no expectation.
 */
export function checkExpectedVersion(input: SetDeploymentInput, current: number | null): void {
  const expected = input.expectedFromVersion;
  if (expected === undefined || expected === current) return;
  const actual = current === null ? 'is not deployed' : `is at version ${current}`;
  const wanted = expected === null ? 'not deployed' : `version ${expected}`;
  throw new ConflictError(
    `environment "${input.environment}" of stack "${input.stackName}" ${actual}, expected ${wanted}`,
  );
}
