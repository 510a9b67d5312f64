/**
 * The provider contract. An adapter turns OpenAI-shaped requests into one vendor's wire
 * calls and back. This file imports nothing from any adapter; adapters import it.
 *
 * Errors: adapters throw `UpstreamError` (from core) with `retryable` set for 408/409/429/5xx
 * and connection failures, `retryAfterSeconds` from `retry-after`, and `upstreamStatus`.
 * Streams: an error after the first chunk is thrown from the iterator; the consumer turns it
 * into an SSE error event.
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  EmbeddingRequest,
  EmbeddingResponse,
} from '../core/index.js';

export interface CallOptions {
  /** Aborted when the client disconnects or a timeout fires. */
  signal: AbortSignal;
  /** Milliseconds to establish the upstream connection. */
  connectTimeoutMs: number;
  /** Milliseconds to the response headers (the first token for streams is enforced by the caller). */
  headersTimeoutMs: number;
  /**
   * Milliseconds the response body may stay silent between two reads. Always named: undici's
   * own default (300 s) would otherwise cut a slow model's stream before its configured
   * timeouts allow (a reasoning model thinking before its first token, a long pause).
   */
  bodyTimeoutMs: number;
  /** Extra headers to forward upstream (e.g. traceparent). */
  headers?: Record<string, string>;
}

export interface Provider {
  readonly name: string;
  readonly type: 'openai-compatible' | 'anthropic' | 'local-extractive';
  /** `request.model` is already the upstream model id. */
  chat(request: ChatCompletionRequest, options: CallOptions): Promise<ChatCompletion>;
  /**
   * Resolves once the upstream accepted the request (status 2xx and headers received), so
   * that failures before the first byte can still be retried or fall back.
   */
  stream(request: ChatCompletionRequest, options: CallOptions): Promise<AsyncIterable<ChatCompletionChunk>>;
  embed(request: EmbeddingRequest, options: CallOptions): Promise<EmbeddingResponse>;
  close(): Promise<void>;
}
