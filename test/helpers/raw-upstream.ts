/**
 * A raw OpenAI-compatible upstream for integration tests that need to control the wire: a
 * `node:http` server on an ephemeral port that reads each request's JSON body and hands it to
 * the test's handler, plus builders of `chat.completion` bodies and `chat.completion.chunk`
 * SSE events in OpenAI's shape.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RawUpstream {
  /** The `base_url` of a provider pointing at this upstream (`http://127.0.0.1:<port>/v1`). */
  url: string;
  close(): Promise<void>;
}

/** Answers one request; `body` is its parsed JSON (undefined for an empty body). */
export type RawUpstreamHandler = (
  body: any,
  response: http.ServerResponse,
  request: http.IncomingMessage,
) => void | Promise<void>;

/** Starts an upstream that calls `handler` once each request's body has been read. */
export async function startRawUpstream(handler: RawUpstreamHandler): Promise<RawUpstream> {
  const server = http.createServer((request, response) => {
    let raw = '';
    request.on('data', (data) => {
      raw += data;
    });
    request.on('end', () => {
      void handler(raw ? JSON.parse(raw) : undefined, response, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A whole `chat.completion` answer with the given choices. */
export function completion(id: string, choices: object[]): object {
  return {
    id,
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'upstream-model',
    choices,
    usage: { prompt_tokens: 3, completion_tokens: 9, total_tokens: 12 },
  };
}

/** Answers 200 with a whole `chat.completion` of the given choices. */
export function sendCompletion(response: http.ServerResponse, id: string, choices: object[]): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(completion(id, choices)));
}

/** A streamed choice: a delta and its finish reason. */
export function chunkChoice(delta: object, finishReason: string | null = null, index = 0): object {
  return { index, delta, logprobs: null, finish_reason: finishReason };
}

/** One SSE event of a `chat.completion.chunk`; `end` is the line ending (LF, or CRLF). */
export function chunkEvent(id: string, choices: object[], extra: object = {}, end = '\n'): string {
  return `data: ${JSON.stringify({
    id,
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: 'upstream-model',
    choices,
    ...extra,
  })}${end}${end}`;
}

export interface ChunkStream {
  /** Writes a chunk of one choice. */
  send(delta: object, finishReason?: string | null, index?: number): void;
  /** Writes `data: [DONE]` and ends the response. */
  done(): void;
}

/** Answers 200 with an event stream of `chat.completion.chunk`s. */
export function startChunkStream(response: http.ServerResponse, id: string): ChunkStream {
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  return {
    send: (delta, finishReason = null, index = 0) =>
      response.write(chunkEvent(id, [chunkChoice(delta, finishReason, index)])),
    done: () => response.end('data: [DONE]\n\n'),
  };
}
