import { describe, expect, it } from 'vitest';
import { countTokens, estimateTokens, sentenceStarts } from '../../src/knowledge/context/index.js';
import { chunkText, type TextChunk } from '../../src/knowledge/ingest/index.js';

/** One token per whitespace-separated word: makes expected boundaries easy to reason about. */
const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;

function sentence(index: number, length = 10): string {
  const body = Array.from({ length: length - 1 }, (_, word) => `w${index}x${word}`).join(' ');
  return `Sentence${index} ${body}.`;
}

function expectSlices(text: string, chunks: TextChunk[]): void {
  for (const chunk of chunks) {
    expect(chunk.text).toBe(text.slice(chunk.start, chunk.end));
    expect(chunk.text.trim()).toBe(chunk.text);
    expect(chunk.text.length).toBeGreaterThan(0);
  }
}

describe('chunkText', () => {
  it('returns nothing for empty or blank text', () => {
    expect(chunkText('', { chunkTokens: 10, overlapTokens: 2, countTokens: words })).toEqual([]);
    expect(chunkText(' \n\n\t', { chunkTokens: 10, overlapTokens: 2, countTokens: words })).toEqual([]);
  });

  it('rejects impossible sizes', () => {
    expect(() => chunkText('x', { chunkTokens: 0, overlapTokens: 0, countTokens: words })).toThrow(
      /chunkTokens/,
    );
    expect(() => chunkText('x', { chunkTokens: 5, overlapTokens: -1, countTokens: words })).toThrow(
      /overlapTokens/,
    );
  });

  it('splits at headings and records the heading path without prefixing the text', () => {
    const text = [
      '# Guide',
      'Intro paragraph here.',
      '## Install',
      'Run the installer now.',
      '```sh',
      '# not a heading',
      '```',
      '### Linux',
      '#### Notes',
      'Use the package manager.',
      '## Usage',
      'Start it.',
    ].join('\n\n');
    const chunks = chunkText(text, { chunkTokens: 100, overlapTokens: 0, countTokens: words });
    expectSlices(text, chunks);
    expect(chunks.map((chunk) => [chunk.headings, chunk.text])).toEqual([
      [['Guide'], '# Guide\n\nIntro paragraph here.'],
      [['Guide', 'Install'], '## Install\n\nRun the installer now.\n\n```sh\n\n# not a heading\n\n```'],
      [['Guide', 'Install', 'Linux', 'Notes'], '### Linux\n\n#### Notes\n\nUse the package manager.'],
      [['Guide', 'Usage'], '## Usage\n\nStart it.'],
    ]);
  });

  it('keeps paragraphs whole when they fit, and cuts long ones at sentences', () => {
    const short1 = [sentence(1), sentence(2)].join(' ');
    const short2 = [sentence(3), sentence(4)].join(' ');
    const long = Array.from({ length: 8 }, (_, index) => sentence(10 + index)).join(' ');
    const text = [short1, short2, long].join('\n\n');
    const chunks = chunkText(text, { chunkTokens: 45, overlapTokens: 0, countTokens: words });
    expectSlices(text, chunks);
    expect(chunks[0]!.text).toBe(`${short1}\n\n${short2}`);
    const starts = new Set([0, ...sentenceStarts(text)]);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(45);
      expect(starts.has(chunk.start)).toBe(true);
      expect(chunk.text.endsWith('.')).toBe(true);
    }
    expect(chunks.map((chunk) => chunk.tokenCount)).toEqual([40, 40, 40]);
  });

  it('overlaps the trailing sentences of the previous chunk, within the overlap budget', () => {
    const text = Array.from({ length: 30 }, (_, index) => sentence(index, 6)).join(' ');
    const chunks = chunkText(text, { chunkTokens: 40, overlapTokens: 12, countTokens: words });
    expectSlices(text, chunks);
    expect(chunks.length).toBeGreaterThan(4);
    const starts = new Set(sentenceStarts(text));
    for (let index = 1; index < chunks.length; index++) {
      const previous = chunks[index - 1]!;
      const chunk = chunks[index]!;
      expect(chunk.start).toBeLessThan(previous.end);
      expect(chunk.start).toBeGreaterThan(previous.start);
      expect(starts.has(chunk.start)).toBe(true);
      const overlap = text.slice(chunk.start, previous.end);
      expect(previous.text.endsWith(overlap)).toBe(true);
      expect(words(overlap)).toBeGreaterThan(0);
      expect(words(overlap)).toBeLessThanOrEqual(12);
    }
    // Every sentence is covered, in order.
    expect(chunks[0]!.start).toBe(0);
    expect(chunks.at(-1)!.end).toBe(text.length);
    for (let index = 1; index < chunks.length; index++)
      expect(chunks[index]!.start).toBeLessThanOrEqual(chunks[index - 1]!.end);
  });

  it('falls back to words when a sentence is longer than a chunk', () => {
    const text = Array.from({ length: 120 }, (_, index) => `word${index}`).join(' ');
    const chunks = chunkText(text, { chunkTokens: 25, overlapTokens: 5, countTokens: words });
    expectSlices(text, chunks);
    for (const chunk of chunks) expect(chunk.tokenCount).toBeLessThanOrEqual(25);
    for (let index = 1; index < chunks.length; index++) {
      const overlap = text.slice(chunks[index]!.start, chunks[index - 1]!.end);
      expect(words(overlap)).toBeLessThanOrEqual(5);
    }
    expect(chunks.at(-1)!.text.endsWith('word119')).toBe(true);
  });

  it('splits CJK text at 。！？； and unpunctuated CJK runs by tokens', () => {
    const punctuated =
      '知识库用于检索增强生成。系统会把文档切分成小块！用户提问时系统检索相关片段？最后交给模型；模型据此回答。';
    const text = `${punctuated.repeat(4)}\n\n${'没有标点的长句子'.repeat(40)}`;
    const counter = (value: string): number => countTokens(value, 'qwen-max');
    const chunks = chunkText(text, { chunkTokens: 40, overlapTokens: 0, countTokens: counter });
    expectSlices(text, chunks);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBe(counter(chunk.text));
      expect(chunk.tokenCount).toBeLessThanOrEqual(40);
    }
    const punctuatedChunks = chunks.filter((chunk) => chunk.end <= punctuated.length * 4);
    expect(punctuatedChunks.length).toBeGreaterThan(1);
    for (const chunk of punctuatedChunks) expect(chunk.text).toMatch(/[。！？；]$/);
    const run = chunks.filter((chunk) => chunk.start > punctuated.length * 4);
    expect(run.length).toBeGreaterThanOrEqual(320 / 40);
    expect(run.map((chunk) => chunk.text).join('')).toBe('没有标点的长句子'.repeat(40));
  });

  it('never exceeds chunkTokens with the real tokenizer, and reports exact counts', () => {
    const paragraph = (index: number): string =>
      `Paragraph ${index} explains retrieval-augmented generation: documents are split, embedded and indexed. ` +
      `Queries find the closest chunks (BM25 + vectors, fused with RRF)! Does it cite sources? It does, as [${index}].`;
    const text = `# Title\n\n${Array.from({ length: 40 }, (_, index) => paragraph(index)).join('\n\n')}\n\n${'x'.repeat(3000)}`;
    const counter = (value: string): number => countTokens(value, 'gpt-4o');
    for (const [chunkTokens, overlapTokens] of [
      [64, 16],
      [128, 0],
      [200, 40],
    ] as const) {
      const chunks = chunkText(text, { chunkTokens, overlapTokens, countTokens: counter });
      expectSlices(text, chunks);
      for (const chunk of chunks) {
        expect(chunk.tokenCount).toBe(counter(chunk.text));
        expect(chunk.tokenCount).toBeLessThanOrEqual(chunkTokens);
        expect(chunk.headings).toEqual(['Title']);
      }
    }
  });

  it('lets only a single oversized code point exceed the limit', () => {
    const text = '😀😀😀';
    const threePerCodePoint = (value: string): number => [...value].length * 3;
    const chunks = chunkText(text, { chunkTokens: 2, overlapTokens: 0, countTokens: threePerCodePoint });
    expect(chunks.map((chunk) => [chunk.text, chunk.tokenCount])).toEqual([
      ['😀', 3],
      ['😀', 3],
      ['😀', 3],
    ]);
    const fits = chunkText(text, { chunkTokens: 1, overlapTokens: 0, countTokens: estimateTokens });
    expect(fits.map((chunk) => chunk.text)).toEqual(['😀', '😀', '😀']);
  });

  it('counts a short single-chunk document once', () => {
    let calls = 0;
    const counting = (value: string): number => {
      calls++;
      return words(value);
    };
    const chunks = chunkText('  A short FAQ answer. It fits in one chunk.\n', {
      chunkTokens: 100,
      overlapTokens: 10,
      countTokens: counting,
    });
    expect(chunks).toEqual([
      { text: 'A short FAQ answer. It fits in one chunk.', tokenCount: 9, start: 2, end: 43, headings: [] },
    ]);
    expect(calls).toBe(1);
  });

  it('is deterministic', () => {
    const text = Array.from(
      { length: 200 },
      (_, index) => `${sentence(index, 3 + (index % 17))}${index % 7 === 0 ? '\n\n' : ' '}`,
    ).join('');
    const options = {
      chunkTokens: 60,
      overlapTokens: 10,
      countTokens: (value: string) => countTokens(value, 'gpt-4'),
    };
    expect(chunkText(text, options)).toEqual(chunkText(text, options));
  });
});
