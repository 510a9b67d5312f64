/**
 * `stackops kb …` as real processes against a node:http stub of the knowledge REST API.
 * Checks each command's request and output, and `kb ingest` of a real temp folder: a good
 * markdown file, a jsonl file of three records, an empty file and a binary file — the two bad
 * files are reported and skipped, the four documents are posted in batches, and the exit
 * code says whether anything was stored. The same commands against the real server:
 * cli-e2e.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiStub,
  apiError,
  createCliRunner,
  type StubRoutes,
  startApiStub,
  stubClient,
} from '../helpers/cli-harness.js';

const directory = mkdtempSync(join(tmpdir(), 'stackops-cli-kb-'));

const settings = { chunk_tokens: 300, overlap_tokens: 40, embedding_model: null };

const routes: StubRoutes = {
  'POST /api/knowledge': (request) => ({
    status: 201,
    body: {
      name: request.body.name,
      settings: { ...settings, chunk_tokens: request.body.chunk_tokens ?? 300 },
      latest_snapshot: null,
      created_at: '2026-11-29T10:00:00.000Z',
    },
  }),
  'GET /api/knowledge': () => ({
    status: 200,
    body: { data: [{ name: 'faq', settings, latest_snapshot: 2, created_at: '2026-11-29T10:00:00.000Z' }] },
  }),
  'GET /api/knowledge/faq': () => ({
    status: 200,
    body: {
      name: 'faq',
      settings,
      documents: 4,
      latest_snapshot: 1,
      snapshots: [
        {
          version: 1,
          documents: 4,
          chunks: 9,
          embedding_dimensions: null,
          created_at: '2026-11-29T11:00:00.000Z',
          created_by: 'key_1',
        },
      ],
    },
  }),
  'GET /api/knowledge/ghost': () => apiError(404, 'not_found', 'Knowledge base "ghost" not found'),
  // Like the server: a document that is already there with the same text is unchanged, and a
  // batch with a refused document is refused as a whole.
  'POST /api/knowledge/faq/documents': (request) => {
    const documents = request.body.documents as { id: string; text: string }[];
    const refused = documents.find((document) => document.text.includes('REFUSE'));
    if (refused) return apiError(400, 'invalid_request', `Document "${refused.id}" is refused`);
    const unchanged = documents.filter((document) => document.id === 'q2').length;
    return { status: 200, body: { inserted: documents.length - unchanged, updated: 0, unchanged } };
  },
  'POST /api/knowledge/faq/snapshots': () => ({
    status: 201,
    body: {
      name: 'faq',
      version: 2,
      documents: 120,
      chunks: 840,
      embedding_dimensions: null,
      created_at: '2026-11-29T12:00:00.000Z',
    },
  }),
  'GET /api/knowledge/faq/diff': (request) => ({
    status: 200,
    body: {
      from: Number(request.query.from),
      to: Number(request.query.to),
      added: ['new.md'],
      removed: ['old.md'],
      changed: ['good.md'],
      unchanged: 2,
    },
  }),
  'POST /api/knowledge/faq/search': () => ({
    status: 200,
    body: {
      snapshot: 2,
      results: [
        {
          document_id: 'good.md',
          chunk_id: 'good.md#0',
          score: 3.21,
          text: '# Refunds\n\nRefunds take five business days.',
          metadata: {},
        },
      ],
    },
  }),
  'GET /api/knowledge/faq/stale': (request) => ({
    status: 200,
    body: {
      snapshot: 2,
      older_than_days: Number(request.query.days ?? 90),
      old: [{ id: 'old.md', source_updated_at: '2025-01-02T03:04:05.000Z' }],
      changed_since_snapshot: [],
      deleted_since_snapshot: ['gone.md'],
    },
  }),
  'DELETE /api/knowledge/faq/documents/guide/a.md': () => ({
    status: 200,
    body: { id: 'guide/a.md', deleted: true },
  }),
};

let stub: ApiStub;
const cli = createCliRunner(directory);
const client = (key: string) => stubClient(stub, cli, key);

beforeAll(async () => {
  stub = await startApiStub(routes);
});
afterAll(async () => {
  await stub.close();
  rmSync(directory, { recursive: true, force: true });
});

/** A folder of files: name → content. */
function folder(name: string, files: Record<string, string | Buffer>): string {
  const path = join(directory, name);
  mkdirSync(path, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(path, file), content);
  return path;
}

const records = [
  { id: 'q1', text: 'How long do refunds take? Five business days.', title: 'Refund time' },
  { id: 'q2', text: 'Is shipping free? Yes, above 50 euros.', lang: 'en' },
  { id: 'q3', text: 'Can I change my order? Within one hour.', updated_at: '2026-01-02T00:00:00Z' },
];
const mixedFolder = () =>
  folder('docs', {
    'good.md': '# Refunds\n\nRefunds take five business days.\n',
    'records.jsonl': `${records.map((record) => JSON.stringify(record)).join('\n')}\n`,
    'empty.txt': '',
    'blob.txt': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01, 0xff, 0x00]),
  });

