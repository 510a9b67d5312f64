import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../../src/core/index.js';
import { StreamAccumulator } from '../../src/gateway/stream-accumulator.js';
import { estimateTokenWeight } from '../../src/knowledge/index.js';

const chunk = (delta: Record<string, unknown>): ChatCompletionChunk =>
  ({
    id: 'c1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta, finish_reason: null }],
  }) as unknown as ChatCompletionChunk;

describe('StreamAccumulator', () => {
  const deltas = [
    { content: 'Hello, ' },
    { content: '世界' },
    { tool_calls: [{ index: 0, id: 't1', function: { name: 'lookup', arguments: '{"q":' } }] },
    { tool_calls: [{ index: 0, function: { arguments: '"weather"}' } }] },
  ];
  const expected =
    estimateTokenWeight('Hello, ') +
    estimateTokenWeight('世界') +
    estimateTokenWeight('{"q":') +
    estimateTokenWeight('"weather"}');

  it.each([true, false])(
    'estimates the tokens of text and tool-call arguments whether or not content is captured (%s)',
    (capture) => {
      const accumulator = new StreamAccumulator(capture);
      for (const delta of deltas) accumulator.add(chunk(delta));
      expect(accumulator.outputTokenWeight).toBeCloseTo(expected, 12);
      expect(accumulator.text).toBe(capture ? 'Hello, 世界' : '');
      const output = accumulator.output() as Array<{ tool_calls?: unknown }>;
      expect(output[0]!.tool_calls).toEqual(
        capture
          ? [{ id: 't1', type: 'function', function: { name: 'lookup', arguments: '{"q":"weather"}' } }]
          : undefined,
      );
    },
  );
});
