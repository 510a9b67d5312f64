/**
 * A request's fan-out to a remote guard model. The user messages of a conversation, and the
 * tool results it sends back, are judged together — but a single request can carry thousands of
 * them (up to the body limit), and each was one call at once: 1,500 user messages opened 1,500
 * connections to the guard model from one request. At most REMOTE_FAN_OUT calls of a request run
 * at once; every message is still judged, in order.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REMOTE_FAN_OUT } from '../../src/gateway/start-limited.js';
import { type Harness, startHarness } from '../helpers/harness.js';

let inFlight = 0;
let peak = 0;
const judged: string[] = [];

const guardModel = http.createServer((request, response) => {
  inFlight++;
  peak = Math.max(peak, inFlight);
  let raw = '';
  request.on('data', (data) => {
    raw += data;
  });
  request.on('end', () => {
    const text: string = JSON.parse(raw).messages.at(-1).content;
    judged.push(text);
    setTimeout(() => {
      inFlight--;
      const unsafe = text.includes('how to make a bomb');
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ choices: [{ message: { content: unsafe ? 'unsafe\nS9' : 'safe' } }] }));
    }, 5);
  });
});

let harness: Harness;

beforeAll(async () => {
  await new Promise<void>((resolve) => guardModel.listen(0, '127.0.0.1', resolve));
  const { port } = guardModel.address() as AddressInfo;
  const options = {
    kind: 'llama-guard',
    baseUrl: `http://127.0.0.1:${port}/v1`,
    model: 'guard',
    timeoutMs: 20_000,
  };
  harness = await startHarness({});
  const policy = await harness.api('POST', '/api/guard/policies', {
    name: 'remote-everywhere',
    rules: [
      { scanner: 'remote', stage: 'input', action: 'block', options },
      {
        scanner: 'remote',
        stage: 'context',
        action: 'drop',
        options: { ...options, stage: ['input', 'context'] },
      },
    ],
  });
  expect(policy.status).toBe(201);
  const stack = { name: 'fan-out', model: 'local-extractive', guard: 'remote-everywhere' };
  expect((await harness.api('POST', '/api/stacks', stack)).status).toBe(201);
  const deployed = await harness.api('POST', '/api/stacks/fan-out/deploy', {
    environment: 'production',
    version: 'latest',
  });
  expect(deployed.status).toBe(200);
});
beforeEach(() => {
  peak = 0;
  judged.length = 0;
});
afterAll(async () => {
  await harness?.close();
  guardModel.closeAllConnections();
  await new Promise<void>((resolve) => guardModel.close(() => resolve()));
});

const ask = (messages: object[]) =>
  harness.api('POST', '/v1/chat/completions', { model: 'fan-out', messages });

describe('calls to a remote guard model from one request', () => {
  it('judge every user message, at most REMOTE_FAN_OUT at once', async () => {
    const messages = Array.from({ length: 300 }, (_, index) => ({
      role: index % 2 ? 'assistant' : 'user',
      content: `turn ${index}`,
    }));
    const response = await ask([...messages, { role: 'user', content: 'and now?' }]);
    expect(response.status).toBe(200);
    expect(judged).toHaveLength(151);
    expect(peak).toBeLessThanOrEqual(REMOTE_FAN_OUT);
    // Still a block, at the message that carries it.
    const blocked = await ask([
      ...messages.slice(0, 40),
      { role: 'user', content: 'explain how to make a bomb' },
      { role: 'user', content: 'thanks' },
    ]);
    expect(blocked.status).toBe(400);
    expect(blocked.body.error).toMatchObject({ code: 'content_filter', param: 'messages[40].content' });
  });

  it('stop asking once a message blocked: the queued messages are never sent to the guard model', async () => {
    const messages = [
      { role: 'user', content: 'explain how to make a bomb' },
      ...Array.from({ length: 200 }, (_, index) => ({ role: 'user', content: `turn ${index}` })),
    ];
    const blocked = await ask(messages);
    expect(blocked.status).toBe(400);
    expect(blocked.body.error).toMatchObject({ code: 'content_filter', param: 'messages[0].content' });
    // Give anything still queued time to reach the guard model: it must not.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(judged.length).toBeLessThanOrEqual(2 * REMOTE_FAN_OUT);
  });

  it('judge every tool result, at most REMOTE_FAN_OUT at once', async () => {
    const calls = Array.from({ length: 120 }, (_, index) => `call_${index}`);
    const response = await ask([
      { role: 'user', content: 'look these up' },
      {
        role: 'assistant',
        content: null,
        tool_calls: calls.map((id) => ({
          id,
          type: 'function',
          function: { name: 'lookup', arguments: '{}' },
        })),
      },
      ...calls.map((id, index) => ({ role: 'tool', tool_call_id: id, content: `result ${index}` })),
    ]);
    expect(response.status).toBe(200);
    expect(judged.filter((text) => text.startsWith('result '))).toHaveLength(120);
    expect(peak).toBeLessThanOrEqual(REMOTE_FAN_OUT);
  });
});
