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
      /guard_policies\[1\] \(bad one\): name: Guard policy name "bad one" is invalid/,
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
      'Invalid document: guard_policies[0] (good-one): rules[0]: Unrecognized key: "bogus"',
    );
  });

  it.each([
    [
      'a policy version that does not exist',
      { guard: 'good-one@9' },
      'Guard policy "good-one" version 9 not found',
    ],
    ['a policy that does not exist', { guard: 'missing' }, 'Guard policy "missing" not found'],
    ['a prompt version that does not exist', { prompt: 'fresh@2' }, 'Prompt "fresh" version 2 not found'],
  ])('stores nothing when a stack pins %s', async (_case, reference, message) => {
    const document = {
      prompts: [prompt],
      guard_policies: [good],
      stacks: [{ name: 'bot', model: 'local-extractive', prompt: 'fresh', guard: 'good-one', ...reference }],
    };
    for (const dryRun of [true, false]) {
      const answer = await harness.api('POST', '/api/apply', { document, dry_run: dryRun });
      expect(answer.status).toBe(404);
      expect(answer.body.error.message).toContain(message);
    }
    expect((await harness.api('GET', '/api/guard/policies')).body.data).toEqual([]);
    expect((await harness.api('GET', '/api/prompts/fresh')).status).toBe(404);
  });

  it('stores nothing when a deployment names a stack that neither exists nor is declared', async () => {
    const answer = await harness.api('POST', '/api/apply', {
      document: {
        guard_policies: [good],
        deployments: [{ stack: 'bto', environment: 'production', version: 'latest' }],
      },
    });
    expect(answer.status).toBe(404);
    expect(answer.body.error.message).toContain('Stack "bto" not found');
    expect((await harness.api('GET', '/api/guard/policies')).body.data).toEqual([]);
  });

  it('plans a stack pinned to the policy version the same document creates', async () => {
    const planned = await harness.api('POST', '/api/apply', {
      document: {
        guard_policies: [good],
        stacks: [{ name: 'bot', model: 'local-extractive', guard: 'good-one@1' }],
        deployments: [{ stack: 'bot', environment: 'production', version: 1 }],
      },
      dry_run: true,
    });
    expect(planned.status).toBe(200);
    expect(
      planned.body.changes.map(
        (change: { kind: string; action: string; version: number }) =>
          `${change.kind}:${change.action}:${change.version}`,
      ),
    ).toEqual(['guard_policy:created:1', 'stack:created:1', 'deployment:deployed:1']);
    expect((await harness.api('GET', '/api/guard/policies')).body.data).toEqual([]);
  });

  it('applies a stack that names a label the document puts on the prompt it creates', async () => {
    const answer = await harness.api('POST', '/api/apply', {
      document: {
        prompts: [{ ...prompt, name: 'labelled', labels: ['production'] }],
        stacks: [{ name: 'labelled-bot', model: 'local-extractive', prompt: 'labelled@production' }],
      },
    });
    expect(answer.status).toBe(200);
    expect((await harness.api('GET', '/api/stacks/labelled-bot')).body.versions[0].spec.prompt).toEqual({
      name: 'labelled',
      version: 1,
    });
  });

  it('POST /api/guard/policies names the bad field in param and details, like every other route', async () => {
    const answer = await harness.api('POST', '/api/guard/policies', {
      name: 'p',
      rules: [{ scanner: 'pii', stage: 'input', action: 'block', threshold: 2 }],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      message: 'rules[0].threshold: Too big: expected number to be <=1',
      param: 'rules[0].threshold',
      details: [{ path: 'rules[0].threshold', message: 'Too big: expected number to be <=1' }],
    });
    expect((await harness.api('GET', '/api/guard/policies')).body.data).toEqual([]);
  });

  it('names the rule that drops outside the context stage or reverses what cannot be given back', async () => {
    const good = { scanner: 'injection', stage: 'input', action: 'block' };
    for (const [bad, param, message] of [
      [
        { scanner: 'pii', stage: 'input', action: 'drop' },
        'rules[1].action',
        'rules[1] (pii, input): "drop" applies to retrieved context only',
      ],
      [
        { scanner: 'pii', stage: 'output', action: 'redact', reversible: true },
        'rules[1].reversible',
        'rules[1] (pii, output): "reversible" applies to "redact" at the input stage only',
      ],
    ] as const) {
      const answer = await harness.api('POST', '/api/guard/policies', { name: 'p', rules: [good, bad] });
      expect(answer.status).toBe(400);
      expect(answer.body.error.param).toBe(param);
      expect(answer.body.error.message).toMatch(new RegExp(`^${message.replace(/[[\]().]/g, '\\$&')}`));
    }
    expect((await harness.api('GET', '/api/guard/policies')).body.data).toEqual([]);
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

  // A file that reverts a policy to the content its stack already pins creates a policy version,
  // but no stack version: the stack's fingerprint is over the policy's content, which is back to
  // what the stack has. The dry run promised a new stack version and its deployment.
  it('plans what apply does when the document brings a policy back to what its stack pins', async () => {
    const original = { name: 'revert', rules: [{ scanner: 'pii', stage: 'output', action: 'redact' }] };
    const document = {
      guard_policies: [original],
      stacks: [{ name: 'revert-bot', model: 'local-extractive', guard: 'revert' }],
      deployments: [{ stack: 'revert-bot', environment: 'production', version: 'latest' }],
    };
    expect((await harness.api('POST', '/api/apply', { document })).status).toBe(200);
    const edited = await harness.api('POST', '/api/guard/policies', {
      ...original,
      rules: [{ scanner: 'pii', stage: 'output', action: 'block' }],
    });
    expect(edited.body.version).toBe(2);
    const summary = (changes: Array<{ kind: string; action: string; version: number }>) =>
      changes.map((change) => `${change.kind}:${change.action}:${change.version}`);
    const planned = await harness.api('POST', '/api/apply', { document, dry_run: true });
    const applied = await harness.api('POST', '/api/apply', { document });
    expect(summary(applied.body.changes)).toEqual([
      'guard_policy:created:3',
      'stack:unchanged:1',
      'deployment:unchanged:1',
    ]);
    expect(summary(planned.body.changes)).toEqual(summary(applied.body.changes));
  });
});
