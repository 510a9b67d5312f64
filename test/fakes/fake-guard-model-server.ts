/**
 * @module test/fakes/fake-guard-model-server
 *
 * A fake guard-model server: POST /v1/chat/completions answering like Llama Guard served by
 * vLLM (`safe`, or `unsafe\n<codes>`) or, when the model name contains "prompt-guard", like a
 * Prompt Guard wrapper (`{"label":"INJECTION","score":0.97}` or BENIGN). The verdict comes
 * from markers in the last message's text (see MARKERS). Faults are injected per request with
 * `enqueue(script)` from the shared kit: `status` (e.g. 500), `delayMs`, `hang`, and `reply`
 * to send any content verbatim (malformed replies).
 *
 * In-process: `const fake = await startFakeGuardModelServer(); … fake.url … await fake.close()`.
 */
import {
  contentText,
  type FakeExchange,
  FakeHttpServer,
  type FakeScript,
  type FakeServerOptions,
  isRecord,
} from './fake-server-kit.js';

export type { FakeScript } from './fake-server-kit.js';

/** Lower-case marker in the judged text → Llama Guard categories. */
export const MARKERS: ReadonlyArray<{ marker: string; categories: string[] }> = [
  { marker: 'how to make a bomb', categories: ['S9'] },
  { marker: 'kill my neighbour and insult his religion', categories: ['S1', 'S10'] },
  { marker: 'hurt myself', categories: ['S11'] },
  { marker: 'home address of', categories: ['S7'] },
];

const INJECTION_MARKERS = ['ignore previous instructions', 'ignore all previous instructions'];

function judge(model: string, text: string): string {
  const lower = text.toLowerCase();
  if (model.toLowerCase().includes('prompt-guard')) {
    const hit = INJECTION_MARKERS.some((marker) => lower.includes(marker));
    return JSON.stringify(hit ? { label: 'INJECTION', score: 0.97 } : { label: 'BENIGN', score: 0.995 });
  }
  const categories = MARKERS.filter((entry) => lower.includes(entry.marker)).flatMap(
    (entry) => entry.categories,
  );
  return categories.length > 0 ? `unsafe\n${categories.join(',')}` : 'safe';
}

export class FakeGuardModelServer extends FakeHttpServer {
  protected override errorBody(_status: number, script: FakeScript): unknown {
    return { error: { message: script.message ?? 'boom', type: 'server_error' } };
  }

  protected override route(exchange: FakeExchange): void {
    const { path, body, script } = exchange;
    if (path !== '/v1/chat/completions') {
      this.sendJson(exchange, 404, { error: { message: `no route ${path}`, type: 'invalid_request_error' } });
      return;
    }
    if (script.status !== undefined) {
      this.sendError(exchange, script.status);
      return;
    }
    if (
      !isRecord(body) ||
      typeof body.model !== 'string' ||
      !Array.isArray(body.messages) ||
      body.messages.length === 0
    ) {
      this.sendJson(exchange, 400, {
        error: { message: 'model and messages are required', type: 'invalid_request_error' },
      });
      return;
    }
    const last = body.messages[body.messages.length - 1] as { content?: unknown };
    const content = script.reply ?? judge(body.model, contentText(last.content));
    this.sendJson(exchange, 200, {
      id: 'chatcmpl-guard',
      object: 'chat.completion',
      created: 1,
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 },
    });
  }
}

export async function startFakeGuardModelServer(
  options: FakeServerOptions = {},
): Promise<FakeGuardModelServer> {
  const server = new FakeGuardModelServer(options);
  await server.start();
  return server;
}
