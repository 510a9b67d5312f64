import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/index.js';
import {
  checkDocuments,
  checkSnapshotContent,
  checkTotals,
  chunkPageQuery,
  decodeChunkCursor,
  decodeDocumentCursor,
  decodeEmbedding,
  documentPageQuery,
  encodeChunkCursor,
  encodeDocumentCursor,
  encodeEmbedding,
  jsonColumn,
  keysetPage,
  storableVersion,
  toKnowledgeBase,
  toKnowledgeChunk,
  toKnowledgeDocument,
  toKnowledgeSnapshot,
  toSnapshotDocument,
  wholeMilliseconds,
} from '../../src/store/knowledge-rows.js';
import type { UpsertDocumentInput } from '../../src/store/store.js';

const document = (id: string, extra: Partial<UpsertDocumentInput> = {}): UpsertDocumentInput => ({
  id,
  source: `${id}.md`,
  title: null,
  text: 'text',
  metadata: {},
  contentHash: 'h',
  sourceUpdatedAt: null,
  ...extra,
});

describe('knowledge embedding codec', () => {
  it('writes float32 values as little-endian bytes, only those of the view', () => {
    const backing = new Float32Array([9, 1.5, -2, 9]);
    const bytes = encodeEmbedding(backing.subarray(1, 3));
    expect(bytes.byteLength).toBe(8);
    expect(bytes.readFloatLE(0)).toBe(1.5);
    expect(bytes.readFloatLE(4)).toBe(-2);
  });

  it('reads bytes at any byteOffset into a fresh, aligned Float32Array', () => {
    const values = [0.1, -3.25, 1e-20, -0, 65_504.5];
    for (const offset of [0, 1, 2, 3, 5]) {
      const raw = Buffer.alloc(offset + values.length * 4 + 3, 0xee);
      for (const [index, value] of values.entries()) raw.writeFloatLE(value, offset + index * 4);
      const view = raw.subarray(offset, offset + values.length * 4);
      const embedding = decodeEmbedding(view);
      expect(Array.from(embedding)).toEqual(Array.from(Float32Array.from(values)));
      expect(embedding.byteOffset).toBe(0);
      expect(embedding.buffer.byteLength).toBe(values.length * 4);
      // A copy: changing the source bytes later does not change the embedding.
      view.fill(0);
      expect(embedding[1]).toBe(-3.25);
    }
  });

  it('round-trips bit patterns exactly, and refuses a byte count that is not a multiple of 4', () => {
    const original = new Float32Array(1_536).map((_, index) => Math.sin(index) * 10 ** ((index % 9) - 4));
    const decoded = decodeEmbedding(Buffer.from(encodeEmbedding(original)));
    expect(Buffer.from(decoded.buffer).equals(Buffer.from(original.buffer))).toBe(true);
    expect(decodeEmbedding(Buffer.alloc(0))).toHaveLength(0);
    expect(() => decodeEmbedding(Buffer.alloc(6))).toThrow(/6 bytes/);
  });
});

describe('knowledge cursors', () => {
  it('round-trip document ids and chunk positions through opaque base64url strings', () => {
    for (const id of ['doc-1', 'a/b?c=d', 'ünï 🧪', '']) {
      const cursor = encodeDocumentCursor(id);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeDocumentCursor(cursor)).toBe(id);
    }
    const position = { documentId: 'doc#1', ordinal: 12 };
    expect(decodeChunkCursor(encodeChunkCursor(position))).toEqual(position);
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['object', Buffer.from('{"id":"x"}').toString('base64url')],
    ['empty array', Buffer.from('[]').toString('base64url')],
    ['number id', Buffer.from('[1]').toString('base64url')],
    ['chunk cursor', encodeChunkCursor({ documentId: 'a', ordinal: 1 })],
  ])('document cursor rejects %s', (_, cursor) => {
    expect(() => decodeDocumentCursor(cursor)).toThrow(ValidationError);
  });

  it.each([
    ['document cursor', encodeDocumentCursor('a')],
    ['string ordinal', Buffer.from('["a","1"]').toString('base64url')],
    ['fractional ordinal', Buffer.from('["a",1.5]').toString('base64url')],
    ['extra element', Buffer.from('["a",1,2]').toString('base64url')],
  ])('chunk cursor rejects %s', (_, cursor) => {
    expect(() => decodeChunkCursor(cursor)).toThrow(ValidationError);
  });

  it('page queries check the limit and decode the cursor', () => {
    expect(documentPageQuery({ limit: 5 })).toEqual({ limit: 5, after: null });
    expect(documentPageQuery({ limit: 5, cursor: encodeDocumentCursor('x') })).toEqual({
      limit: 5,
      after: 'x',
    });
    expect(chunkPageQuery({ limit: 2, cursor: encodeChunkCursor({ documentId: 'd', ordinal: 0 }) })).toEqual({
      limit: 2,
      after: { documentId: 'd', ordinal: 0 },
    });
    expect(() => documentPageQuery({ limit: 0 })).toThrow(ValidationError);
    expect(() => chunkPageQuery({ limit: 1.5 })).toThrow(ValidationError);
  });

  it('keysetPage cuts limit + 1 rows and derives the cursor from the last item', () => {
    const rows = ['a', 'b', 'c'];
    expect(
      keysetPage(
        rows,
        2,
        (row) => row.toUpperCase(),
        (item) => `after-${item}`,
      ),
    ).toEqual({
      data: ['A', 'B'],
      nextCursor: 'after-B',
    });
    expect(
      keysetPage(
        rows,
        3,
        (row) => row,
        (item) => item,
      ),
    ).toEqual({ data: rows, nextCursor: null });
    expect(
      keysetPage(
        [],
        3,
        (row) => row,
        (item) => item,
      ),
    ).toEqual({ data: [], nextCursor: null });
  });
});

