import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readValidatedDocument } from '../../src/cli/document-file.js';
import { AppError, formatIssues } from '../../src/core/errors.js';
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

describe('formatIssues', () => {
  const issues = [
    { path: [], message: 'expected object' },
    { path: ['messages', 1, 'role'], message: 'expected string' },
  ];

  it('labels a problem with the whole value (root) unless asked not to', () => {
    expect(formatIssues(issues)).toBe('(root): expected object; messages[1].role: expected string');
    expect(formatIssues(issues, '')).toBe('expected object; messages[1].role: expected string');
  });
});

describe('readValidatedDocument (the CLI reading a file)', () => {
  it('names the file, then each problem, a whole-file problem without a label', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'so-doc-'));
    const path = join(dir, 'stack.yaml');
    writeFileSync(path, 'just a string\n');
    const schema = z.object({ name: z.string() });
    await expect(readValidatedDocument(path, schema)).rejects.toThrow(
      new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: [^(]*expected object`),
    );
    writeFileSync(path, 'name: 3\n');
    await expect(readValidatedDocument(path, schema)).rejects.toThrow(/stack\.yaml: name: .*expected string/);
  });
});
