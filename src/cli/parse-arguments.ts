/**
 * Pure parsing of command-line values: `--param key=value` (JSON when it parses, else a
 * string), `name@ref` references, and version numbers. Mistakes are usage errors (exit 2).
 */
import { InvalidArgumentError } from 'commander';
import { usageError } from './cli-error.js';

/** Commander accumulator for repeatable options (`--label a --label b`). */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * `key=value` → [key, value]. The value is JSON when it parses as JSON (`0.2`, `true`,
 * `["\n"]`, `"007"`), otherwise the text as given (`hello`, `gpt-4o`). Only the first `=`
 * splits, so values may contain `=`.
 */
export function parseParam(text: string): [string, unknown] {
  const separator = text.indexOf('=');
  const key = separator === -1 ? '' : text.slice(0, separator).trim();
  if (!key) throw usageError(`--param "${text}" must be key=value`);
  const raw = text.slice(separator + 1);
  try {
    return [key, JSON.parse(raw) as unknown];
  } catch {
    return [key, raw];
  }
}

/** Every `--param` into one object; a repeated key keeps its last value. */
export function parseParams(texts: string[] | undefined): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const text of texts ?? []) {
    const [key, value] = parseParam(text);
    params[key] = value;
  }
  return params;
}

export interface NameRef {
  name: string;
  /** The text after the last `@`, or undefined when there is none. */
  ref: string | undefined;
}

/** `support@3`, `support@production`, `support` → name and reference (split at the last `@`). */
export function parseNameRef(text: string, what = 'reference'): NameRef {
  const at = text.lastIndexOf('@');
  const name = (at === -1 ? text : text.slice(0, at)).trim();
  const ref = at === -1 ? undefined : text.slice(at + 1).trim();
  if (!name) throw usageError(`${what} "${text}" has no name (expected NAME or NAME@REF)`);
  if (ref === '') throw usageError(`${what} "${text}" has nothing after "@" (expected NAME@REF)`);
  return { name, ref };
}

/** `3` or `v3` → 3; null for anything else. */
export function versionNumber(text: string): number | null {
  const match = /^v?(\d+)$/i.exec(text.trim());
  if (!match) return null;
  const version = Number(match[1]);
  return Number.isSafeInteger(version) && version > 0 ? version : null;
}

export function parseVersion(text: string, what = 'version'): number {
  const version = versionNumber(text);
  if (version === null) throw usageError(`${what} "${text}" is not a version number (expected e.g. 3)`);
  return version;
}

/** A deploy target: a version number, or `latest`. */
export function parseVersionOrLatest(text: string): number | 'latest' {
  if (text.trim().toLowerCase() === 'latest') return 'latest';
  const version = versionNumber(text);
  if (version === null) throw usageError(`version "${text}" must be a number or "latest"`);
  return version;
}

/**
 * A version reference as the REST paths want it: a number (`v3` is accepted for 3), a label
 * or environment name passed as it is, or `latest` when none is given.
 */
export function refSegment(ref: string | undefined): string {
  if (ref === undefined) return 'latest';
  const version = versionNumber(ref);
  return version === null ? ref : String(version);
}

/** Commander argument parser for `--limit`: a whole number in [1, max]. */
export function positiveInteger(max: number): (text: string) => number {
  return wholeNumber(1, max);
}

/** Commander argument parser: a whole number in [min, max] (`--overlap-tokens 0`). */
export function wholeNumber(min: number, max: number): (text: string) => number {
  return (text) => {
    const value = text.trim() === '' ? Number.NaN : Number(text);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return value;
  };
}

/** Commander argument parser: a number ≥ 0, fractions allowed (`--days 0.5`, `--max-file-mb 1.5`). */
export function nonNegativeNumber(text: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || value < 0) throw new InvalidArgumentError('expected a number ≥ 0');
  return value;
}

/** Commander argument parser: a number > 0, fractions allowed (`--max-file-mb 0.5`). */
export function positiveNumber(text: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError('expected a number > 0');
  return value;
}

/** A JSON object given on the command line (`--filter '{"lang":"en"}'`). */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw usageError(`${what} is not valid JSON (${reason})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw usageError(`${what} must be a JSON object, like '{"lang":"en"}'`);
  return value as Record<string, unknown>;
}
