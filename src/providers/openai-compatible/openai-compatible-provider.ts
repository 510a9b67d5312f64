/**
 * @module providers/openai-compatible/openai-compatible-provider
 *
 * The one adapter for every vendor that speaks the OpenAI chat/embeddings wire format (vLLM,
 * TGI, Ollama, OpenAI, DashScope compatible mode…). Vendors differ only by settings: base
 * URL, API key, extra headers. Requests are forwarded as they are (the gateway already set the
 * upstream model id) with one `JSON.stringify`; responses are parsed with one `JSON.parse`.
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
import { errorFromStreamPayload } from '../shared/upstream-errors.js';
import { readOpenAIStream } from './read-openai-stream.js';

export interface OpenAICompatibleSettings {
  name: string;
  /** Base URL including the version segment, e.g. `http://127.0.0.1:8000/v1`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …` when set. Never logged. */
  apiKey?: string | undefined;
  /** Extra headers sent on every call (e.g. `OpenAI-Organization`). */
  headers?: Record<string, string>;
  /** undici's fallback timeouts (tests); see `DispatcherTimeouts`. */
  dispatcherTimeouts?: DispatcherTimeouts | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class OpenAICompatibleProvider implements Provider {
  readonly type = 'openai-compatible' as const;
  readonly name: string;
  readonly #transport: HttpTransport;

  constructor(settings: OpenAICompatibleSettings) {
    this.name = settings.name;
    const headers: Record<string, string> = { ...settings.headers };
    if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
    this.#transport = new HttpTransport({
      providerName: settings.name,
      baseUrl: settings.baseUrl,
      headers,
      dispatcherTimeouts: settings.dispatcherTimeouts,
    });
  }

  async chat(request: ChatCompletionRequest, options: CallOptions): Promise<ChatCompletion> {
    // stream_options is rejected by OpenAI on non-streaming calls, so it goes with `stream`.
    const payload =
      request.stream || request.stream_options
        ? { ...request, stream: false, stream_options: undefined }
        : request;
    const response = await this.#transport.post('/chat/completions', JSON.stringify(payload), options, false);
    const body = await readJsonBody(response, options, this.name);
    if (!isRecord(body)) throw this.#malformed('chat completion', response.statusCode);
    if (body.error !== undefined && body.error !== null) throw errorFromStreamPayload(this.name, body);
    if (!Array.isArray(body.choices)) throw this.#malformed('chat completion', response.statusCode);
    return body as ChatCompletion;
  }

  async stream(
    request: ChatCompletionRequest,
    options: CallOptions,
  ): Promise<AsyncIterable<ChatCompletionChunk>> {
    const payload = request.stream === true ? request : { ...request, stream: true };
    const response = await this.#transport.post('/chat/completions', JSON.stringify(payload), options, true);
    const contentType = response.headers['content-type'];
    if (typeof contentType === 'string' && contentType.includes('application/json')) {
      // Some servers answer a stream request with a JSON error (and a 200).
      const body = await readJsonBody(response, options, this.name);
      if (isRecord(body) && body.error !== undefined && body.error !== null)
        throw errorFromStreamPayload(this.name, body);
      throw this.#malformed('stream (JSON instead of an event stream)', response.statusCode);
    }
    return readOpenAIStream(response.body, failureContext(this.name, options));
  }

  async embed(request: EmbeddingRequest, options: CallOptions): Promise<EmbeddingResponse> {
    const response = await this.#transport.post('/embeddings', JSON.stringify(request), options, false);
    const body = await readJsonBody(response, options, this.name);
    if (!isRecord(body) || !Array.isArray(body.data))
      throw this.#malformed('embedding response', response.statusCode);
    return body as unknown as EmbeddingResponse;
  }

  #malformed(what: string, status: number): UpstreamError {
    return new UpstreamError('upstream_error', `provider "${this.name}" returned a malformed ${what}`, {
      retryable: false,
      upstreamStatus: status,
    });
  }

  close(): Promise<void> {
    return this.#transport.close();
  }
}

export function createOpenAICompatibleProvider(settings: OpenAICompatibleSettings): Provider {
  return new OpenAICompatibleProvider(settings);
}
