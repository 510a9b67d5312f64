/**
 * Knowledge tables for both dialects: row shapes, column lists, row → record mappers, the
 * embedding codec (Float32Array ⇄ little-endian float32 bytes), the keyset cursors of the
 * two paged reads (documents by id, chunks by (document id, ordinal)) and the input checks
 * both stores run before writing, so invalid input fails the same way on SQLite and Postgres.
 */
import type {
  KnowledgeBase,
  KnowledgeBaseSettings,
  KnowledgeChunk,
  KnowledgeDocument,
  KnowledgeSnapshot,
  Page,
  SnapshotDocumentEntry,
} from '../core/index.js';
import { ValidationError } from '../core/index.js';
import { checkLimit } from './cursor.js';
import type { UpsertDocumentInput } from './store.js';

type DbNumber = number | string | bigint;
type DbBytes = Buffer | Uint8Array;

export interface KnowledgeBaseRow {
  id: string;
  project_id: string;
  name: string;
  settings: unknown;
  latest_snapshot: DbNumber;
  created_at: DbNumber;
}

export interface KnowledgeDocumentRow {
  project_id: string;
  base: string;
  id: string;
  source: string;
  title: string | null;
  content_hash: string;
  source_updated_at: DbNumber | null;
  updated_at: DbNumber;
  metadata: unknown;
  text: string;
}

export interface KnowledgeSnapshotRow {
  project_id: string;
  base: string;
  version: DbNumber;
  status: string;
  settings: unknown;
  document_count: DbNumber;
  chunk_count: DbNumber;
  embedding_dimensions: DbNumber | null;
  created_at: DbNumber;
  created_by: string | null;
}

export interface SnapshotDocumentRow {
  document_id: string;
  source: string;
  title: string | null;
  content_hash: string;
  source_updated_at: DbNumber | null;
  chunk_count: DbNumber;
}

export interface KnowledgeChunkRow {
  document_id: string;
  ordinal: DbNumber;
  chunk_id: string;
  token_count: DbNumber;
  metadata: unknown;
  embedding: DbBytes | null;
  text: string;
}

export const KNOWLEDGE_BASE_COLUMNS = 'id, project_id, name, settings, latest_snapshot, created_at';
/** `text` last: a listing without text never reads the (large) column. */
export const KNOWLEDGE_DOCUMENT_META_COLUMNS =
  'project_id, base, id, source, title, content_hash, source_updated_at, updated_at, metadata';
export const KNOWLEDGE_DOCUMENT_COLUMNS = `${KNOWLEDGE_DOCUMENT_META_COLUMNS}, text`;
export const KNOWLEDGE_SNAPSHOT_COLUMNS =
  'project_id, base, version, status, settings, document_count, chunk_count, embedding_dimensions, ' +
  'created_at, created_by';
export const SNAPSHOT_DOCUMENT_COLUMNS =
  'document_id, source, title, content_hash, source_updated_at, chunk_count';
export const KNOWLEDGE_CHUNK_COLUMNS =
  'document_id, ordinal, chunk_id, token_count, metadata, embedding, text';

const toNumber = (value: DbNumber): number => (typeof value === 'number' ? value : Number(value));
const toNullableNumber = (value: DbNumber | null): number | null => (value === null ? null : toNumber(value));
/** JSON columns arrive as text from SQLite and already parsed from pg (jsonb). */
const fromJson = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

export const toKnowledgeBase = (row: KnowledgeBaseRow): KnowledgeBase => ({
  id: row.id,
  projectId: row.project_id,
  name: row.name,
  settings: fromJson<KnowledgeBaseSettings>(row.settings),
  latestSnapshot: toNumber(row.latest_snapshot),
  createdAt: toNumber(row.created_at),
});

export const toKnowledgeDocument = (row: KnowledgeDocumentRow): KnowledgeDocument => ({
  projectId: row.project_id,
  knowledgeBase: row.base,
  id: row.id,
  source: row.source,
  title: row.title,
  text: row.text,
  metadata: fromJson<Record<string, unknown>>(row.metadata),
  contentHash: row.content_hash,
  sourceUpdatedAt: toNullableNumber(row.source_updated_at),
  updatedAt: toNumber(row.updated_at),
});

export const toKnowledgeSnapshot = (row: KnowledgeSnapshotRow): KnowledgeSnapshot => ({
  projectId: row.project_id,
  knowledgeBase: row.base,
  version: toNumber(row.version),
  status: row.status as KnowledgeSnapshot['status'],
  settings: fromJson<KnowledgeBaseSettings>(row.settings),
  documentCount: toNumber(row.document_count),
  chunkCount: toNumber(row.chunk_count),
  embeddingDimensions: toNullableNumber(row.embedding_dimensions),
  createdAt: toNumber(row.created_at),
  createdBy: row.created_by,
});

export const toSnapshotDocument = (row: SnapshotDocumentRow): SnapshotDocumentEntry => ({
  id: row.document_id,
  source: row.source,
  title: row.title,
  contentHash: row.content_hash,
  sourceUpdatedAt: toNullableNumber(row.source_updated_at),
  chunkCount: toNumber(row.chunk_count),
});