// Each run is a fresh node + tsx process (about a second on two cores).
describe('stackops kb', { timeout: 60_000 }, () => {
  it('create, list and show', async () => {
    const { run, requests: made } = client('kb-basics');
    const created = await run(['kb', 'create', 'faq', '--chunk-tokens', '200', '--overlap-tokens', '0']);
    expect(created).toEqual({
      code: 0,
      stdout: 'created knowledge base faq (chunks of 200 tokens, 40 overlap, no embeddings)\n',
      stderr: '',
    });
    await run(['kb', 'create', 'vectors', '--embedding-model', 'local-embedding']);
    expect((await run(['kb', 'list'])).stdout).toBe(
      'NAME  SNAPSHOT  CHUNK  OVERLAP  EMBEDDINGS  CREATED\nfaq   v2        300    40       -           2026-11-29 10:00:00\n',
    );
    expect((await run(['kb', 'show', 'faq'])).stdout).toBe(
      [
        'faq',
        'settings:         chunks of 300 tokens, 40 overlap, no embeddings',
        'documents:        4',
        'latest snapshot:  v1',
        '',
        'VERSION  DOCUMENTS  CHUNKS  DIMENSIONS  CREATED              BY',
        'v1               4       9           -  2026-11-29 11:00:00  key_1',
        '',
      ].join('\n'),
    );
    expect(made().map(({ method, path, body }) => [method, path, body])).toEqual([
      ['POST', '/api/knowledge', { name: 'faq', chunk_tokens: 200, overlap_tokens: 0 }],
      ['POST', '/api/knowledge', { name: 'vectors', embedding_model: 'local-embedding' }],
      ['GET', '/api/knowledge', undefined],
      ['GET', '/api/knowledge/faq', undefined],
    ]);
  });

  it('ingest reads a folder, skips the empty and the binary file, posts the rest in batches', async () => {
    const { run, requests: made } = client('kb-ingest');
    const docs = mixedFolder();
    const result = await run(['kb', 'ingest', 'faq', docs, '--base-dir', docs, '--batch-size', '2']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'faq: 4 documents from 2 sources; 3 inserted, 0 updated, 1 unchanged; 2 errors\n',
    );
    const stderr = result.stderr.split('\n');
    expect(stderr).toContain('skipped blob.txt: binary file');
    expect(stderr).toContain('skipped empty.txt: empty document');
    expect(stderr.filter((line) => /^faq: \d of \d documents sent/.test(line))).toHaveLength(2);
    expect(stderr.at(-2)).toBe('snapshot to serve the changes: stackops kb snapshot faq');

    const posts = made().filter((request) => request.method === 'POST');
    expect(made()[0]).toMatchObject({ method: 'GET', path: '/api/knowledge/faq' });
    expect(posts.map((request) => request.path)).toEqual([
      '/api/knowledge/faq/documents',
      '/api/knowledge/faq/documents',
    ]);
    const sent = posts.flatMap((request) => request.body.documents);
    expect(
      posts.map((request) => request.body.documents.map((document: { id: string }) => document.id)),
    ).toEqual([
      ['good.md', 'q1'],
      ['q2', 'q3'],
    ]);
    expect(sent[0]).toEqual({
      id: 'good.md',
      text: '# Refunds\n\nRefunds take five business days.\n',
      source: 'good.md',
      title: 'Refunds',
      metadata: {},
      source_updated_at: expect.any(Number),
    });
    expect(sent[1]).toMatchObject({ id: 'q1', source: 'records.jsonl', title: 'Refund time' });
    expect(sent[2]).toMatchObject({ id: 'q2', metadata: { lang: 'en' } });
    expect(sent[3]).toMatchObject({ id: 'q3', source_updated_at: Date.parse('2026-01-02T00:00:00Z') });
  });

  it('ingest --json prints the summary; ids are the paths as given without --base-dir', async () => {
    const { run, requests: made } = client('kb-ingest-json');
    const docs = folder('single', { 'only.md': 'Only one document here.' });
    const result = await run(['kb', 'ingest', 'faq', join(docs, 'only.md'), '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      knowledge_base: 'faq',
      sources: 1,
      documents: 1,
      ingested: 1,
      inserted: 1,
      updated: 0,
      unchanged: 0,
      batches: 1,
      errors: 0,
      skipped: [],
    });
    expect(made()[1]!.body.documents[0].id).toBe(join(docs, 'only.md'));
  });

  it('ingest skips a document the server refuses and stores the rest of its batch', async () => {
    const { run, requests: made } = client('kb-ingest-refused');
    const docs = folder('refused', {
      'a.md': 'first',
      'b.md': 'REFUSE this one',
      'c.md': 'third',
    });
    const result = await run(['kb', 'ingest', 'faq', docs, '--base-dir', docs]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'faq: 3 documents from 3 sources; 2 inserted, 0 updated, 0 unchanged; 1 error\n',
    );
    expect(result.stderr).toContain('skipped b.md: Document "b.md" is refused\n');
    expect(
      made()
        .filter((request) => request.method === 'POST')
        .map((request) => request.body.documents.map((document: { id: string }) => document.id).join(',')),
    ).toEqual(['a.md,b.md,c.md', 'a.md,b.md', 'a.md', 'b.md', 'c.md']);
  });

  it('ingest exits 1 when nothing could be stored, and reads nothing for an unknown base', async () => {
    const { run, requests: made } = client('kb-ingest-fail');
    const bad = folder('bad', { 'empty.md': '', 'blob.txt': Buffer.from([0, 1, 2, 0]) });
    const failed = await run(['kb', 'ingest', 'faq', bad, '--base-dir', bad]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe(
      'faq: 0 documents from 0 sources; 0 inserted, 0 updated, 0 unchanged; 2 errors\n',
    );
    expect(failed.stderr).toBe(
      'skipped blob.txt: binary file\nskipped empty.md: empty document\nerror: nothing was ingested into faq\n',
    );
    const nothing = await run(['kb', 'ingest', 'faq', folder('void', {})]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toMatch(/^error: no documents found in /);
    const ghost = await run(['kb', 'ingest', 'ghost', bad]);
    expect(ghost).toEqual({ code: 1, stdout: '', stderr: 'error: Knowledge base "ghost" not found\n' });
    expect(made().filter((request) => request.method === 'POST')).toEqual([]);
  });

  it('snapshot, diff, search, stale and rm-doc', async () => {
    const { run, requests: made } = client('kb-read');
    expect((await run(['kb', 'snapshot', 'faq'])).stdout).toBe('faq@2: 120 documents, 840 chunks\n');
    expect((await run(['kb', 'diff', 'faq', '1', 'v2'])).stdout).toBe(
      'faq@1 → faq@2: 1 added, 1 removed, 1 changed, 2 unchanged\n+ new.md\n- old.md\n~ good.md\n',
    );
    const search = await run([
      'kb',
      'search',
      'faq',
      'how long do refunds take',
      '--snapshot',
      '2',
      '--top-k',
      '3',
      '--mode',
      'bm25',
      '--filter',
      '{"lang":"en"}',
    ]);
    expect(search.stdout).toBe(
      [
        'faq@2: 1 result',
        'RANK  SCORE  DOCUMENT  CHUNK      TEXT',
        '   1   3.21  good.md   good.md#0  # Refunds Refunds take five business days.',
        '',
      ].join('\n'),
    );
    const json = await run(['kb', 'search', 'faq', 'refunds', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ snapshot: 2, results: [{ document_id: 'good.md' }] });
    expect((await run(['kb', 'stale', 'faq', '--days', '30'])).stdout).toBe(
      [
        'faq@2: 1 old, 0 changed, 1 deleted',
        '',
        'older than 30 days:',
        '  old.md  2025-01-02 03:04:05',
        '',
        'deleted since the snapshot:',
        '  gone.md',
        '',
      ].join('\n'),
    );
    expect((await run(['kb', 'rm-doc', 'faq', 'guide/a.md'])).stdout).toBe(
      'faq: document guide/a.md deleted\n',
    );
    expect(made().map(({ method, path, query, body }) => ({ method, path, query, body }))).toEqual([
      { method: 'POST', path: '/api/knowledge/faq/snapshots', query: {}, body: {} },
      { method: 'GET', path: '/api/knowledge/faq/diff', query: { from: '1', to: '2' }, body: undefined },
      {
        method: 'POST',
        path: '/api/knowledge/faq/search',
        query: {},
        body: {
          query: 'how long do refunds take',
          top_k: 3,
          snapshot: 2,
          mode: 'bm25',
          filter: { lang: 'en' },
        },
      },
      { method: 'POST', path: '/api/knowledge/faq/search', query: {}, body: { query: 'refunds' } },
      { method: 'GET', path: '/api/knowledge/faq/stale', query: { days: '30' }, body: undefined },
      { method: 'DELETE', path: '/api/knowledge/faq/documents/guide/a.md', query: {}, body: undefined },
    ]);
  });

  it('usage errors exit 2 without calling the server', async () => {
    const { run, requests: made } = client('kb-usage');
    const cases: [string[], RegExp][] = [
      [['kb', 'search', 'faq', 'q', '--filter', '{bad'], /^error: --filter is not valid JSON/],
      [['kb', 'search', 'faq', 'q', '--mode', 'fuzzy'], /Allowed choices are bm25, vector, hybrid/],
      [['kb', 'search', 'faq', 'q', '--top-k', '0'], /argument '0' is invalid/],
      [['kb', 'diff', 'faq', '1', 'latest'], /^error: to "latest" is not a version number/],
      [['kb', 'ingest', 'faq'], /missing required argument 'paths'/],
      [['kb', 'ingest', 'faq', '.', '--batch-size', '6000'], /expected a whole number from 1 to 5000/],
      [['kb', 'stale', 'faq', '--days', '-1'], /expected a number ≥ 0/],
    ];
    for (const [args, message] of cases) {
      const result = await run(args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toMatch(message);
    }
    expect(made()).toEqual([]);
  });
});
