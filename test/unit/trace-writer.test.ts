import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TraceBatch, TraceRecord } from '../../src/core/index.js';
import { TraceWriter } from '../../src/observe/index.js';
import { createSqliteStore, type Store } from '../../src/store/index.js';
import { eventually } from '../helpers/harness.js';

const trace = (id: string): TraceRecord => ({
  id,
  projectId: 'p',
  name: 't',
  startTime: 0,
  endTime: 1,
  status: 'ok',
  model: null,
  stack: null,
  stackVersion: null,
  inputTokens: 0,
  outputTokens: 0,
  cost: 0,
  latencyMs: 1,
  ttftMs: null,
  apiKeyId: null,
  attributes: {},
});

/** A sink whose writes do not complete until `release()`, as a hung database. */
function blockedSink(): { sink: { writeBatch: () => Promise<void> }; release: () => void } {
  let release: () => void = () => {};
  const blocked = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { sink: { writeBatch: () => blocked }, release };
}

describe('TraceWriter', () => {
  it('writes in batches of max_batch and counts them', async () => {
    const batches: TraceBatch[] = [];
    const writer = new TraceWriter(
      { writeBatch: async (batch) => void batches.push(batch) },
      { flushIntervalMs: 60_000, maxBatch: 2, maxBuffer: 100 },
    );
    for (let index = 0; index < 5; index++) writer.enqueue(trace(String(index)), []);
    await writer.close();
    expect(batches.map((batch) => batch.traces.map((item) => item.id))).toEqual([
      ['0', '1'],
      ['2', '3'],
      ['4'],
    ]);
    expect(writer.stats()).toEqual({
      buffered: 0,
      bufferedBytes: 0,
      written: 5,
      shed: 0,
      failedFlushes: 0,
      rejected: 0,
      late: 0,
      lost: 0,
    });
  });

  it('sheds and counts beyond max_buffer instead of growing', async () => {
    const { sink, release } = blockedSink();
    const writer = new TraceWriter(sink, { flushIntervalMs: 60_000, maxBatch: 1000, maxBuffer: 100 });
    const accepted = Array.from({ length: 150 }, (_, index) => writer.enqueue(trace(String(index)), []));
    expect(accepted.filter(Boolean)).toHaveLength(100);
    expect(writer.stats().shed).toBe(50);
    release();
    await writer.close();
    expect(writer.stats().written).toBe(100);
  });

  it('keeps a failed batch and writes it on the next flush', async () => {
    let failures = 1;
    const written: string[] = [];
    const errors: unknown[] = [];
    const writer = new TraceWriter(
      {
        writeBatch: async (batch) => {
          if (failures-- > 0) throw new Error('database down');
          for (const item of batch.traces) written.push(item.id);
        },
      },
      { flushIntervalMs: 60_000, maxBatch: 10, maxBuffer: 100, onError: (error) => errors.push(error) },
    );
    writer.enqueue(trace('a'), []);
    await writer.flush();
    expect(written).toEqual([]);
    expect(writer.stats()).toMatchObject({ buffered: 1, failedFlushes: 1 });
    await writer.flush();
    expect(written).toEqual(['a']);
    expect(errors).toHaveLength(1);
    await writer.close();
  });

  it('drops only the traces the store refuses for their content, writing the rest of their batch', async () => {
    const written: string[] = [];
    const dataError = Object.assign(new Error('invalid input syntax for type bigint'), { code: '22P02' });
    const writer = new TraceWriter(
      {
        writeBatch: async (batch) => {
          if (batch.traces.some((item) => item.id.startsWith('bad'))) throw dataError;
          for (const item of batch.traces) written.push(item.id);
        },
      },
      {
        flushIntervalMs: 60_000,
        maxBatch: 8,
        maxBuffer: 100,
        isDataError: (error) => (error as { code?: string }).code === '22P02',
      },
    );
    for (const id of ['0', '1', 'bad-a', '3', '4', '5', 'bad-b', '7', '8', '9'])
      writer.enqueue(trace(id), []);
    await writer.flush();
    expect(written.sort()).toEqual(['0', '1', '3', '4', '5', '7', '8', '9']);
    expect(writer.stats()).toMatchObject({ buffered: 0, written: 8, rejected: 2 });
    await writer.close();
  });

  it('keeps what is not yet settled when the database fails while it isolates a refused trace', async () => {
    let calls = 0;
    const sizes: number[] = [];
    const dataError = Object.assign(new Error('bad row'), { code: '23502' });
    const writer = new TraceWriter(
      {
        writeBatch: async (batch) => {
          sizes.push(batch.traces.length);
          calls++;
          if (calls === 1) throw dataError; // the whole batch: [bad, 1, 2, 3]
          if (calls === 2) throw dataError; // its first half: [bad, 1]
          throw new Error('connection terminated'); // the database goes down
        },
      },
      {
        flushIntervalMs: 60_000,
        maxBatch: 10,
        maxBuffer: 100,
        isDataError: (error) => error === dataError,
      },
    );
    for (const id of ['bad', '1', '2', '3']) writer.enqueue(trace(id), []);
    await writer.flush();
    expect(sizes).toEqual([4, 2, 1]);
    expect(writer.stats()).toMatchObject({ buffered: 4, written: 0, rejected: 0 });
  });

  it('sheds beyond max_buffer_bytes of content and frees the bytes of what it writes', async () => {
    const { sink, release } = blockedSink();
    const writer = new TraceWriter(sink, {
      flushIntervalMs: 60_000,
      maxBatch: 1000,
      maxBuffer: 100,
      maxBufferBytes: 1000,
    });
    const accepted = [400, 400, 400, 100, 0].map((bytes, index) =>
      writer.enqueue(trace(String(index)), [], bytes),
    );
    expect(accepted).toEqual([true, true, false, true, true]);
    expect(writer.stats()).toMatchObject({ buffered: 4, bufferedBytes: 900, shed: 1 });
    void writer.flush();
    release();
    await writer.close();
    expect(writer.stats()).toMatchObject({ buffered: 0, bufferedBytes: 0, written: 4 });
    expect(writer.enqueue(trace('late'), [], 1000)).toBe(true);
  });
});

