/**
 * The fake upstream: a zero-delay OpenAI-compatible chat server on node:http that answers
 * every POST /v1/chat/completions with pre-serialised bytes (see fixtures.ts). It parses the
 * request only to learn `stream` and `include_usage`, and counts requests so the benchmark can
 * prove a gateway really reached it. Started as a child process by bench/gateway.ts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { onStop, reportReady } from './child-ipc.js';
import { completionBytes, streamEventsWithoutUsage, streamEventsWithUsage } from './fixtures.js';

interface StreamFlags {
  stream?: boolean;
  stream_options?: { include_usage?: boolean } | null;
}

let chatRequests = 0;

function answerChat(body: string, response: http.ServerResponse): void {
  let flags: StreamFlags;
  try {
    flags = JSON.parse(body) as StreamFlags;
  } catch {
    response.writeHead(400, { 'content-type': 'application/json' });
    response.end('{"error":{"message":"invalid JSON","type":"invalid_request_error"}}');
    return;
  }
  chatRequests++;
  if (!flags.stream) {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': completionBytes.length });
    response.end(completionBytes);
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const events = flags.stream_options?.include_usage ? streamEventsWithUsage : streamEventsWithoutUsage;
  for (const event of events) response.write(event);
  response.end();
}

const server = http.createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
  if (request.method === 'POST' && request.url === '/v1/chat/completions') {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => answerChat(Buffer.concat(parts).toString('utf8'), response));
    return;
  }
  if (request.method === 'GET' && request.url === '/bench/stats') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ chatRequests }));
    return;
  }
  request.resume();
  response.writeHead(404, { 'content-type': 'application/json' });
  response.end('{"error":{"message":"not found","type":"invalid_request_error"}}');
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  reportReady({ url: `http://127.0.0.1:${port}` });
});
onStop(
  () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
);
