/**
 * The trace part of the Store contract: batch writes (one transaction, merge rule, idempotent
 * retry, large and concurrent batches) and reads (get, newest-first keyset listing with
 * filters), all scoped by project.
 */
import { describe, expect, it } from 'vitest';
import { newTraceId, type Project, type TraceRecord, ValidationError } from '../../src/core/index.js';
import type { Store } from '../../src/store/index.js';
import { BASE_TIME, collectPages, makeSpan, makeTrace, newestFirst } from './contract-fixtures.js';

export function describeTraceContract(
  current: () => Store,
  newProject: (label?: string) => Promise<Project>,
): void {
  describe('traces', () => {
    it('writes a batch and reads the trace back exactly, spans in start order', async () => {
      const project = await newProject();
      const trace = makeTrace(project.id, {
        model: null,
        stackVersion: null,
        ttftMs: null,
        apiKeyId: null,
        cost: 0.000123,
        attributes: { nested: { list: [1, 'two', null], flag: true }, 'stackops.stack': 'support-bot' },
      });
      const root = makeSpan(trace, { name: 'gateway', kind: 'span', startTime: BASE_TIME });
      const child = makeSpan(trace, {
        parentSpanId: root.spanId,
        startTime: BASE_TIME + 10,
        status: 'error',
        statusMessage: 'upstream 502',
        attributes: { 'gen_ai.usage.input_tokens': 100 },
      });
      await current().traces.writeBatch({ traces: [trace], spans: [child, root] });
      expect(await current().traces.get(project.id, trace.id)).toEqual({ trace, spans: [root, child] });
      expect(await current().traces.get(project.id, newTraceId())).toBeNull();
    });

    it('resolves an empty batch', async () => {
      await expect(current().traces.writeBatch({ traces: [], spans: [] })).resolves.toBeUndefined();
    });

    it('merges a trace id seen before: times widen, sums add, worst status, first ttft, shallow attributes', async () => {
      const project = await newProject();
      const first = makeTrace(project.id, {
        startTime: BASE_TIME + 100,
        endTime: BASE_TIME + 200,
        status: 'interrupted',
        ttftMs: null,
        model: null,
        attributes: { a: 1, shared: 'old', nested: { x: 1 } },
      });
      const second: TraceRecord = {
        ...first,
        name: 'second call',
        startTime: BASE_TIME,
        endTime: BASE_TIME + 150,
        status: 'ok',
        model: 'llama-3',
        inputTokens: 5,
        outputTokens: 7,
        cost: 0.25,
        latencyMs: 10,
        ttftMs: 42,
        attributes: { b: 2, shared: 'new', nested: { y: 2 } },
      };
      const third: TraceRecord = {
        ...second,
        startTime: BASE_TIME + 50,
        endTime: BASE_TIME + 300,
        ttftMs: 7,
      };
      await current().traces.writeBatch({ traces: [first], spans: [] });
      await current().traces.writeBatch({ traces: [second], spans: [] });
      await current().traces.writeBatch({ traces: [third], spans: [] });
      const merged = (await current().traces.get(project.id, first.id))?.trace;
      expect(merged).toEqual({
        ...first,
        startTime: BASE_TIME,
        endTime: BASE_TIME + 300,
        status: 'interrupted',
        model: 'llama-3',
        inputTokens: first.inputTokens + 5 + 5,
        outputTokens: first.outputTokens + 7 + 7,
        cost: expect.closeTo(first.cost + 0.5, 9),
        latencyMs: first.latencyMs + 20,
        ttftMs: 42,
        attributes: { a: 1, b: 2, shared: 'new', nested: { y: 2 } },
      });
    });

    it('keeps the worst status: error > interrupted > ok', async () => {
      const project = await newProject();
      const cases = [
        [['ok', 'interrupted'], 'interrupted'],
        [['interrupted', 'ok'], 'interrupted'],
        [['interrupted', 'error'], 'error'],
        [['error', 'ok'], 'error'],
        [['ok', 'ok'], 'ok'],
      ] as const;
      for (const [statuses, expected] of cases) {
        const id = newTraceId();
        const parts = statuses.map((status, index) =>
          makeTrace(project.id, { id, status, startTime: BASE_TIME + index }),
        );
        // Once within one batch, once across two batches: both paths follow the same rule.
        await current().traces.writeBatch({ traces: parts, spans: [] });
        expect((await current().traces.get(project.id, id))?.trace.status).toBe(expected);
        const acrossId = newTraceId();
        for (const part of parts)
          await current().traces.writeBatch({ traces: [{ ...part, id: acrossId }], spans: [] });
        expect((await current().traces.get(project.id, acrossId))?.trace.status).toBe(expected);
      }
    });

    it('is idempotent: retrying a batch duplicates no span and adds no token twice', async () => {
      const project = await newProject();
      const trace = makeTrace(project.id);
      const joined = { ...trace, startTime: BASE_TIME + 1_000, endTime: BASE_TIME + 1_100, inputTokens: 1 };
      const spans = [makeSpan(trace), makeSpan(trace), makeSpan(joined)];
      const batch = { traces: [trace, joined], spans };
      await current().traces.writeBatch(batch);
      await current().traces.writeBatch(batch);
      await current().traces.writeBatch({ traces: [trace], spans: [spans[0]!, spans[0]!] });
      const stored = await current().traces.get(project.id, trace.id);
      expect(stored?.spans).toHaveLength(3);
      expect(stored?.trace.inputTokens).toBe(trace.inputTokens + 1);
      expect(stored?.trace.cost).toBeCloseTo(trace.cost * 2, 12);
    });

    it('writes a batch atomically: one bad row rejects it and nothing is stored', async () => {
      const project = await newProject();
      const good = makeTrace(project.id);
      const bad = makeSpan(good, { kind: 'bogus' as 'span' });
      await expect(
        current().traces.writeBatch({ traces: [good], spans: [makeSpan(good), bad] }),
      ).rejects.toThrow();
      expect(await current().traces.get(project.id, good.id)).toBeNull();
      // The write path recovers: the next batch goes through.
      await current().traces.writeBatch({ traces: [good], spans: [makeSpan(good)] });
      expect((await current().traces.get(project.id, good.id))?.spans).toHaveLength(1);
    });

    it('drops rows of projects that do not exist, keeping the rest of the batch', async () => {
      const project = await newProject();
      const kept = makeTrace(project.id);
      const orphan = makeTrace('proj_deleted_meanwhile');
      await current().traces.writeBatch({
        traces: [kept, orphan],
        spans: [makeSpan(kept), makeSpan(orphan)],
      });
      expect((await current().traces.get(project.id, kept.id))?.spans).toHaveLength(1);
      expect(await current().traces.get('proj_deleted_meanwhile', orphan.id)).toBeNull();
    });

    it('keeps tenants apart: same trace id in two projects, no cross-project reads', async () => {
      const a = await newProject('a');
      const b = await newProject('b');
      const inA = makeTrace(a.id, { inputTokens: 11 });
      const inB = makeTrace(b.id, { id: inA.id, inputTokens: 22 });
      await current().traces.writeBatch({
        traces: [inA, inB],
        spans: [makeSpan(inA), makeSpan(inB), makeSpan(inB)],
      });
      expect((await current().traces.get(a.id, inA.id))?.trace.inputTokens).toBe(11);
      expect((await current().traces.get(b.id, inA.id))?.spans).toHaveLength(2);
      const onlyA = makeTrace(a.id);
      await current().traces.writeBatch({ traces: [onlyA], spans: [] });
      expect(await current().traces.get(b.id, onlyA.id)).toBeNull();
      const listedB = await current().traces.list(b.id, { limit: 50 });
      expect(listedB.data.map((trace) => trace.projectId)).toEqual([b.id]);
    });

    describe('deleteOlderThan (retention)', () => {
      it("deletes a project's traces started before the cutoff with their spans and parts, at most `limit` at a time", async () => {
        const project = await newProject();
        const other = await newProject('other');
        const cutoff = BASE_TIME;
        const old = [1, 2, 3].map((age) =>
          makeTrace(project.id, { startTime: cutoff - age * 1000, endTime: cutoff - age * 1000 + 5 }),
        );
        const kept = makeTrace(project.id, { startTime: cutoff, endTime: cutoff + 5 });
        const otherOld = makeTrace(other.id, { startTime: cutoff - 5000, endTime: cutoff - 4000 });
        const all = [...old, kept, otherOld];
        const batch = { traces: all, spans: all.flatMap((trace) => [makeSpan(trace), makeSpan(trace)]) };
        await current().traces.writeBatch(batch);

        expect(await current().traces.deleteOlderThan(project.id, cutoff, 2)).toBe(2);
        expect(await current().traces.deleteOlderThan(project.id, cutoff, 2)).toBe(1);
        expect(await current().traces.deleteOlderThan(project.id, cutoff, 2)).toBe(0);
        for (const trace of old) expect(await current().traces.get(project.id, trace.id)).toBeNull();
        expect((await current().traces.get(project.id, kept.id))?.spans).toHaveLength(2);
        // Another project's traces are its own retention's business.
        expect((await current().traces.get(other.id, otherOld.id))?.spans).toHaveLength(2);
        const listed = await current().traces.list(project.id, { limit: 50 });
        expect(listed.data.map((trace) => trace.id)).toEqual([kept.id]);

        // Nothing of a deleted trace stays behind. Its record written again (a late retry):
        // stored whole, so its recorded parts went too (a part left behind would skip it as
        // already merged), and with no span, so its spans went too.
        await current().traces.writeBatch({ traces: [old[0]!], spans: [] });
        const rewritten = await current().traces.get(project.id, old[0]!.id);
        expect(rewritten?.trace).toEqual(old[0]);
        expect(rewritten?.spans).toEqual([]);
      });

      it('rejects a limit that is not a positive integer with ValidationError', async () => {
        const project = await newProject();
        await expect(current().traces.deleteOlderThan(project.id, BASE_TIME, 0)).rejects.toBeInstanceOf(
          ValidationError,
        );
        await expect(current().traces.deleteOlderThan(project.id, BASE_TIME, 1.5)).rejects.toBeInstanceOf(
          ValidationError,
        );
      });
    });

    it('writes 5,000 spans in one batch', async () => {
      const project = await newProject();
      const traces = Array.from({ length: 100 }, (_, index) =>
        makeTrace(project.id, { startTime: BASE_TIME + index }),
      );
      const spans = traces.flatMap((trace) =>
        Array.from({ length: 50 }, (_, index) => makeSpan(trace, { startTime: trace.startTime + index })),
      );
      await current().traces.writeBatch({ traces, spans });
      const sample = await current().traces.get(project.id, traces[42]!.id);
      expect(sample?.spans).toHaveLength(50);
      const pages = await collectPages((cursor) => current().traces.list(project.id, { limit: 40, cursor }));
      expect(pages.flat().map((trace) => trace.id)).toEqual(newestFirst(traces));
    });

    it('takes concurrent batches without losing or double-counting a merge', async () => {
      const project = await newProject();
      const shared = newTraceId();
      const writes = Array.from({ length: 20 }, (_, index) => {
        const own = makeTrace(project.id, { startTime: BASE_TIME + index });
        const part = makeTrace(project.id, {
          id: shared,
          startTime: BASE_TIME + index,
          inputTokens: 1,
          outputTokens: 2,
        });
        return {
          own,
          write: current().traces.writeBatch({ traces: [own, part], spans: [makeSpan(own), makeSpan(part)] }),
        };
      });
      const reading = current().traces.list(project.id, { limit: 100 });
      await Promise.all(writes.map((each) => each.write));
      await reading;
      const merged = await current().traces.get(project.id, shared);
      expect(merged?.trace).toMatchObject({ inputTokens: 20, outputTokens: 40, startTime: BASE_TIME });
      expect(merged?.spans).toHaveLength(20);
      const listed = await current().traces.list(project.id, { limit: 100 });
      expect(listed.data).toHaveLength(21);
    });

    describe('list', () => {
      it('pages newest first by (start_time, id) with stable cursors, ties included', async () => {
        const project = await newProject();
        // Pairs share a start time, so the id tie-break is exercised at page edges.
        const traces = Array.from({ length: 23 }, (_, index) =>
          makeTrace(project.id, { startTime: BASE_TIME + Math.floor(index / 2) * 1_000 }),
        );
        await current().traces.writeBatch({ traces, spans: [] });
        const pages = await collectPages((cursor) => current().traces.list(project.id, { limit: 5, cursor }));
        expect(pages.map((page) => page.length)).toEqual([5, 5, 5, 5, 3]);
        expect(pages.flat().map((trace) => trace.id)).toEqual(newestFirst(traces));
        const exact = await current().traces.list(project.id, { limit: 23 });
        expect(exact.nextCursor).toBeNull();
        const empty = await current().traces.list((await newProject()).id, { limit: 5 });
        expect(empty).toEqual({ data: [], nextCursor: null });
      });

      it('filters by model, status, stack, stack version and inclusive time range, across pages', async () => {
        const project = await newProject();
        const models = ['qwen-max', 'llama-3', null] as const;
        const statuses = ['ok', 'error', 'interrupted'] as const;
        const traces = Array.from({ length: 36 }, (_, index) =>
          makeTrace(project.id, {
            startTime: BASE_TIME + index * 1_000,
            model: models[index % 3]!,
            status: statuses[Math.floor(index / 3) % 3]!,
            stack: index % 2 === 0 ? 'support-bot' : 'sales-bot',
            stackVersion: index % 4 < 2 ? 1 : 2,
          }),
        );
        await current().traces.writeBatch({ traces, spans: [] });
        const filters = [
          { model: 'qwen-max' },
          { status: 'error' as const },
          { stack: 'support-bot' },
          { stackVersion: 2 },
          { stack: 'support-bot', stackVersion: 1 },
          { from: BASE_TIME + 5_000, to: BASE_TIME + 20_000 },
          { from: BASE_TIME + 30_000 },
          { to: BASE_TIME + 3_000, model: 'llama-3' },
          { model: 'qwen-max', status: 'ok' as const, stack: 'sales-bot' },
        ];
        for (const filter of filters) {
          const expected = traces.filter(
            (trace) =>
              (filter.model === undefined || trace.model === filter.model) &&
              (filter.status === undefined || trace.status === filter.status) &&
              (filter.stack === undefined || trace.stack === filter.stack) &&
              (filter.stackVersion === undefined || trace.stackVersion === filter.stackVersion) &&
              (filter.from === undefined || trace.startTime >= filter.from) &&
              (filter.to === undefined || trace.startTime <= filter.to),
          );
          expect(expected.length).toBeGreaterThan(0);
          const pages = await collectPages((cursor) =>
            current().traces.list(project.id, { ...filter, limit: 3, cursor }),
          );
          expect(
            pages.flat().map((trace) => trace.id),
            JSON.stringify(filter),
          ).toEqual(newestFirst(expected));
        }
      });

      it('rejects a malformed cursor or limit with ValidationError', async () => {
        const project = await newProject();
        const bad = Buffer.from('[1,2,3]').toString('base64url');
        await expect(current().traces.list(project.id, { limit: 5, cursor: bad })).rejects.toBeInstanceOf(
          ValidationError,
        );
        await expect(current().traces.list(project.id, { limit: 1.5 })).rejects.toBeInstanceOf(
          ValidationError,
        );
        // Times are integer epoch ms: Postgres refused these (bigint) with a 500.
        for (const time of [1.5, 1e20]) {
          const forged = Buffer.from(JSON.stringify([time, 'a'])).toString('base64url');
          await expect(
            current().traces.list(project.id, { limit: 5, cursor: forged }),
            String(time),
          ).rejects.toBeInstanceOf(ValidationError);
        }
      });
    });
  });
}
