/** OpenAI request → Anthropic Messages request, table-driven. */
import { describe, expect, it } from 'vitest';
import type { ChatCompletionRequest, ChatMessage } from '../../src/core/index.js';
import { convertToAnthropicRequest } from '../../src/providers/anthropic/convert-to-anthropic-messages.js';

const settings = { defaultMaxTokens: 1000 };
const convert = (request: Partial<ChatCompletionRequest>) =>
  convertToAnthropicRequest(
    { model: 'claude', messages: [{ role: 'user', content: 'hi' }], ...request },
    settings,
  );
const messages = (list: ChatMessage[]) => convert({ messages: list });

describe('convertToAnthropicMessages', () => {
  it.each<[string, ChatMessage[], Record<string, unknown>]>([
    [
      'system and developer messages become one system string',
      [
        { role: 'system', content: 'Rule one.' },
        { role: 'developer', content: [{ type: 'text', text: 'Rule two.' }] },
        { role: 'user', content: 'hi' },
      ],
      { system: 'Rule one.\n\nRule two.', messages: [{ role: 'user', content: 'hi' }] },
    ],
    [
      'consecutive user messages merge into one turn of blocks',
      [
        { role: 'user', content: 'first' },
        { role: 'user', content: 'second' },
      ],
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'first' },
              { type: 'text', text: 'second' },
            ],
          },
        ],
      },
    ],
    [
      'assistant tool calls become tool_use blocks after the text',
      [
        { role: 'user', content: 'weather?' },
        {
          role: 'assistant',
          content: 'Let me look.',
          tool_calls: [
            { id: 't1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
            { id: 't2', type: 'function', function: { name: 'time', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 't1', content: 'sunny' },
        { role: 'tool', tool_call_id: 't2', content: [{ type: 'text', text: '12:00' }] },
        { role: 'user', content: 'thanks' },
      ],
      {
        messages: [
          { role: 'user', content: 'weather?' },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Let me look.' },
              { type: 'tool_use', id: 't1', name: 'weather', input: { city: 'Oslo' } },
              { type: 'tool_use', id: 't2', name: 'time', input: {} },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 't1', content: 'sunny' },
              { type: 'tool_result', tool_use_id: 't2', content: '12:00' },
              { type: 'text', text: 'thanks' },
            ],
          },
        ],
      },
    ],
    [
      'an empty assistant message is skipped',
      [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: '' },
        { role: 'user', content: 'b' },
      ],
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'a' },
              { type: 'text', text: 'b' },
            ],
          },
        ],
      },
    ],
    [
      'image parts: data URL → base64 source, http URL → url source',
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
          ],
        },
      ],
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'what is this?' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
              { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
            ],
          },
        ],
      },
    ],
  ])('%s', (_name, input, expected) => {
    expect(messages(input)).toMatchObject(expected);
    if (!('system' in expected)) expect(messages(input).system).toBeUndefined();
  });

  it.each<[string, ChatMessage[], string]>([
    [
      'invalid tool arguments',
      [
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'x', type: 'function', function: { name: 'f', arguments: '{bad' } }],
        },
      ],
      'messages[0].tool_calls[0].function.arguments',
    ],
    [
      'an audio part',
      [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }],
      'messages[0].content[0]',
    ],
    [
      'an image that is not a URL',
      [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x' } }] }],
      'messages[0].content[0]',
    ],
    ['a tool message without id', [{ role: 'tool', content: 'x' }], 'messages[0]'],
  ])('rejects %s with the offending param', (_name, input, param) => {
    expect(() => messages(input)).toThrow(
      expect.objectContaining({ code: 'invalid_request', status: 400, param }),
    );
  });
});

describe('convertToAnthropicRequest parameters', () => {
  const weather = {
    type: 'function',
    function: {
      name: 'weather',
      description: 'Get weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
  };

  it.each<[string, Partial<ChatCompletionRequest>, Record<string, unknown>]>([
    ['default max_tokens from provider config', {}, { max_tokens: 1000 }],
    ['max_tokens', { max_tokens: 50 }, { max_tokens: 50 }],
    [
      'max_completion_tokens wins over max_tokens',
      { max_tokens: 50, max_completion_tokens: 60 },
      { max_tokens: 60 },
    ],
    ['stop string', { stop: 'END' }, { stop_sequences: ['END'] }],
    ['stop list', { stop: ['a', 'b'] }, { stop_sequences: ['a', 'b'] }],
    ['temperature and top_p', { temperature: 0.5, top_p: 0.9 }, { temperature: 0.5, top_p: 0.9 }],
    ['user → metadata.user_id', { user: 'u-1' }, { metadata: { user_id: 'u-1' } }],
    [
      'tools',
      { tools: [weather] },
      { tools: [{ name: 'weather', description: 'Get weather', input_schema: weather.function.parameters }] },
    ],
    [
      'tool without parameters gets an empty object schema',
      { tools: [{ type: 'function', function: { name: 'now' } }] },
      { tools: [{ name: 'now', input_schema: { type: 'object', properties: {} } }] },
    ],
    ['tool_choice auto', { tools: [weather], tool_choice: 'auto' }, { tool_choice: { type: 'auto' } }],
    ['tool_choice none', { tools: [weather], tool_choice: 'none' }, { tool_choice: { type: 'none' } }],
    [
      'tool_choice required → any',
      { tools: [weather], tool_choice: 'required' },
      { tool_choice: { type: 'any' } },
    ],
    [
      'named tool_choice → tool',
      { tools: [weather], tool_choice: { type: 'function', function: { name: 'weather' } } },
      { tool_choice: { type: 'tool', name: 'weather' } },
    ],
    [
      'parallel_tool_calls false',
      { tools: [weather], parallel_tool_calls: false },
      { tool_choice: { type: 'auto', disable_parallel_tool_use: true } },
    ],
    [
      'json_object → instruction in system',
      { response_format: { type: 'json_object' } },
      { system: expect.stringContaining('single valid JSON object') },
    ],
    [
      'json_schema → schema in system, appended to the existing system',
      {
        messages: [
          { role: 'system', content: 'Be terse.' },
          { role: 'user', content: 'x' },
        ],
        response_format: {
          type: 'json_schema',
          json_schema: { name: 's', strict: true, schema: { type: 'object', required: ['a'] } },
        },
      },
      {
        system: expect.stringMatching(
          /^Be terse\.\n\n.*conforms to this JSON schema:\n\{"type":"object","required":\["a"\]\}$/s,
        ),
      },
    ],
  ])('%s', (_name, request, expected) => {
    expect(convert(request)).toMatchObject(expected);
  });

  it('drops what Anthropic cannot express and never sends null parameters', () => {
    const converted = convert({
      seed: 1,
      n: 1,
      presence_penalty: 0.5,
      frequency_penalty: 0.5,
      logit_bias: { 1: 2 },
      logprobs: true,
      temperature: null,
      stop: null,
      tool_choice: 'auto',
      response_format: { type: 'text' },
    });
    expect(converted).toEqual({
      model: 'claude',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 1000,
    });
  });

  it.each<[string, Partial<ChatCompletionRequest>, string]>([
    ['n > 1', { n: 3 }, 'n'],
    ['a non-function tool', { tools: [{ type: 'web_search' }] }, 'tools[0]'],
    [
      'an unknown tool_choice',
      { tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: 'sometimes' },
      'tool_choice',
    ],
  ])('rejects %s', (_name, request, param) => {
    expect(() => convert(request)).toThrow(expect.objectContaining({ code: 'invalid_request', param }));
  });
});
