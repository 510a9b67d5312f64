import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../src/core/index.js';
import {
  classifyError,
  constraintKind,
  isDataError,
  isOutOfRangeError,
} from '../../src/store/classify-error.js';

const withCode = (code: string): Error => Object.assign(new Error(`driver error ${code}`), { code });

describe('store error classification', () => {
  it.each([
    ['SQLITE_CONSTRAINT_UNIQUE', 'unique'],
    ['SQLITE_CONSTRAINT_PRIMARYKEY', 'unique'],
    ['23505', 'unique'],
    ['SQLITE_CONSTRAINT_FOREIGNKEY', 'foreign_key'],
    ['23503', 'foreign_key'],
    ['SQLITE_CONSTRAINT_CHECK', null],
    ['23514', null],
    ['SQLITE_BUSY', null],
  ])('%s is %s in both dialects', (code, kind) => {
    expect(constraintKind(withCode(code))).toBe(kind);
  });

  it('maps unique to ConflictError (409) and foreign key to NotFoundError (404), keeping the cause', () => {
    const unique = withCode('23505');
    const conflict = classifyError(unique, { conflict: 'name taken' });
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(conflict).toMatchObject({ status: 409, message: 'name taken', cause: unique });
    const missing = classifyError(withCode('SQLITE_CONSTRAINT_FOREIGNKEY'), {
      conflict: 'x',
      missing: 'project p',
    });
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ status: 404, message: 'project p not found' });
  });

  it('passes anything else through unchanged', () => {
    const other = withCode('SQLITE_BUSY');
    expect(classifyError(other, { conflict: 'x' })).toBe(other);
    expect(classifyError('boom', { conflict: 'x' })).toBe('boom');
    expect(classifyError(null, { conflict: 'x' })).toBeNull();
  });

  it.each([
    ['22P02', true], // invalid_text_representation
    ['22003', true], // numeric_value_out_of_range
    ['22P05', true], // untranslatable_character
    ['23502', true], // not_null_violation
    ['23514', true], // check_violation
    ['SQLITE_CONSTRAINT_NOTNULL', true],
    ['SQLITE_CONSTRAINT_CHECK', true],
    ['SQLITE_MISMATCH', true],
    ['SQLITE_TOOBIG', true],
    ['SQLITE_BUSY', false],
    ['SQLITE_IOERR', false],
    ['57P01', false], // admin_shutdown: a restart, not the rows
    ['08006', false], // connection_failure
    ['ECONNREFUSED', false],
    ['40P01', false],
  ])('isDataError(%s) is %s', (code, expected) => {
    expect(isDataError(withCode(code))).toBe(expected);
  });

  it('isOutOfRangeError is true for Postgres numeric_value_out_of_range only', () => {
    expect(isOutOfRangeError(withCode('22003'))).toBe(true);
    expect(isOutOfRangeError(withCode('22P02'))).toBe(false);
    expect(isOutOfRangeError(withCode('SQLITE_MISMATCH'))).toBe(false);
    expect(isOutOfRangeError(new Error('no code'))).toBe(false);
  });
});
