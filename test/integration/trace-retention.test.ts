/**
 * Trace retention through the server, on both backends: with `tracing.retention_days` set,
 * a sweep deletes every project's traces older than that (their spans too) and keeps the rest;
 * without it nothing is ever deleted (the default); a retention below one day is refused at
 * start. The periodic timer is covered in test/unit/trace-retention.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { SpanRecord, TraceRecord } from '../../src/core/index.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const DAY_MS = 86_400_000;

function traceAt(projectId: string, startTime: number): { trace: TraceRecord; spans: SpanRecord[] } {
  const trace: TraceRecord = {
    id: randomBytes(16).toString('hex'),
    projectId,
    name: 'chat',
    startTime,
    endTime: startTime + 10,
    status: 'ok',
    model: 'local-extractive',
    stack: null,
    stackVersion: null,
    inputTokens: 1,
    outputTokens: 1,
    cost: 0,
    latencyMs: 10,
    ttftMs: null,
    apiKeyId: null,
    attributes: {},
  };
  const span: SpanRecord = {
    traceId: trace.id,
    spanId: randomBytes(8).toString('hex'),
    parentSpanId: null,
    projectId,
    name: 'gateway',
    kind: 'span',
    startTime,
    endTime: startTime + 10,
    status: 'ok',
    statusMessage: null,
    attributes: {},
  };
  return { trace, spans: [span] };
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe.each(['sqlite', 'postgres'] as const)('trace retention on %s', (backend) => {
  it('deletes the traces of every project older than retention_days, spans included, and keeps the rest', async () => {
    harness = await startHarness({ tracing: { retention_days: 7 } }, { backend });
    const { store } = harness.server;
    const other = await store.projects.create({ name: `other-${randomBytes(3).toString('hex')}` });
    const defaultProject = (await store.projects.getByName('default'))!;
    const now = Date.now();
    const old = [traceAt(defaultProject.id, now - 8 * DAY_MS), traceAt(other.id, now - 30 * DAY_MS)];
    const recent = [traceAt(defaultProject.id, now - 6 * DAY_MS), traceAt(other.id, now)];
    const all = [...old, ...recent];
    await store.traces.writeBatch({
      traces: all.map((item) => item.trace),
      spans: all.flatMap((item) => item.spans),
    });

    const retention = harness.server.retention;
    expect(retention).not.toBeNull();
    expect(await retention!.sweep()).toBe(2);
    for (const { trace } of old) expect(await store.traces.get(trace.projectId, trace.id)).toBeNull();
    for (const { trace } of recent)
      expect((await store.traces.get(trace.projectId, trace.id))?.spans).toHaveLength(1);
    expect(retention!.stats()).toMatchObject({ deleted: 2, sweeps: 1, failedSweeps: 0 });
    expect((await harness.api('GET', '/healthz')).body.retention).toMatchObject({ deleted: 2 });
  });
});

describe('trace retention settings', () => {
  it('keeps traces forever by default: no retention runs', async () => {
    harness = await startHarness({});
    expect(harness.server.retention).toBeNull();
    expect(harness.server.config.file.tracing.retention_days).toBeUndefined();
  });

  it('refuses a retention below one day at start, naming the key', async () => {
    await expect(startHarness({ tracing: { retention_days: 0 } })).rejects.toThrow(/tracing\.retention_days/);
  });
});
