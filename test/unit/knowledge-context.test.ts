import { describe, expect, it } from 'vitest';
import {
  budgetContext,
  type ContextChunk,
  clauseStarts,
  countTokens,
  estimateTokens,
  formatContext,
  preloadTokenizers,
  sentenceStarts,
  tokenizerFor,
  wordStarts,
} from '../../src/knowledge/context/index.js';

/** One token per word, so budgets are easy to reason about. */
const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;

function chunk(id: string, text: string, score = 1): ContextChunk & { extra: string } {
  return { id, documentId: `doc-${id}`, text, score, extra: 'kept' };
}

function sentences(count: number, length: number, tag: string): string {
  return Array.from({ length: count }, (_, index) => {
    const body = Array.from({ length: length - 1 }, (_, word) => `${tag}${index}w${word}`).join(' ');
    return `Sentence ${body}.`;
  }).join(' ');
}

/** The pieces a list of start offsets cuts `text` into. */
function cut(text: string, starts: number[]): string[] {
  return [0, ...starts].map((start, index) => text.slice(start, [...starts, text.length][index]).trim());
}

describe('text boundaries', () => {
  it.each([
    ['One. Two! Three? Four', ['One.', 'Two!', 'Three?', 'Four']],
    ['He said "stop." Then left.', ['He said "stop."', 'Then left.']],
    ['Use e.g. this, or 3.14 and v1.2.3. Next one.', ['Use e.g. this, or 3.14 and v1.2.3.', 'Next one.']],
    ['Wait... What?! (Really.) Yes', ['Wait...', 'What?!', '(Really.)', 'Yes']],
    ['no stop\n\nnew paragraph\nsame one', ['no stop', 'new paragraph\nsame one']],
    ['ends with etc.\n\nlowercase paragraph', ['ends with etc.', 'lowercase paragraph']],
    [
      '第一句。第二句！第三句？「引用。」第四；第五',
      ['第一句。', '第二句！', '第三句？', '「引用。」', '第四；', '第五'],
    ],
    ['Trailing. ', ['Trailing.']],
  ])('sentenceStarts(%j)', (text, pieces) => {
    expect(cut(text, sentenceStarts(text))).toEqual(pieces);
  });

  it('limits boundaries to the range asked for', () => {
    const text = 'A one. B two. C three. D four.';
    expect(sentenceStarts(text, 7, 22)).toEqual([14]);
    expect(sentenceStarts(text, 7, 13)).toEqual([]);
  });

  it('finds clauses and words', () => {
    expect(cut('a, b; c: d,e 1,000', clauseStarts('a, b; c: d,e 1,000'))).toEqual([
      'a,',
      'b;',
      'c:',
      'd,e 1,000',
    ]);
    expect(cut('甲，乙、丙：丁', clauseStarts('甲，乙、丙：丁'))).toEqual(['甲，', '乙、', '丙：', '丁']);
    expect(wordStarts('  two  words ')).toEqual([2, 7]);
  });
});

