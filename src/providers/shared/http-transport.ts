/**
 * @module providers/shared/http-transport
 *
 * The one HTTP client of the adapters: an undici keep-alive `Pool` per provider origin (one
 * per distinct connect timeout, since undici fixes that per pool), constant headers built
 * once at construction (the API key lives only there, in a private field, and is never put
 * in a message), per-call headers and body timeouts and abort signal. It returns undici's response
 * untouched; reading the body is the adapter's job, so a stream is never buffered.
 */
import { type Dispatcher, Pool } from 'undici';
import { UpstreamError } from '../../core/index.js';
import type { CallOptions } from '../provider.js';
import { errorFromException, errorFromStatus, type FailureContext } from './upstream-errors.js';

export type UpstreamResponse = Dispatcher.ResponseData;

export interface HttpTransportSettings {
  providerName: string;
  /** e.g. `http://127.0.0.1:8000/v1`; a query string (Azure `api-version`) is kept on every call. */
  baseUrl: string;
  /** Sent on every call: auth and vendor headers. */
  headers: Record<string, string>;
  /** The pool's timeouts for a call that names none; undici's defaults when absent. */
  dispatcherTimeouts?: DispatcherTimeouts | undefined;
}

/**
 * undici's own headers and body timeouts (300 s each unless set here). Every call names its
 * own, so these never decide anything; tests shrink them to prove that no call relies on them.
 */
export interface DispatcherTimeouts {
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
}

export class HttpTransport {
  readonly providerName: string;
  readonly #origin: string;
  readonly #pathPrefix: string;
  readonly #search: string;
  readonly #jsonHeaders: Record<string, string>;
  readonly #streamHeaders: Record<string, string>;
  readonly #pools = new Map<number, Pool>();
  readonly #dispatcherTimeouts: DispatcherTimeouts | undefined;
  #closed = false;

  constructor(settings: HttpTransportSettings) {
    const url = new URL(settings.baseUrl);
    this.providerName = settings.providerName;
    this.#origin = url.origin;
    this.#pathPrefix = url.pathname.replace(/(?<!\/)\/+$/, '');
    this.#search = url.search;
    this.#dispatcherTimeouts = settings.dispatcherTimeouts;
    // Lower-cased once, so a configured "Authorization" cannot sit beside our "authorization".
    const base: Record<string, string> = {};
    for (const [name, value] of Object.entries(settings.headers)) base[name.toLowerCase()] = value;
    base['content-type'] = 'application/json';
    this.#jsonHeaders = { ...base, accept: 'application/json' };
    this.#streamHeaders = { ...base, accept: 'text/event-stream' };
  }

  #pool(connectTimeoutMs: number): Pool {
    let pool = this.#pools.get(connectTimeoutMs);
    if (!pool) {
      const timeouts = this.#dispatcherTimeouts;
      pool = new Pool(this.#origin, {
        connect: { timeout: connectTimeoutMs },
        ...(timeouts
          ? { headersTimeout: timeouts.headersTimeoutMs, bodyTimeout: timeouts.bodyTimeoutMs }
          : {}),
      });
      this.#pools.set(connectTimeoutMs, pool);
    }
    return pool;
  }

  /**
   * POSTs an already serialised JSON body. Resolves with the response once a 2xx status and
   * its headers arrived; any other status is read and thrown as an `UpstreamError`.
   */
  async post(path: string, body: string, options: CallOptions, stream: boolean): Promise<UpstreamResponse> {
    if (this.#closed)
      throw new UpstreamError('upstream_unavailable', `provider "${this.providerName}" is closed`);
    const constant = stream ? this.#streamHeaders : this.#jsonHeaders;
    let headers = constant;
    if (options.headers) {
      // Per-call headers (traceparent) never override the provider's own (auth, content type).
      headers = { ...constant };
      for (const name in options.headers) {
        const lower = name.toLowerCase();
        if (!(lower in constant)) headers[lower] = options.headers[name]!;
      }
    }
    const context = failureContext(this.providerName, options);
    let response: UpstreamResponse;
    try {
      response = await this.#pool(options.connectTimeoutMs).request({
        path: this.#pathPrefix + path + this.#search,
        method: 'POST',
        headers,
        body,
        signal: options.signal,
        headersTimeout: options.headersTimeoutMs,
        bodyTimeout: options.bodyTimeoutMs,
      });
    } catch (error) {
      throw errorFromException(error, context);
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    let text = '';
    try {
      text = await readErrorText(response.body);
    } catch (error) {
      if (options.signal.aborted) throw errorFromException(error, context);
    }
    throw errorFromStatus(this.providerName, response.statusCode, response.headers, text);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }
}

/** An error body is read for its message; a proxy's HTML page or a dump past this is cut. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * The start of an error answer's body as text. Past `MAX_ERROR_BODY_BYTES` the body is closed
 * (and its connection with it) rather than buffered whole: the message is truncated anyway.
 */
async function readErrorText(body: UpstreamResponse['body']): Promise<string> {
  const pieces: Buffer[] = [];
  let bytes = 0;
  for await (const piece of body as AsyncIterable<Buffer>) {
    pieces.push(piece);
    bytes += piece.length;
    if (bytes >= MAX_ERROR_BODY_BYTES) break; // leaving the loop destroys the body
  }
  return Buffer.concat(pieces).subarray(0, MAX_ERROR_BODY_BYTES).toString('utf8');
}

export function failureContext(providerName: string, options: CallOptions): FailureContext {
  return {
    providerName,
    signal: options.signal,
    connectTimeoutMs: options.connectTimeoutMs,
    headersTimeoutMs: options.headersTimeoutMs,
    bodyTimeoutMs: options.bodyTimeoutMs,
  };
}

/** Reads a whole JSON response body: one `text()`, one `JSON.parse`. */
export async function readJsonBody(
  response: UpstreamResponse,
  options: CallOptions,
  providerName: string,
): Promise<unknown> {
  let text: string;
  try {
    text = await response.body.text();
  } catch (error) {
    const context = failureContext(providerName, options);
    if (options.signal.aborted) throw errorFromException(error, context);
    const mapped = errorFromException(error, context);
    if (mapped.code === 'upstream_timeout') throw mapped;
    throw new UpstreamError('upstream_error', `provider "${providerName}": response body interrupted`, {
      retryable: true,
      cause: error,
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UpstreamError('upstream_error', `provider "${providerName}" returned malformed JSON`, {
      retryable: false,
      upstreamStatus: response.statusCode,
      cause: error,
    });
  }
}
