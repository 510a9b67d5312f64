/**
 * `stackops kb`: the batching of `kb ingest` (by count, by JSON size, never a repeated id in
 * one request), the ingest loop (one request in flight, refused batches split down to the
 * refused document, a dead server stops it) and the renderings of the other commands.
 */
import { Writable } from 'node:stream';
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import type { KnowledgeDocumentJson } from '../../src/cli/api-types.js';
import { CliError } from '../../src/cli/cli-error.js';
import {
  DocumentBatcher,
  MAX_ID_LENGTH,
  MAX_TITLE_LENGTH,
  type ReadDocument,
  toWireDocument,
  wireBytes,
} from '../../src/cli/kb-batch.js';
import {
  excerpt,
  formatScore,
  renderKbDiff,
  renderKbList,
  renderKbSearch,
  renderKbShow,
  renderKbSnapshot,
  renderKbStale,
} from '../../src/cli/kb-commands.js';
import {
  createBarReporter,
  createIngestSummary,
  createLineReporter,
  type IngestEntry,
  type IngestReporter,
  type IngestSummary,
  MAX_LISTED_ERRORS,
  renderIngestSummary,
  runIngest,
} from '../../src/cli/kb-ingest.js';
import {
  nonNegativeNumber,
  parseJsonObject,
  positiveNumber,
  wholeNumber,
} from '../../src/cli/parse-arguments.js';

const wire = (id: string, text = `text of ${id}`): KnowledgeDocumentJson => ({
  id,
  text,
  source: `${id}.md`,
  title: null,
  metadata: {},
  source_updated_at: null,
});

const read = (id: string, extra: Partial<ReadDocument> = {}): IngestEntry => ({
  kind: 'document',
  document: {
    id,
    source: `${id}.md`,
    title: null,
    text: `text of ${id}`,
    metadata: {},
    sourceUpdatedAt: null,
    ...extra,
  },
});

const ids = (batches: KnowledgeDocumentJson[][]) => batches.map((batch) => batch.map((entry) => entry.id));

describe('DocumentBatcher', () => {
  it('cuts batches by count, the moment one is full', () => {
    const batcher = new DocumentBatcher({ maxDocuments: 2, maxBytes: 1_000_000 });
    expect(ids(batcher.add(wire('a')))).toEqual([]);
    expect(batcher.pending).toBe(1);
    expect(ids(batcher.add(wire('b')))).toEqual([['a', 'b']]);
    expect(batcher.pending).toBe(0);
    expect(ids(batcher.add(wire('c')))).toEqual([]);
    expect(batcher.flush()?.map((entry) => entry.id)).toEqual(['c']);
    expect(batcher.flush()).toBeNull();
  });

  it('cuts batches by the size of their JSON, counting the envelope', () => {
    const document = wire('a', 'x'.repeat(100));
    const size = wireBytes(document);
    expect(size).toBe(Buffer.byteLength(JSON.stringify(document)) + 1);
    // Room for exactly two documents of this size.
    const batcher = new DocumentBatcher({ maxDocuments: 100, maxBytes: 16 + 2 * size + 1 });
    expect(ids(batcher.add(wire('a', 'x'.repeat(100))))).toEqual([]);
    expect(ids(batcher.add(wire('b', 'x'.repeat(100))))).toEqual([]);
    expect(ids(batcher.add(wire('c', 'x'.repeat(100))))).toEqual([['a', 'b']]);
    expect(batcher.flush()?.map((entry) => entry.id)).toEqual(['c']);
  });

  it('measures bytes, not characters: escapes and multi-byte text count in full', () => {
    expect(wireBytes(wire('a', 'é'))).toBe(wireBytes(wire('a', 'e')) + 1);
    expect(wireBytes(wire('a', '"'))).toBe(wireBytes(wire('a', 'e')) + 1);
    expect(wireBytes(wire('a', '\u0001'))).toBe(wireBytes(wire('a', 'e')) + 5);
  });

  it('sends a document larger than a batch alone, after what was pending', () => {
    const batcher = new DocumentBatcher({ maxDocuments: 100, maxBytes: 500 });
    expect(ids(batcher.add(wire('small')))).toEqual([]);
    expect(ids(batcher.add(wire('huge', 'x'.repeat(2000))))).toEqual([['small'], ['huge']]);
    expect(batcher.flush()).toBeNull();
    expect(ids(batcher.add(wire('huge2', 'x'.repeat(2000))))).toEqual([['huge2']]);
  });

  it('never puts the same id twice in one batch: the repeat starts the next one', () => {
    const batcher = new DocumentBatcher({ maxDocuments: 10, maxBytes: 1_000_000 });
    batcher.add(wire('a'));
    batcher.add(wire('b'));
    expect(ids(batcher.add(wire('a', 'second version')))).toEqual([['a', 'b']]);
    expect(batcher.flush()?.map((entry) => entry.text)).toEqual(['second version']);
  });

  it('refuses impossible limits', () => {
    expect(() => new DocumentBatcher({ maxDocuments: 0, maxBytes: 10 })).toThrow(RangeError);
    expect(() => new DocumentBatcher({ maxDocuments: 1, maxBytes: 0 })).toThrow(RangeError);
  });
});