describe('tokenizerFor / countTokens', () => {
  it.each([
    ['gpt-4o', 'o200k_base'],
    ['gpt-4o-mini-2024-07-18', 'o200k_base'],
    ['openai/gpt-4.1-nano', 'o200k_base'],
    ['ft:gpt-4o-mini-2024-07-18:acme::abc123', 'o200k_base'],
    ['o1', 'o200k_base'],
    ['o3-mini', 'o200k_base'],
    ['o4-mini', 'o200k_base'],
    ['gpt-5', 'o200k_base'],
    ['gpt-oss-20b', 'o200k_base'],
    ['gpt-4', 'cl100k_base'],
    ['gpt-4-turbo', 'cl100k_base'],
    ['gpt-3.5-turbo', 'cl100k_base'],
    ['text-embedding-3-small', 'cl100k_base'],
    ['qwen-max', 'estimate'],
    ['llama-3.1-8b-instruct', 'estimate'],
    ['claude-sonnet-4', 'estimate'],
    ['omni-unknown', 'estimate'],
  ])('%s → %s', (model, name) => {
    const tokenizer = tokenizerFor(model);
    expect(tokenizer.name).toBe(name);
    expect(tokenizer.exact).toBe(name !== 'estimate');
  });

  it('defaults to o200k_base without a model', () => {
    expect(tokenizerFor().name).toBe('o200k_base');
    expect(tokenizerFor('').name).toBe('o200k_base');
  });

  it('counts exactly with the known encodings', () => {
    expect(countTokens('hello world', 'gpt-4o')).toBe(2);
    expect(countTokens('hello world', 'gpt-4')).toBe(2);
    expect(countTokens('', 'gpt-4o')).toBe(0);
    // o200k and cl100k differ on non-English text.
    const text = 'Приветствую вас, дорогие друзья! 知识库用于检索增强生成。';
    expect(countTokens(text, 'gpt-4o')).not.toBe(countTokens(text, 'gpt-4'));
  });

  it('counts special-token strings in user text as plain text instead of throwing', () => {
    expect(countTokens('before <|endoftext|> after', 'gpt-4o')).toBeGreaterThan(3);
    expect(countTokens('<|im_start|>', 'gpt-4')).toBeGreaterThan(1);
  });

  it('estimates per script: latin/4, CJK 1 each, other scripts 1/2', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
    expect(estimateTokens('你好世界')).toBe(4);
    expect(estimateTokens('こんにちは')).toBe(5);
    expect(estimateTokens('привет')).toBe(3);
    expect(estimateTokens('hello 世界')).toBe(Math.ceil(6 / 4 + 2));
    expect(countTokens('你好，世界', 'qwen-max')).toBe(5);
  });
});

