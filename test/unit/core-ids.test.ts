/** Record ids (src/core/ids.ts): prefixed, and in creation order even within one millisecond. */
import { describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.js';

describe('newId', () => {
  it('sorts in creation order, also for ids made in the same millisecond', () => {
    const ids = Array.from({ length: 2000 }, () => newId('key'));
    expect(new Set(ids).size).toBe(ids.length);
    // Byte order, as SQLite's BINARY and Postgres' "C" collation compare them.
    expect([...ids].sort((left, right) => (left < right ? -1 : left > right ? 1 : 0))).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^key_[0-9a-z]+[0-9A-Za-z]{10}$/);
  });
});
