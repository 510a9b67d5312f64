/**
 * Model Stacks end to end, on SQLite and on Postgres: prompts, adapters, stack versions,
 * deployments and rollbacks through the REST API, resolution in the gateway, lineage on
 * every trace, atomic switches under load, and clear 4xx errors that change nothing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../fakes/fake-openai-server.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const supportPrompt = (system: string, extra: Record<string, unknown> = {}) => ({
  name: 'support',
  messages: [
    { role: 'system', content: system },
    { role: 'user', content: '{{input}}' },
  ],
  variables: { product: { default: 'StackOps' } },
  ...extra,
});

describe.each(['sqlite', 'postgres'] as const)('stacks on %s', (backend) => {
  let fake: FakeOpenAIServer;
  let harness: Harness;

  beforeAll(async () => {
    fake = await startFakeOpenAIServer();
    harness = await startHarness(
      {
        providers: [{ name: 'vllm', type: 'openai-compatible', base_url: fake.url }],
        models: [
          {
            name: 'qwen-max',
            provider: 'vllm',
            upstream_model: 'Qwen/Qwen2.5-7B-Instruct',
            pricing: { input_per_mtok: 1, output_per_mtok: 2 },
          },
          { name: 'embedder', provider: 'vllm', kind: 'embedding' },
        ],
      },
      { backend },
    );
  });
  afterAll(async () => {
    await harness?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  const chat = (
    model: string,
    content: string,
    extra: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) =>
    harness.client.chat.completions
      .create({ model, messages: [{ role: 'user', content }], ...extra } as never, { headers })
      .withResponse();

  it('traces every request to the exact versions: deploy v1 → v2 → rollback', async () => {
    const v1 = await harness.api(
      'POST',
      '/api/prompts',
      supportPrompt('You support {{product}} for {{customer}}.'),
    );
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ name: 'support', version: 1, created: true });
    const adapter = await harness.api('POST', '/api/adapters', {
      name: 'tone',
      base_model: 'qwen-max',
      upstream_adapter: 'tone-lora-v2',
      metadata: { dataset: 'support-dialogs-2026-10', trained_at: '2026-11-01' },
    });
    expect(adapter.status).toBe(201);
    // The same spec twice: version 2 comes from the prompt's new latest version alone.
    const supportBot = {
      name: 'support-bot',
      model: 'qwen-max',
      adapter: 'tone',
      prompt: 'support',
      params: { temperature: 0.2, max_tokens: 512 },
    };
    const stack1 = await harness.api('POST', '/api/stacks', supportBot);
    expect(stack1.status).toBe(201);
    expect(stack1.body).toMatchObject({ version: 1, lineage: 'qwen-max + lora:tone@1 + prompt:support@1' });
    expect(
      (await harness.api('POST', '/api/stacks/support-bot/deploy', { environment: 'production', version: 1 }))
        .status,
    ).toBe(200);

    const first = await chat('support-bot', 'Where is my order?', { variables: { customer: 'ACME' } });
    expect(first.response.headers.get('x-stackops-stack')).toBe('support-bot@1');
    const sent = fake.requests[0]!.body as Record<string, any>;
    expect(sent.model).toBe('tone-lora-v2');
    expect(sent.variables).toBeUndefined();
    expect(sent.messages).toEqual([
      { role: 'system', content: 'You support StackOps for ACME.' },
      { role: 'user', content: 'Where is my order?' },
    ]);
    expect(sent).toMatchObject({ temperature: 0.2, max_tokens: 512 });

    await harness.api(
      'POST',
      '/api/prompts',
      supportPrompt('You are the {{product}} assistant for {{customer}}. Be brief.'),
    );
    const stack2 = await harness.api('POST', '/api/stacks', supportBot);
    expect(stack2.body).toMatchObject({ version: 2, created: true });
    expect(stack2.body.fingerprint).not.toBe(stack1.body.fingerprint);
    const deployed = await harness.api('POST', '/api/stacks/support-bot/deploy', {
      environment: 'production',
      version: 'latest',
    });
    expect(deployed.body).toMatchObject({ from_version: 1, to_version: 2, action: 'deploy' });
    const second = await chat('support-bot', 'Still waiting', { variables: { customer: 'ACME' } });
    expect(second.response.headers.get('x-stackops-stack')).toBe('support-bot@2');

    const rolledBack = await harness.api('POST', '/api/stacks/support-bot/rollback', {
      environment: 'production',
    });
    expect(rolledBack.body).toMatchObject({ from_version: 2, to_version: 1, action: 'rollback' });
    const third = await chat('support-bot', 'Hello again', { variables: { customer: 'ACME' } });
    expect(third.response.headers.get('x-stackops-stack')).toBe('support-bot@1');

    const expectations = [
      [first, 1, stack1.body.fingerprint, 'support@1'],
      [second, 2, stack2.body.fingerprint, 'support@2'],
      [third, 1, stack1.body.fingerprint, 'support@1'],
    ] as const;
    for (const [result, version, fingerprint, prompt] of expectations) {
      const trace = await harness.trace(result.response.headers.get('x-stackops-trace-id')!);
      expect(trace).toMatchObject({ stack: 'support-bot', stack_version: version, status: 'ok' });
      expect(trace.attributes).toMatchObject({
        'stackops.stack': 'support-bot',
        'stackops.stack.version': version,
        'stackops.stack.fingerprint': fingerprint,
        'stackops.environment': 'production',
        'stackops.prompt.version': prompt,
        'stackops.adapter': 'tone@1',
      });
    }
    const filtered = await harness.api('GET', '/api/traces?stack=support-bot&stack_version=1');
    expect(filtered.body.data).toHaveLength(2);
    const audit = await harness.api('GET', '/api/audit?limit=200');
    const actions = audit.body.data.map((entry: { action: string }) => entry.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'prompt.push',
        'adapter.create',
        'stack.create',
        'stack.deploy',
        'stack.rollback',
      ]),
    );
    const history = await harness.api('GET', '/api/stacks/support-bot/history?environment=production');
    expect(
      history.body.data.map(
        (event: { action: string; to_version: number }) => `${event.action}:${event.to_version}`,
      ),
    ).toEqual(['rollback:1', 'deploy:2', 'deploy:1']);
  });

  it('pins versions with name@N, picks environments by header and keeps the conversation', async () => {
    await harness.api('POST', '/api/stacks/support-bot/deploy', { environment: 'staging', version: 2 });
    const pinned = await chat('support-bot@2', 'pinned', { variables: { customer: 'X' } });
    expect(pinned.response.headers.get('x-stackops-stack')).toBe('support-bot@2');
    const staging = await chat(
      'support-bot',
      'staging',
      { variables: { customer: 'X' } },
      { 'x-stackops-environment': 'staging' },
    );
    expect(staging.response.headers.get('x-stackops-stack')).toBe('support-bot@2');
    const stagingTrace = await harness.trace(staging.response.headers.get('x-stackops-trace-id')!);
    expect(stagingTrace.attributes['stackops.environment']).toBe('staging');

    await harness.client.chat.completions.create({
      model: 'support-bot',
      messages: [
        { role: 'user', content: 'first question' },
        { role: 'assistant', content: 'first answer' },
        { role: 'user', content: 'follow-up' },
      ],
      variables: { customer: 'Y' },
    } as never);
    const sent = fake.requests.at(-1)!.body as { messages: unknown[] };
    expect(sent.messages).toEqual([
      { role: 'system', content: 'You support StackOps for Y.' },
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: 'first answer' },
      { role: 'user', content: 'follow-up' },
    ]);
    // plain model names still work
    const plain = await chat('qwen-max', 'plain');
    expect(plain.response.headers.get('x-stackops-stack')).toBeNull();
  });

  it('gives the same fingerprint to the same components and creates nothing when unchanged', async () => {
    const again = await harness.api('POST', '/api/stacks', {
      name: 'support-bot',
      model: 'qwen-max',
      adapter: 'tone@1',
      prompt: 'support@2',
      params: { max_tokens: 512, temperature: 0.2 },
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ version: 2, created: false });
    const twin = await harness.api('POST', '/api/stacks', {
      name: 'support-twin',
      model: 'qwen-max',
      adapter: 'tone',
      prompt: 'support@2',
      params: { temperature: 0.2, max_tokens: 512 },
    });
    expect(twin.status).toBe(201);
    expect(twin.body.fingerprint).toBe(again.body.fingerprint);
    const diff = await harness.api('GET', '/api/stacks/support-bot/diff?from=1&to=2');
    expect(diff.body.changes).toEqual([{ component: 'prompt', from: 'support@1', to: 'support@2' }]);
    expect(diff.body.prompt_diff).toContain('+You are the {{product}} assistant for {{customer}}. Be brief.');
  });

  it('answers bad input with a clear 4xx and changes nothing', async () => {
    const before = await harness.api('GET', '/api/stacks/support-bot');
    const prompts = await harness.api('GET', '/api/prompts/support');

    await expect(chat('no-such-stack@3', 'x')).rejects.toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
    await expect(chat('support-bot@99', 'x', { variables: { customer: 'X' } })).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('has no version 99'),
    });
    await expect(chat('support-bot', 'x')).rejects.toMatchObject({
      status: 400,
      param: 'variables.customer',
      message: expect.stringContaining('"customer"'),
    });
    await expect(
      chat('support-bot', 'x', { variables: { customer: 'X' } }, { 'x-stackops-environment': 'qa' }),
    ).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('not deployed in environment "qa"'),
    });

    const malformed = await harness.api('POST', '/api/prompts', supportPrompt('Hello {{product'));
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/never closed/);
    const unknownModel = await harness.api('POST', '/api/stacks', { name: 'x-bot', model: 'gpt-nothing' });
    expect(unknownModel.status).toBe(404);
    expect(unknownModel.body.error.param).toBe('model');
    const rejected: Array<[method: string, path: string, body: unknown, status: number]> = [
      ['POST', '/api/stacks', { name: 'qwen-max', model: 'qwen-max' }, 409],
      ['POST', '/api/stacks', { name: 'x-bot', model: 'embedder' }, 400],
      ['POST', '/api/stacks', { name: 'x-bot', model: 'qwen-max', prompt: 'ghost@2' }, 404],
      ['POST', '/api/stacks', { name: 'x-bot', model: 'qwen-max', adapter: 'ghost' }, 404],
      ['POST', '/api/stacks', { name: 'bad@name', model: 'qwen-max' }, 400],
      ['POST', '/api/stacks/support-bot/deploy', { environment: 'production', version: 42 }, 404],
      ['POST', '/api/stacks/support-bot/deploy', { environment: 'Prod Env', version: 1 }, 400],
      ['POST', '/api/stacks/support-twin/rollback', { environment: 'production' }, 409],
      ['PUT', '/api/prompts/support/labels/latest', { version: 1 }, 400],
      ['PUT', '/api/prompts/support/labels/production', { version: 77 }, 404],
    ];
    for (const [method, path, body, status] of rejected) {
      const response = await harness.api(method, path, body);
      expect({ method, path, body, status: response.status }).toEqual({ method, path, body, status });
    }

    expect((await harness.api('GET', '/api/stacks/support-bot')).body).toEqual(before.body);
    expect((await harness.api('GET', '/api/prompts/support')).body).toEqual(prompts.body);
    expect((await harness.api('GET', '/api/stacks/x-bot')).status).toBe(404);
  });

  it('switches atomically under concurrent load: every answer is entirely v1 or entirely v2', async () => {
    const versions = [
      { version: 1, mark: 'MARK-ONE', temperature: 0.1 },
      { version: 2, mark: 'MARK-TWO', temperature: 0.9 },
    ];
    for (const { version, mark, temperature } of versions) {
      await harness.api('POST', '/api/prompts', {
        name: 'atomic',
        messages: [
          { role: 'system', content: mark },
          { role: 'user', content: '{{input}}' },
        ],
      });
      await harness.api('POST', '/api/stacks', {
        name: 'atomic-bot',
        model: 'qwen-max',
        prompt: `atomic@${version}`,
        params: { temperature },
      });
    }
    await harness.api('POST', '/api/stacks/atomic-bot/deploy', { environment: 'production', version: 1 });
    const expected = Object.fromEntries(versions.map((entry) => [`atomic-bot@${entry.version}`, entry]));

    const results: Array<{ id: string; served: string | null }> = [];
    let counter = 0;
    const worker = async () => {
      for (let index = 0; index < 40; index++) {
        const id = `request-${counter++}`;
        const { response } = await chat('atomic-bot', id);
        results.push({ id, served: response.headers.get('x-stackops-stack') });
      }
    };
    const switcher = async () => {
      for (const version of [2, 1, 2, 1, 2]) {
        await new Promise((resolve) => setTimeout(resolve, 15));
        const deployed = await harness.api('POST', '/api/stacks/atomic-bot/deploy', {
          environment: 'production',
          version,
        });
        expect(deployed.status).toBe(200);
      }
    };
    await Promise.all([worker(), worker(), worker(), worker(), worker(), switcher()]);

    expect(results).toHaveLength(200);
    const byText = new Map(
      fake.requests
        .map(
          (request) =>
            request.body as { messages: Array<{ role: string; content: string }>; temperature: number },
        )
        .map((body) => [body.messages.at(-1)!.content, body]),
    );
    const seen = new Set<string>();
    for (const result of results) {
      const upstream = byText.get(result.id)!;
      const expectation = expected[result.served ?? '']!;
      expect(upstream.messages[0]!.content).toBe(expectation.mark);
      expect(upstream.temperature).toBe(expectation.temperature);
      seen.add(result.served!);
    }
    expect(seen).toEqual(new Set(['atomic-bot@1', 'atomic-bot@2']));
  });

  it('applies a declarative document idempotently', async () => {
    const document = {
      prompts: [supportPrompt('Declared for {{product}}.', { name: 'declared' })],
      adapters: [{ name: 'declared-tone', base_model: 'qwen-max', upstream_adapter: 'declared-lora' }],
      stacks: [
        {
          name: 'declared-bot',
          model: 'qwen-max',
          adapter: 'declared-tone',
          prompt: 'declared',
          params: { temperature: 0 },
        },
      ],
      deployments: [{ stack: 'declared-bot', environment: 'production', version: 'latest' }],
    };
    const first = await harness.api('POST', '/api/apply', { document });
    expect(first.status).toBe(200);
    expect(first.body.changes.map((change: { action: string }) => change.action)).toEqual([
      'created',
      'created',
      'created',
      'deployed',
    ]);
    const second = await harness.api('POST', '/api/apply', { document });
    expect(second.body.changes.map((change: { action: string }) => change.action)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    const changed = {
      ...document,
      prompts: [supportPrompt('Declared, revised, for {{product}}.', { name: 'declared' })],
    };
    const planSame = await harness.api('POST', '/api/apply', { document, dry_run: true });
    expect(planSame.body.changes.map((change: { action: string }) => change.action)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
    const planChanged = await harness.api('POST', '/api/apply', { document: changed, dry_run: true });
    expect(
      planChanged.body.changes.map(
        (change: { action: string; version: number }) => `${change.action}:${change.version}`,
      ),
    ).toEqual(['created:2', 'unchanged:1', 'created:2', 'deployed:2']);
    expect((await harness.api('GET', '/api/prompts/declared')).body.latest_version).toBe(1);
    const third = await harness.api('POST', '/api/apply', { document: changed });
    expect(third.body.changes).toEqual([
      expect.objectContaining({ kind: 'prompt', action: 'created', version: 2 }),
      expect.objectContaining({ kind: 'adapter', action: 'unchanged', version: 1 }),
      expect.objectContaining({ kind: 'stack', action: 'created', version: 2 }),
      expect.objectContaining({ kind: 'deployment', action: 'deployed', version: 2 }),
    ]);
    const { response } = await chat('declared-bot', 'hi');
    expect(response.headers.get('x-stackops-stack')).toBe('declared-bot@2');

    const invalid = await harness.api('POST', '/api/apply', {
      document: {
        prompts: [supportPrompt('ok', { name: 'fresh' }), supportPrompt('bad {{', { name: 'fresh2' })],
      },
    });
    expect(invalid.status).toBe(400);
    expect((await harness.api('GET', '/api/prompts/fresh')).status).toBe(404);
  });

  it('plans and applies a guard policy like the other components', async () => {
    const policy = { name: 'declared-guard', rules: [{ scanner: 'pii', stage: 'output', action: 'redact' }] };
    const apply = async (document: unknown, dryRun: boolean) =>
      (await harness.api('POST', '/api/apply', { document, dry_run: dryRun })).body.changes.map(
        (change: { action: string; version: number }) => `${change.action}:${change.version}`,
      );
    expect(await apply({ guard_policies: [policy] }, true)).toEqual(['created:1']);
    expect(await apply({ guard_policies: [policy] }, false)).toEqual(['created:1']);
    expect(await apply({ guard_policies: [policy] }, true)).toEqual(['unchanged:1']);
    const revised = { ...policy, hold_back_chars: 8 };
    expect(await apply({ guard_policies: [revised] }, true)).toEqual(['created:2']);
    // The scan-length settings: the default stated explicitly is no change, a new cap is.
    expect(await apply({ guard_policies: [{ ...policy, max_scan_chars: 100_000 }] }, true)).toEqual([
      'unchanged:1',
    ]);
    expect(await apply({ guard_policies: [{ ...policy, max_scan_chars: 20_000 }] }, true)).toEqual([
      'created:2',
    ]);
    expect(await apply({ guard_policies: [{ ...policy, oversize: 'flag' }] }, true)).toEqual(['created:2']);
  });
});
