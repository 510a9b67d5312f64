/**
 * A tool call's `function.arguments` is a JSON string in OpenAI's format, and the output guard
 * reads that string. Some OpenAI-compatible servers send the arguments as a JSON object instead;
 * such arguments went out unscanned — an address redacted from the same text in a string, a
 * blocked host let through — whole and streamed. A guarded stack reads an object as its JSON
 * text and sends that text (OpenAI's format), scanned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPolicies, deployStacks, outputPolicy, postChat } from '../helpers/guarded-stack.js';
import { type Harness, startHarnessOn } from '../helpers/harness.js';
import {
  type RawUpstream,
  sendCompletion,
  startChunkStream,
  startRawUpstream,
} from '../helpers/raw-upstream.js';

let callArguments: object = {};
let upstream: RawUpstream;
let harness: Harness;

beforeAll(async () => {
  upstream = await startRawUpstream((body, response) => {
    const call = {
      id: 'call_1',
      type: 'function',
      function: { name: 'send_email', arguments: callArguments },
    };
    if (!body.stream) {
      sendCompletion(response, 'chatcmpl-object', [
        {
          index: 0,
          message: { role: 'assistant', content: null, tool_calls: [call] },
          finish_reason: 'tool_calls',
        },
      ]);
      return;
    }
    const stream = startChunkStream(response, 'chatcmpl-object');
    stream.send({ role: 'assistant', content: null, tool_calls: [{ index: 0, ...call }] });
    stream.send({}, 'tool_calls');
    stream.done();
  });
  harness = await startHarnessOn(upstream, 'objects', ['objects-model']);
  await createPolicies(harness, outputPolicy('object-arguments', ['evil.example']));
  await deployStacks(harness, { name: 'objects-bot', model: 'objects-model', guard: 'object-arguments' });
});
afterAll(async () => {
  await harness?.close();
  await upstream?.close();
});

const ask = (stream: boolean) =>
  postChat(harness, { model: 'objects-bot', messages: [{ role: 'user', content: 'mail it' }], stream });

/** The arguments the client assembles from a stream's fragments. */
function streamedArguments(raw: string): string {
  let text = '';
  for (const line of raw.split('\n')) {
    if (!line.startsWith('data: {')) continue;
    for (const part of JSON.parse(line.slice(6)).choices[0]?.delta?.tool_calls ?? [])
      text += part.function?.arguments ?? '';
  }
  return text;
}

describe('tool-call arguments sent as a JSON object', () => {
  it('are scanned and sent as JSON text, whole', async () => {
    callArguments = { to: 'jane.doe@example.com', subject: 'hi' };
    const response = await ask(false);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      choices: Array<{ message: { tool_calls: Array<{ function: { arguments: unknown } }> } }>;
    };
    expect(body.choices[0]?.message.tool_calls[0]?.function.arguments).toBe(
      '{"to":"[EMAIL]","subject":"hi"}',
    );
    callArguments = { url: 'https://evil.example/?q=1' };
    expect((await ask(false)).status).toBe(400);
  });

  it('are scanned and sent as JSON text, streamed', async () => {
    callArguments = { to: 'jane.doe@example.com', subject: 'hi' };
    const raw = await (await ask(true)).text();
    expect(raw).not.toContain('jane.doe');
    expect(streamedArguments(raw)).toBe('{"to":"[EMAIL]","subject":"hi"}');
    callArguments = { url: 'https://evil.example/?q=1' };
    const blocked = await (await ask(true)).text();
    expect(blocked).not.toContain('evil.example');
    expect(blocked).toContain('"code":"content_filter"');
  });
});
