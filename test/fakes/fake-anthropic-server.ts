/**
 * @module test/fakes/fake-anthropic-server
 *
 * A fake Anthropic Messages API speaking the real wire format: POST /v1/messages, JSON and
 * SSE with the real event sequence (message_start, content_block_start, ping,
 * content_block_delta text_delta / input_json_delta split over several events,
 * content_block_stop, message_delta with stop_reason and usage, message_stop), errors in
 * Anthropic's `{"type":"error","error":{…}}` shape (429 rate_limit_error, 529
 * overloaded_error…), `event: error` in-band events, cache usage fields, and the same fault
 * scripts as the OpenAI fake (`enqueue`). The reply is `echo: <last user text>`; with tools
 * and "call tool" in the user text it calls the first tool; after a `tool_result` it answers
 * `tool result: <content>`; `max_tokens` below the reply's word count truncates it.
 */
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

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

interface MessagesBody {
  model: string;
  maxTokens: number;
  system: string;
  messages: Array<{ role: string; content: unknown }>;
  tools: Array<{ name?: string }>;
  stream: boolean;
}

function readMessagesBody(body: unknown): MessagesBody | string {
  if (!isRecord(body)) return 'request body must be a JSON object';
  if (typeof body.model !== 'string') return 'model: Field required';
  if (typeof body.max_tokens !== 'number') return 'max_tokens: Field required';
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    return 'messages: at least one message is required';
  return {
    model: body.model,
    maxTokens: body.max_tokens,
    system: typeof body.system === 'string' ? body.system : contentText(body.system),
    messages: body.messages as MessagesBody['messages'],
    tools: Array.isArray(body.tools) ? (body.tools as MessagesBody['tools']) : [],
    stream: body.stream === true,
  };
}

function sse(type: string, payload: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`;
}

export class FakeAnthropicServer extends FakeHttpServer {
  protected override errorBody(status: number, script: FakeScript, message?: string): unknown {
    const type =
      script.errorType ?? ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
    return {
      type: 'error',
      error: {
        type,
        message:
          script.message ?? message ?? (status === 529 ? 'Overloaded' : `fake upstream error ${status}`),
      },
    };
  }

  protected override async route(exchange: FakeExchange): Promise<void> {
    const { request, path } = exchange;
    const apiKey = this.options.apiKey;
    if (apiKey !== undefined && request.headers['x-api-key'] !== apiKey) {
      this.sendError(exchange, 401, 'invalid x-api-key');
      return;
    }
    if (!request.headers['anthropic-version']) {
      this.sendError(exchange, 400, 'anthropic-version: header is required');
      return;
    }
    if (this.sendScripted(exchange)) return;
    if (request.method !== 'POST' || path !== '/v1/messages') {
      this.sendError(exchange, 404, `Not found: ${request.method} ${path}`);
      return;
    }
    const body = readMessagesBody(exchange.body);
    if (typeof body === 'string') {
      this.sendError(exchange, 400, body);
      return;
    }
    await this.#messages(exchange, body);
  }

  async #messages(exchange: FakeExchange, body: MessagesBody): Promise<void> {
    const { script } = exchange;
    const last = body.messages[body.messages.length - 1];
    const toolResult = Array.isArray(last?.content)
      ? (last.content as unknown[]).find((block) => isRecord(block) && block.type === 'tool_result')
      : undefined;
    const userText = contentText(last?.content);
    const toolName = body.tools[0]?.name;
    const callsTool = toolName !== undefined && toolResult === undefined && /call tool/i.test(userText);
    let pieces = splitWords(
      script.reply ??
        (callsTool ? 'Calling the tool.' : toolResult ? `tool result: ${userText}` : `echo: ${userText}`),
    );
    let stopReason = callsTool ? 'tool_use' : 'end_turn';
    if (!callsTool && pieces.length > body.maxTokens) {
      pieces = pieces.slice(0, body.maxTokens);
      stopReason = 'max_tokens';
    }
    const text = pieces.join('');
    const sequence = this.nextSequence();
    const id = `msg_fake_${sequence}`;
    const toolUse = callsTool
      ? { type: 'tool_use', id: `toolu_fake_${sequence}`, name: toolName, input: { query: userText } }
      : undefined;
    const inputTokens = estimateTokens(
      body.system + body.messages.map((message) => contentText(message.content)).join('\n'),
    );
    const outputTokens = pieces.length + (callsTool ? 12 : 0);
    const cacheUsage = {
      cache_creation_input_tokens: script.cacheCreationTokens ?? 0,
      cache_read_input_tokens: script.cachedTokens ?? 0,
    };
    if (!body.stream) {
      this.sendJson(exchange, 200, {
        id,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: [{ type: 'text', text }, ...(toolUse ? [toolUse] : [])],
        stop_reason: stopReason,
        stop_sequence: null,
        usage: { input_tokens: inputTokens, ...cacheUsage, output_tokens: outputTokens },
      });
      return;
    }
    const events = [
      sse('message_start', {
        message: {
          id,
          type: 'message',
          role: 'assistant',
          model: body.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: inputTokens, ...cacheUsage, output_tokens: 1 },
        },
      }),
      sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      sse('ping', {}),
      ...pieces.map((piece) =>
        sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } }),
      ),
      sse('content_block_stop', { index: 0 }),
    ];
    if (toolUse) {
      const json = JSON.stringify(toolUse.input);
      const cut = Math.floor(json.length / 3);
      events.push(sse('content_block_start', { index: 1, content_block: { ...toolUse, input: {} } }));
      for (const fragment of ['', json.slice(0, cut), json.slice(cut, 2 * cut), json.slice(2 * cut)]) {
        events.push(
          sse('content_block_delta', {
            index: 1,
            delta: { type: 'input_json_delta', partial_json: fragment },
          }),
        );
      }
      events.push(sse('content_block_stop', { index: 1 }));
    }
    events.push(
      sse('message_delta', {
        delta: { stop_reason: stopReason, stop_sequence: null },
        usage: { output_tokens: outputTokens },
      }),
    );
    const errorEvent = sse('error', {
      error: { type: script.errorType ?? 'overloaded_error', message: script.message ?? 'Overloaded' },
    });
    await this.sendStream(exchange, { events, terminator: sse('message_stop', {}), errorEvent });
  }
}

/** Starts a fake Anthropic upstream on an ephemeral port; `fake.url` ends with `/v1`. */
export async function startFakeAnthropicServer(
  options: FakeServerOptions = {},
): Promise<FakeAnthropicServer> {
  const fake = new FakeAnthropicServer(options);
  await fake.start();
  return fake;
}
