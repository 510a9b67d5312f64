/**
 * Audio answers (`modalities: ["text", "audio"]`, `audio: {voice, format}`): the model's words
 * come back as `message.audio` — base64 sound and its transcript — with no text content, so the
 * output guard, which reads text, let them through unscanned. A stack whose policy has output
 * rules refuses them with a 400 naming the field; nothing goes upstream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPolicies, deployStacks } from '../helpers/guarded-stack.js';
import { type Harness, startHarness } from '../helpers/harness.js';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({});
  await createPolicies(
    harness,
    { name: 'output-pii', rules: [{ scanner: 'pii', stage: 'output', action: 'redact' }] },
    { name: 'input-only', rules: [{ scanner: 'injection', stage: 'input', action: 'block' }] },
  );
  await deployStacks(
    harness,
    { name: 'spoken', model: 'local-extractive', guard: 'output-pii' },
    { name: 'spoken-open', model: 'local-extractive', guard: 'input-only' },
  );
});
afterAll(async () => {
  await harness?.close();
});

const ask = (model: string, extra: object) =>
  harness.api('POST', '/v1/chat/completions', {
    model,
    messages: [{ role: 'user', content: 'Read me my contact details.' }],
    ...extra,
  });

describe('audio answers on a stack with output rules', () => {
  it.each([
    [{ modalities: ['text', 'audio'], audio: { voice: 'alloy', format: 'wav' } }, 'modalities'],
    [{ audio: { voice: 'alloy', format: 'wav' } }, 'audio'],
  ])('are refused with a 400 naming the field (%j)', async (extra, param) => {
    const response = await ask('spoken', extra);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_request',
      param,
    });
    expect(response.body.error.message).toContain('audio');
  });

  it('text-only modalities, and stacks without output rules, are as before', async () => {
    expect((await ask('spoken', { modalities: ['text'] })).status).toBe(200);
    expect(
      (await ask('spoken-open', { modalities: ['text', 'audio'], audio: { voice: 'alloy', format: 'wav' } }))
        .status,
    ).toBe(200);
  });
});