describe('toWireDocument', () => {
  const document: ReadDocument = {
    id: 'guide/a.md',
    source: 'guide/a.md',
    title: 'A',
    text: '# A\nbody',
    metadata: { lang: 'en' },
    sourceUpdatedAt: 1_764_410_000_123.7,
  };

  it('maps to the wire shape, whole milliseconds', () => {
    expect(toWireDocument(document)).toEqual({
      ok: true,
      document: {
        id: 'guide/a.md',
        source: 'guide/a.md',
        title: 'A',
        text: '# A\nbody',
        metadata: { lang: 'en' },
        source_updated_at: 1_764_410_000_123,
      },
    });
  });

  it.each([
    [{ text: ' \n\t' }, 'no text'],
    [{ id: '' }, 'the document has no id'],
    [{ id: 'x'.repeat(MAX_ID_LENGTH + 1) }, `id longer than ${MAX_ID_LENGTH} characters`],
    [{ source: 's'.repeat(5000) }, 'source longer than 4096 characters'],
  ])('skips what the server would refuse: %j', (change, message) => {
    expect(toWireDocument({ ...document, ...change })).toEqual({ ok: false, message });
  });

  it('shortens a long title and drops an impossible time', () => {
    const result = toWireDocument({ ...document, title: 't'.repeat(2000), sourceUpdatedAt: -5 });
    expect(result.ok && result.document.title?.length).toBe(MAX_TITLE_LENGTH);
    expect(result.ok && result.document.source_updated_at).toBeNull();
    const nan = toWireDocument({ ...document, sourceUpdatedAt: Number.NaN });
    expect(nan.ok && nan.document.source_updated_at).toBeNull();
  });
});

async function* entries(list: IngestEntry[], log?: string[]): AsyncGenerator<IngestEntry> {
  for (const entry of list) {
    log?.push(`read ${entry.kind === 'document' ? entry.document.id : entry.source}`);
    yield entry;
  }
}

const counts = (inserted: number, updated = 0, unchanged = 0) => ({ inserted, updated, unchanged });

function recorder() {
  const lines: string[] = [];
  const finished: IngestSummary[] = [];
  const reporter: IngestReporter = {
    skipped: (source, message) => lines.push(`skipped ${source}: ${message}`),
    progress: (summary, event) => {
      if (event === 'batch') lines.push(`batch ${summary.batches}`);
    },
    finish: (summary) => finished.push(structuredClone(summary)),
  };
  return { lines, finished, reporter };
}

const rejection = (status: number, message: string) => new CliError('api', message, { status });

