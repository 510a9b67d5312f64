/**
 * @module test/fakes/fake-server-kit
 *
 * The plumbing shared by the fake upstreams (OpenAI-compatible, Anthropic): a node:http server
 * on an ephemeral 127.0.0.1 port, a FIFO of per-request scripts that inject the awkward cases
 * (status errors with headers, latency before headers or between chunks, hangs, malformed
 * chunks, in-band error events, mid-stream socket cuts, stalls, CRLF, keep-alive comments,
 * fragmented writes), recording of received requests, and an `aborted` counter of requests
 * whose client went away before the response was complete. The protocol files only route,
 * and build the bodies, errors and events of their wire format.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** What the next request should do. Every field is optional; `{}` is a normal answer. */
export interface FakeScript {
  /** Answer with this status (an error body in the vendor's shape unless `body` is set). */
  status?: number;
  /** Extra response headers, e.g. `{ 'retry-after': '1' }`. */
  headers?: Record<string, string>;
  /** Raw body for a status answer (or, without `status`, a 200): an object is JSON-encoded, a string is sent as is. */
  body?: unknown;
  /** Error message for a status answer or an in-band error event. */
  message?: string;
  /** Error type for a status answer or an in-band error event (vendor vocabulary). */
  errorType?: string;
  /** Milliseconds to wait before sending the headers. */
  delayMs?: number;
  /** Milliseconds to wait between stream events. */
  chunkDelayMs?: number;
  /** Never answer (the client must time out or abort). */
  hang?: boolean;
  /** Replace stream event N (0-based) with a line that is not JSON. */
  malformedChunkAt?: number;
  /** Replace stream event N (0-based) with an in-band error event, then end the body cleanly. */
  errorEventAt?: number;
  /** Send N stream events, then destroy the socket without the terminator. */
  cutAfterChunks?: number;
  /** Send N stream events, then keep the connection open and silent. */
  stallAfterChunks?: number;
  /** End the body cleanly but without the terminator (`[DONE]` / `message_stop`). */
  omitDone?: boolean;
  /** OpenAI only: send a chunk with `choices: []` before the first real chunk. */
  emptyChoicesChunk?: boolean;
  /** Send `: keep-alive` comment lines between events. */
  keepAliveComments?: boolean;
  /** Line ending of the SSE body; default "\n". */
  lineEnding?: '\n' | '\r\n';
  /** Write the SSE body in pieces of this many characters, one macrotask apart. */
  fragmentSize?: number;
  /** Reply text instead of the default echo. */
  reply?: string;
  /** OpenAI only: stream `reply` in these pieces (they must join to it) instead of word by word. */
  replyPieces?: string[];
  /** Prompt tokens reported as served from cache. */
  cachedTokens?: number;
  /** Anthropic only: prompt tokens reported as written to the cache. */
  cacheCreationTokens?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined when absent or not JSON. */
  body: unknown;
  rawBody: string;
}

export interface FakeServerOptions {
  /** Default `delayMs` for every request. */
  delayMs?: number;
  /** Default `chunkDelayMs` for every request. */
  chunkDelayMs?: number;
  /** Answer with this many fixed tokens instead of the echo (benchmarks; chunks are pre-serialised). */
  tokensPerResponse?: number;
  /** Keep `requests` (default true; a benchmark turns it off so memory stays flat). */
  record?: boolean;
  /** When set, requests without this key get a 401 in the vendor's shape. */
  apiKey?: string;
}

/** The per-request context a protocol handler answers. */
export interface FakeExchange {
  request: IncomingMessage;
  response: ServerResponse;
  path: string;
  body: unknown;
  script: FakeScript;
}

export type FakeHandler = (exchange: FakeExchange) => Promise<void> | void;

export interface StreamPlan {
  /** Complete SSE events ("…\n\n"), in order, before the terminator. */
  events: string[];
  /** Sent after the events unless `omitDone` (may be empty when the last event is the terminator). */
  terminator: string;
  /** The in-band error event for `errorEventAt`. */
  errorEvent: string;
}

export abstract class FakeHttpServer {
  readonly requests: RecordedRequest[] = [];
  /** Requests whose client closed the connection before the response was complete. */
  aborted = 0;
  /** Responses sent completely. */
  completed = 0;
  /** TCP connections accepted (keep-alive reuse shows as fewer connections than requests). */
  connections = 0;
  readonly options: FakeServerOptions;
  #scripts: FakeScript[] = [];
  #sequence = 0;
  #server: Server | undefined;
  #url = '';
  /** Responses the server itself destroyed (cuts): not client aborts. */
  readonly #cutByServer = new WeakSet<ServerResponse>();

  constructor(options: FakeServerOptions = {}) {
    this.options = options;
  }

  /** Answers one request in the protocol. */
  protected abstract route(exchange: FakeExchange): Promise<void> | void;

  /** The protocol's error body for `status`; the script's `message` and `errorType` win over its own. */
  protected abstract errorBody(status: number, script: FakeScript, message?: string): unknown;

  /** Base URL, ending with `/v1`. */
  get url(): string {
    return this.#url;
  }

  /** Scripts are consumed in order, one per POST request. */
  enqueue(...scripts: FakeScript[]): void {
    this.#scripts.push(...scripts);
  }

  /** Also restarts the id sequence, so ids are predictable per test. */
  reset(): void {
    this.#sequence = 0;
    this.#scripts = [];
    this.requests.length = 0;
    this.aborted = 0;
    this.completed = 0;
    this.connections = 0;
  }

  /** Listens on `port` (ephemeral by default) on 127.0.0.1. */
  async start(port = 0): Promise<{ url: string; close: () => Promise<void> }> {
    const url = await this.listen((exchange) => this.route(exchange), port);
    return { url, close: () => this.close() };
  }

