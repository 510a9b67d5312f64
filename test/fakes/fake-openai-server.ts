/**
 * @module test/fakes/fake-openai-server
 *
 * A fake OpenAI-compatible upstream speaking the real wire format: POST /v1/chat/completions
 * (JSON and SSE, `stream_options.include_usage` → usage-only final chunk with `choices: []`,
 * a tool call when the request has tools and the user says "call tool"), POST /v1/embeddings
 * (deterministic vectors) and GET /v1/models. The reply is `echo: <last user text>`.
 * Faults are injected per request with `enqueue(script)` (see `FakeScript`).
 *
 * In-process: `const fake = await startFakeOpenAIServer(); … fake.url … await fake.close()`.
 * As its own process (benchmarks): `node --import tsx test/fakes/fake-openai-server.ts
 * --port 0 --tokens 64` prints `FAKE_OPENAI_URL=http://127.0.0.1:PORT/v1`.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  contentText,
  estimateTokens,
  type FakeExchange,
  FakeHttpServer,
  type FakeScript,
  type FakeServerOptions,
  isRecord,
  splitWords,
} from './fake-server-kit.js';

export type { FakeScript, FakeServerOptions, RecordedRequest } from './fake-server-kit.js';

export const FAKE_MODELS = ['fake-model', 'fake-embedding'];

const ERROR_TYPES: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
  500: { type: 'server_error', code: null },
  503: { type: 'server_error', code: null },
};

interface ChatBody {
  model: string;
  messages: Array<{ role: string; content: unknown }>;
  stream: boolean;
  includeUsage: boolean;
  tools: Array<{ function?: { name?: string } }>;
}

function readChatBody(body: unknown): ChatBody | string {
  if (!isRecord(body)) return 'request body must be a JSON object';
  if (typeof body.model !== 'string') return 'you must provide a model parameter';
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    return "'messages' must be a non-empty array";
  const streamOptions = body.stream_options;
  if (streamOptions != null && body.stream !== true)
    return 'The `stream_options` parameter is only allowed when `stream` is enabled.';
  return {
    model: body.model,
    messages: body.messages as ChatBody['messages'],
    stream: body.stream === true,
    includeUsage: isRecord(streamOptions) && streamOptions.include_usage === true,
    tools: Array.isArray(body.tools) ? (body.tools as ChatBody['tools']) : [],
  };
}

export class FakeOpenAIServer extends FakeHttpServer {
  readonly #fixedPieces: string[];

  constructor(options: FakeServerOptions = {}) {
    super(options);
    // Pre-serialised content deltas for the benchmark mode: no JSON work per token.
    this.#fixedPieces = Array.from({ length: options.tokensPerResponse ?? 0 }, (_, index) =>
      JSON.stringify({ content: index === 0 ? 'tok' : ' tok' }),
    );
  }

  protected override errorBody(status: number, script: FakeScript, message?: string): unknown {
    const known = ERROR_TYPES[status] ?? {
      type: status >= 500 ? 'server_error' : 'invalid_request_error',
      code: null,
    };
    return {
      error: {
        message: script.message ?? message ?? `fake upstream error ${status}`,
        type: script.errorType ?? known.type,
        param: null,
        code: known.code,
      },
    };
  }

  protected override async route(exchange: FakeExchange): Promise<void> {
    const { request, path } = exchange;
    const apiKey = this.options.apiKey;
    if (apiKey !== undefined && request.headers.authorization !== `Bearer ${apiKey}`) {
      this.sendError(exchange, 401, 'Incorrect API key provided');
      return;
    }
    if (this.sendScripted(exchange)) return;
    if (request.method === 'GET' && path === '/v1/models') {
      this.sendJson(exchange, 200, {
        object: 'list',
        data: FAKE_MODELS.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' })),
      });
      return;
    }
    if (request.method === 'POST' && path === '/v1/chat/completions') return this.#chat(exchange);
    if (request.method === 'POST' && path === '/v1/embeddings') return this.#embeddings(exchange);
    this.sendError(exchange, 404, `Unknown request URL: ${request.method} ${path}`);
  }

  async #chat(exchange: FakeExchange): Promise<void> {
    const body = readChatBody(exchange.body);
    if (typeof body === 'string') {
      this.sendError(exchange, 400, body);
      return;
    }
    const { script } = exchange;
    const lastUser = [...body.messages].reverse().find((message) => message.role === 'user');
    const userText = contentText(lastUser?.content);
    const toolName = body.tools[0]?.function?.name;
    const callsTool = toolName !== undefined && /call tool/i.test(userText);
    const sequence = this.nextSequence();
    const id = `chatcmpl-fake-${sequence}`;
    const created = Math.floor(Date.now() / 1000);
    const promptTokens = estimateTokens(
      body.messages.map((message) => contentText(message.content)).join('\n'),
    );
    const fixed = this.#fixedPieces.length > 0 && script.reply === undefined && !callsTool;
    const reply = fixed ? '' : callsTool ? '' : (script.reply ?? `echo: ${userText}`);
    const pieces = fixed ? [] : (script.replyPieces ?? splitWords(reply));
    const completionTokens = fixed ? this.#fixedPieces.length : callsTool ? 10 : pieces.length;
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      ...(script.cachedTokens === undefined
        ? {}
        : { prompt_tokens_details: { cached_tokens: script.cachedTokens } }),
    };
    const toolCall = callsTool
      ? {
          id: `call_fake_${sequence}`,
          type: 'function',
          function: { name: toolName, arguments: JSON.stringify({ query: userText }) },
        }
      : undefined;
    const finishReason = callsTool ? 'tool_calls' : 'stop';
    if (!body.stream) {
      this.sendJson(exchange, 200, {
        id,
        object: 'chat.completion',
        created,
        model: body.model,
        system_fingerprint: 'fp_fake',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: callsTool ? null : fixed ? this.#fixedPieces.map(() => 'tok').join(' ') : reply,
              refusal: null,
              ...(toolCall ? { tool_calls: [toolCall] } : {}),
            },
            logprobs: null,
            finish_reason: finishReason,
          },
        ],
        usage,
      });
      return;
    }
    // Constant parts of every chunk, serialised once per response.
    const head = `data: {"id":"${id}","object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(body.model)},"system_fingerprint":"fp_fake","choices":[{"index":0,"delta":`;
    const tail = ',"logprobs":null,"finish_reason":null}]}\n\n';
    const events: string[] = [];
    if (script.emptyChoicesChunk) {
      events.push(
        `data: {"id":"","object":"","created":0,"model":"","prompt_filter_results":[],"choices":[]}\n\n`,
      );
    }
    events.push(`${head}{"role":"assistant","content":"","refusal":null}${tail}`);
    if (toolCall) {
      const argumentsText = toolCall.function.arguments;
      const middle = Math.floor(argumentsText.length / 2);
      const first = {
        index: 0,
        id: toolCall.id,
        type: 'function',
        function: { name: toolName, arguments: '' },
      };
      events.push(`${head}{"tool_calls":[${JSON.stringify(first)}]}${tail}`);
      for (const fragment of [argumentsText.slice(0, middle), argumentsText.slice(middle)]) {
        events.push(
          `${head}{"tool_calls":[{"index":0,"function":{"arguments":${JSON.stringify(fragment)}}}]}${tail}`,
        );
      }
    } else if (fixed) {
      for (const piece of this.#fixedPieces) events.push(head + piece + tail);
    } else {
      for (const piece of pieces) events.push(`${head}{"content":${JSON.stringify(piece)}}${tail}`);
    }
    events.push(`${head}{}${tail.replace('"finish_reason":null', `"finish_reason":"${finishReason}"`)}`);
    if (body.includeUsage) {
      events.push(
        `data: {"id":"${id}","object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(body.model)},"system_fingerprint":"fp_fake","choices":[],"usage":${JSON.stringify(usage)}}\n\n`,
      );
    }
    const errorEvent = `data: ${JSON.stringify({
      error: {
        message: script.message ?? 'fake in-band error',
        type: script.errorType ?? 'server_error',
        param: null,
        code: null,
      },
    })}\n\n`;
    await this.sendStream(exchange, { events, terminator: 'data: [DONE]\n\n', errorEvent });
  }

  #embeddings(exchange: FakeExchange): void {
    const body = exchange.body;
    if (!isRecord(body) || typeof body.model !== 'string' || body.input === undefined) {
      this.sendError(exchange, 400, "'input' and 'model' are required");
      return;
    }
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    const dimensions = typeof body.dimensions === 'number' ? body.dimensions : 8;
    let tokens = 0;
    const data = inputs.map((input, index) => {
      const text = typeof input === 'string' ? input : JSON.stringify(input);
      tokens += estimateTokens(text);
      const vector = fakeVector(text, dimensions);
      // The official SDK asks for base64 (little-endian float32) by default.
      const embedding =
        body.encoding_format === 'base64'
          ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
          : vector;
      return { object: 'embedding', index, embedding };
    });
    this.sendJson(exchange, 200, {
      object: 'list',
      data,
      model: body.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  }
}

/** A deterministic unit vector derived from the text's characters. */
export function fakeVector(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (let index = 0; index < text.length; index++)
    vector[index % dimensions]! += text.charCodeAt(index) % 17;
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

/** Starts a fake OpenAI-compatible upstream on an ephemeral port; `fake.url` ends with `/v1`. */
export async function startFakeOpenAIServer(options: FakeServerOptions = {}): Promise<FakeOpenAIServer> {
  const fake = new FakeOpenAIServer(options);
  await fake.start();
  return fake;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      tokens: { type: 'string' },
      delay: { type: 'string' },
      'chunk-delay': { type: 'string' },
    },
  });
  const fake = new FakeOpenAIServer({
    record: false,
    ...(values.tokens ? { tokensPerResponse: Number(values.tokens) } : {}),
    ...(values.delay ? { delayMs: Number(values.delay) } : {}),
    ...(values['chunk-delay'] ? { chunkDelayMs: Number(values['chunk-delay']) } : {}),
  });
  const { url } = await fake.start(Number(values.port));
  process.stdout.write(`FAKE_OPENAI_URL=${url}\n`);
  process.once('SIGTERM', () => void fake.close().then(() => process.exit(0)));
}
