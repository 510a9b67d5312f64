import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/index.js';
import { checkLimit, decodeCursor, encodeCursor } from '../../src/store/cursor.js';

describe('store cursors', () => {
  it('round-trips a position through an opaque base64url string', () => {
    const cursor = encodeCursor({ time: 1_750_000_000_123, id: 'abc/+=def' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual({ time: 1_750_000_000_123, id: 'abc/+=def' });
  });

  it.each([
    ['not base64 json', 'not-a-cursor'],
    ['wrong arity', Buffer.from('[1]').toString('base64url')],
    ['string time', Buffer.from('["1","x"]').toString('base64url')],
    ['numeric id', Buffer.from('[1,2]').toString('base64url')],
    ['object', Buffer.from('{"time":1,"id":"x"}').toString('base64url')],
    ['empty', ''],
  ])('rejects %s with ValidationError', (_, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(ValidationError);
  });

  it.each([
    [1, true],
    [500, true],
    [0, false],
    [-3, false],
    [2.5, false],
    [Number.NaN, false],
  ])('limit %s valid: %s', (limit, valid) => {
    if (valid) expect(checkLimit(limit)).toBe(limit);
    else expect(() => checkLimit(limit)).toThrow(ValidationError);
  });
});
