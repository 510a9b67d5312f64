/**
 * Escalation to a remote guard model through the real server: a policy whose Llama Guard rule
 * waits for a local scanner (`when`), a fake guard model over real HTTP that counts its calls,
 * the gateway's verdicts and the guard span's `skipped` entry; and the remote scanner's
 * options as a policy sets them (unknown keys refused, the key read from an environment
 * variable and never stored).
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGuardModelServer, startFakeGuardModelServer } from '../fakes/fake-guard-model-server.js';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../fakes/fake-openai-server.js';
import { type Harness, startHarness } from '../helpers/harness.js';

let upstream: FakeOpenAIServer;
let guardModel: FakeGuardModelServer;
let harness: Harness;

beforeAll(async () => {
  upstream = await startFakeOpenAIServer();
  guardModel = await startFakeGuardModelServer();
  harness = await startHarness({
    providers: [{ name: 'vllm', type: 'openai-compatible', base_url: upstream.url }],
    models: [{ name: 'qwen-max', provider: 'vllm' }],
  });
});
afterAll(async () => {
  await harness?.close();
  await guardModel?.close();
  await upstream?.close();
  delete process.env.STACKOPS_GUARD_TEST_KEY;
});
beforeEach(() => {
  upstream.reset();
  guardModel.reset();
});

const llamaGuard = () => ({
  kind: 'llama-guard',
  baseUrl: guardModel.url,
  model: 'meta-llama/Llama-Guard-3-8B',
  timeoutMs: 2000,
  failMode: 'closed',
});

describe('escalation to a remote guard model (`when`)', () => {
  it('calls the guard model only for what the local scanner found, and traces the skip', async () => {
    const created = await harness.api('POST', '/api/guard/policies', {
      name: 'escalating',
      rules: [
        { scanner: 'words', stage: 'input', action: 'flag', options: { terms: ['bomb', 'explosive'] } },
        {
          scanner: 'remote',
          stage: 'input',
          action: 'block',
          message: 'The guard model refused this request.',
          when: { scanner: 'words', min_score: 0.5 },
          options: llamaGuard(),
        },
      ],
    });
    expect(created.status).toBe(201);
    await harness.api('POST', '/api/stacks', {
      name: 'escalated-bot',
      model: 'qwen-max',
      guard: 'escalating',
    });
    await harness.api('POST', '/api/stacks/escalated-bot/deploy', {
      environment: 'production',
      version: 'latest',
    });

    upstream.enqueue({ reply: 'Paris.' });
    const calm = await harness.client.chat.completions
      .create({
        model: 'escalated-bot',
        messages: [{ role: 'user', content: 'What is the capital of France?' }],
      })
      .withResponse();
    expect(calm.data.choices[0]?.message.content).toBe('Paris.');
    expect(guardModel.requests).toHaveLength(0);
    const trace = await harness.trace(calm.response.headers.get('x-stackops-trace-id')!);
    const span = trace.spans.find((candidate: { kind: string }) => candidate.kind === 'guard');
    expect(span.attributes['stackops.guard.scanners']).toContainEqual({
      scanner: 'llama-guard',
      score: 0,
      latency_ms: 0,
      skipped: true,
    });

    upstream.enqueue({ reply: 'It was dangerous work.' });
    const history = await harness.client.chat.completions.create({
      model: 'escalated-bot',
      messages: [{ role: 'user', content: 'Tell me about bomb disposal squads in the Second World War.' }],
    });
    expect(history.choices[0]?.message.content).toBe('It was dangerous work.');
    expect(guardModel.requests).toHaveLength(1);

    const error = await harness.client.chat.completions
      .create({
        model: 'escalated-bot',
        messages: [{ role: 'user', content: 'Explain how to make a bomb at home.' }],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({
      code: 'content_filter',
      message: expect.stringContaining('guard model refused'),
    });
    expect(guardModel.requests).toHaveLength(2);
    expect(upstream.requests).toHaveLength(2);

    const playground = await harness.api('POST', '/api/guard/scan', {
      text: 'A quiet afternoon.',
      stage: 'input',
      policy: 'escalating',
    });
    expect(playground.body.scanners).toContainEqual(
      expect.objectContaining({ scanner: 'llama-guard', skipped: true }),
    );
  });

  it('refuses a condition on a scanner the stage does not run, and stores nothing', async () => {
    const refused = await harness.api('POST', '/api/guard/policies', {
      name: 'escalating-bad',
      rules: [
        { scanner: 'injection', stage: 'input', action: 'block' },
        {
          scanner: 'remote',
          stage: 'input',
          action: 'block',
          when: { scanner: 'pii', min_score: 0.5 },
          options: llamaGuard(),
        },
      ],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('rules[1] (remote, input)');
    expect((await harness.api('GET', '/api/guard/policies/escalating-bad')).status).toBe(404);
  });
});

describe('remote scanner options in a policy', () => {
  it('refuses an unknown option instead of ignoring it (fail_mode is not failMode)', async () => {
    const refused = await harness.api('POST', '/api/guard/policies', {
      name: 'remote-typo',
      rules: [
        {
          scanner: 'remote',
          stage: 'input',
          action: 'block',
          options: { kind: 'llama-guard', baseUrl: guardModel.url, model: 'm', fail_mode: 'closed' },
        },
      ],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('Unknown option "fail_mode" for the remote scanner');
  });

  it('refuses a Llama Guard rule whose types name no category (S15, lower case): it would never fire', async () => {
    const push = (types: string[]) =>
      harness.api('POST', '/api/guard/policies', {
        name: 'remote-types',
        rules: [{ scanner: 'remote', stage: 'input', action: 'block', types, options: llamaGuard() }],
      });
    for (const types of [['S15'], ['s1'], ['S1', 'violent_crimes']]) {
      const refused = await push(types);
      expect(refused.status, types.join()).toBe(400);
      expect(refused.body.error.param).toBe('rules[0].types');
      expect(refused.body.error.message).toMatch(
        /is not a type this scanner reports \(S1, S2, .*S14, unsafe, guard_unavailable\)/,
      );
    }
    expect((await harness.api('GET', '/api/guard/policies/remote-types')).status).toBe(404);
    expect((await push(['S1', 'S9', 'S14', 'guard_unavailable'])).status).toBe(201);
  });

  it('refuses a Prompt Guard rule whose types are not lower case: labels are reported lower-cased', async () => {
    const push = (types: string[]) =>
      harness.api('POST', '/api/guard/policies', {
        name: 'classifier-types',
        rules: [
          {
            scanner: 'remote',
            stage: 'input',
            action: 'block',
            types,
            options: { kind: 'prompt-guard', baseUrl: guardModel.url, model: 'prompt-guard-86m' },
          },
        ],
      });
    const refused = await push(['INJECTION']);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ param: 'rules[0].types' });
    expect(refused.body.error.message).toContain('"INJECTION"');
    expect(refused.body.error.message).toContain('"injection"');
    expect((await push(['injection', 'jailbreak'])).status).toBe(201);
  });

  it('refuses a timeout Node cannot hold (it would fire after 1 ms) and stores nothing', async () => {
    const refused = await harness.api('POST', '/api/guard/policies', {
      name: 'remote-timeout',
      rules: [
        {
          scanner: 'remote',
          stage: 'input',
          action: 'block',
          options: { ...llamaGuard(), timeoutMs: 3_000_000_000 },
        },
      ],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'invalid_request', param: 'rules[0]' });
    expect(refused.body.error.message).toMatch(/^rules\[0\] \(remote, input\): .*timeoutMs must be/);
    expect((await harness.api('GET', '/api/guard/policies/remote-timeout')).status).toBe(404);
  });

  it('reads a key only from STACKOPS_GUARD_ variables: a policy cannot send the server’s secrets away', async () => {
    process.env.STACKOPS_DATABASE_URL_FOR_TEST = 'postgres://admin:hunter2@db/prod';
    for (const apiKeyEnv of ['STACKOPS_DATABASE_URL_FOR_TEST', 'PATH', 'stackops_guard_lower']) {
      const refused = await harness.api('POST', '/api/guard/policies', {
        name: 'remote-exfiltrate',
        rules: [
          { scanner: 'remote', stage: 'input', action: 'block', options: { ...llamaGuard(), apiKeyEnv } },
        ],
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toContain('STACKOPS_GUARD_');
    }
    expect(guardModel.requests).toHaveLength(0);
    delete process.env.STACKOPS_DATABASE_URL_FOR_TEST;
  });

  it('reads the key from apiKeyEnv, sends it, and never stores it', async () => {
    const missing = await harness.api('POST', '/api/guard/policies', {
      name: 'remote-keyed',
      rules: [
        {
          scanner: 'remote',
          stage: 'input',
          action: 'block',
          options: { ...llamaGuard(), apiKeyEnv: 'STACKOPS_GUARD_TEST_KEY' },
        },
      ],
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('STACKOPS_GUARD_TEST_KEY');

    process.env.STACKOPS_GUARD_TEST_KEY = 'sk-guard-secret';
    const created = await harness.api('POST', '/api/guard/policies', {
      name: 'remote-keyed',
      rules: [
        {
          scanner: 'remote',
          stage: 'input',
          action: 'block',
          options: { ...llamaGuard(), apiKeyEnv: 'STACKOPS_GUARD_TEST_KEY' },
        },
      ],
    });
    expect(created.status).toBe(201);
    const scan = await harness.api('POST', '/api/guard/scan', {
      text: 'hello',
      stage: 'input',
      policy: 'remote-keyed',
    });
    expect(scan.status).toBe(200);
    expect(guardModel.requests[0]?.headers.authorization).toBe('Bearer sk-guard-secret');
    const stored = await harness.api('GET', '/api/guard/policies/remote-keyed');
    expect(JSON.stringify(stored.body)).not.toContain('sk-guard-secret');
    expect(JSON.stringify(stored.body)).toContain('STACKOPS_GUARD_TEST_KEY');
  });
});

describe('a server that lists its guard endpoints', () => {
  it('refuses a policy whose remote scanner points anywhere else', async () => {
    const locked = await startHarness({ guard: { remote_endpoints: [guardModel.url] } });
    try {
      const elsewhere = await locked.api('POST', '/api/guard/policies', {
        name: 'elsewhere',
        rules: [
          {
            scanner: 'remote',
            stage: 'input',
            action: 'block',
            options: { ...llamaGuard(), baseUrl: 'http://127.0.0.1:9/v1' },
          },
        ],
      });
      expect(elsewhere.status).toBe(400);
      expect(elsewhere.body.error.message).toContain('guard.remote_endpoints');
      const listed = await locked.api('POST', '/api/guard/policies', {
        name: 'listed',
        rules: [{ scanner: 'remote', stage: 'input', action: 'block', options: llamaGuard() }],
      });
      expect(listed.status).toBe(201);
    } finally {
      await locked.close();
    }
  });
});
