import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ParsedDocument, readSources, type SourceEntry } from '../../src/knowledge/ingest/index.js';

/** A one-page PDF written by hand: catalog, pages, page, content stream, font, info. */
function buildPdf(lines: string[], title: string): Buffer {
  const content = `BT /F1 12 Tf 72 720 Td ${lines.map((line, index) => `${index ? '0 -16 Td ' : ''}(${line}) Tj`).join(' ')} ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Title (${title}) >>`,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(pdf.length);
    pdf += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

async function collect(
  paths: string[],
  options: Parameters<typeof readSources>[1] = {},
): Promise<SourceEntry[]> {
  const entries: SourceEntry[] = [];
  for await (const entry of readSources(paths, options)) entries.push(entry);
  return entries;
}

function documents(entries: SourceEntry[]): ParsedDocument[] {
  return entries.flatMap((entry) => (entry.kind === 'document' ? [entry.document] : []));
}

function errors(entries: SourceEntry[]): Array<{ source: string; message: string }> {
  return entries.flatMap((entry) =>
    entry.kind === 'error' ? [{ source: entry.source, message: entry.message }] : [],
  );
}

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'stackops-ingest-'));
  const docs = join(root, 'docs');
  await mkdir(join(docs, 'guide', 'deep'), { recursive: true });
  await mkdir(join(docs, '.hidden-dir'));
  await writeFile(
    join(docs, 'guide', 'install.md'),
    '---\ntitle: Installing\ntags: [setup]\n---\n# Install StackOps\n\nRun `npm ci`.\n\n## Start\n\nThen `npm start`.\n',
  );
  await writeFile(join(docs, 'guide', 'plain.markdown'), 'Intro line\n\n# First Heading\n\nBody.\n');
  await writeFile(join(docs, 'guide', 'deep', 'notes.txt'), 'Release notes\nEverything changed.\r\nAgain.\n');
  await writeFile(
    join(docs, 'page.html'),
    `<!doctype html><html><head><title>The &amp; Page</title><style>p{color:red}</style>
     <script>var hidden = "script text";</script></head><body>
     <nav><a href="/">Home</a> nav text</nav>
     <h1>Main   heading</h1><p>First <b>bold</b>
     paragraph.</p><noscript>enable js</noscript>
     <h2>Sub</h2><ul><li>one</li><li><p>two</p></li></ul><p>line<br>break</p>
     <pre>  keep
    spacing</pre></body></html>`,
  );
  await writeFile(join(docs, 'book.pdf'), buildPdf(['Hello PDF world.', 'Second line here.'], 'PDF Title'));
  await writeFile(join(docs, 'broken.pdf'), buildPdf(['Cut short'], 'Broken').subarray(0, 150));
  await writeFile(
    join(docs, 'records.json'),
    JSON.stringify([
      {
        id: 'r1',
        text: 'First record.',
        title: 'One',
        metadata: { lang: 'en' },
        updated_at: '2024-01-02T03:04:05Z',
      },
      { id: 'r2', text: '' },
      { text: 'no id' },
      { id: 7, text: 'Numeric id.', category: 'faq', metadata: { category: 'kept' } },
    ]),
  );
  await writeFile(
    join(docs, 'single.json'),
    JSON.stringify({ id: 'solo', text: 'Single record.', source_updated_at: 1700000000 }),
  );
  await writeFile(
    join(docs, 'faq.jsonl'),
    [
      '{"id":"q1","text":"What is it?","source":"https://example.com/q1"}',
      '',
      '{"text":"missing id"}',
      'not json',
      '{"id":"q2","text":"Second."}',
      '{"id":"q1","text":"Same id again."}',
      '{"id":"q3"}',
    ].join('\n'),
  );
  await writeFile(join(docs, 'empty.txt'), '');
  await writeFile(join(docs, 'blank.md'), '  \n\n\t\n');
  await writeFile(
    join(docs, 'binary.txt'),
    Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x14, 0x00, 0xff, 0xfe]),
  );
  await writeFile(join(docs, 'latin1.txt'), Buffer.from([0xe9, 0xe8, 0xe0, 0xff, 0xfe, 0x41, 0xe7, 0xf1]));
  await writeFile(join(docs, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  await writeFile(join(docs, 'big.txt'), 'x'.repeat(5000));
  await writeFile(join(docs, '.secret.md'), '# hidden');
  await writeFile(join(docs, '.hidden-dir', 'inside.md'), '# hidden too');
  await symlink(docs, join(docs, 'guide', 'loop'));
  await utimes(
    join(docs, 'guide', 'deep', 'notes.txt'),
    new Date(1_600_000_000_000),
    new Date(1_600_000_000_000),
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readSources', () => {
  it('reads every format in sorted order, one error per bad file or record, and goes on', async () => {
    const entries = await collect(['docs'], { baseDir: root, maxFileBytes: 4096 });
    expect(
      entries.map((entry) =>
        entry.kind === 'document' ? `doc ${entry.document.id}` : `err ${entry.source}`,
      ),
    ).toEqual([
      'err docs/big.txt',
      'err docs/binary.txt',
      'err docs/blank.md',
      'doc docs/book.pdf',
      'err docs/broken.pdf',
      'err docs/empty.txt',
      'doc q1',
      'err docs/faq.jsonl:3',
      'err docs/faq.jsonl:4',
      'doc q2',
      'err docs/faq.jsonl:6',
      'err docs/faq.jsonl:7',
      'doc docs/guide/deep/notes.txt',
      'doc docs/guide/install.md',
      'doc docs/guide/plain.markdown',
      'err docs/image.png',
      'err docs/latin1.txt',
      'doc docs/page.html',
      'doc r1',
      'err docs/records.json[1]',
      'err docs/records.json[2]',
      'doc 7',
      'doc solo',
    ]);
    expect(errors(entries)).toEqual([
      { source: 'docs/big.txt', message: 'file too large (5000 bytes > 4096)' },
      { source: 'docs/binary.txt', message: 'binary file' },
      { source: 'docs/blank.md', message: 'empty document' },
      { source: 'docs/broken.pdf', message: expect.stringMatching(/^invalid PDF: /) },
      { source: 'docs/empty.txt', message: 'empty document' },
      { source: 'docs/faq.jsonl:3', message: 'missing "id"' },
      { source: 'docs/faq.jsonl:4', message: expect.stringMatching(/^invalid JSON: /) },
      {
        source: 'docs/faq.jsonl:6',
        message: 'duplicate document id "q1" (first read from docs/faq.jsonl:1)',
      },
      { source: 'docs/faq.jsonl:7', message: 'missing "text"' },
      { source: 'docs/image.png', message: 'unsupported file type (.png)' },
      { source: 'docs/latin1.txt', message: 'binary file' },
      { source: 'docs/records.json[1]', message: 'empty document' },
      { source: 'docs/records.json[2]', message: 'missing "id"' },
    ]);
  });

  it('parses markdown with front matter and the first heading', async () => {
    const [install, plain] = documents(
      await collect(['docs/guide/install.md', 'docs/guide/plain.markdown'], { baseDir: root }),
    );
    expect(install).toMatchObject({
      id: 'docs/guide/install.md',
      source: 'docs/guide/install.md',
      title: 'Installing',
      format: 'md',
      metadata: { title: 'Installing', tags: ['setup'] },
      text: '# Install StackOps\n\nRun `npm ci`.\n\n## Start\n\nThen `npm start`.\n',
    });
    expect(plain).toMatchObject({ title: 'First Heading', format: 'md', metadata: {} });
  });

  it('titles text by its short first line, normalises newlines and keeps the mtime', async () => {
    const [notes] = documents(await collect([join(root, 'docs/guide/deep/notes.txt')], { baseDir: root }));
    expect(notes).toEqual({
      id: 'docs/guide/deep/notes.txt',
      source: 'docs/guide/deep/notes.txt',
      title: 'Release notes',
      text: 'Release notes\nEverything changed.\nAgain.\n',
      metadata: {},
      sourceUpdatedAt: 1_600_000_000_000,
      format: 'txt',
    });
  });

  it('turns HTML into headed text without script, style, nav or noscript', async () => {
    const [page] = documents(await collect(['docs/page.html'], { baseDir: root }));
    expect(page?.title).toBe('The & Page');
    expect(page?.text).toBe(
      '# Main heading\n\nFirst bold paragraph.\n\n## Sub\n\n- one\n\n- two\n\nline\nbreak\n\n  keep\n    spacing',
    );
  });

  it('extracts PDF text and title', async () => {
    const [book] = documents(await collect(['docs/book.pdf'], { baseDir: root }));
    expect(book).toMatchObject({
      id: 'docs/book.pdf',
      title: 'PDF Title',
      format: 'pdf',
      metadata: { pages: 1 },
    });
    expect(book?.text).toBe('Hello PDF world.\nSecond line here.');
  });

  it('maps records: ids, sources, titles, metadata and timestamps', async () => {
    const records = documents(
      await collect(['docs/records.json', 'docs/single.json', 'docs/faq.jsonl'], { baseDir: root }),
    );
    expect(records.map((record) => [record.id, record.source, record.title, record.format])).toEqual([
      ['r1', 'docs/records.json', 'One', 'json'],
      ['7', 'docs/records.json', null, 'json'],
      ['solo', 'docs/single.json', null, 'json'],
      ['q1', 'https://example.com/q1', null, 'jsonl'],
      ['q2', 'docs/faq.jsonl', null, 'jsonl'],
    ]);
    expect(records[0]).toMatchObject({
      metadata: { lang: 'en' },
      sourceUpdatedAt: Date.parse('2024-01-02T03:04:05Z'),
    });
    expect(records[1]).toMatchObject({ metadata: { category: 'kept' }, sourceUpdatedAt: null });
    expect(records[2]?.sourceUpdatedAt).toBe(1_700_000_000_000);
  });

  it('uses the paths as given without baseDir, skips hidden entries but reads them when named', async () => {
    const walked = await collect([
      join(root, 'docs', 'guide', 'deep'),
      join(root, 'docs', 'guide', 'install.md'),
    ]);
    expect(documents(walked).map((document) => document.id)).toEqual([
      `${root}/docs/guide/deep/notes.txt`,
      `${root}/docs/guide/install.md`,
    ]);
    const named = await collect(['docs/.secret.md', 'docs/missing.md'], { baseDir: root });
    expect(documents(named).map((document) => document.id)).toEqual(['docs/.secret.md']);
    expect(errors(named)).toEqual([{ source: 'docs/missing.md', message: 'no such file or directory' }]);
  });

  it('follows a symlink into a directory once and never loops', async () => {
    const entries = await collect(['docs/guide'], { baseDir: root });
    // docs/guide/loop → docs: its files are read once, through the link (docs/guide itself is not re-entered).
    const ids = entries.map((entry) => (entry.kind === 'document' ? entry.document.id : entry.source));
    expect(ids.filter((id) => id.startsWith('docs/guide/loop/'))).toContain('docs/guide/loop/page.html');
    expect(ids.filter((id) => id.includes('loop/guide'))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
