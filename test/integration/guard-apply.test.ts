/**
 * `stackops apply` / `--config` with guard policies, as docs/stacks.md and docs/guardrails.md
 * promise: the whole document is validated before anything is written — a policy whose rules do
 * not compile (a lookaround in a regex, an unknown scanner, a bad option) stores nothing, not
 * even the valid policies listed before it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

describe('apply with guard policies', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({});
  });
  afterAll(async () => {
    await harness?.close();
  });

  const good = { name: 'good-one', rules: [{ scanner: 'pii', stage: 'output', action: 'redact' }] };
  const prompt = { name: 'fresh', messages: [{ role: 'user', content: '{{input}}' }] };

  it.each([
    [
      'a regex the scanner cannot run',
      {
        name: 'bad-one',
        rules: [
          {
            scanner: 'regex',
            stage: 'output',
            action: 'redact',
            options: { patterns: [{ name: 'X', pattern: '(?=a)b' }] },
          },
        ],
      },
      /guard_policies\[1\] \(bad-one\): rules\[0\] \(regex, output\): options\.patterns\[0\]\.pattern: lookaround/,
    ],
    [
      'an unknown scanner',
      { name: 'bad-one', rules: [{ scanner: 'nope', stage: 'input', action: 'block' }] },
      /guard_policies\[1\] \(bad-one\): rules\[0\] \(nope, input\): Unknown scanner "nope"/,
    ],
    [
      'drop outside the context stage',
      { name: 'bad-one', rules: [{ scanner: 'pii', stage: 'input', action: 'drop' }] },
      /guard_policies\[1\] \(bad-one\): .*"drop" applies to retrieved context only/,
    ],
    [
      'a bad policy name',
      { name: 'bad one', rules: [{ scanner: 'pii', stage: 'input', action: 'block' }] },
      /guard_policies\[1\] \(bad one\): Guard policy name "bad one" is invalid/,
    ],
  ])('stores nothing when a policy has %s', async (_case, bad, message) => {
    const answer = await harness.api('POST', '/api/apply', {
      document: {
        prompts: [prompt],
        guard_policies: [good, bad],
        stacks: [{ name: 'bot', model: 'local-extractive', prompt: 'fresh', guard: 'good-one' }],
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_request');
    expect(answer.body.error.message).toMatch(message);
    expect((await harness.api('GET', '/api/guard/policies')).body.data).toEqual([]);
    expect((await harness.api('GET', '/api/prompts/fresh')).status).toBe(404);
    expect((await harness.api('GET', '/api/stacks/bot')).status).toBe(404);
  });

  it('names a guard policy declared twice', async () => {
    const answer = await harness.api('POST', '/api/apply', {
      document: {
        guard_policies: [good, { ...good, rules: [{ scanner: 'pii', stage: 'input', action: 'redact' }] }],
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toContain('guard policy "good-one" is declared twice');
    expect((await harness.api('GET', '/api/guard/policies')).body.data).toEqual([]);
  });

  it('reports a misspelt field of a policy in one readable line, naming the policy', async () => {
    const answer = await harness.api('POST', '/api/apply', {
      document: {
        guard_policies: [
          { ...good, rules: [{ scanner: 'pii', stage: 'input', action: 'redact', bogus: 1 }] },
        ],
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toBe(
      'Invalid document: guard_policies[0] (good-one): rules.0: Unrecognized key: "bogus"',
    );
  });

  it('still applies a valid document (a stack pinned to the policy version it creates)', async () => {
    const answer = await harness.api('POST', '/api/apply', {
      document: {
        prompts: [prompt],
        guard_policies: [good],
        stacks: [{ name: 'bot', model: 'local-extractive', prompt: 'fresh', guard: 'good-one@1' }],
      },
    });
    expect(answer.status).toBe(200);
    expect(
      answer.body.changes.map(
        (change: { kind: string; action: string }) => `${change.kind}:${change.action}`,
      ),
    ).toEqual(['guard_policy:created', 'prompt:created', 'stack:created']);
  });
});
