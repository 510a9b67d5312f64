/**
 * The paced fake upstream of bench/guard-stream.ts. Unlike upstream.ts (zero delay,
 * pre-serialised, its own process) it streams like a model: the role chunk at once, then one
 * content chunk every `gapMs`, an empty finish chunk, the usage chunk and [DONE], in the
 * OpenAI wire format. It runs in the benchmark's own process so that the send time it stamps
 * on each chunk and the client's receive times come from one clock. Each planned stream has
 * a marker; the gateway forwards the caller's message, so the marker tells the upstream which
 * plan a request belongs to.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface UpstreamStream {
  marker: string;
  pieces: string[];
  /** Cumulative end offset of each piece in the joined text. */
  ends: number[];
  /** performance.now() just before each content chunk was written. */
  sendTimes: number[];
  finishTime: number;
}

export interface PacedUpstream {
  url: string;
  plan(pieces: string[]): UpstreamStream;
  close(): Promise<void>;
}

const CREATED = 1_700_000_000;

function chunkEvent(id: string, model: string, delta: object, finishReason: string | null): string {
  const chunk = {
    id,
    object: 'chat.completion.chunk',
    created: CREATED,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

function streamPlan(plan: UpstreamStream, body: string, response: http.ServerResponse, gapMs: number): void {
  const request = JSON.parse(body) as { model: string; stream_options?: { include_usage?: boolean } };
  const id = `chatcmpl-${plan.marker}`;
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  response.write(chunkEvent(id, request.model, { role: 'assistant', content: '' }, null));
  const firstAt = performance.now() + gapMs;
  let index = 0;
  const schedule = (at: number) => setTimeout(tick, Math.max(0, at - performance.now()));
  const tick = () => {
    if (response.destroyed) return;
    if (index < plan.pieces.length) {
      plan.sendTimes[index] = performance.now();
      response.write(chunkEvent(id, request.model, { content: plan.pieces[index] }, null));
      index++;
      // Absolute schedule: a late timer does not push every later chunk back.
      schedule(firstAt + index * gapMs);
      return;
    }
    plan.finishTime = performance.now();
    response.write(chunkEvent(id, request.model, {}, 'stop'));
    if (request.stream_options?.include_usage) {
      const usage = {
        prompt_tokens: 20,
        completion_tokens: plan.pieces.length,
        total_tokens: 20 + plan.pieces.length,
      };
      response.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: CREATED, model: request.model, choices: [], usage })}\n\n`,
      );
    }
    response.end('data: [DONE]\n\n');
  };
  schedule(firstAt);
}

export async function startPacedUpstream(gapMs: number): Promise<PacedUpstream> {
  const plans = new Map<string, UpstreamStream>();
  let next = 0;
  const server = http.createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      request.resume();
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
      return;
    }
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      const plan = plans.get(/gs-stream-\d+/.exec(body)?.[0] ?? '');
      if (!plan || !JSON.parse(body).stream) {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(
          '{"error":{"message":"no planned stream for this request","type":"invalid_request_error"}}',
        );
        return;
      }
      plans.delete(plan.marker);
      streamPlan(plan, body, response, gapMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    plan(pieces) {
      const ends: number[] = [];
      let length = 0;
      for (const piece of pieces) {
        length += piece.length;
        ends.push(length);
      }
      const plan: UpstreamStream = {
        marker: `gs-stream-${next++}`,
        pieces,
        ends,
        sendTimes: [],
        finishTime: Number.NaN,
      };
      plans.set(plan.marker, plan);
      return plan;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