describe('knowledge input checks', () => {
  it('sorts an upsert batch by id (code-unit order) without touching the input', () => {
    const input = [document('b'), document('B'), document('a-1'), document('a')];
    const checked = checkDocuments(input);
    expect(checked.map((each) => each.id)).toEqual(['B', 'a', 'a-1', 'b']);
    expect(input.map((each) => each.id)).toEqual(['b', 'B', 'a-1', 'a']);
  });

  it('refuses duplicate ids and NUL characters in any text field', () => {
    expect(() => checkDocuments([document('a'), document('a')])).toThrow(/appears more than once/);
    for (const bad of [
      document('a\u0000'),
      document('a', { source: '\u0000' }),
      document('a', { title: 't\u0000' }),
      document('a', { text: 'x\u0000y' }),
    ]) {
      expect(() => checkDocuments([bad])).toThrow(ValidationError);
    }
  });

  it('stores source times as whole milliseconds and refuses non-finite ones', () => {
    const input = document('a', { sourceUpdatedAt: 1_700_000_000_123.9 });
    expect(checkDocuments([input])[0]?.sourceUpdatedAt).toBe(1_700_000_000_123);
    expect(input.sourceUpdatedAt).toBe(1_700_000_000_123.9);
    expect(wholeMilliseconds(null, 'x')).toBeNull();
    expect(wholeMilliseconds(-1.5, 'x')).toBe(-2);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => checkDocuments([document('a', { sourceUpdatedAt: bad })])).toThrow(ValidationError);
    }
  });

  it('checks snapshot content: text, counts and ordinals', () => {
    const entry = {
      id: 'd',
      source: 's',
      title: null,
      contentHash: 'h',
      sourceUpdatedAt: 5.5,
      chunkCount: 1,
    };
    const chunk = {
      id: 'd#0',
      documentId: 'd',
      ordinal: 0,
      text: 't',
      tokenCount: 1,
      metadata: {},
      embedding: null,
    };
    const checked = checkSnapshotContent({ documents: [entry], chunks: [chunk] });
    expect(checked.documents[0]?.sourceUpdatedAt).toBe(5);
    expect(checked.chunks[0]).toBe(chunk);
    for (const bad of [
      { documents: [{ ...entry, chunkCount: -1 }], chunks: [] },
      { documents: [{ ...entry, title: '\u0000' }], chunks: [] },
      { documents: [], chunks: [{ ...chunk, ordinal: 1.5 }] },
      { documents: [], chunks: [{ ...chunk, tokenCount: -3 }] },
      { documents: [], chunks: [{ ...chunk, text: '\u0000' }] },
      { documents: [], chunks: [{ ...chunk, documentId: 'd\u0000' }] },
    ]) {
      expect(() => checkSnapshotContent(bad)).toThrow(ValidationError);
    }
  });

  it('serialises JSON columns, refusing NUL characters and lone surrogates anywhere', () => {
    expect(jsonColumn({ a: [1, { b: 'ü 🧪' }] }, 'm')).toBe('{"a":[1,{"b":"ü 🧪"}]}');
    expect(jsonColumn({ path: 'C:\\users\\x', ctl: '\u0001' }, 'm')).toBe(
      JSON.stringify({ path: 'C:\\users\\x', ctl: '\u0001' }),
    );
    for (const bad of [
      { a: 'x\u0000' },
      { 'k\u0000': 1 },
      { deep: [{ x: ['\u0000'] }] },
      { lone: 'a\ud800b' },
      { lone: '\udc00' },
      { '\ud83e': true },
    ]) {
      expect(() => jsonColumn(bad, 'metadata of x')).toThrow(ValidationError);
    }
  });

  it('tells versions a snapshot can have from impossible and invalid ones', () => {
    expect(storableVersion(1)).toBe(1);
    expect(storableVersion(2_147_483_647)).toBe(2_147_483_647);
    for (const impossible of [0, -4, 2_147_483_648, 2 ** 53]) expect(storableVersion(impossible)).toBeNull();
    for (const invalid of [1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => storableVersion(invalid)).toThrow(ValidationError);
    }
  });

  it('checks final totals', () => {
    expect(() => checkTotals({ documentCount: 0, chunkCount: 0, embeddingDimensions: null })).not.toThrow();
    expect(() => checkTotals({ documentCount: 3, chunkCount: 9, embeddingDimensions: 384 })).not.toThrow();
    for (const bad of [
      { documentCount: -1, chunkCount: 0, embeddingDimensions: null },
      { documentCount: 0, chunkCount: 0.5, embeddingDimensions: null },
      { documentCount: 0, chunkCount: 0, embeddingDimensions: 0 },
      { documentCount: 0, chunkCount: 0, embeddingDimensions: 1.5 },
      { documentCount: 2 ** 31, chunkCount: 0, embeddingDimensions: null },
    ]) {
      expect(() => checkTotals(bad)).toThrow(ValidationError);
    }
  });
});

