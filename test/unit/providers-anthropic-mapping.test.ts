/** Anthropic response and stream events → OpenAI shapes, table-driven. */
import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../../src/core/index.js';
import type { AnthropicStreamEvent } from '../../src/providers/anthropic/anthropic-types.js';
import {
  mapAnthropicResponse,
  mapFinishReason,
  mapUsage,
} from '../../src/providers/anthropic/map-anthropic-response.js';
import { AnthropicStreamMapper } from '../../src/providers/anthropic/map-anthropic-stream.js';

describe('mapFinishReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'stop'],
    ['something_new', 'stop'],
    [null, null],
  ])('%s → %s', (stopReason, finishReason) => {
    expect(mapFinishReason(stopReason)).toBe(finishReason);
  });
});

describe('mapUsage', () => {
  it.each([
    [
      { input_tokens: 10, output_tokens: 5 },
      {
        prompt_tokens: 10,
        completion_tokens: 5,
        total_tokens: 15,
        prompt_tokens_details: { cached_tokens: 0, cache_creation_tokens: 0 },
      },
    ],
    [
      { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 20 },
      {
        prompt_tokens: 130,
        completion_tokens: 5,
        total_tokens: 135,
        prompt_tokens_details: { cached_tokens: 100, cache_creation_tokens: 20 },
      },
    ],
    [
      { input_tokens: 3, output_tokens: 1, cache_read_input_tokens: null },
      {
        prompt_tokens: 3,
        completion_tokens: 1,
        total_tokens: 4,
        prompt_tokens_details: { cached_tokens: 0, cache_creation_tokens: 0 },
      },
    ],
    [
      undefined,
      {
        prompt_tokens: 0,
        completion_tokens: 0,
        total_tokens: 0,
        prompt_tokens_details: { cached_tokens: 0, cache_creation_tokens: 0 },
      },
    ],
  ])('%j', (usage, expected) => {
    expect(mapUsage(usage)).toEqual(expected);
  });
});

describe('mapAnthropicResponse', () => {
  it('joins text blocks, maps tool_use to tool_calls and skips thinking', () => {
    const completion = mapAnthropicResponse(
      {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-x',
        content: [
          { type: 'thinking', text: 'hmm' },
          { type: 'text', text: 'Part one. ' },
          { type: 'text', text: 'Part two.' },
          { type: 'tool_use', id: 'toolu_1', name: 'search', input: { q: 'a "quoted" term' } },
        ],
        stop_reason: 'tool_use',
        usage: { input_tokens: 1, output_tokens: 2 },
      },
      1700000000,
    );
    expect(completion).toEqual({
      id: 'msg_1',
      object: 'chat.completion',
      created: 1700000000,
      model: 'claude-x',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Part one. Part two.',
            tool_calls: [
              {
                id: 'toolu_1',
                type: 'function',
                function: { name: 'search', arguments: '{"q":"a \\"quoted\\" term"}' },
              },
            ],
          },
          finish_reason: 'tool_calls',
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 1,
        completion_tokens: 2,
        total_tokens: 3,
        prompt_tokens_details: { cached_tokens: 0, cache_creation_tokens: 0 },
      },
    });
  });

  it('uses null content for a tool-only answer', () => {
    const completion = mapAnthropicResponse(
      {
        id: 'm',
        type: 'message',
        role: 'assistant',
        model: 'c',
        content: [{ type: 'tool_use', id: 't', name: 'f', input: {} }],
        stop_reason: 'tool_use',
        usage: {},
      },
      0,
    );
    expect(completion.choices[0]?.message.content).toBeNull();
  });
});

describe('AnthropicStreamMapper', () => {
  const run = (events: AnthropicStreamEvent[]) => {
    const mapper = new AnthropicStreamMapper('p', 'requested-model', 1700000000);
    const chunks: ChatCompletionChunk[] = [];
    for (const event of events) {
      const chunk = mapper.push(event);
      if (chunk) chunks.push(chunk);
    }
    return { chunks, done: mapper.done };
  };
  const start: AnthropicStreamEvent = {
    type: 'message_start',
    message: {
      id: 'msg_9',
      model: 'claude-real',
      usage: { input_tokens: 12, output_tokens: 1, cache_read_input_tokens: 4 },
    },
  };

  it('maps text and two tool_use blocks with their own indexes', () => {
    const { chunks, done } = run([
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'ping' },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 'tu_a', name: 'a', input: {} },
      },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"x":' } },
      {
        type: 'content_block_start',
        index: 2,
        content_block: { type: 'tool_use', id: 'tu_b', name: 'b', input: {} },
      },
      { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{}' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '1}' } },
      { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 30 } },
      { type: 'message_stop' },
    ]);
    expect(done).toBe(true);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta ?? null)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Hi' },
      { tool_calls: [{ index: 0, id: 'tu_a', type: 'function', function: { name: 'a', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"x":' } }] },
      { tool_calls: [{ index: 1, id: 'tu_b', type: 'function', function: { name: 'b', arguments: '' } }] },
      { tool_calls: [{ index: 1, function: { arguments: '{}' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '1}' } }] },
      {},
      null,
    ]);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(
      chunks.every(
        (chunk) => chunk.id === 'msg_9' && chunk.model === 'claude-real' && chunk.created === 1700000000,
      ),
    ).toBe(true);
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: 16,
        completion_tokens: 30,
        total_tokens: 46,
        prompt_tokens_details: { cached_tokens: 4, cache_creation_tokens: 0 },
      },
    });
  });

  it('lets message_delta usage override the message_start counts', () => {
    const { chunks } = run([
      start,
      {
        type: 'message_delta',
        delta: { stop_reason: 'max_tokens' },
        usage: { input_tokens: 20, output_tokens: 7, cache_read_input_tokens: 0 },
      },
      { type: 'message_stop' },
    ]);
    expect(chunks[1]?.choices[0]?.finish_reason).toBe('length');
    expect(chunks[2]?.usage).toMatchObject({
      prompt_tokens: 20,
      completion_tokens: 7,
      prompt_tokens_details: { cached_tokens: 0, cache_creation_tokens: 0 },
    });
  });

  it('ignores thinking deltas and unknown events', () => {
    const { chunks, done } = run([
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta' } },
      { type: 'some_future_event' },
    ]);
    expect(chunks).toHaveLength(1);
    expect(done).toBe(false);
  });

  it.each([
    ['overloaded_error', 'upstream_unavailable', true],
    ['rate_limit_error', 'rate_limited', true],
    ['api_error', 'upstream_error', true],
    ['invalid_request_error', 'invalid_request', false],
  ])('an %s event throws %s', (type, code, retryable) => {
    expect(() => run([start, { type: 'error', error: { type, message: 'bad' } }])).toThrow(
      expect.objectContaining({ code, retryable, message: expect.stringContaining('bad') }),
    );
  });
});
