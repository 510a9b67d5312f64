/**
 * A guard policy with several mistakes is refused with every mistake at once — by
 * `POST /api/guard/policies`, by `stackops apply` and by the `--config` file at start — and
 * each names its field one way, indexes in brackets (`rules[2].action`), as
 * /work/shared/STYLE.md asks ("Validate once at start, print every problem"). Nothing is
 * stored when anything is wrong.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, startServer } from '../../src/server/index.js';
import { type Harness, startHarness } from '../helpers/harness.js';

/** Three mistakes the schema accepts: each rule's own check finds one. */
const threeRuleMistakes = {
  name: 'three-mistakes',
  rules: [
    { scanner: 'injection', stage: 'input', action: 'block' },
    { scanner: 'pii', stage: 'input', action: 'drop' },
    { scanner: 'nope', stage: 'input', action: 'block' },
    { scanner: 'pii', stage: 'input', action: 'flag', types: ['NOT_A_TYPE'] },
  ],
};

describe('every problem of a guard policy at once', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({});
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('POST /api/guard/policies lists every bad rule, the first in param, and stores nothing', async () => {
    const answer = await harness.api('POST', '/api/guard/policies', threeRuleMistakes);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_request');
    expect(answer.body.error.param).toBe('rules[1].action');
    expect(answer.body.error.details.map((problem: { path: string }) => problem.path)).toEqual([
      'rules[1].action',
      'rules[2].scanner',
      'rules[3].types',
    ]);
    expect(answer.body.error.message.split('; ')).toHaveLength(3);
    expect(answer.body.error.message).toContain(
      'rules[1] (pii, input): "drop" applies to retrieved context only',
    );
    expect(answer.body.error.message).toContain('rules[2] (nope, input): Unknown scanner "nope"');
    expect(answer.body.error.message).toContain('rules[3] (pii, input): types: "NOT_A_TYPE"');
    expect((await harness.api('GET', '/api/guard/policies')).body.data).toEqual([]);
  });

  it('answers a policy name past the path limit, or a malformed path, in the API error shape', async () => {
    for (const [path, status] of [
      [`/api/guard/policies/${'x'.repeat(3000)}`, 414],
      ['/api/guard/policies/%E0%A4%A', 400],
    ] as const) {
      const answer = await harness.api('GET', path);
      expect(answer.status).toBe(status);
      expect(answer.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_request' });
    }
  });

  it('refuses a scanner named like an Object.prototype key as unknown (a 400, not a 500)', async () => {
    const answer = await harness.api('POST', '/api/guard/policies', {
      name: 'prototype-names',
      rules: ['constructor', 'toString', '__proto__'].map((scanner) => ({
        scanner,
        stage: 'output',
        action: 'redact',
      })),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'invalid_request', param: 'rules[0].scanner' });
    expect(answer.body.error.details.map((problem: { path: string }) => problem.path)).toEqual([
      'rules[0].scanner',
      'rules[1].scanner',
      'rules[2].scanner',
    ]);
    expect(answer.body.error.message).toContain('rules[1] (toString, output): Unknown scanner "toString"');
    expect((await harness.api('GET', '/api/guard/policies')).body.data).toEqual([]);
  });

  it('reports a schema mistake and the other rules’ mistakes together, with bracketed indexes', async () => {
    const answer = await harness.api('POST', '/api/guard/policies', {
      name: 'mixed',
      rules: [
        { scanner: 'pii', stage: 'input', action: 'block', threshold: 2 },
        { scanner: 'pii', stage: 'output', action: 'redact', reversible: true },
        { scanner: 'words', stage: 'input', action: 'block', options: { terms: ['ok', ''] } },
      ],
      hold_back_chars: -1,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.param).toBe('rules[0].threshold');
    expect(answer.body.error.details).toEqual([
      {
        path: 'rules[0].threshold',
        message: 'Too big: expected number to be <=1',
        line: 'rules[0].threshold: Too big: expected number to be <=1',
      },
      {
        path: 'hold_back_chars',
        message: 'Too small: expected number to be >=0',
        line: 'hold_back_chars: Too small: expected number to be >=0',
      },
      {
        path: 'rules[1].reversible',
        message:
          '"reversible" applies to "redact" at the input stage only (the caller\'s values, restored in the answer)',
        line: 'rules[1] (pii, output): "reversible" applies to "redact" at the input stage only (the caller\'s values, restored in the answer)',
      },
      {
        path: 'rules[2].options.terms[1]',
        message: 'options.terms[1]: a term must not be blank',
        line: 'rules[2] (words, input): options.terms[1]: a term must not be blank',
      },
    ]);
    expect((await harness.api('GET', '/api/guard/policies')).body.data).toEqual([]);
  });

  it('a condition naming a scanner no other rule runs is reported beside the other mistakes', async () => {
    const answer = await harness.api('POST', '/api/guard/policies', {
      name: 'conditions',
      rules: [
        { scanner: 'pii', stage: 'input', action: 'drop' },
        {
          scanner: 'toxicity',
          stage: 'input',
          action: 'block',
          when: { scanner: 'injection', min_score: 0.2 },
        },
      ],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details.map((problem: { path: string }) => problem.path)).toEqual([
      'rules[0].action',
      'rules[1].when.scanner',
    ]);
  });

  it.each([
    ['injection', 'input', { disguisedharm: false }, 'rules[0].options.disguisedharm'],
    ['injection', 'input', { suffix: 'no' }, 'rules[0].options.suffix'],
    ['pii', 'input', { strict: true }, 'rules[0].options.strict'],
    ['regex', 'input', { patterns: [{ name: 'X', pattern: 'x' }], flags: 'i' }, 'rules[0].options.flags'],
    ['words', 'input', { terms: ['x'], wholeWord: true }, 'rules[0].options.wholeWord'],
    [
      'remote',
      'input',
      { kind: 'llama-guard', baseUrl: 'http://127.0.0.1:9/v1', model: 'm', url: 'x' },
      'rules[0].options.url',
    ],
  ])(
    'a misspelt or mistyped %s option is named in param down to the option',
    async (scanner, stage, options, param) => {
      const answer = await harness.api('POST', '/api/guard/policies', {
        name: 'options',
        rules: [{ scanner, stage, action: 'flag', options }],
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error.param).toBe(param);
    },
  );

  it('stackops apply lists every mistake of every policy and stores nothing', async () => {
    const answer = await harness.api('POST', '/api/apply', {
      document: {
        guard_policies: [
          threeRuleMistakes,
          { name: 'second', rules: [{ scanner: 'pii', stage: 'output', action: 'redact', threshold: 7 }] },
          { name: 'fine', rules: [{ scanner: 'pii', stage: 'output', action: 'redact' }] },
        ],
        prompts: [{ name: 'fresh', messages: [{ role: 'user', content: '{{input}}' }] }],
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.param).toBe('guard_policies[0].rules[1].action');
    expect(answer.body.error.details.map((problem: { path: string }) => problem.path)).toEqual([
      'guard_policies[0].rules[1].action',
      'guard_policies[0].rules[2].scanner',
      'guard_policies[0].rules[3].types',
      'guard_policies[1].rules[0].threshold',
    ]);
    expect(answer.body.error.message).toContain(
      'guard_policies[0] (three-mistakes): rules[2] (nope, input): Unknown scanner "nope"',
    );
    expect(answer.body.error.message).toContain(
      'guard_policies[1] (second): rules[0].threshold: Too big: expected number to be <=1',
    );
    expect((await harness.api('GET', '/api/guard/policies')).body.data).toEqual([]);
    expect((await harness.api('GET', '/api/prompts/fresh')).status).toBe(404);
  });

  it('stackops apply lists every reference that does not resolve, not only the first', async () => {
    const document = {
      guard_policies: [{ name: 'fine', rules: [{ scanner: 'pii', stage: 'output', action: 'redact' }] }],
      stacks: [
        { name: 'first-bot', model: 'local-extractive', guard: 'fine@9' },
        { name: 'second-bot', model: 'local-extractive', prompt: 'missing-prompt' },
        { name: 'third-bot', model: 'local-extractive', guard: 'fine@production' },
      ],
      deployments: [
        { stack: 'first-bot', environment: 'production', version: 'latest' },
        { stack: 'nowhere', environment: 'production', version: 'latest' },
      ],
    };
    for (const dryRun of [true, false]) {
      const answer = await harness.api('POST', '/api/apply', { document, dry_run: dryRun });
      // The first problem decides the status and code, as a single one always did.
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe('not_found');
      expect(answer.body.error.param).toBe('stacks[0].guard');
      expect(answer.body.error.details.map((problem: { path: string }) => problem.path)).toEqual([
        'stacks[0].guard',
        'stacks[1].prompt',
        'stacks[2].guard',
        'deployments[1].stack',
      ]);
      expect(answer.body.error.message).toContain(
        'stacks[0] (first-bot): Guard policy "fine" version 9 not found',
      );
      expect(answer.body.error.message).toContain(
        'stacks[1] (second-bot): Prompt "missing-prompt" not found',
      );
      expect(answer.body.error.message).toContain(
        'deployments[1] (nowhere/production): Stack "nowhere" not found',
      );
    }
    expect((await harness.api('GET', '/api/guard/policies')).body.data).toEqual([]);
    expect((await harness.api('GET', '/api/stacks/first-bot')).status).toBe(404);
  });

  it('a misspelt section of an apply document is refused, not silently skipped', async () => {
    const answer = await harness.api('POST', '/api/apply', {
      document: {
        guard_policy: [{ name: 'typo', rules: [{ scanner: 'pii', stage: 'output', action: 'redact' }] }],
        stack: [{ name: 'typo-bot', model: 'local-extractive' }],
        // The sections of a server config file are allowed: `apply -f` takes that file too.
        server: { port: 7300 },
        providers: [],
        models: [],
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details.map((problem: { path: string }) => problem.path)).toEqual([
      'guard_policy',
      'stack',
    ]);
    expect(answer.body.error.message).toContain(
      'guard_policy: unknown section (did you mean guard_policies?)',
    );
    expect((await harness.api('GET', '/api/guard/policies')).body.data).toEqual([]);
  });

  it('a body that is not an object is named (root), with a null param', async () => {
    const policy = await harness.api('POST', '/api/guard/policies', [1]);
    expect(policy.status).toBe(400);
    expect(policy.body.error.param).toBeNull();
    expect(policy.body.error.message).toBe('(root): Invalid input: expected object, received array');
    const applied = await harness.api('POST', '/api/apply', { document: [1] });
    expect(applied.status).toBe(400);
    expect(applied.body.error.param).toBeNull();
    expect(applied.body.error.message).toBe(
      'Invalid document: (root): Invalid input: expected object, received array',
    );
  });

  it('a policy without a name is reported once, as itself, not as "undefined" declared twice', async () => {
    const answer = await harness.api('POST', '/api/apply', {
      document: {
        guard_policies: [{ rules: [{ scanner: 'pii', stage: 'input', action: 'flag' }] }, { rules: [] }],
      },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).not.toContain('(undefined)');
    expect(answer.body.error.message).not.toContain('declared twice');
    expect(answer.body.error.details.map((problem: { path: string }) => problem.path)).toEqual([
      'guard_policies[0].name',
      'guard_policies[1].name',
      'guard_policies[1].rules',
    ]);
    expect(answer.body.error.message).toContain('guard_policies[1]: rules: a policy needs at least one rule');
  });

  it('an apply document’s own schema mistakes name their fields with bracketed indexes', async () => {
    const answer = await harness.api('POST', '/api/apply', {
      document: { stacks: [{ name: 'a', model: 'local-extractive', bogus: 1 }, { name: 'b' }] },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.param).toBe('stacks[0]');
    expect(answer.body.error.details.map((problem: { path: string }) => problem.path)).toEqual([
      'stacks[0]',
      'stacks[1].model',
    ]);
    expect(answer.body.error.message).toContain('stacks[1].model: ');
  });
  // Last: it stores a policy, and the tests above check that nothing is stored.
  it('a condition below the weakest injection score reported is refused, as docs/guardrails.md says it needs minScore', async () => {
    const remote = {
      scanner: 'remote',
      stage: 'input',
      action: 'block',
      options: { kind: 'llama-guard', baseUrl: 'http://127.0.0.1:9/v1', model: 'guard' },
    };
    const rules = (injectionOptions: Record<string, unknown> | undefined, minScore: number) => [
      {
        scanner: 'injection',
        stage: 'input',
        action: 'block',
        ...(injectionOptions && { options: injectionOptions }),
      },
      { ...remote, when: { scanner: 'injection', min_score: minScore } },
    ];
    // Without minScore the injection scanner reports nothing under 0.2: a 0.05 condition
    // would silently behave as 0.2.
    const refused = await harness.api('POST', '/api/guard/policies', {
      name: 'faint',
      rules: rules(undefined, 0.05),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.param).toBe('rules[1].when.min_score');
    expect(refused.body.error.message).toMatch(
      /^rules\[1\] \(remote, input\): when\.min_score 0\.05 .*minScore/,
    );
    expect((await harness.api('GET', '/api/guard/policies')).body.data).toEqual([]);
    for (const [options, minScore] of [
      [{ minScore: 0.01 }, 0.05],
      [undefined, 0.2],
      [undefined, 0],
    ] as const) {
      const accepted = await harness.api('POST', '/api/guard/policies', {
        name: 'faint',
        rules: rules(options, minScore),
      });
      expect(accepted.status).toBeLessThan(300);
    }
  });
});

describe('every problem of the --config file at once', () => {
  const directories: string[] = [];
  const temporary = () => {
    const directory = mkdtempSync(join(tmpdir(), 'stackops-problems-'));
    directories.push(directory);
    return directory;
  };
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });
  const adminKey = 'sk-so-test-problems-000000000000';

  async function startError(configFile: unknown, dataDir = temporary()): Promise<ConfigError> {
    try {
      const server = await startServer({
        settings: { port: 0, dataDir, adminKey },
        configFile,
        env: {},
        quiet: true,
      });
      await server.close();
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error('the server started');
  }

  it('refuses to start, printing each mistake of each guard policy on its own line', async () => {
    const error = await startError({
      guard_policies: [threeRuleMistakes],
      stacks: [{ name: 'bot', model: 'local-extractive', guard: 'three-mistakes' }],
    });
    expect(error.problems).toEqual([
      'config: guard_policies[0] (three-mistakes): rules[1] (pii, input): "drop" applies to retrieved context only',
      expect.stringMatching(
        /^config: guard_policies\[0\] \(three-mistakes\): rules\[2\] \(nope, input\): Unknown scanner "nope"/,
      ),
      expect.stringMatching(
        /^config: guard_policies\[0\] \(three-mistakes\): rules\[3\] \(pii, input\): types: "NOT_A_TYPE"/,
      ),
    ]);
  });

  it('names the config file’s own fields with bracketed indexes', async () => {
    const wrongType = await startError({ providers: [{ name: 'p', type: 'no-such-type' }] });
    expect(wrongType.problems).toEqual([expect.stringMatching(/^config: providers\[0\]\.type: /)]);
    const unknownProvider = await startError({ models: [{ name: 'm', provider: 'q' }] });
    expect(unknownProvider.problems).toEqual(['config: models[0].provider: unknown provider "q"']);
  });

  it('a first start refused for its config file leaves no unseen admin key behind', async () => {
    // The admin key is generated at the first start and printed once, in the banner of a
    // server that runs; a start that fails must not keep one nobody saw.
    const dataDir = temporary();
    const bad = { guard_policies: [threeRuleMistakes] };
    await expect(
      startServer({ settings: { port: 0, dataDir }, configFile: bad, env: {}, quiet: true }),
    ).rejects.toThrow(ConfigError);
    const good = {
      guard_policies: [{ name: 'fixed', rules: [{ scanner: 'pii', stage: 'output', action: 'redact' }] }],
    };
    const server = await startServer({
      settings: { port: 0, dataDir },
      configFile: good,
      env: {},
      quiet: true,
    });
    try {
      expect(server.adminKeyGenerated).toBe(true);
      const answer = await fetch(`${server.url}/api/guard/policies`, {
        headers: { authorization: `Bearer ${server.adminKey}` },
      });
      expect(answer.status).toBe(200);
      expect(
        ((await answer.json()) as { data: Array<{ name: string }> }).data.map((policy) => policy.name),
      ).toEqual(['fixed']);
    } finally {
      await server.close();
    }
  });

  it('refuses a config file with a misspelt section instead of starting without it', async () => {
    const error = await startError({
      guard_policy: [{ name: 'typo', rules: [{ scanner: 'pii', stage: 'output', action: 'redact' }] }],
      provider: [],
    });
    expect(error.problems).toEqual([
      'config: guard_policy: unknown section (did you mean guard_policies?)',
      'config: provider: unknown section (did you mean providers?)',
    ]);
  });

  it('applies a file that declares only guard policies', async () => {
    const dataDir = temporary();
    const server = await startServer({
      settings: { port: 0, dataDir, adminKey },
      configFile: {
        guard_policies: [{ name: 'only', rules: [{ scanner: 'pii', stage: 'output', action: 'redact' }] }],
      },
      env: {},
      quiet: true,
    });
    try {
      const answer = await fetch(`${server.url}/api/guard/policies`, {
        headers: { authorization: `Bearer ${adminKey}` },
      });
      const body = (await answer.json()) as { data: Array<{ name: string }> };
      expect(body.data.map((policy) => policy.name)).toEqual(['only']);
    } finally {
      await server.close();
    }
  });
});