describe('runIngest', () => {
  it('posts batches, reports skipped sources and sums the answers', async () => {
    const sent: string[][] = [];
    const { lines, finished, reporter } = recorder();
    const summary = await runIngest({
      entries: entries([
        read('a'),
        { kind: 'error', source: 'photo.png', message: 'unsupported file type (.png)' },
        read('b'),
        read('c', { source: 'faq.jsonl' }),
        read('d', { source: 'faq.jsonl' }),
        read('blank', { text: '   ', source: 'blank.md' }),
        read('q9', { text: '', source: 'faq.jsonl' }),
      ]),
      send: async (batch) => {
        sent.push(batch.map((entry) => entry.id));
        return batch.length === 2 ? counts(1, 0, 1) : counts(1);
      },
      limits: { maxDocuments: 2, maxBytes: 1_000_000 },
      reporter,
      summary: createIngestSummary('faq'),
    });
    expect(sent).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(summary).toEqual({
      knowledge_base: 'faq',
      sources: 5,
      documents: 6,
      ingested: 4,
      inserted: 2,
      updated: 0,
      unchanged: 2,
      batches: 2,
      errors: 3,
      skipped: [
        { source: 'photo.png', message: 'unsupported file type (.png)' },
        { source: 'blank.md', message: 'document "blank": no text' },
        { source: 'faq.jsonl', message: 'document "q9": no text' },
      ],
    });
    expect(lines).toEqual([
      'skipped photo.png: unsupported file type (.png)',
      'batch 1',
      'batch 2',
      'skipped blank.md: document "blank": no text',
      'skipped faq.jsonl: document "q9": no text',
    ]);
    expect(finished).toHaveLength(1);
    expect(renderIngestSummary(summary)).toBe(
      'faq: 6 documents from 5 sources; 2 inserted, 0 updated, 2 unchanged; 3 errors',
    );
  });

  it('keeps one request in flight while reading the next batch, never two', async () => {
    const log: string[] = [];
    let active = 0;
    let most = 0;
    const release: Array<() => void> = [];
    const summary = createIngestSummary('kb');
    const done = runIngest({
      entries: entries(
        ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => read(id)),
        log,
      ),
      send: (batch) => {
        active++;
        most = Math.max(most, active);
        log.push(`send ${batch.map((entry) => entry.id).join('')}`);
        return new Promise((resolve) =>
          release.push(() => {
            active--;
            resolve(counts(batch.length));
          }),
        );
      },
      limits: { maxDocuments: 2, maxBytes: 1_000_000 },
      reporter: recorder().reporter,
      summary,
    });
    // Let the loop run until it waits on the first answer.
    const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
    await settle();
    expect(log).toEqual(['read a', 'read b', 'send ab', 'read c', 'read d']);
    release.shift()?.();
    await settle();
    expect(log.slice(5)).toEqual(['send cd', 'read e', 'read f']);
    release.shift()?.();
    await settle();
    release.shift()?.();
    expect((await done).ingested).toBe(6);
    expect(most).toBe(1);
  });

  it('splits a refused batch until the refused document is alone, and skips only it', async () => {
    const calls: string[] = [];
    const { lines, reporter } = recorder();
    const summary = await runIngest({
      entries: entries(['a', 'b', 'bad', 'c', 'd'].map((id) => read(id))),
      send: async (batch) => {
        calls.push(batch.map((entry) => entry.id).join(','));
        if (batch.some((entry) => entry.id === 'bad')) throw rejection(400, 'Document "bad" is not welcome');
        return counts(batch.length);
      },
      limits: { maxDocuments: 5, maxBytes: 1_000_000 },
      reporter,
      summary: createIngestSummary('kb'),
    });
    expect(calls).toEqual(['a,b,bad,c,d', 'a,b,bad', 'a,b', 'bad', 'c,d']);
    expect(summary).toMatchObject({ ingested: 4, inserted: 4, errors: 1, batches: 2 });
    expect(lines).toContain('skipped bad.md: Document "bad" is not welcome');
  });

  it('splits on 413 too (a body too large for the server)', async () => {
    const summary = await runIngest({
      entries: entries(['a', 'b', 'c', 'd'].map((id) => read(id))),
      send: async (batch) => {
        if (batch.length > 1) throw rejection(413, 'Request body is too large');
        return counts(1);
      },
      limits: { maxDocuments: 4, maxBytes: 1_000_000 },
      reporter: recorder().reporter,
      summary: createIngestSummary('kb'),
    });
    expect(summary).toMatchObject({ ingested: 4, batches: 4, errors: 0 });
  });

  it('stops on any other failure, keeping what was stored before it, and reads no further', async () => {
    const log: string[] = [];
    const { finished, reporter } = recorder();
    const summary = createIngestSummary('kb');
    let call = 0;
    const down = new CliError('connection', 'cannot connect to StackOps at http://x: connection refused');
    await expect(
      runIngest({
        entries: entries(
          ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id) => read(id)),
          log,
        ),
        send: async (batch) => {
          call++;
          if (call === 2) throw down;
          return counts(batch.length);
        },
        limits: { maxDocuments: 2, maxBytes: 1_000_000 },
        reporter,
        summary,
      }),
    ).rejects.toBe(down);
    expect(summary).toMatchObject({ ingested: 2, batches: 1 });
    expect(finished).toHaveLength(1);
    expect(log.length).toBeLessThan(8);
  });

  it('still waits for the request in flight when reading itself fails', async () => {
    const { finished, reporter } = recorder();
    const summary = createIngestSummary('kb');
    async function* broken(): AsyncGenerator<IngestEntry> {
      yield read('a');
      yield read('b');
      throw new Error('disk on fire');
    }
    await expect(
      runIngest({
        entries: broken(),
        send: async (batch) => {
          await new Promise((resolve) => setTimeout(resolve, 10));
          return counts(batch.length);
        },
        limits: { maxDocuments: 2, maxBytes: 1_000_000 },
        reporter,
        summary,
      }),
    ).rejects.toThrow('disk on fire');
    expect(summary.ingested).toBe(2);
    expect(finished[0]?.ingested).toBe(2);
  });

  it('counts every error but lists at most MAX_LISTED_ERRORS', async () => {
    const many: IngestEntry[] = Array.from({ length: MAX_LISTED_ERRORS + 5 }, (_, index) => ({
      kind: 'error',
      source: `f${index}.bin`,
      message: 'binary file',
    }));
    const summary = await runIngest({
      entries: entries(many),
      send: async () => counts(0),
      limits: { maxDocuments: 2, maxBytes: 1_000_000 },
      reporter: recorder().reporter,
      summary: createIngestSummary('kb'),
    });
    expect(summary.errors).toBe(MAX_LISTED_ERRORS + 5);
    expect(summary.skipped).toHaveLength(MAX_LISTED_ERRORS);
    expect(summary.batches).toBe(0);
  });

  it('draws a bar on a terminal, prints skipped sources above it and clears it at the end', async () => {
    let written = '';
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        written += String(chunk);
        callback();
      },
    }) as unknown as NodeJS.WriteStream;
    Object.assign(stream, { isTTY: true, columns: 200 });
    const reporter = await createBarReporter(stream, 'faq');
    const summary = { ...createIngestSummary('faq'), documents: 3, ingested: 2, inserted: 2, errors: 1 };
    reporter.skipped('x.bin', 'binary file');
    reporter.progress(summary, 'batch');
    reporter.finish(summary);
    expect(written).toContain('skipped x.bin: binary file\n');
    expect(written).toMatch(
      /faq \[[█░]{24}\] 2\/3 documents \| 2 inserted, 0 updated, 0 unchanged \| 1 skipped/,
    );
    // Cleared to the end of the screen: the summary printed next is not mixed with a bar.
    expect(written.endsWith(`${String.fromCharCode(27)}[0J`)).toBe(true);
  });

  it('prints plain progress lines for logs', () => {
    const lines: string[] = [];
    const reporter = createLineReporter((line) => lines.push(line));
    const summary = { ...createIngestSummary('faq'), documents: 3, ingested: 2, inserted: 1, unchanged: 1 };
    reporter.progress(summary, 'read');
    reporter.progress(summary, 'batch');
    reporter.skipped('x.bin', 'binary file');
    expect(lines).toEqual([
      'faq: 2 of 3 documents sent (1 inserted, 0 updated, 1 unchanged), 0 skipped',
      'skipped x.bin: binary file',
    ]);
  });
});

