/**
 * Which calls a remote guard model owes a stream at a rescan (stream-chunks.ts), table-driven:
 * none before the first chunk, one per chunk after it, whatever is left at the end, windows that
 * reach back by the context (never before 0), and a long stretch split at maxChars; and how a
 * window's findings land in the whole answer's offsets.
 */
import { describe, expect, it } from 'vitest';
import {
  countCalls,
  dueWindows,
  newStreamJudgement,
  recordWindow,
  type StreamChunking,
} from '../../src/guard/remote/stream-chunks.js';

const chunking: StreamChunking = {
  firstChunkChars: 200,
  chunkChars: 800,
  contextChars: 200,
  maxChars: 16_000,
};

describe('dueWindows', () => {
  it.each([
    ['before the first chunk', 192, { judgedTo: 0, calls: 0 }, false, []],
    ['the first chunk', 216, { judgedTo: 0, calls: 0 }, false, [{ start: 0, from: 0, end: 216 }]],
    ['a chunk not yet full', 1008, { judgedTo: 216, calls: 1 }, false, []],
    [
      'a full chunk, with its context',
      1032,
      { judgedTo: 216, calls: 1 },
      false,
      [{ start: 16, from: 216, end: 1032 }],
    ],
    [
      'the end of the stream, with less than a chunk',
      1100,
      { judgedTo: 1032, calls: 2 },
      true,
      [{ start: 832, from: 1032, end: 1100 }],
    ],
    ['the end of a short answer', 30, { judgedTo: 0, calls: 0 }, true, [{ start: 0, from: 0, end: 30 }]],
    ['the end, nothing left', 1032, { judgedTo: 1032, calls: 2 }, true, []],
  ])('%s', (_case, length, judgement, final, expected) => {
    expect(dueWindows(length, judgement, chunking, final)).toEqual(expected);
  });

  it('splits a long stretch of new text so that no call sends more than maxChars', () => {
    const small = { ...chunking, maxChars: 1000 };
    const windows = dueWindows(3000, { judgedTo: 216, calls: 1 }, small, true);
    expect(windows).toEqual([
      { start: 16, from: 216, end: 1016 },
      { start: 816, from: 1016, end: 1816 },
      { start: 1616, from: 1816, end: 2616 },
      { start: 2416, from: 2616, end: 3000 },
    ]);
    for (const window of windows) expect(window.end - window.start).toBeLessThanOrEqual(1000);
  });
});

describe('recordWindow', () => {
  it('puts a finding on the new text of its call, counts the call and what it sent', () => {
    const judgement = newStreamJudgement();
    const window = { start: 832, from: 1032, end: 1848 };
    countCalls(judgement, [window]);
    recordWindow(judgement, window, [
      { scanner: 'llama-guard', type: 'S9', score: 1, start: 0, end: 1016, value: 'Indiscriminate Weapons' },
    ]);
    expect(judgement).toEqual({
      judgedTo: 1848,
      score: 1,
      calls: 1,
      sentChars: 1016,
      findings: [
        {
          scanner: 'llama-guard',
          type: 'S9',
          score: 1,
          start: 1032,
          end: 1848,
          value: 'Indiscriminate Weapons',
        },
      ],
    });
  });
});