describe('budgetContext', () => {
  it('computes the budget from window, prompt and output, never negative', () => {
    const result = budgetContext({
      chunks: [],
      contextWindow: 1000,
      promptTokens: 300,
      maxOutputTokens: 200,
      counter: words,
    });
    expect(result).toEqual({ included: [], dropped: [], budget: 500, used: 0, overflow: 0 });
    const over = budgetContext({
      chunks: [chunk('a', 'some text')],
      contextWindow: 1000,
      promptTokens: 900,
      maxOutputTokens: 200,
      counter: words,
    });
    expect(over).toMatchObject({
      budget: 0,
      used: 0,
      overflow: 100,
      included: [],
      dropped: [{ id: 'a', reason: 'budget' }],
    });
  });

  it('fills with the best chunks in order, counting separators', () => {
    const result = budgetContext({
      chunks: [
        chunk('a', sentences(2, 10, 'a')),
        chunk('b', sentences(3, 10, 'b')),
        chunk('c', sentences(1, 5, 'c')),
      ],
      contextWindow: 200,
      promptTokens: 50,
      maxOutputTokens: 50,
      counter: words,
      separatorTokens: 2,
    });
    expect(result.budget).toBe(100);
    expect(result.included.map((entry) => [entry.chunk.id, entry.tokens, entry.trimmed])).toEqual([
      ['a', 20, false],
      ['b', 30, false],
      ['c', 5, false],
    ]);
    expect(result.used).toBe(20 + 30 + 5 + 3 * 2);
    expect(result.included[0]!.chunk.extra).toBe('kept');
  });

  it('trims the first chunk that does not fit at a sentence boundary and drops the rest', () => {
    const long = sentences(6, 10, 'b');
    const result = budgetContext({
      chunks: [chunk('a', sentences(3, 10, 'a')), chunk('b', long), chunk('c', 'tiny')],
      contextWindow: 100,
      promptTokens: 10,
      maxOutputTokens: 10,
      counter: words,
      separatorTokens: 0,
      minTrimTokens: 10,
    });
    // budget 80: a takes 30, 50 remain → b keeps its first 5 sentences (50 words).
    expect(result.included.map((entry) => [entry.chunk.id, entry.tokens, entry.trimmed])).toEqual([
      ['a', 30, false],
      ['b', 50, true],
    ]);
    const trimmed = result.included[1]!.text;
    expect(long.startsWith(trimmed)).toBe(true);
    expect(trimmed.endsWith('.')).toBe(true);
    expect(sentenceStarts(long)).toContain(trimmed.length + 1);
    expect(result.dropped).toEqual([{ id: 'c', reason: 'budget' }]);
    expect(result.used).toBe(80);
  });

  it('drops instead of trimming when less than the useful minimum is left', () => {
    const result = budgetContext({
      chunks: [chunk('a', sentences(7, 10, 'a')), chunk('b', sentences(4, 10, 'b'))],
      contextWindow: 100,
      promptTokens: 10,
      maxOutputTokens: 0,
      counter: words,
      separatorTokens: 0,
    });
    // 90 budget, a uses 70, 20 left < 32.
    expect(result.included.map((entry) => entry.chunk.id)).toEqual(['a']);
    expect(result.dropped).toEqual([{ id: 'b', reason: 'budget' }]);
  });

  it('falls back to a word boundary when no sentence prefix is long enough', () => {
    const run = Array.from({ length: 100 }, (_, index) => `w${index}`).join(' ');
    const result = budgetContext({
      chunks: [chunk('a', run)],
      contextWindow: 50,
      promptTokens: 0,
      maxOutputTokens: 10,
      counter: words,
      separatorTokens: 0,
    });
    expect(result.included).toEqual([
      { chunk: chunk('a', run), text: run.split(' ').slice(0, 40).join(' '), tokens: 40, trimmed: true },
    ]);
  });

  it('drops duplicates by id and by text (whitespace and case aside)', () => {
    const result = budgetContext({
      chunks: [
        chunk('a', 'The same words here.'),
        chunk('b', '  the SAME   words\nhere. '),
        chunk('a', 'different text, same id'),
        chunk('c', 'Other text.'),
      ],
      contextWindow: 1000,
      promptTokens: 0,
      maxOutputTokens: 0,
      counter: words,
    });
    expect(result.included.map((entry) => entry.chunk.id)).toEqual(['a', 'c']);
    expect(result.dropped).toEqual([
      { id: 'b', reason: 'duplicate' },
      { id: 'a', reason: 'duplicate' },
    ]);
  });

  it('never touches the question: prompt tokens are reserved first, only chunks give way', () => {
    const tokenizer = tokenizerFor('gpt-4o');
    const question =
      'What does the retrieval stage do with a very long question that fills the window? '.repeat(20);
    const promptTokens = tokenizer.count(`System: answer from the sources.\n\nQuestion: ${question}`);
    const chunks = [chunk('a', sentences(20, 12, 'a')), chunk('b', sentences(20, 12, 'b'))];
    const contextWindow = promptTokens + 256 + 120;
    const result = budgetContext({
      chunks,
      contextWindow,
      promptTokens,
      maxOutputTokens: 256,
      counter: tokenizer,
    });
    expect(result.budget).toBe(120);
    expect(result.used).toBeLessThanOrEqual(120);
    expect(promptTokens + result.used + 256).toBeLessThanOrEqual(contextWindow);
    expect(result.included).toHaveLength(1);
    expect(result.included[0]!.trimmed).toBe(true);
    expect(result.dropped).toEqual([{ id: 'b', reason: 'budget' }]);
    const { text } = formatContext(result.included);
    expect(tokenizer.count(text)).toBeLessThanOrEqual(result.used);
  });

  it('rejects negative or non-numeric sizes', () => {
    expect(() =>
      budgetContext({ chunks: [], contextWindow: -1, promptTokens: 0, maxOutputTokens: 0, counter: words }),
    ).toThrow(/contextWindow/);
    expect(() =>
      budgetContext({
        chunks: [],
        contextWindow: 10,
        promptTokens: Number.NaN,
        maxOutputTokens: 0,
        counter: words,
      }),
    ).toThrow(/promptTokens/);
  });
});

describe('formatContext', () => {
  it('numbers the sources from 1 and cites document and chunk', () => {
    const { included } = budgetContext({
      chunks: [chunk('x#0', 'First source.'), chunk('y#3', 'Second source.')],
      contextWindow: 1000,
      promptTokens: 0,
      maxOutputTokens: 0,
      counter: words,
    });
    expect(formatContext(included)).toEqual({
      text: '[1] First source.\n\n[2] Second source.',
      citations: [
        { index: 1, documentId: 'doc-x#0', chunkId: 'x#0' },
        { index: 2, documentId: 'doc-y#3', chunkId: 'y#3' },
      ],
    });
    expect(formatContext([])).toEqual({ text: '', citations: [] });
  });
});

describe('preloadTokenizers', () => {
  it('loads both encodings so the next counts are exact and immediate', () => {
    preloadTokenizers();
    expect(countTokens('hello world', 'gpt-4o')).toBe(2);
    expect(countTokens('hello world', 'gpt-3.5-turbo')).toBe(2);
  });
});
