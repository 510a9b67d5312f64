/**
 * @module providers/anthropic/anthropic-provider
 *
 * The adapter for the Anthropic Messages API, the one vendor whose API is truly different:
 * requests are converted (`convert-to-anthropic-messages`), sent with `x-api-key` and
 * `anthropic-version`, and responses and streams are mapped back to the OpenAI shapes.
 * Anthropic has no embeddings endpoint, so `embed` is a clear 400.
 */
import {
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type EmbeddingRequest,
  type EmbeddingResponse,
  UpstreamError,
} from '../../core/index.js';
import type { CallOptions, Provider } from '../provider.js';
import {
  type DispatcherTimeouts,
  failureContext,
  HttpTransport,
  readJsonBody,
} from '../shared/http-transport.js';
import type { AnthropicMessageResponse } from './anthropic-types.js';
import { convertToAnthropicRequest } from './convert-to-anthropic-messages.js';
import { mapAnthropicResponse } from './map-anthropic-response.js';
import { readAnthropicStream } from './map-anthropic-stream.js';

export interface AnthropicSettings {
  name: string;
  /** Base URL including the version segment, e.g. `https://api.anthropic.com/v1`. */
  baseUrl: string;
  /** Sent as `x-api-key` when set. Never logged. */
  apiKey?: string | undefined;
  /** The `anthropic-version` header. */
  anthropicVersion: string;
  /** `max_tokens` when the request names none. */
  defaultMaxTokens: number;
  headers?: Record<string, string>;
  /** undici's fallback timeouts (tests); see `DispatcherTimeouts`. */
  dispatcherTimeouts?: DispatcherTimeouts | undefined;
}

class AnthropicProvider implements Provider {
  readonly type = 'anthropic' as const;
  readonly name: string;
  readonly #transport: HttpTransport;
  readonly #defaultMaxTokens: number;

  constructor(settings: AnthropicSettings) {
    this.name = settings.name;
    this.#defaultMaxTokens = settings.defaultMaxTokens;
    const headers: Record<string, string> = {
      ...settings.headers,
      'anthropic-version': settings.anthropicVersion,
    };
    if (settings.apiKey) headers['x-api-key'] = settings.apiKey;
    this.#transport = new HttpTransport({
      providerName: settings.name,
      baseUrl: settings.baseUrl,
      headers,
      dispatcherTimeouts: settings.dispatcherTimeouts,
    });
  }

  async chat(request: ChatCompletionRequest, options: CallOptions): Promise<ChatCompletion> {
    const body = convertToAnthropicRequest(request, { defaultMaxTokens: this.#defaultMaxTokens });
    const response = await this.#transport.post('/messages', JSON.stringify(body), options, false);
    const parsed = await readJsonBody(response, options, this.name);
    if (!isMessageResponse(parsed)) {
      throw new UpstreamError('upstream_error', `provider "${this.name}" returned a malformed message`, {
        retryable: false,
        upstreamStatus: response.statusCode,
      });
    }
    return mapAnthropicResponse(parsed, Math.floor(Date.now() / 1000));
  }

  async stream(
    request: ChatCompletionRequest,
    options: CallOptions,
  ): Promise<AsyncIterable<ChatCompletionChunk>> {
    const body = convertToAnthropicRequest(request, { defaultMaxTokens: this.#defaultMaxTokens });
    body.stream = true;
    const response = await this.#transport.post('/messages', JSON.stringify(body), options, true);
    return readAnthropicStream(response.body, failureContext(this.name, options), request.model);
  }

  async embed(_request: EmbeddingRequest, _options: CallOptions): Promise<EmbeddingResponse> {
    throw new UpstreamError(
      'invalid_request',
      `provider "${this.name}" is an Anthropic provider; Anthropic has no embeddings API`,
      {
        retryable: false,
        param: 'model',
      },
    );
  }

  close(): Promise<void> {
    return this.#transport.close();
  }
}

function isMessageResponse(value: unknown): value is AnthropicMessageResponse {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.id === 'string' && Array.isArray(record.content);
}

export function createAnthropicProvider(settings: AnthropicSettings): Provider {
  return new AnthropicProvider(settings);
}
