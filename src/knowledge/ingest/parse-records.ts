/**
 * Record files: `.jsonl` (one record per line, streamed line by line — the file is never held
 * in memory) and `.json` (one record or an array of records). A record is
 * `{"id", "text", "title"?, "source"?, "metadata"?, "updated_at"? | "source_updated_at"?}`;
 * other top-level fields are kept as metadata (explicit `metadata` wins). A bad record is one
 * error entry naming `file:line` (or `file[index]`) and the rest goes on.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { DocumentFormat, ParsedDocument, SourceEntry } from './parsed-document.js';

const RECORD_FIELDS = new Set([
  'id',
  'text',
  'title',
  'source',
  'metadata',
  'updated_at',
  'source_updated_at',
]);
/** Epoch numbers below this are seconds, not milliseconds (1e11 ms is March 1973). */
const SECONDS_THRESHOLD = 1e11;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `updated_at` / `source_updated_at` as epoch ms: ISO strings, epoch seconds or milliseconds. */
export function parseTimestamp(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return Math.round(value < SECONDS_THRESHOLD ? value * 1000 : value);
  }
  if (typeof value === 'string' && value.trim()) {
    if (/^\d+(\.\d+)?$/.test(value.trim())) return parseTimestamp(Number(value));
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? null : parsed;
  }
  return null;
}

/** A record → document, or the reason it is not one. */
export function recordToDocument(
  value: unknown,
  file: string,
  format: DocumentFormat,
): { document: ParsedDocument } | { error: string } {
  if (!isPlainObject(value)) return { error: 'expected a JSON object with "id" and "text"' };
  const { id, text, title, source, metadata } = value;
  if (id === undefined || id === null || id === '') return { error: 'missing "id"' };
  if (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) {
    return { error: '"id" must be a string or a number' };
  }
  if (text === undefined || text === null) return { error: 'missing "text"' };
  if (typeof text !== 'string') return { error: '"text" must be a string' };
  if (!text.trim()) return { error: 'empty document' };
  if (metadata !== undefined && metadata !== null && !isPlainObject(metadata)) {
    return { error: '"metadata" must be an object' };
  }
  const extra: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (!RECORD_FIELDS.has(key)) extra[key] = field;
  const updated =
    value.source_updated_at ?? value.updated_at ?? metadata?.source_updated_at ?? metadata?.updated_at;
  return {
    document: {
      id: String(id),
      source: typeof source === 'string' && source.trim() ? source : file,
      title: typeof title === 'string' && title.trim() ? title.trim() : null,
      text: text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text,
      metadata: { ...extra, ...(metadata ?? {}) },
      sourceUpdatedAt: parseTimestamp(updated),
      format,
    },
  };
}

/** Registers a document id; returns an error message if it was already read. */
export type ClaimId = (id: string, where: string) => string | null;

function entry(result: ReturnType<typeof recordToDocument>, where: string, claim: ClaimId): SourceEntry {
  if ('error' in result) return { kind: 'error', source: where, message: result.error };
  const duplicate = claim(result.document.id, where);
  if (duplicate) return { kind: 'error', source: where, message: duplicate };
  return { kind: 'document', document: result.document };
}

/**
 * Streams a `.jsonl` file: one entry per non-blank line. `maxLineBytes` bounds a record
 * (readline still buffers an over-long line before we can refuse it).
 */
export async function* readJsonLines(
  path: string,
  file: string,
  maxLineBytes: number,
  claim: ClaimId,
): AsyncGenerator<SourceEntry> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let number = 0;
  try {
    for await (const raw of lines) {
      number++;
      const line = number === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      if (!line.trim()) continue;
      const where = `${file}:${number}`;
      if (line.length > maxLineBytes && Buffer.byteLength(line) > maxLineBytes) {
        yield {
          kind: 'error',
          source: where,
          message: `record too large (${Buffer.byteLength(line)} bytes > ${maxLineBytes})`,
        };
        continue;
      }
      if (line.includes('\u0000')) {
        yield { kind: 'error', source: where, message: 'binary content' };
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        yield { kind: 'error', source: where, message: `invalid JSON: ${(error as Error).message}` };
        continue;
      }
      yield entry(recordToDocument(value, file, 'jsonl'), where, claim);
    }
  } finally {
    lines.close();
    input.destroy();
  }
}

/** A `.json` file's entries: one record, or one per element of an array of records. */
export function readJsonRecords(content: string, file: string, claim: ClaimId): SourceEntry[] {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    return [{ kind: 'error', source: file, message: `invalid JSON: ${(error as Error).message}` }];
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return [{ kind: 'error', source: file, message: 'empty document' }];
    return value.map((item, index) =>
      entry(recordToDocument(item, file, 'json'), `${file}[${index}]`, claim),
    );
  }
  return [entry(recordToDocument(value, file, 'json'), file, claim)];
}
