/**
 * Refusal detection in English and Chinese: clear refusals, answers that merely apologise or
 * add a caveat, and helpful answers with trigger words (XSTest-style "kill a process").
 */
import { describe, expect, it } from 'vitest';
import { createRefusalScanner, isRefusal } from '../../src/guard/output/index.js';

describe('isRefusal', () => {
  it.each([
    "I'm sorry, but I can't help with that.",
    'I’m sorry, but I cannot assist with creating malware.',
    'Sorry, I can’t provide instructions for making weapons.',
    'I cannot help you with that request.',
    'I must respectfully decline to write that.',
    "As an AI language model, I don't have the ability to access personal data.",
    "I'm not comfortable writing content that demeans people.",
    'That request goes against my guidelines, so I will not continue.',
    '抱歉，我无法提供这方面的信息。',
    '对不起，我不能帮你做这件事。',
    '作为一个人工智能，我不能提供医疗诊断。',
    '很遗憾，这违反了相关法律法规，我必须拒绝。',
    '我不能协助任何违法活动。',
  ])('refusal: %s', (text) => {
    const verdict = isRefusal(text);
    expect(verdict.refusal).toBe(true);
    expect(verdict.score).toBeGreaterThanOrEqual(0.5);
    expect(verdict.matches.length).toBeGreaterThan(0);
  });

  it.each([
    'To kill a Python process, find its PID with `ps aux | grep python` and run `kill <PID>`.',
    'Sure! Here is a recipe for chocolate chip cookies.',
    "I'm sorry to hear that your flight was cancelled. Here are your options for rebooking: …",
    'The capital of Australia is Canberra.',
    "Here's the summary you asked for. Note that I can't guarantee the figures are current.",
    '好的，下面是一首关于春天的诗：春风拂面，万物复苏。',
    '要终止一个进程，可以使用 kill 命令加上进程号。',
    '',
  ])('not a refusal: %s', (text) => {
    expect(isRefusal(text).refusal).toBe(false);
  });

  it('weighs a late caveat less than an opening refusal', () => {
    const opening = isRefusal("I can't help with that. Here is some general safety information instead.");
    const late = isRefusal(`${'Here is a detailed answer. '.repeat(20)}I can't help with that part, though.`);
    expect(opening.score).toBeGreaterThan(late.score);
  });
});

describe('scanner', () => {
  it('reports the strongest phrase with the combined score', () => {
    const scanner = createRefusalScanner();
    expect(scanner.stages).toEqual(['output']);
    const text = "I'm sorry, but I can't help with that.";
    const result = scanner.scan(text, { stage: 'output' });
    expect(result).toMatchObject({ scanner: 'refusal', findings: [{ type: 'refusal', start: 0 }] });
    expect((result as { score: number }).score).toBeCloseTo(isRefusal(text).score);
  });

  it('returns no findings for an answer', () => {
    expect(createRefusalScanner().scan('Paris.', { stage: 'output' })).toEqual({
      scanner: 'refusal',
      score: 0,
      findings: [],
    });
  });
});