  /** 1, 2, 3… per response that needs an id, from the last `reset`. */
  protected nextSequence(): number {
    return ++this.#sequence;
  }

  async listen(handler: FakeHandler, port = 0): Promise<string> {
    const server = createServer((request, response) => {
      this.#handle(request, response, handler).catch((error: unknown) => {
        if (!response.headersSent) {
          response.writeHead(500, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error: { message: String(error), type: 'server_error' } }));
        } else response.destroy();
      });
    });
    server.keepAliveTimeout = 5000;
    server.on('connection', () => this.connections++);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
    this.#url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    return this.#url;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse, handler: FakeHandler): Promise<void> {
    response.on('close', () => {
      if (response.writableEnded) return;
      if (!this.#cutByServer.has(response)) this.aborted++;
    });
    response.on('finish', () => this.completed++);
    let rawBody = '';
    request.setEncoding('utf8');
    for await (const piece of request) rawBody += piece;
    let body: unknown;
    if (rawBody) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
    }
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (this.options.record !== false) {
      this.requests.push({ method: request.method ?? 'GET', path, headers: request.headers, body, rawBody });
    }
    const script = request.method === 'POST' ? (this.#scripts.shift() ?? {}) : {};
    if (script.hang) return;
    const delayMs = script.delayMs ?? this.options.delayMs ?? 0;
    if (delayMs > 0) {
      await sleep(delayMs);
      if (response.destroyed) return;
    }
    await handler({ request, response, path, body, script });
  }

  /** Sends a JSON answer with the script's extra headers. */
  sendJson(exchange: FakeExchange, status: number, payload: unknown): void {
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    exchange.response.writeHead(status, {
      'content-type': typeof payload === 'string' ? 'text/plain' : 'application/json',
      'content-length': Buffer.byteLength(text),
      ...exchange.script.headers,
    });
    exchange.response.end(text);
  }

  /** An error answer: the script's raw `body` when it has one, else the protocol's error body. */
  sendError(exchange: FakeExchange, status: number, message?: string): void {
    const { script } = exchange;
    this.sendJson(
      exchange,
      status,
      script.body !== undefined ? script.body : this.errorBody(status, script, message),
    );
  }

  /**
   * Answers from the script alone when it says so: a non-200 `status` as an error, or a `body`
   * as a 200. True when it answered.
   */
  sendScripted(exchange: FakeExchange): boolean {
    const { script } = exchange;
    if (script.status !== undefined && script.status !== 200) {
      this.sendError(exchange, script.status);
      return true;
    }
    if (script.body !== undefined) {
      this.sendJson(exchange, 200, script.body);
      return true;
    }
    return false;
  }

  /** Streams an SSE plan, applying the script's stream faults. */
  async sendStream(exchange: FakeExchange, plan: StreamPlan): Promise<void> {
    const { response, script } = exchange;
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      ...script.headers,
    });
    const chunkDelayMs = script.chunkDelayMs ?? this.options.chunkDelayMs ?? 0;
    const faulty =
      chunkDelayMs > 0 ||
      script.malformedChunkAt !== undefined ||
      script.errorEventAt !== undefined ||
      script.cutAfterChunks !== undefined ||
      script.stallAfterChunks !== undefined ||
      script.keepAliveComments === true ||
      script.lineEnding === '\r\n' ||
      script.fragmentSize !== undefined;
    const terminator = script.omitDone ? '' : plan.terminator;
    if (!faulty) {
      // The benchmark path: one write of pre-built strings.
      response.end(plan.events.join('') + terminator);
      return;
    }
    const write = async (text: string): Promise<void> => {
      const out = script.lineEnding === '\r\n' ? text.replaceAll('\n', '\r\n') : text;
      const size = script.fragmentSize;
      if (!size) {
        response.write(out);
        return;
      }
      for (let start = 0; start < out.length && !response.destroyed; start += size) {
        response.write(out.slice(start, start + size));
        await sleep(1);
      }
    };
    for (let index = 0; index < plan.events.length; index++) {
      if (response.destroyed) return;
      if (script.cutAfterChunks === index) {
        this.#cutByServer.add(response);
        // Let what was written reach the client before the reset.
        response.write('', () => response.socket?.destroy());
        return;
      }
      if (script.stallAfterChunks === index) return;
      if (index > 0 && chunkDelayMs > 0) {
        await sleep(chunkDelayMs);
        if (response.destroyed) return;
      }
      if (script.keepAliveComments) await write(': keep-alive\n\n');
      if (script.errorEventAt === index) {
        await write(plan.errorEvent);
        response.end();
        return;
      }
      await write(
        script.malformedChunkAt === index ? 'data: {"id": "broken", choices: [\n\n' : plan.events[index]!,
      );
    }
    if (script.cutAfterChunks !== undefined && script.cutAfterChunks >= plan.events.length) {
      this.#cutByServer.add(response);
      response.write('', () => response.socket?.destroy());
      return;
    }
    if (script.stallAfterChunks !== undefined && script.stallAfterChunks >= plan.events.length) return;
    if (terminator) await write(terminator);
    response.end();
  }
}

/** Text of the words of a reply as stream pieces that concatenate back to the reply. */
export function splitWords(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

/** The documented fake token estimate: ceil(characters / 4). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Reads the text of an OpenAI- or Anthropic-style content value. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    if (typeof part === 'object' && part !== null) {
      const record = part as Record<string, unknown>;
      if (typeof record.text === 'string') text += record.text;
      else if (typeof record.content === 'string') text += record.content;
      else if (Array.isArray(record.content)) text += contentText(record.content);
    }
  }
  return text;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
