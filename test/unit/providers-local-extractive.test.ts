/** The built-in responder's pure parts: context splitting, sentence scoring, hashed embeddings. */
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/core/index.js';
import {
  extractAnswer,
  NOT_FOUND_ANSWER,
  splitContext,
  splitSentences,
} from '../../src/providers/local-extractive/extract-answer.js';
import { hashedEmbedding } from '../../src/providers/local-extractive/hashed-embeddings.js';
import { estimateTokens, terms } from '../../src/providers/local-extractive/text-terms.js';

describe('splitContext', () => {
  it.each([
    ['plain question', 'What is X?', [], 'What is X?'],
    ['<context> block', '<context>\nA is B.\n</context>\nWhat is A?', ['\nA is B.\n'], 'What is A?'],
    [
      'Context: … Question:',
      'Context: A is B.\nC is D.\n\nQuestion: What is C?',
      ['A is B.\nC is D.\n\n'],
      'What is C?',
    ],
    ['Context: up to the end', 'Answer briefly.\nContext:\nA is B.', ['\nA is B.'], 'Answer briefly.'],
    [
      'numbered sources',
      'Sources:\n[1] A is B.\n[2] C is D.\nQ: What is A?',
      ['\n[1] A is B.\n[2] C is D.\n'],
      'What is A?',
    ],
    [
      'numbered sources without heading',
      '[1] A is B.\n[2] C is D.\nWhat is A?',
      ['A is B.', 'C is D.'],
      'What is A?',
    ],
  ])('%s', (_name, text, blocks, rest) => {
    expect(splitContext(text)).toEqual({ blocks, rest });
  });
});

describe('splitSentences', () => {
  it.each([
    [
      'sentences on one line',
      'One is here. Two is there! Three?',
      ['One is here.', 'Two is there!', 'Three?'],
    ],
    [
      'wrapped lines are rejoined',
      'A sentence that\nwraps over lines. Next one.',
      ['A sentence that wraps over lines.', 'Next one.'],
    ],
    [
      'markers are dropped',
      '[1] First source.\n[2] Second source\n- bullet item',
      ['First source.', 'Second source', 'bullet item'],
    ],
    ['abbreviations in lower case do not split', 'Use e.g. this one. Done.', ['Use e.g. this one.', 'Done.']],
    ['blank lines separate', 'Title\n\nBody text.', ['Title', 'Body text.']],
  ])('%s', (_name, block, sentences) => {
    expect(splitSentences(block)).toEqual(sentences);
  });
});

describe('extractAnswer', () => {
  const context = [
    '[1] The warranty lasts two years.',
    '[2] Returns are accepted within 30 days.',
    '[3] The warranty covers manufacturing defects.',
    '[4] Shipping is free above 50 euros.',
    '[5] The warranty does not cover water damage.',
    '[6] The warranty is void if the device is opened.',
  ].join('\n');
  const ask = (question: string, extra: ChatMessage[] = []): string =>
    extractAnswer([...extra, { role: 'user', content: `Context:\n${context}\n\nQuestion: ${question}` }]);

  it.each([
    ['best single sentence', 'How long are returns accepted?', 'Returns are accepted within 30 days.'],
    [
      'at most three sentences, ties in document order',
      'Tell me about the warranty',
      'The warranty lasts two years. The warranty covers manufacturing defects. The warranty does not cover water damage.',
    ],
    [
      'a clearly better sentence wins alone (no stemming: cover ≠ covers)',
      'What does the warranty cover?',
      'The warranty does not cover water damage.',
    ],
    ['stop words do not count', 'What is the?', NOT_FOUND_ANSWER],
    ['case and punctuation do not matter', 'SHIPPING free?', 'Shipping is free above 50 euros.'],
  ])('%s', (_name, question, answer) => {
    expect(ask(question)).toBe(answer);
  });

  it('echoes the last user message when there is no context', () => {
    expect(
      extractAnswer([
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'x' },
        { role: 'user', content: 'second' },
      ]),
    ).toBe('You said: second');
    expect(extractAnswer([])).toBe('You said: ');
  });

  it('ignores assistant turns as context', () => {
    expect(
      extractAnswer([
        { role: 'assistant', content: 'Cats purr.' },
        { role: 'user', content: 'Do cats purr?' },
      ]),
    ).toBe('You said: Do cats purr?');
  });
});

describe('hashed embeddings', () => {
  it.each([
    ['same text, same vector', 'alpha beta', 'alpha beta', 1],
    ['order does not matter', 'alpha beta', 'beta alpha', 1],
    ['case does not matter', 'Alpha Beta', 'alpha beta', 1],
    ['stop words do not matter', 'the alpha of beta', 'alpha beta', 1],
  ])('%s', (_name, left, right, similarity) => {
    const a = hashedEmbedding(left);
    const b = hashedEmbedding(right);
    expect(a.reduce((sum, value, index) => sum + value * b[index]!, 0)).toBeCloseTo(similarity, 10);
  });

  it('gives unrelated texts a low similarity and an empty text a zero vector', () => {
    const a = hashedEmbedding('invoice payment overdue reminder');
    const b = hashedEmbedding('giraffe savanna tall neck');
    expect(Math.abs(a.reduce((sum, value, index) => sum + value * b[index]!, 0))).toBeLessThan(0.3);
    expect(hashedEmbedding('', 8)).toEqual(new Array(8).fill(0));
    expect(Math.hypot(...hashedEmbedding('the of and'))).toBeCloseTo(1, 10);
  });
});

describe('text terms', () => {
  it.each([
    ['Hello, World! 42 times', ['hello', 'world', '42', 'times']],
    ['What is the answer?', []],
    ['Ünïcode wörds ok', ['ünïcode', 'wörds', 'ok']],
  ])('terms(%j)', (text, expected) => {
    expect(terms(text)).toEqual(expected);
  });

  it.each([
    ['', 0],
    ['abc', 1],
    ['abcd', 1],
    ['abcde', 2],
  ])('estimateTokens(%j) = %i', (text, tokens) => {
    expect(estimateTokens(text)).toBe(tokens);
  });
});
