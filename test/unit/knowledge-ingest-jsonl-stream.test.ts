import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSources } from '../../src/knowledge/ingest/index.js';

const LINES = 50_000;
const FILLER = 'lorem ipsum dolor sit amet '.repeat(36);

function line(index: number, prefix = 'doc'): string {
  return `${JSON.stringify({ id: `${prefix}-${String(index).padStart(5, '0')}`, text: `Record ${index}. ${FILLER}`, metadata: { index } })}\n`;
}

let directory: string;
let path: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'stackops-jsonl-'));
  path = join(directory, 'big.jsonl');
  const output = createWriteStream(path);
  for (let index = 0; index < LINES; index++) {
    if (!output.write(line(index)))
      await new Promise<void>((resolve) => output.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    output.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('readSources on a large .jsonl', () => {
  it('streams 50,000 records: yields before the file is read, with bounded memory', async () => {
    const size = (await stat(path)).size;
    expect(size).toBeGreaterThan(40 * 1024 * 1024);
    const lastLine = line(LINES - 1);
    const rewritten = line(LINES - 1, 'new');
    expect(Buffer.byteLength(rewritten)).toBe(Buffer.byteLength(lastLine));

    const baseline = process.memoryUsage();
    let peakHeap = baseline.heapUsed;
    let peakRss = baseline.rss;
    let count = 0;
    let lastId = '';
    for await (const entry of readSources([path], { maxFileBytes: 4096 })) {
      expect(entry.kind).toBe('document');
      if (entry.kind !== 'document') continue;
      count++;
      lastId = entry.document.id;
      if (count === 1) {
        // Rewrite the file's last record after the first document: only a reader that has not
        // loaded the file yet can see the new id at the end.
        const handle = await open(path, 'r+');
        await handle.write(rewritten, size - Buffer.byteLength(lastLine), 'utf8');
        await handle.close();
      }
      if (count % 500 === 0) {
        const usage = process.memoryUsage();
        peakHeap = Math.max(peakHeap, usage.heapUsed);
        peakRss = Math.max(peakRss, usage.rss);
      }
    }
    expect(count).toBe(LINES);
    expect(lastId).toBe(`new-${String(LINES - 1).padStart(5, '0')}`);
    // Holding the file (as a UTF-16 string, or its lines) would cost more than its size.
    expect(peakHeap - baseline.heapUsed).toBeLessThan(size / 2);
    expect(peakRss - baseline.rss).toBeLessThan(size);
  });

  it('applies maxFileBytes per record, not per file', async () => {
    const entries = [];
    for await (const entry of readSources([path], { maxFileBytes: 512 })) {
      entries.push(entry);
      if (entries.length === 3) break;
    }
    expect(entries).toEqual([
      {
        kind: 'error',
        source: `${path}:1`,
        message: expect.stringMatching(/^record too large \(\d+ bytes > 512\)$/),
      },
      { kind: 'error', source: `${path}:2`, message: expect.stringMatching(/^record too large/) },
      { kind: 'error', source: `${path}:3`, message: expect.stringMatching(/^record too large/) },
    ]);
  });
});