describe('kb renderings', () => {
  it('lists bases and shows one with its snapshots, newest first', () => {
    expect(renderKbList({ data: [] })).toBe('no knowledge bases yet (stackops kb create NAME)');
    expect(
      renderKbList({
        data: [
          {
            name: 'faq',
            settings: { chunk_tokens: 300, overlap_tokens: 40, embedding_model: null },
            latest_snapshot: 2,
            created_at: '2026-11-29T10:00:00.000Z',
          },
        ],
      }),
    ).toBe(
      'NAME  SNAPSHOT  CHUNK  OVERLAP  EMBEDDINGS  CREATED\nfaq   v2        300    40       -           2026-11-29 10:00:00',
    );
    const shown = renderKbShow({
      name: 'faq',
      settings: { chunk_tokens: 300, overlap_tokens: 40, embedding_model: 'local-embedding' },
      documents: 12,
      latest_snapshot: 2,
      snapshots: [
        {
          version: 1,
          documents: 10,
          chunks: 70,
          embedding_dimensions: 256,
          created_at: null,
          created_by: 'key_1',
        },
        {
          version: 2,
          documents: 12,
          chunks: 84,
          embedding_dimensions: 256,
          created_at: null,
          created_by: null,
        },
      ],
    });
    expect(shown.split('\n')).toEqual([
      'faq',
      'settings:         chunks of 300 tokens, 40 overlap, embeddings local-embedding',
      'documents:        12',
      'latest snapshot:  v2',
      '',
      'VERSION  DOCUMENTS  CHUNKS  DIMENSIONS  CREATED  BY',
      'v2              12      84         256  -        -',
      'v1              10      70         256  -        key_1',
    ]);
    expect(renderKbShow({ name: 'new', documents: 0, latest_snapshot: null, snapshots: [] })).toContain(
      'no snapshots yet (stackops kb snapshot new)',
    );
  });

  it('snapshot and diff', () => {
    expect(renderKbSnapshot({ name: 'faq', version: 2, documents: 120, chunks: 840 })).toBe(
      'faq@2: 120 documents, 840 chunks',
    );
    expect(
      renderKbDiff(
        { from: 1, to: 2, added: ['new.md'], removed: ['old.md'], changed: ['a.md'], unchanged: 3 },
        'faq',
      ),
    ).toBe('faq@1 → faq@2: 1 added, 1 removed, 1 changed, 3 unchanged\n+ new.md\n- old.md\n~ a.md');
    expect(renderKbDiff({ from: 2, to: 2, added: [], removed: [], changed: [] }, 'faq')).toBe(
      'faq@2 → faq@2: 0 added, 0 removed, 0 changed',
    );
  });

  it('search results as a table with one-line excerpts', () => {
    expect(excerpt('a\n\n  b\tc')).toBe('a b c');
    expect(excerpt('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(formatScore(7.123456)).toBe('7.123');
    expect(formatScore(0.0327868)).toBe('0.03279');
    expect(formatScore(12)).toBe('12');
    expect(formatScore(Number.NaN)).toBe('-');
    expect(renderKbSearch({ snapshot: 3, results: [] }, 'faq')).toBe('faq@3: no results');
    expect(
      renderKbSearch(
        {
          snapshot: 3,
          results: [
            {
              document_id: 'refunds.md',
              chunk_id: 'refunds.md#0',
              score: 4.5,
              text: 'Refunds take\n5 days.',
            },
            { document_id: 'faq.jsonl', chunk_id: 'q12#1', score: 1.25, text: 'Shipping is free.' },
          ],
        },
        'faq',
      ),
    ).toBe(
      [
        'faq@3: 2 results',
        'RANK  SCORE  DOCUMENT    CHUNK         TEXT',
        '   1    4.5  refunds.md  refunds.md#0  Refunds take 5 days.',
        '   2   1.25  faq.jsonl   q12#1         Shipping is free.',
      ].join('\n'),
    );
  });

  it('stale: old, changed and deleted documents, or nothing', () => {
    const none = {
      snapshot: 2,
      older_than_days: 90,
      old: [],
      changed_since_snapshot: [],
      deleted_since_snapshot: [],
    };
    expect(renderKbStale(none, 'faq')).toBe(
      'faq@2: nothing stale (no source older than 90 days, none changed or deleted since the snapshot)',
    );
    expect(
      renderKbStale(
        {
          ...none,
          old: [{ id: 'a.md', source_updated_at: '2025-01-01T00:00:00.000Z' }],
          changed_since_snapshot: ['b.md'],
          deleted_since_snapshot: ['c.md'],
        },
        'faq',
      ).split('\n'),
    ).toEqual([
      'faq@2: 1 old, 1 changed, 1 deleted',
      '',
      'older than 90 days:',
      '  a.md  2025-01-01 00:00:00',
      '',
      'changed since the snapshot:',
      '  b.md',
      '',
      'deleted since the snapshot:',
      '  c.md',
    ]);
  });
});

describe('kb argument parsing', () => {
  it('whole numbers in a range, non-negative and positive numbers', () => {
    expect(wholeNumber(0, 10)('0')).toBe(0);
    for (const bad of ['-1', '11', '1.5', '', 'x'])
      expect(() => wholeNumber(0, 10)(bad)).toThrow(InvalidArgumentError);
    expect(nonNegativeNumber('0')).toBe(0);
    expect(nonNegativeNumber('0.5')).toBe(0.5);
    for (const bad of ['-1', '', 'x', 'Infinity'])
      expect(() => nonNegativeNumber(bad)).toThrow(InvalidArgumentError);
    expect(positiveNumber('1.5')).toBe(1.5);
    for (const bad of ['0', '-2', '']) expect(() => positiveNumber(bad)).toThrow(InvalidArgumentError);
  });

  it('--filter must be a JSON object (a usage error otherwise)', () => {
    expect(parseJsonObject('{"lang":"en"}', '--filter')).toEqual({ lang: 'en' });
    for (const [text, message] of [
      ['{lang:en}', /--filter is not valid JSON/],
      ['[1]', /--filter must be a JSON object/],
      ['null', /--filter must be a JSON object/],
    ] as const) {
      let caught: unknown;
      try {
        parseJsonObject(text, '--filter');
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(CliError);
      expect((caught as CliError).exitCode).toBe(2);
      expect((caught as CliError).message).toMatch(message);
    }
  });
});