export const toKnowledgeChunk = (row: KnowledgeChunkRow): KnowledgeChunk => ({
  id: row.chunk_id,
  documentId: row.document_id,
  ordinal: toNumber(row.ordinal),
  text: row.text,
  tokenCount: toNumber(row.token_count),
  metadata: fromJson<Record<string, unknown>>(row.metadata),
  embedding: row.embedding === null ? null : decodeEmbedding(row.embedding),
});

// --- embeddings -------------------------------------------------------------------------------

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The stored form of an embedding: its float32 values as little-endian bytes. On a
 * little-endian host (every platform Node ships for) this is a zero-copy view of the array.
 */
export function encodeEmbedding(embedding: Float32Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(embedding.buffer, embedding.byteOffset, embedding.byteLength);
  const bytes = Buffer.allocUnsafe(embedding.length * 4);
  for (let index = 0; index < embedding.length; index++) bytes.writeFloatLE(embedding[index]!, index * 4);
  return bytes;
}

/**
 * Copies stored bytes into a fresh Float32Array. The driver's Buffer may be a slice of a
 * larger pool at any byteOffset (not a multiple of 4), so it is never viewed in place.
 */
export function decodeEmbedding(bytes: DbBytes): Float32Array {
  if (bytes.byteLength % 4 !== 0) {
    throw new Error(`stored embedding has ${bytes.byteLength} bytes, not a whole number of float32 values`);
  }
  const embedding = new Float32Array(bytes.byteLength / 4);
  if (LITTLE_ENDIAN) {
    new Uint8Array(embedding.buffer).set(bytes);
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let index = 0; index < embedding.length; index++)
      embedding[index] = view.getFloat32(index * 4, true);
  }
  return embedding;
}

// --- cursors ----------------------------------------------------------------------------------

/** Documents are paged by id: the cursor is the base64url JSON `[lastId]`. */
export function encodeDocumentCursor(id: string): string {
  return encodeKey([id]);
}

export function decodeDocumentCursor(cursor: string): string {
  const key = decodeKey(cursor);
  if (key.length !== 1 || typeof key[0] !== 'string') throw invalidCursor();
  return key[0];
}

export interface ChunkPosition {
  documentId: string;
  ordinal: number;
}

/** Chunks are paged by (document id, ordinal): the cursor is the base64url JSON `[documentId, ordinal]`. */
export function encodeChunkCursor(position: ChunkPosition): string {
  return encodeKey([position.documentId, position.ordinal]);
}

export function decodeChunkCursor(cursor: string): ChunkPosition {
  const key = decodeKey(cursor);
  const [documentId, ordinal] = key;
  if (key.length !== 2 || typeof documentId !== 'string' || !Number.isSafeInteger(ordinal))
    throw invalidCursor();
  return { documentId, ordinal: ordinal as number };
}

const encodeKey = (key: readonly unknown[]): string =>
  Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

function decodeKey(cursor: string): unknown[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(decoded)) throw invalidCursor();
  return decoded;
}

function invalidCursor(): ValidationError {
  return new ValidationError('invalid cursor', { param: 'cursor' });
}

/** Cuts `limit + 1` rows to a page; the cursor is derived from the last returned item. */
export function keysetPage<Row, Item>(
  rows: readonly Row[],
  limit: number,
  map: (row: Row) => Item,
  cursorOf: (item: Item) => string,
): Page<Item> {
  const data = rows.slice(0, limit).map(map);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}

/** The validated limit and decoded position of a document listing. */
export function documentPageQuery(options: { limit: number; cursor?: string }): {
  limit: number;
  after: string | null;
} {
  const limit = checkLimit(options.limit);
  return { limit, after: options.cursor === undefined ? null : decodeDocumentCursor(options.cursor) };
}

/** The validated limit and decoded position of a chunk listing. */
export function chunkPageQuery(options: { limit: number; cursor?: string }): {
  limit: number;
  after: ChunkPosition | null;
} {
  const limit = checkLimit(options.limit);
  return { limit, after: options.cursor === undefined ? null : decodeChunkCursor(options.cursor) };
}

// --- input checks -----------------------------------------------------------------------------

/**
 * Postgres cannot store U+0000 in text or jsonb, nor a lone surrogate in jsonb; SQLite could.
 * Both stores reject them, so content that ingests on one dialect ingests on the other. (A lone
 * surrogate in a text column is written as U+FFFD by both drivers alike.)
 */
const NUL = '\u0000';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function checkText(value: string, what: string): void {
  if (value.includes(NUL)) throw new ValidationError(`${what} contains a NUL character (U+0000)`);
}

/**
 * Serialises a JSON column. JSON.stringify writes both NUL and lone surrogates as `\u`
 * escapes, so only JSON holding an escape (rare) is walked to look for them.
 */
export function jsonColumn(value: object, what: string): string {
  const json = JSON.stringify(value);
  if (json.includes('\\u')) checkJsonStrings(value, what);
  return json;
}

