/**
 * @module providers/anthropic/map-anthropic-stream
 *
 * Anthropic stream events → OpenAI chunks. `message_start` gives the first chunk (role);
 * text deltas become `content`; a `tool_use` block becomes a tool-call delta with index, id
 * and name, then its `input_json_delta` fragments become `arguments` fragments; `message_delta`
 * gives the finish chunk; `message_stop` gives the usage-only chunk (`choices: []`) and ends
 * the stream. Anthropic always reports usage, so that chunk is always sent; the gateway
 * decides whether the client sees it. `ping` is skipped; an `error` event throws. A body that
 * ends before `message_stop` throws, so an interrupted stream is never taken as complete.
 */
import {
  type ChatCompletionChunk,
  type ChunkDelta,
  type FinishReason,
  UpstreamError,
} from '../../core/index.js';
import { SseParser } from '../shared/sse-parser.js';
import {
  errorFromStreamPayload,
  type FailureContext,
  streamInterruptedError,
} from '../shared/upstream-errors.js';
import type { AnthropicStreamEvent, AnthropicUsage } from './anthropic-types.js';
import { mapFinishReason, mapUsage } from './map-anthropic-response.js';

export class AnthropicStreamMapper {
  /** True once `message_stop` was seen. */
  done = false;
  readonly #providerName: string;
  readonly #created: number;
  #id = '';
  #model: string;
  #usage: AnthropicUsage = {};
  /** Anthropic content-block index → OpenAI tool-call index. */
  readonly #toolIndexes = new Map<number, number>();

  constructor(providerName: string, requestModel: string, created: number = Math.floor(Date.now() / 1000)) {
    this.#providerName = providerName;
    this.#model = requestModel;
    this.#created = created;
  }

  #chunk(delta: ChunkDelta, finishReason: FinishReason = null): ChatCompletionChunk {
    return {
      id: this.#id,
      object: 'chat.completion.chunk',
      created: this.#created,
      model: this.#model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    };
  }

  #mergeUsage(usage: AnthropicUsage | undefined): void {
    if (!usage) return;
    // message_delta usage is cumulative; any field it carries replaces the earlier value.
    for (const key of [
      'input_tokens',
      'output_tokens',
      'cache_creation_input_tokens',
      'cache_read_input_tokens',
    ] as const) {
      const value = usage[key];
      if (typeof value === 'number') this.#usage[key] = value;
    }
  }

  /** The chunk an event produces, if any. Throws `UpstreamError` for an `error` event. */
  push(event: AnthropicStreamEvent): ChatCompletionChunk | undefined {
    switch (event.type) {
      case 'message_start': {
        const message = event.message;
        if (message?.id) this.#id = message.id;
        if (message?.model) this.#model = message.model;
        this.#mergeUsage(message?.usage);
        return this.#chunk({ role: 'assistant', content: '' });
      }
      case 'content_block_start': {
        const block = event.content_block;
        if (block?.type === 'text') return block.text ? this.#chunk({ content: block.text }) : undefined;
        if (block?.type === 'tool_use' && event.index !== undefined) {
          const toolIndex = this.#toolIndexes.size;
          this.#toolIndexes.set(event.index, toolIndex);
          const input = block.input;
          const initial =
            input && typeof input === 'object' && Object.keys(input).length > 0 ? JSON.stringify(input) : '';
          return this.#chunk({
            tool_calls: [
              {
                index: toolIndex,
                id: block.id ?? '',
                type: 'function',
                function: { name: block.name ?? '', arguments: initial },
              },
            ],
          });
        }
        return undefined;
      }
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta?.type === 'text_delta')
          return delta.text ? this.#chunk({ content: delta.text }) : undefined;
        if (delta?.type === 'input_json_delta' && delta.partial_json) {
          const toolIndex = event.index === undefined ? undefined : this.#toolIndexes.get(event.index);
          if (toolIndex === undefined) return undefined;
          return this.#chunk({
            tool_calls: [{ index: toolIndex, function: { arguments: delta.partial_json } }],
          });
        }
        return undefined; // thinking and signature deltas have no OpenAI counterpart
      }
      case 'message_delta':
        this.#mergeUsage(event.usage);
        return this.#chunk({}, mapFinishReason(event.delta?.stop_reason) ?? 'stop');
      case 'message_stop':
        this.done = true;
        return {
          id: this.#id,
          object: 'chat.completion.chunk',
          created: this.#created,
          model: this.#model,
          choices: [],
          usage: mapUsage(this.#usage),
        };
      case 'error':
        throw errorFromStreamPayload(this.#providerName, event);
      default:
        return undefined; // ping, content_block_stop, and event types added later
    }
  }
}

function parseEvent(data: string, providerName: string): AnthropicStreamEvent {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (error) {
    throw new UpstreamError(
      'upstream_error',
      `provider "${providerName}" sent a malformed stream event: ${data.slice(0, 200)}`,
      {
        retryable: false,
        cause: error,
      },
    );
  }
  if (typeof value !== 'object' || value === null || typeof (value as { type?: unknown }).type !== 'string') {
    throw new UpstreamError(
      'upstream_error',
      `provider "${providerName}" sent a stream event without a type`,
      { retryable: false },
    );
  }
  return value as AnthropicStreamEvent;
}

const STREAMING = { stream: true } as const;

export async function* readAnthropicStream(
  body: AsyncIterable<Uint8Array>,
  context: FailureContext,
  requestModel: string,
): AsyncGenerator<ChatCompletionChunk, void, undefined> {
  const parser = new SseParser();
  const events = parser.events;
  const decoder = new TextDecoder();
  const mapper = new AnthropicStreamMapper(context.providerName, requestModel);
  try {
    for await (const bytes of body) {
      parser.feed(decoder.decode(bytes, STREAMING));
      for (let index = 0; index < events.length; index++) {
        const chunk = mapper.push(parseEvent(events[index]!.data, context.providerName));
        if (chunk) yield chunk;
        if (mapper.done) return;
      }
      events.length = 0;
    }
  } catch (error) {
    throw streamInterruptedError(error, context, 'message_stop');
  }
  throw streamInterruptedError(undefined, context, 'message_stop');
}
