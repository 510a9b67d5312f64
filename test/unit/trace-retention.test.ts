/**
 * The retention sweep on a real SQLite store: it runs by itself on its interval, deletes in
 * batches of at most `batchSize` (each a separate, short transaction) until only recent
 * traces are left, and a failing store ends a sweep with the error reported, not thrown into
 * the timer.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../src/core/index.js';
import { TraceRetention } from '../../src/observe/index.js';
import { createSqliteStore, type Store } from '../../src/store/index.js';
import { eventually } from '../helpers/harness.js';

const DAY_MS = 86_400_000;

const traceAt = (projectId: string, startTime: number): TraceRecord => ({
  id: randomBytes(16).toString('hex'),
  projectId,
  name: 'chat',
  startTime,
  endTime: startTime + 1,
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

describe('TraceRetention', () => {
  let directory: string;
  let store: Store;
  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'stackops-retention-'));
    store = await createSqliteStore({ file: join(directory, 'stackops.db') });
    await store.migrate();
    await store.projects.create({ name: 'p', id: 'p' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('sweeps by itself on its interval, in batches of at most batchSize, keeping recent traces', async () => {
    const now = Date.now();
    const old = Array.from({ length: 7 }, (_, index) => traceAt('p', now - 3 * DAY_MS - index));
    const recent = traceAt('p', now);
    await store.traces.writeBatch({ traces: [...old, recent], spans: [] });
    const limits: number[] = [];
    const counts: number[] = [];
    const observed = {
      projects: store.projects,
      traces: {
        async deleteOlderThan(projectId: string, before: number, limit: number) {
          limits.push(limit);
          const count = await store.traces.deleteOlderThan(projectId, before, limit);
          counts.push(count);
          return count;
        },
      },
    };
    const retention = new TraceRetention(observed, { retentionDays: 1, batchSize: 3, intervalMs: 20 });
    retention.start();
    try {
      await eventually(() => retention.stats().deleted === 7);
    } finally {
      await retention.stop();
    }
    expect(counts.slice(0, 3)).toEqual([3, 3, 1]);
    expect(limits.every((limit) => limit === 3)).toBe(true);
    const left = await store.traces.list('p', { limit: 50 });
    expect(left.data.map((trace) => trace.id)).toEqual([recent.id]);
  });

  it('reports a failing sweep and counts it, and the next sweep runs again', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const flaky = {
      projects: store.projects,
      traces: {
        async deleteOlderThan(projectId: string, before: number, limit: number) {
          if (fail) {
            fail = false;
            throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
          }
          return store.traces.deleteOlderThan(projectId, before, limit);
        },
      },
    };
    const retention = new TraceRetention(flaky, {
      retentionDays: 1,
      batchSize: 10,
      intervalMs: 20,
      onError: (error) => errors.push(error),
    });
    retention.start();
    try {
      await eventually(() => retention.stats().sweeps >= 1);
    } finally {
      await retention.stop();
    }
    expect(errors).toHaveLength(1);
    expect(retention.stats().failedSweeps).toBe(1);
  });
});
