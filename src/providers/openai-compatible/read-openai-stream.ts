/**
 * @module providers/openai-compatible/read-openai-stream
 *
 * Turns an OpenAI-style SSE body (`data: {chunk}` … `data: [DONE]`) into `ChatCompletionChunk`s.
 * Each event's JSON is parsed exactly once and yielded as is (usage-only and empty-`choices`
 * chunks included; the consumer decides what to forward), except that a missing or null
 * `choices` becomes `[]`. The stream is complete only when `[DONE]` arrives: a malformed
 * chunk, an in-band `{"error": …}` event, a socket cut or a clean end without `[DONE]` all
 * throw an `UpstreamError` from the iterator.
 */
import { type ChatCompletionChunk, UpstreamError } from '../../core/index.js';
import { type SseEvent, SseParser } from '../shared/sse-parser.js';
import {
  errorFromStreamPayload,
  type FailureContext,
  streamInterruptedError,
} from '../shared/upstream-errors.js';

function parseChunk(event: SseEvent, providerName: string): ChatCompletionChunk {
  let value: unknown;
  try {
    value = JSON.parse(event.data);
  } catch (error) {
    throw new UpstreamError(
      'upstream_error',
      `provider "${providerName}" sent a malformed stream chunk: ${event.data.slice(0, 200)}`,
      {
        retryable: false,
        cause: error,
      },
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UpstreamError(
      'upstream_error',
      `provider "${providerName}" sent a stream chunk that is not an object`,
      { retryable: false },
    );
  }
  const record = value as Record<string, unknown>;
  if (event.event === 'error' || (record.error !== undefined && record.error !== null)) {
    throw errorFromStreamPayload(providerName, record);
  }
  // Groq's and Fireworks' usage-only chunks have no `choices`, MiniMax's have `choices: null`:
  // the OpenAI shape (and every consumer) has an array, empty for a usage-only chunk.
  if (!Array.isArray(record.choices)) record.choices = [];
  return record as ChatCompletionChunk;
}

const STREAMING = { stream: true } as const;

export async function* readOpenAIStream(
  body: AsyncIterable<Uint8Array>,
  context: FailureContext,
): AsyncGenerator<ChatCompletionChunk, void, undefined> {
  const parser = new SseParser();
  const events = parser.events;
  const decoder = new TextDecoder();
  try {
    for await (const bytes of body) {
      parser.feed(decoder.decode(bytes, STREAMING));
      for (let index = 0; index < events.length; index++) {
        const event = events[index]!;
        if (event.data === '[DONE]') return;
        yield parseChunk(event, context.providerName);
      }
      events.length = 0;
    }
  } catch (error) {
    throw streamInterruptedError(error, context, '[DONE]');
  }
  throw streamInterruptedError(undefined, context, '[DONE]');
}