/**
 * A trace produced after the writer closed (a request the shutdown deadline cut, unwinding
 * late): nobody will flush the buffer again, so buffering it would lose it without a word.
 * It is written at once while the store is still open, and counted and reported when even
 * that fails — never thrown into the request that produced it.
 */
describe('TraceWriter after close', () => {
  let directory: string;
  let store: Store;
  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'stackops-writer-'));
    store = await createSqliteStore({ file: join(directory, 'stackops.db') });
    await store.migrate();
    await store.projects.create({ name: 'p', id: 'p' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });
  const traceId = (label: string) => label.padEnd(32, '0');

  it('writes a trace enqueued after close() straight to the store while it is open', async () => {
    const writer = new TraceWriter(store.traces, { flushIntervalMs: 60_000, maxBatch: 10, maxBuffer: 100 });
    await writer.close();
    expect(writer.enqueue(trace(traceId('a')), [])).toBe(true);
    await eventually(async () => (await store.traces.get('p', traceId('a'))) !== null);
    expect(writer.stats()).toMatchObject({ buffered: 0, written: 1, late: 1, lost: 0 });
  });

  it('counts and reports a late trace the closed store cannot take, without throwing', async () => {
    const lost: string[] = [];
    const writer = new TraceWriter(store.traces, {
      flushIntervalMs: 60_000,
      maxBatch: 10,
      maxBuffer: 100,
      onLost: (record) => lost.push(record.id),
    });
    await writer.close();
    await store.close();
    expect(() => writer.enqueue(trace(traceId('b')), [])).not.toThrow();
    await eventually(() => lost.length > 0);
    expect(lost).toEqual([traceId('b')]);
    expect(writer.stats()).toMatchObject({ buffered: 0, written: 0, late: 1, lost: 1 });
  });
});
