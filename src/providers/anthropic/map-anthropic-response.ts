/**
 * @module providers/anthropic/map-anthropic-response
 *
 * Anthropic Messages response → OpenAI `chat.completion`: text blocks joined into `content`,
 * `tool_use` blocks into `tool_calls` (input re-serialised as the arguments string),
 * `stop_reason` into `finish_reason`, and usage into OpenAI semantics, where prompt tokens
 * include cached ones: prompt = input + cache read + cache creation, cached = cache read,
 * `cache_creation_tokens` = cache creation.
 */
import type { ChatCompletion, FinishReason, ToolCall, Usage } from '../../core/index.js';
import type { AnthropicMessageResponse, AnthropicUsage } from './anthropic-types.js';

const FINISH_REASONS: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

export function mapFinishReason(stopReason: string | null | undefined): FinishReason {
  if (stopReason == null) return null;
  return FINISH_REASONS[stopReason] ?? 'stop';
}

export function mapUsage(usage: AnthropicUsage | undefined): Usage {
  const input = usage?.input_tokens ?? 0;
  const cacheRead = usage?.cache_read_input_tokens ?? 0;
  const cacheCreation = usage?.cache_creation_input_tokens ?? 0;
  const output = usage?.output_tokens ?? 0;
  const prompt = input + cacheRead + cacheCreation;
  return {
    prompt_tokens: prompt,
    completion_tokens: output,
    total_tokens: prompt + output,
    // Cache writes are priced apart from plain input (1.25x on Anthropic): they travel in the
    // prompt details under LiteLLM's name, beside OpenAI's cached_tokens.
    prompt_tokens_details: { cached_tokens: cacheRead, cache_creation_tokens: cacheCreation },
  };
}

export function mapAnthropicResponse(response: AnthropicMessageResponse, created: number): ChatCompletion {
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const block of response.content) {
    if (block.type === 'text' && typeof block.text === 'string') text += block.text;
    else if (block.type === 'tool_use' && block.id && block.name) {
      toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  return {
    id: response.id,
    object: 'chat.completion',
    created,
    model: response.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text === '' && toolCalls.length > 0 ? null : text,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: mapFinishReason(response.stop_reason) ?? 'stop',
        logprobs: null,
      },
    ],
    usage: mapUsage(response.usage),
  };
}
