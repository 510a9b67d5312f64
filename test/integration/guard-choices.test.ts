/**
 * The output guard reads one choice; the gateway refuses a caller's `n` other than 1. A stack's
 * prompt or params could still ask the upstream for several (`params: {n: 2}`), and the choices
 * after the first went out unscanned: a guarded stack asks for one, and only scanned choices
 * reach the client, whole or streamed. Since session 13 the control plane refuses `n` other than 1
 * in params, but stacks stored before keep theirs: those are written here through the registry
 * service, as they were then.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStackVersion } from '../../src/registry/index.js';
import { createPolicies } from '../helpers/guarded-stack.js';
import { type Harness, startHarnessOn } from '../helpers/harness.js';
import {
  type RawUpstream,
  sendCompletion,
  startChunkStream,
  startRawUpstream,
} from '../helpers/raw-upstream.js';

/** The `n` of each request the upstream received. */
const requestedN: unknown[] = [];
const answer = (index: number) => `Answer ${index}: write to jane.doe@example.com today.`;
let upstream: RawUpstream;
let harness: Harness;

beforeAll(async () => {
  upstream = await startRawUpstream((body, response) => {
    requestedN.push(body.n);
    // "send two": an upstream that sends more choices than it was asked for.
    const extra = JSON.stringify(body.messages).includes('send two');
    const count = typeof body.n === 'number' ? body.n : extra ? 2 : 1;
    const indexes = Array.from({ length: count }, (_, index) => index);
    if (!body.stream) {
      sendCompletion(
        response,
        'chatcmpl-n',
        indexes.map((index) => ({
          index,
          message: { role: 'assistant', content: answer(index) },
          finish_reason: 'stop',
        })),
      );
      return;
    }
    const stream = startChunkStream(response, 'chatcmpl-n');
    for (const index of indexes) stream.send({ role: 'assistant', content: '' }, null, index);
    // The choices' pieces interleaved, as OpenAI sends them.
    const pieces = indexes.map((index) => answer(index).match(/[\s\S]{1,6}/g)!);
    for (let at = 0; at < pieces[0]!.length; at++)
      for (const index of indexes) stream.send({ content: pieces[index]![at] }, null, index);
    for (const index of indexes) stream.send({}, 'stop', index);
    stream.done();
  });
  harness = await startHarnessOn(upstream, 'choices', ['choices-model']);
  await createPolicies(harness, {
    name: 'one-choice',
    rules: [{ scanner: 'pii', stage: 'output', action: 'redact' }],
  });
  const projectId = (await harness.api('GET', '/api/projects')).body.data[0].id;
  const catalog = { kindOf: (name: string) => (name === 'choices-model' ? ('chat' as const) : undefined) };
  for (const stack of [
    { name: 'two-choices-guarded', model: 'choices-model', params: { n: 2 }, guard: 'one-choice' },
    { name: 'two-choices-open', model: 'choices-model', params: { n: 2 } },
  ]) {
    await createStackVersion(harness.server.store, projectId, catalog, stack);
    const deployed = await harness.api('POST', `/api/stacks/${stack.name}/deploy`, {
      environment: 'production',
      version: 'latest',
    });
    expect(deployed.status).toBe(200);
  }
  // Today the same stack is refused when it is stored.
  const refused = await harness.api('POST', '/api/stacks', {
    name: 'two-choices-now',
    model: 'choices-model',
    params: { n: 2 },
  });
  expect(refused.status).toBe(400);
});
afterAll(async () => {
  await harness?.close();
  await upstream?.close();
});

/** The text of each choice of a streamed answer, by index. */
async function streamedTexts(model: string, content: string): Promise<string[]> {
  const stream = await harness.client.chat.completions.create({
    model,
    messages: [{ role: 'user', content }],
    stream: true,
  });
  const texts: string[] = [];
  for await (const part of stream)
    for (const choice of part.choices)
      texts[choice.index] = (texts[choice.index] ?? '') + (choice.delta.content ?? '');
  return texts;
}

const REDACTED = 'Answer 0: write to [EMAIL] today.';

describe('a guarded stack whose params ask for n = 2', () => {
  it('answers a whole request with one choice, scanned', async () => {
    requestedN.length = 0;
    const completion = await harness.client.chat.completions.create({
      model: 'two-choices-guarded',
      messages: [{ role: 'user', content: 'contact?' }],
    });
    expect(JSON.stringify(completion)).not.toContain('jane.doe');
    expect(completion.choices.map((choice) => choice.message.content)).toEqual([REDACTED]);
    expect(requestedN).toEqual([undefined]);
  });

  it('streams one choice, scanned', async () => {
    requestedN.length = 0;
    expect(await streamedTexts('two-choices-guarded', 'contact?')).toEqual([REDACTED]);
    expect(requestedN).toEqual([undefined]);
  });

  it("leaves an unguarded stack's params as they are", async () => {
    requestedN.length = 0;
    const completion = await harness.client.chat.completions.create({
      model: 'two-choices-open',
      messages: [{ role: 'user', content: 'contact?' }],
    });
    expect(completion.choices).toHaveLength(2);
    expect(requestedN).toEqual([2]);
  });

  it('passes on only the scanned choice when an upstream sends more than asked, whole or streamed', async () => {
    const whole = await harness.client.chat.completions.create({
      model: 'two-choices-guarded',
      messages: [{ role: 'user', content: 'send two' }],
    });
    expect(whole.choices.map((choice) => choice.message.content)).toEqual([REDACTED]);
    expect(await streamedTexts('two-choices-guarded', 'send two')).toEqual([REDACTED]);
  });
});
