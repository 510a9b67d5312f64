/**
 * Repetition: the stream tracker gives the same result whatever the chunking (including
 * mid-stream peeks and surrogate pairs split across chunks), each degeneration signal fires on
 * its pattern and not on ordinary prose or code, and the scanner reuses its tracker across the
 * rescans of one stream.
 */
import { describe, expect, it } from 'vitest';
import {
  createRepetitionScanner,
  detectRepetition,
  RepetitionTracker,
} from '../../src/guard/output/index.js';
import type { ScanContext, ScanResult } from '../../src/guard/scanner.js';

const PROSE =
  'The gateway resolves the stack, renders the prompt and calls the provider. Each stage records a span, ' +
  'so a slow request can be traced to the component that caused it. Budgets are checked before the call; ' +
  'usage and cost are recorded after it, in batches, without blocking the response.';
const CODE = `export function sum(values: number[]): number {
  let total = 0;
  for (const value of values) {
    total += value;
  }
  return total;
}

export function mean(values: number[]): number {
  if (values.length === 0) {
    return 0;
  }
  return sum(values) / values.length;
}
`;

const TEXTS = [
  PROSE,
  CODE,
  `${PROSE} ${'I am sorry, I cannot do that. '.repeat(12)}`,
  '哈'.repeat(120) + '我们今天去公园散步，然后一起吃饭。'.repeat(6),
  'line one of the block\nline two of the block\n'.repeat(5),
  '😀 emoji 😀 test 𠀀𠀁 '.repeat(30),
  `${'!'.repeat(600)} end`,
  'x',
  '',
];

function seededChunks(text: string, seed: number): string[] {
  let state = seed;
  const chunks: string[] = [];
  for (let index = 0; index < text.length; ) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const size = 1 + (state % 9);
    chunks.push(text.slice(index, index + size));
    index += size;
  }
  return chunks;
}

describe('RepetitionTracker: incremental equals batch', () => {
  it.each(TEXTS.map((text, index) => [index, text]))('text %i in any chunking', (_index, text) => {
    const batch = new RepetitionTracker();
    batch.push(text);
    const expected = batch.result();
    for (let seed = 1; seed <= 20; seed++) {
      const stream = new RepetitionTracker();
      let consumed = 0;
      for (const chunk of seededChunks(text, seed)) {
        stream.push(chunk);
        consumed += chunk.length;
        if (seed === 1) {
          const prefix = new RepetitionTracker();
          prefix.push(text.slice(0, consumed));
          expect(stream.result()).toEqual(prefix.result());
        }
      }
      expect(stream.result()).toEqual(expected);
    }
  });

  it('counts a trailing word or line the same before and after finish()', () => {
    const tracker = new RepetitionTracker();
    tracker.push('again and again '.repeat(20).trimEnd());
    const peeked = tracker.result();
    tracker.finish();
    expect(tracker.result()).toEqual(peeked);
  });
});

describe('signals', () => {
  it.each([
    ['a looping sentence', `${PROSE} ${'I am sorry, I cannot do that. '.repeat(12)}`, 'loop'],
    ['one word over and over', 'the '.repeat(60), 'loop'],
    ['Chinese laughter without end', '哈'.repeat(200), 'loop'],
    [
      'a block of lines repeated',
      `intro\n${'first line of the block\nsecond line of the block\n'.repeat(6)}`,
      'line_repeat',
    ],
    ['a symbol run', `${'!'.repeat(800)}`, 'char_run'],
  ])('%s → %s', (_name, text, type) => {
    const result = detectRepetition(text);
    expect(result.score).toBeGreaterThanOrEqual(0.5);
    expect(result.signals.map((signal) => signal.type)).toContain(type);
  });

  it.each([
    ['prose', PROSE],
    ['code', CODE],
    [
      'a numbered list',
      Array.from({ length: 30 }, (_, index) => `${index + 1}. Item number ${index + 1}`).join('\n'),
    ],
    [
      'a markdown table',
      `| a | b |\n|---|---|\n${Array.from({ length: 20 }, (_, index) => `| ${index} | ${index * 2} |`).join('\n')}`,
    ],
  ])('stays quiet on %s', (_name, text) => {
    expect(detectRepetition(text).score).toBe(0);
  });

  it('reports the span of the loop', () => {
    const text = `${PROSE} ${'Sorry. '.repeat(40)}`;
    const loop = detectRepetition(text).signals.find((signal) => signal.type === 'loop')!;
    expect(loop.start).toBeGreaterThanOrEqual(PROSE.length);
    // The loop ends with its last word (the trailing period is a symbol, not a loop unit).
    expect(loop.end).toBe(text.length - '. '.length);
  });
});

describe('scanner', () => {
  it('gives a growing stream the same result as scanning the final text afresh', () => {
    const scanner = createRepetitionScanner();
    const context: ScanContext = { stage: 'output' };
    const text = `${PROSE} ${'I am sorry, I cannot do that. '.repeat(12)}`;
    let last: ScanResult | undefined;
    for (let end = 24; end < text.length + 24; end += 24)
      last = scanner.scan(text.slice(0, end), context) as ScanResult;
    expect(last).toEqual(scanner.scan(text, { stage: 'output' }));
    expect(last!.score).toBeGreaterThanOrEqual(0.5);
    expect(last!.findings.map((finding) => finding.type)).toContain('loop');
  });

  it('starts afresh when the same context sees a text that is not a continuation', () => {
    const scanner = createRepetitionScanner();
    const context: ScanContext = { stage: 'output' };
    scanner.scan('the '.repeat(60), context);
    expect(scanner.scan(PROSE, context)).toEqual({ scanner: 'repetition', score: 0, findings: [] });
  });
});
