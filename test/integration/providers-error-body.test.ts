/**
 * An upstream error answer is read for its message only: a proxy's or a broken server's huge
 * error body (an HTML page, a dump) is not buffered whole into memory — the adapter reads the
 * first bytes and closes the connection.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerSchema } from '../../src/core/index.js';
import { createProvider, type Provider } from '../../src/providers/index.js';
import { eventually } from '../helpers/harness.js';
import { callOptions, caught } from '../helpers/provider-calls.js';
import { type RawUpstream, startRawUpstream } from '../helpers/raw-upstream.js';

const ERROR_BODY_BYTES = 32 * 1024 * 1024;
const PIECE = Buffer.alloc(64 * 1024, 'x');

let upstream: RawUpstream;
let provider: Provider;
/** Bytes of the error body the upstream managed to write, and whether it wrote them all. */
const sent = { bytes: 0, finished: false, closed: false };

/** Writes a 500 whose body is 32 MiB of text, honouring backpressure, until done or cut. */
async function sendHugeError(response: ServerResponse): Promise<void> {
  response.writeHead(500, { 'content-type': 'text/html' });
  response.on('close', () => {
    sent.closed = true;
  });
  response.write('<html>upstream exploded ');
  while (sent.bytes < ERROR_BODY_BYTES && !response.destroyed) {
    sent.bytes += PIECE.length;
    if (!response.write(PIECE)) await Promise.race([once(response, 'drain'), once(response, 'close')]);
  }
  if (!response.destroyed) response.end('</html>', () => (sent.finished = true));
}

beforeAll(async () => {
  upstream = await startRawUpstream((_body, response) => sendHugeError(response));
  provider = createProvider(
    providerSchema.parse({ name: 'broken', type: 'openai-compatible', base_url: upstream.url }),
  );
});

afterAll(async () => {
  await provider?.close();
  await upstream?.close();
});

describe('upstream error bodies', () => {
  it('reads the start of a huge error body for the message and closes the connection', async () => {
    const error = await caught(
      provider.chat({ model: 'm', messages: [{ role: 'user', content: 'x' }] }, callOptions()),
    );
    expect(error.code).toBe('upstream_error');
    expect(error.upstreamStatus).toBe(500);
    expect(error.message).toContain('upstream exploded');
    await eventually(() => sent.closed);
    expect(sent.finished).toBe(false);
    expect(sent.bytes).toBeLessThan(ERROR_BODY_BYTES);
  });
});
