import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../../src/core/index.js';
import { backoffDelay, retryAfterTooLong } from '../../src/gateway/index.js';
import { StreamAccumulator } from '../../src/gateway/stream-accumulator.js';

const retry = { max_attempts: 3, initial_delay_ms: 100, max_delay_ms: 1000 };

describe('backoffDelay', () => {
  it.each([
    [1, 0, 50],
    [1, 1, 100],
    [2, 0, 100],
    [2, 1, 200],
    [5, 1, 1000],
    [20, 0, 500],
  ])('attempt %d with random %d waits %d ms', (attempt, random, expected) => {
    expect(backoffDelay(retry, attempt, undefined, () => random)).toBe(expected);
  });

  it('waits at least what retry-after asks', () => {
    expect(backoffDelay(retry, 1, 0.8, () => 0)).toBe(800);
    expect(backoffDelay(retry, 3, 0.01, () => 1)).toBe(400);
  });

  it('gives up on a retry-after beyond the cap', () => {
    expect(retryAfterTooLong(retry, 2)).toBe(true);
    expect(retryAfterTooLong(retry, 1)).toBe(false);
    expect(retryAfterTooLong(retry, undefined)).toBe(false);
  });
});

const chunk = (
  delta: ChatCompletionChunk['choices'][number]['delta'],
  extra: Partial<ChatCompletionChunk> = {},
  finish: ChatCompletionChunk['choices'][number]['finish_reason'] = null,
): ChatCompletionChunk => ({
  id: 'c1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finish }],
  ...extra,
});

describe('StreamAccumulator', () => {
  it('folds text, tool calls, finish reason and the usage-only chunk', () => {
    const accumulator = new StreamAccumulator(true);
    accumulator.add(chunk({ role: 'assistant', content: '' }));
    accumulator.add(chunk({ content: 'Hel' }));
    accumulator.add(chunk({ content: 'lo' }));
    accumulator.add(
      chunk({
        tool_calls: [
          { index: 0, id: 'call_1', type: 'function', function: { name: 'get_', arguments: '{"a"' } },
        ],
      }),
    );
    accumulator.add(
      chunk(
        { tool_calls: [{ index: 0, function: { name: 'weather', arguments: ':1}' } }] },
        {},
        'tool_calls',
      ),
    );
    accumulator.add({
      ...chunk({}),
      choices: [],
      usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
    });
    expect(accumulator.text).toBe('Hello');
    expect(accumulator.finishReason).toBe('tool_calls');
    expect(accumulator.usage?.total_tokens).toBe(7);
    expect(accumulator.chunks).toBe(6);
    expect(accumulator.output()).toEqual([
      {
        role: 'assistant',
        content: 'Hello',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"a":1}' } },
        ],
        finish_reason: 'tool_calls',
      },
    ]);
  });

  it('keeps no content when capture is off', () => {
    const accumulator = new StreamAccumulator(false);
    accumulator.add(chunk({ content: 'secret' }, {}, 'stop'));
    expect(accumulator.text).toBe('');
    expect(accumulator.finishReason).toBe('stop');
  });
});
