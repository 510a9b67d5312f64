/**
 * A small filter language over chunk metadata, MongoDB-flavoured, compiled once into a
 * predicate. `{ lang: 'en', year: { $gte: 2020 } }` means lang = 'en' AND year ≥ 2020.
 *
 * - `{ field: value }` and `$eq`: strict equality for strings, numbers, booleans; `null`
 *   matches null or a missing field. An array-valued field matches if any element matches.
 * - `$ne`, `$in: [...]`, `$nin: [...]`: their negations and set forms; `$ne`/`$nin` also
 *   match a missing field.
 * - `$gt`, `$gte`, `$lt`, `$lte`: against a number (the field must be a number) or an ISO-8601
 *   date string (the field must be an ISO date string; times without an offset are UTC).
 * - `$exists: true|false`.
 * - `$and: [filters]`, `$or: [filters]` at any filter level.
 * - Fields are top-level keys, or dotted paths into nested objects ("source.kind") when no
 *   key with the dots exists.
 *
 * Anything else — unknown operators, arrays as equality values, wrong operand types, empty
 * filters inside $and/$or — throws a ValidationError (param "filter") naming the offending path.
 */

import { ValidationError } from '../../core/index.js';

export type FilterScalar = string | number | boolean | null;

export interface FieldOperators {
  $eq?: FilterScalar;
  $ne?: FilterScalar;
  $in?: readonly FilterScalar[];
  $nin?: readonly FilterScalar[];
  $gt?: number | string;
  $gte?: number | string;
  $lt?: number | string;
  $lte?: number | string;
  $exists?: boolean;
}

export type FieldCondition = FilterScalar | FieldOperators;

export interface MetadataFilter {
  $and?: readonly MetadataFilter[];
  $or?: readonly MetadataFilter[];
  [field: string]: FieldCondition | readonly MetadataFilter[] | undefined;
}

/** A compiled filter. */
export type MetadataPredicate = (metadata: Readonly<Record<string, unknown>>) => boolean;

