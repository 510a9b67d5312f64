/**
 * Reads the YAML or JSON files the CLI sends (a prompt, a stack, an apply document) and
 * checks them with a zod schema, so that a typo is reported with the file name and field
 * before anything reaches the server.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { formatIssues } from '../core/errors.js';
import { CliError } from './cli-error.js';

/** A file's text; a file that cannot be read is a `file` error naming it. */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    const reason =
      code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error);
    throw new CliError('file', `cannot read ${path}: ${reason}`);
  }
}

/** The parsed content of a `.json` file (JSON.parse) or any other file (YAML 1.2). */
export async function readDocument(path: string): Promise<unknown> {
  const text = readTextFile(path);
  // Loaded only here: most commands read no file, and the parser costs start-up time.
  const yaml = path.toLowerCase().endsWith('.json') ? null : await import('yaml');
  try {
    return yaml ? (yaml.parse(text) as unknown) : (JSON.parse(text) as unknown);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new CliError('file', `cannot parse ${path}: ${reason}`);
  }
}

/**
 * The file, checked by `schema`; every problem in one message:
 * `file: messages[0].role: expected string; name: …`.
 */
export async function readValidatedDocument<Schema extends z.ZodType>(
  path: string,
  schema: Schema,
): Promise<z.infer<Schema>> {
  const result = schema.safeParse(await readDocument(path));
  if (!result.success) throw new CliError('file', `${path}: ${formatIssues(result.error.issues, '')}`);
  return result.data;
}
