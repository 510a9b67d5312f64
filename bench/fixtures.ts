/**
 * The one request and the one reply every benchmark target sees. The fake upstream serves
 * these bytes pre-serialised so that it costs next to nothing per request: the benchmark
 * must measure the gateways in front of it, not the fake.
 */
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, Usage } from '../src/core/index.js';

export const BENCH_MODEL = 'bench-model';
export const CONTENT_CHUNK_COUNT = 20;

const CREATED = 1_700_000_000;
const USAGE: Usage = { prompt_tokens: 12, completion_tokens: CONTENT_CHUNK_COUNT, total_tokens: 32 };
const CONTENT_PIECES = Array.from({ length: CONTENT_CHUNK_COUNT }, (_, index) => `tok${index} `);

/** The assistant text a correct proxy must hand back, streamed or not. */
export const REPLY_TEXT = CONTENT_PIECES.join('');

/** SSE events in one streamed reply with `include_usage`: content chunks, the usage chunk, [DONE]. */
export const STREAM_EVENT_COUNT = CONTENT_CHUNK_COUNT + 2;

export function chatRequestBody(stream: boolean): string {
  const request: ChatCompletionRequest = {
    model: BENCH_MODEL,
    messages: [{ role: 'user', content: 'Say the benchmark tokens.' }],
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
  return JSON.stringify(request);
}

export const completionBytes: Buffer = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: CREATED,
    model: BENCH_MODEL,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: REPLY_TEXT },
        finish_reason: 'stop',
        logprobs: null,
      },
    ],
    usage: USAGE,
  } satisfies ChatCompletion),
);

function sseEvent(chunk: ChatCompletionChunk): Buffer {
  return Buffer.from(`data: ${JSON.stringify(chunk)}\n\n`);
}

function contentChunk(index: number): ChatCompletionChunk {
  const last = index === CONTENT_CHUNK_COUNT - 1;
  return {
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: CREATED,
    model: BENCH_MODEL,
    choices: [
      {
        index: 0,
        delta:
          index === 0
            ? { role: 'assistant', content: CONTENT_PIECES[index] }
            : { content: CONTENT_PIECES[index] },
        finish_reason: last ? 'stop' : null,
      },
    ],
  };
}

const usageEvent = sseEvent({
  id: 'chatcmpl-bench',
  object: 'chat.completion.chunk',
  created: CREATED,
  model: BENCH_MODEL,
  choices: [],
  usage: USAGE,
});
const doneEvent = Buffer.from('data: [DONE]\n\n');
const contentEvents = CONTENT_PIECES.map((_, index) => sseEvent(contentChunk(index)));

/** Each event is written separately, as a real server flushing tokens would. */
export const streamEventsWithUsage: readonly Buffer[] = [...contentEvents, usageEvent, doneEvent];
export const streamEventsWithoutUsage: readonly Buffer[] = [...contentEvents, doneEvent];