const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:[Tt ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/** Validates `filter` (e.g. straight from a request body) and compiles it. */
export function compileMetadataFilter(filter: unknown): MetadataPredicate {
  return compileFilter(filter, 'filter');
}

function compileFilter(filter: unknown, path: string): MetadataPredicate {
  if (!isPlainObject(filter)) fail(path, 'must be an object of field conditions');
  const clauses: MetadataPredicate[] = [];
  for (const [key, condition] of Object.entries(filter)) {
    if (condition === undefined) continue;
    if (key === '$and' || key === '$or') {
      clauses.push(compileLogical(key, condition, `${path}.${key}`));
    } else if (key.startsWith('$')) {
      fail(`${path}.${key}`, 'is not a known operator (fields cannot start with "$")');
    } else if (key.length === 0) {
      fail(path, 'has an empty field name');
    } else {
      clauses.push(compileField(key, condition, `${path}.${key}`));
    }
  }
  if (clauses.length === 1) return clauses[0]!;
  return (metadata) => clauses.every((clause) => clause(metadata));
}

function compileLogical(operator: '$and' | '$or', operand: unknown, path: string): MetadataPredicate {
  if (!Array.isArray(operand) || operand.length === 0) fail(path, 'must be a non-empty array of filters');
  const parts = operand.map((part, index) => {
    if (isPlainObject(part) && Object.keys(part).length === 0) fail(`${path}[${index}]`, 'must not be empty');
    return compileFilter(part, `${path}[${index}]`);
  });
  return operator === '$and'
    ? (metadata) => parts.every((part) => part(metadata))
    : (metadata) => parts.some((part) => part(metadata));
}

function compileField(field: string, condition: unknown, path: string): MetadataPredicate {
  if (!isPlainObject(condition)) {
    const expected = requireScalar(condition, path);
    return (metadata) => matchesEqual(readField(metadata, field), expected);
  }
  const entries = Object.entries(condition).filter(([, operand]) => operand !== undefined);
  if (entries.length === 0) fail(path, 'must hold at least one operator');
  const tests = entries.map(([operator, operand]) =>
    compileOperator(operator, operand, `${path}.${operator}`),
  );
  return (metadata) => {
    const value = readField(metadata, field);
    return tests.every((test) => test(value));
  };
}

function compileOperator(operator: string, operand: unknown, path: string): (value: unknown) => boolean {
  switch (operator) {
    case '$eq': {
      const expected = requireScalar(operand, path);
      return (value) => matchesEqual(value, expected);
    }
    case '$ne': {
      const expected = requireScalar(operand, path);
      return (value) => !matchesEqual(value, expected);
    }
    case '$in':
    case '$nin': {
      if (!Array.isArray(operand)) fail(path, 'must be an array of values');
      const options = operand.map((option, index) => requireScalar(option, `${path}[${index}]`));
      const isIn = (value: unknown): boolean => options.some((option) => matchesEqual(value, option));
      return operator === '$in' ? isIn : (value) => !isIn(value);
    }
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      return compileComparison(operator, operand, path);
    case '$exists': {
      if (typeof operand !== 'boolean') fail(path, 'must be true or false');
      return (value) => (value !== undefined) === operand;
    }
    default:
      return fail(path, 'is not a known operator ($eq $ne $in $nin $gt $gte $lt $lte $exists)');
  }
}

function compileComparison(
  operator: '$gt' | '$gte' | '$lt' | '$lte',
  operand: unknown,
  path: string,
): (value: unknown) => boolean {
  const accepts = (difference: number): boolean => {
    if (operator === '$gt') return difference > 0;
    if (operator === '$gte') return difference >= 0;
    if (operator === '$lt') return difference < 0;
    return difference <= 0;
  };
  if (typeof operand === 'number') {
    if (!Number.isFinite(operand)) fail(path, 'must be a finite number');
    return (value) => anyElement(value, (item) => typeof item === 'number' && accepts(item - operand));
  }
  const bound = typeof operand === 'string' ? parseIsoDate(operand) : Number.NaN;
  if (Number.isNaN(bound)) fail(path, 'must be a number or an ISO-8601 date string');
  return (value) =>
    anyElement(value, (item) => {
      const time = typeof item === 'string' ? parseIsoDate(item) : Number.NaN;
      return !Number.isNaN(time) && accepts(time - bound);
    });
}

/** Milliseconds since the epoch for an ISO-8601 date or date-time (UTC unless offset), else NaN. */
export function parseIsoDate(text: string): number {
  const match = ISO_DATE.exec(text);
  if (match === null) return Number.NaN;
  const [, date, time, fraction, zone] = match;
  if (time === undefined) return Date.parse(`${date}T00:00:00Z`);
  const milliseconds = fraction === undefined ? '' : fraction.slice(0, 4).padEnd(4, '0');
  let offset = zone === undefined || zone === 'z' ? 'Z' : zone;
  if (offset.length === 5) offset = `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const seconds = time.length === 5 ? `${time}:00` : time;
  return Date.parse(`${date}T${seconds}${milliseconds}${offset}`);
}

function matchesEqual(value: unknown, expected: FilterScalar): boolean {
  if (expected === null) return value === null || value === undefined;
  return anyElement(value, (item) => item === expected);
}

function anyElement(value: unknown, test: (item: unknown) => boolean): boolean {
  return Array.isArray(value) ? value.some(test) : test(value);
}

function readField(metadata: Readonly<Record<string, unknown>>, field: string): unknown {
  if (Object.hasOwn(metadata, field)) return metadata[field];
  if (!field.includes('.')) return undefined;
  let current: unknown = metadata;
  for (const part of field.split('.')) {
    if (!isPlainObject(current) || !Object.hasOwn(current, part)) return undefined;
    current = current[part];
  }
  return current;
}

function requireScalar(value: unknown, path: string): FilterScalar {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value))
    return fail(path, 'is an array: use { $in: [...] } to match any of several values');
  return fail(path, 'must be a string, a finite number, a boolean or null');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(path: string, problem: string): never {
  throw new ValidationError(`invalid metadata filter: ${path} ${problem}`, { param: 'filter' });
}