function checkJsonStrings(value: unknown, what: string): void {
  if (typeof value === 'string') {
    if (value.includes(NUL)) throw new ValidationError(`${what} contains a NUL character (U+0000)`);
    if (LONE_SURROGATE.test(value)) throw new ValidationError(`${what} contains a lone UTF-16 surrogate`);
  } else if (Array.isArray(value)) {
    for (const item of value) checkJsonStrings(item, what);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      checkJsonStrings(key, what);
      checkJsonStrings(item, what);
    }
  }
}

const compareText = (left: string, right: string): number => (left < right ? -1 : left > right ? 1 : 0);

/** Versions, ordinals and counts are 32-bit integer columns on Postgres. */
const MAX_INT32 = 2_147_483_647;

function checkCount(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > MAX_INT32) {
    throw new ValidationError(`${what} must be an integer from 0 to ${MAX_INT32}, got ${value}`);
  }
}

/**
 * A snapshot (or guard policy) version as the caller gave it: not an integer → ValidationError;
 * an integer no version can have (below 1, beyond the 32-bit column) → null, which callers treat
 * as "no such version" without querying (Postgres would fail on an out-of-range parameter).
 */
export function storableVersion(version: number, what = 'snapshot version'): number | null {
  if (!Number.isInteger(version)) {
    throw new ValidationError(`${what} must be an integer, got ${version}`, { param: 'version' });
  }
  return version >= 1 && version <= MAX_INT32 ? version : null;
}

/**
 * Source times are stored as whole epoch milliseconds (an `mtimeMs` has a fraction): the
 * fraction is dropped, the same way on both dialects. Not a finite number → ValidationError.
 */
export function wholeMilliseconds(time: number | null, what: string): number | null {
  if (time === null) return null;
  if (!Number.isFinite(time))
    throw new ValidationError(`${what} must be a finite epoch-ms time, got ${time}`);
  return Math.floor(time);
}

/**
 * Checks an upsert batch (each id once, no NUL characters, a valid source time) and returns
 * it sorted by id, so concurrent upserts lock rows in the same order, with source times in
 * whole milliseconds.
 */
export function checkDocuments(documents: readonly UpsertDocumentInput[]): UpsertDocumentInput[] {
  const seen = new Set<string>();
  const checked: UpsertDocumentInput[] = [];
  for (const document of documents) {
    const what = `document "${document.id}"`;
    if (seen.has(document.id)) throw new ValidationError(`${what} appears more than once in the batch`);
    seen.add(document.id);
    checkText(document.id, `id of ${what}`);
    checkText(document.source, `source of ${what}`);
    if (document.title !== null) checkText(document.title, `title of ${what}`);
    checkText(document.text, `text of ${what}`);
    const sourceUpdatedAt = wholeMilliseconds(document.sourceUpdatedAt, `sourceUpdatedAt of ${what}`);
    checked.push(sourceUpdatedAt === document.sourceUpdatedAt ? document : { ...document, sourceUpdatedAt });
  }
  return checked.sort((left, right) => compareText(left.id, right.id));
}

export interface SnapshotContent {
  documents: SnapshotDocumentEntry[];
  chunks: KnowledgeChunk[];
}

/**
 * Checks a snapshot content batch (no NUL characters in text columns, whole non-negative
 * counts and ordinals) and returns it with source times in whole milliseconds.
 */
export function checkSnapshotContent(content: SnapshotContent): SnapshotContent {
  const documents = content.documents.map((entry) => {
    const what = `manifest entry "${entry.id}"`;
    checkText(entry.id, `id of ${what}`);
    checkText(entry.source, `source of ${what}`);
    if (entry.title !== null) checkText(entry.title, `title of ${what}`);
    checkCount(entry.chunkCount, `chunkCount of ${what}`);
    const sourceUpdatedAt = wholeMilliseconds(entry.sourceUpdatedAt, `sourceUpdatedAt of ${what}`);
    return sourceUpdatedAt === entry.sourceUpdatedAt ? entry : { ...entry, sourceUpdatedAt };
  });
  for (const chunk of content.chunks) {
    const what = `chunk "${chunk.id}"`;
    checkText(chunk.id, `id of ${what}`);
    checkText(chunk.documentId, `documentId of ${what}`);
    checkText(chunk.text, `text of ${what}`);
    checkCount(chunk.ordinal, `ordinal of ${what}`);
    checkCount(chunk.tokenCount, `tokenCount of ${what}`);
  }
  return { documents, chunks: content.chunks };
}

/** Final counts are non-negative integers; dimensions a positive integer or null. */
export function checkTotals(totals: {
  documentCount: number;
  chunkCount: number;
  embeddingDimensions: number | null;
}): void {
  checkCount(totals.documentCount, 'documentCount');
  checkCount(totals.chunkCount, 'chunkCount');
  const dimensions = totals.embeddingDimensions;
  if (
    dimensions !== null &&
    (!Number.isSafeInteger(dimensions) || dimensions < 1 || dimensions > MAX_INT32)
  ) {
    throw new ValidationError(`embeddingDimensions must be a positive integer or null, got ${dimensions}`, {
      param: 'embeddingDimensions',
    });
  }
}
