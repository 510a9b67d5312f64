/**
 * The floor: about the least a Node reverse proxy can do. node:http in, a keep-alive
 * http.Agent out, bodies piped both ways, hop-by-hop headers dropped. No parsing, no auth,
 * no tracing, so any Node gateway's overhead is measured against this, not against zero.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { onStop, reportReady, requiredEnv } from './child-ipc.js';

const upstream = new URL(requiredEnv('BENCH_UPSTREAM_URL'));
const agent = new http.Agent({ keepAlive: true, maxSockets: 256, noDelay: true });
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host']);

function forwardable(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const kept: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (!HOP_BY_HOP.has(name)) kept[name] = value;
  return kept;
}

const server = http.createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
  const upstreamRequest = http.request(
    {
      agent,
      host: upstream.hostname,
      port: upstream.port,
      method: request.method,
      path: request.url,
      headers: forwardable(request.headers),
    },
    (upstreamResponse) => {
      response.writeHead(upstreamResponse.statusCode ?? 502, forwardable(upstreamResponse.headers));
      upstreamResponse.pipe(response);
    },
  );
  upstreamRequest.on('error', (error) => {
    if (response.headersSent) return void response.destroy(error);
    response.writeHead(502, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: error.message, type: 'upstream_error' } }));
  });
  request.pipe(upstreamRequest);
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
