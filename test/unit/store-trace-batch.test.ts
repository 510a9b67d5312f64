import { describe, expect, it } from 'vitest';
import type { SpanRecord, TraceRecord } from '../../src/core/index.js';
import {
  keepExistingProjects,
  prepareTraceBatch,
  splitIntoRounds,
  tracePartKey,
} from '../../src/store/trace-batch.js';

const trace = (overrides: Partial<TraceRecord> = {}): TraceRecord => ({
  id: 't1',
  projectId: 'p1',
  name: 'chat',
  startTime: 1000.4,
  endTime: 1999.6,
  status: 'ok',
  model: null,
  stack: null,
  stackVersion: null,
  inputTokens: 10,
  outputTokens: 2,
  cost: 0.1,
  latencyMs: 12.5,
  ttftMs: null,
  apiKeyId: null,
  attributes: {},
  ...overrides,
});

const span = (spanId: string, overrides: Partial<SpanRecord> = {}): SpanRecord => ({
  traceId: 't1',
  spanId,
  parentSpanId: null,
  projectId: 'p1',
  name: 's',
  kind: 'span',
  startTime: 1,
  endTime: 2,
  status: 'ok',
  statusMessage: null,
  attributes: {},
  ...overrides,
});

describe('trace batch preparation', () => {
  it('rounds integer columns and keeps fractional latency', () => {
    const [prepared] = prepareTraceBatch({ traces: [trace()], spans: [] }).traces;
    expect(prepared?.record).toMatchObject({ startTime: 1000, endTime: 2000, latencyMs: 12.5 });
  });

  it('keys parts by content: identical records collapse, different ones stay', () => {
    expect(tracePartKey(trace())).toBe(tracePartKey(trace()));
    expect(tracePartKey(trace())).not.toBe(tracePartKey(trace({ inputTokens: 11 })));
    const prepared = prepareTraceBatch({ traces: [trace(), trace(), trace({ startTime: 5 })], spans: [] });
    expect(prepared.traces).toHaveLength(2);
  });

  it('de-duplicates spans by (project, trace, span) keeping the first', () => {
    const prepared = prepareTraceBatch({
      traces: [],
      spans: [span('a', { name: 'first' }), span('a', { name: 'second' }), span('a', { projectId: 'p2' })],
    });
    expect(prepared.spans.map((each) => [each.projectId, each.name])).toEqual([
      ['p1', 'first'],
      ['p2', 's'],
    ]);
    expect(prepared.projectIds).toEqual(['p1', 'p2']);
  });

  it('splits repeated trace ids into rounds, preserving batch order', () => {
    const prepared = prepareTraceBatch({
      traces: [
        trace({ inputTokens: 1 }),
        trace({ id: 't2' }),
        trace({ inputTokens: 2 }),
        trace({ inputTokens: 3 }),
      ],
      spans: [],
    });
    const rounds = splitIntoRounds(prepared.traces).map((round) =>
      round.map((each) => `${each.record.id}:${each.record.inputTokens}`),
    );
    expect(rounds).toEqual([['t1:1', 't2:10'], ['t1:2'], ['t1:3']]);
  });

  it('drops rows of projects that no longer exist', () => {
    const prepared = prepareTraceBatch({
      traces: [trace(), trace({ projectId: 'gone' })],
      spans: [span('a'), span('b', { projectId: 'gone' })],
    });
    const kept = keepExistingProjects(prepared, new Set(['p1']));
    expect(kept.traces.map((each) => each.record.projectId)).toEqual(['p1']);
    expect(kept.spans.map((each) => each.projectId)).toEqual(['p1']);
    expect(kept.projectIds).toEqual(['p1']);
  });

  it('replaces U+0000 and lone surrogates (Postgres refuses them) with U+FFFD, keys and nested values too', () => {
    const original = trace({
      model: 'm\u0000',
      attributes: { 'k\u0000': ['a\ud800b', { deep: '\udc00' }], pair: '\ud83d\ude00', n: 1 },
    });
    const prepared = prepareTraceBatch({
      traces: [original],
      spans: [span('a', { statusMessage: 'x\u0000y', attributes: { text: 'q\u0000' } })],
    });
    expect(prepared.traces[0]!.record.model).toBe('m\ufffd');
    expect(prepared.traces[0]!.record.attributes).toEqual({
      'k\ufffd': ['a\ufffdb', { deep: '\ufffd' }],
      pair: '\ud83d\ude00',
      n: 1,
    });
    expect(prepared.spans[0]).toMatchObject({ statusMessage: 'x\ufffdy', attributes: { text: 'q\ufffd' } });
    expect(original.model).toBe('m\u0000'); // the caller's record is not changed
    const clean = trace({ attributes: { text: 'plain \ud83d\ude00' } });
    expect(prepareTraceBatch({ traces: [clean], spans: [] }).traces[0]!.record.attributes).toBe(
      clean.attributes,
    );
  });
});
