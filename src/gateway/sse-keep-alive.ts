/**
 * Keep-alive for streamed answers: a `: keep-alive` SSE comment after each `interval` of
 * silence, so that proxies and load balancers that cut idle connections do not cut a slow
 * model's stream. Comment lines are part of the SSE format and every client ignores them
 * (the `openai` SDK included). The timer is refreshed by every write, stops with the
 * response (end or close), and never writes after the end or into a full socket buffer.
 */
import type { ServerResponse } from 'node:http';

const COMMENT = ': keep-alive\n\n';

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const;

/** Sends the 200 and the event-stream headers (beside the reply's own, e.g. the trace id). */
export function writeStreamHead(response: ServerResponse, headers: Record<string, string>): void {
  response.writeHead(200, { ...headers, ...STREAM_HEADERS });
}

export class SseKeepAlive {
  readonly #timer: NodeJS.Timeout;

  /**
   * `commitHead` runs at the first keep-alive when no head was sent yet (keep-alive before
   * the first token): it must send the 200 and the stream's headers.
   */
  constructor(
    private readonly response: ServerResponse,
    intervalMs: number,
    private readonly commitHead: () => void,
  ) {
    this.#timer = setTimeout(this.#beat, intervalMs);
    this.#timer.unref();
    response.once('close', this.stop);
    response.once('finish', this.stop);
  }

  readonly #beat = (): void => {
    const response = this.response;
    if (response.writableEnded || response.destroyed) return;
    if (!response.headersSent) this.commitHead();
    // A client that stops reading gets no comment piled into its buffer: the data is waiting.
    if (!response.writableNeedDrain) response.write(COMMENT);
    this.#timer.refresh();
  };

  /** Something was written: the silence starts again. */
  touch(): void {
    this.#timer.refresh();
  }

  readonly stop = (): void => {
    clearTimeout(this.#timer);
  };
}
