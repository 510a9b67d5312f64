import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../src/core/errors.js';
import { parseInput } from '../../src/core/parse-input.js';

const schema = z.object({
  messages: z.array(z.object({ role: z.string(), content: z.string() })),
  n: z.number().optional(),
});

function failure(value: unknown): AppError {
  try {
    parseInput(schema, value);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('parseInput accepted the value');
}

describe('parseInput', () => {
  it('names array elements in brackets, as guard-policy and config errors do', () => {
    const error = failure({
      messages: [
        { role: 'user', content: 'hi' },
        { role: 7, content: 'x' },
      ],
      n: 'two',
    });
    expect(error.status).toBe(400);
    expect(error.param).toBe('messages[1].role');
    expect(error.details).toEqual([
      {
        path: 'messages[1].role',
        message: expect.any(String),
        line: expect.stringMatching(/^messages\[1\]\.role: /),
      },
      { path: 'n', message: expect.any(String), line: expect.stringMatching(/^n: /) },
    ]);
    expect(error.message).toMatch(/^Invalid body: messages\[1\]\.role: .*; n: /);
  });

  it('names a problem with the whole value (root)', () => {
    const error = failure('not an object');
    expect(error.param).toBeUndefined();
    expect(error.details).toEqual([
      { path: '', message: expect.any(String), line: expect.stringMatching(/^\(root\): /) },
    ]);
  });

  it('returns the parsed value when it is valid', () => {
    expect(parseInput(schema, { messages: [] })).toEqual({ messages: [] });
  });
});