describe('knowledge row mappers', () => {
  const settings = { chunk_tokens: 300, overlap_tokens: 40, embedding_model: null };

  it('read SQLite rows (JSON text, numbers) and pg rows (parsed JSON, bigint strings) alike', () => {
    const sqliteBase = {
      id: 'kb_1',
      project_id: 'p',
      name: 'kb',
      settings: JSON.stringify(settings),
      latest_snapshot: 2,
      created_at: 10,
    };
    const pgBase = { ...sqliteBase, settings, created_at: '10' };
    const expected = { id: 'kb_1', projectId: 'p', name: 'kb', settings, latestSnapshot: 2, createdAt: 10 };
    expect(toKnowledgeBase(sqliteBase)).toEqual(expected);
    expect(toKnowledgeBase(pgBase)).toEqual(expected);

    const documentRow = {
      project_id: 'p',
      base: 'kb',
      id: 'd',
      source: 's',
      title: null,
      content_hash: 'h',
      source_updated_at: '1750000000000',
      updated_at: 1_750_000_000_001,
      metadata: '{"x":[1]}',
      text: 't',
    };
    expect(toKnowledgeDocument(documentRow)).toEqual({
      projectId: 'p',
      knowledgeBase: 'kb',
      id: 'd',
      source: 's',
      title: null,
      text: 't',
      metadata: { x: [1] },
      contentHash: 'h',
      sourceUpdatedAt: 1_750_000_000_000,
      updatedAt: 1_750_000_000_001,
    });

    expect(
      toKnowledgeSnapshot({
        project_id: 'p',
        base: 'kb',
        version: 3,
        status: 'ready',
        settings,
        document_count: 2,
        chunk_count: '7',
        embedding_dimensions: null,
        created_at: '5',
        created_by: null,
      }),
    ).toEqual({
      projectId: 'p',
      knowledgeBase: 'kb',
      version: 3,
      status: 'ready',
      settings,
      documentCount: 2,
      chunkCount: 7,
      embeddingDimensions: null,
      createdAt: 5,
      createdBy: null,
    });

    expect(
      toSnapshotDocument({
        document_id: 'd',
        source: 's',
        title: 'T',
        content_hash: 'h',
        source_updated_at: null,
        chunk_count: 4,
      }),
    ).toEqual({ id: 'd', source: 's', title: 'T', contentHash: 'h', sourceUpdatedAt: null, chunkCount: 4 });
  });

  it('maps chunk rows, decoding the embedding or keeping null', () => {
    const bytes = encodeEmbedding(new Float32Array([0.5, -1]));
    const row = {
      document_id: 'd',
      ordinal: 0,
      chunk_id: 'd#0',
      token_count: 3,
      metadata: { a: 1 },
      embedding: Buffer.from(bytes),
      text: 't',
    };
    const chunk = toKnowledgeChunk(row);
    expect(chunk).toMatchObject({
      id: 'd#0',
      documentId: 'd',
      ordinal: 0,
      tokenCount: 3,
      metadata: { a: 1 },
    });
    expect(Array.from(chunk.embedding!)).toEqual([0.5, -1]);
    expect(toKnowledgeChunk({ ...row, embedding: null }).embedding).toBeNull();
  });
});
