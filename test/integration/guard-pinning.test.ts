/**
 * Guard policy versions pinned by stacks, through the gateway, on SQLite and Postgres: a stack
 * version keeps answering under the policy version it pinned after a newer one is pushed;
 * `apply` moves a stack that names the policy without a version to the newest (a new stack
 * version, deployed when the document says `latest`) and leaves one pinned to `name@N` where it
 * is (docs/stacks.md, "Guard policies").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../fakes/fake-openai-server.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const blocking = (term: string) => ({
  name: 'pin',
  rules: [{ scanner: 'words', stage: 'input', action: 'block', options: { terms: [term] } }],
});

describe.each(['sqlite', 'postgres'] as const)('guard policy pinning on %s', (backend) => {
  let fake: FakeOpenAIServer;
  let harness: Harness;

  beforeAll(async () => {
    fake = await startFakeOpenAIServer();
    harness = await startHarness(
      {
        providers: [{ name: 'vllm', type: 'openai-compatible', base_url: fake.url }],
        models: [{ name: 'qwen-max', provider: 'vllm' }],
      },
      { backend },
    );
    expect(harness.server.store.dialect).toBe(backend);
  });
  afterAll(async () => {
    await harness?.close();
    await fake?.close();
  });

  /** Which of the words the stack's input guard blocks, and the policy version its trace names. */
  async function blocked(model: string): Promise<{ words: string[]; policy: string }> {
    const words: string[] = [];
    let policy = '';
    for (const word of ['alpha', 'beta', 'gamma']) {
      const answer = await fetch(`${harness.server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${harness.adminKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: `please say ${word}` }] }),
      });
      const body = (await answer.json()) as { error?: { code: string } };
      if (answer.status === 400) {
        expect(body.error?.code).toBe('content_filter');
        words.push(word);
      } else expect(answer.status).toBe(200);
      const trace = await harness.trace(answer.headers.get('x-stackops-trace-id')!);
      policy = trace.attributes['stackops.guard.policy'];
    }
    return { words, policy };
  }

  it('keeps a stack on the version it pinned, and apply moves only the unpinned one', async () => {
    expect((await harness.api('POST', '/api/guard/policies', blocking('alpha'))).body.version).toBe(1);
    for (const [name, guard] of [
      ['fixed', 'pin@1'],
      ['follows', 'pin'],
    ]) {
      expect((await harness.api('POST', '/api/stacks', { name, model: 'qwen-max', guard })).status).toBe(201);
      await harness.api('POST', `/api/stacks/${name}/deploy`, {
        environment: 'production',
        version: 'latest',
      });
    }
    expect((await harness.api('POST', '/api/guard/policies', blocking('beta'))).body.version).toBe(2);
    // A pushed version changes no stack version: both still answer under pin@1.
    expect(await blocked('fixed')).toEqual({ words: ['alpha'], policy: 'pin@1' });
    expect(await blocked('follows')).toEqual({ words: ['alpha'], policy: 'pin@1' });

    const document = (policy: ReturnType<typeof blocking>) => ({
      guard_policies: [policy],
      stacks: [
        { name: 'fixed', model: 'qwen-max', guard: 'pin@1' },
        { name: 'follows', model: 'qwen-max', guard: 'pin' },
      ],
      deployments: [
        { stack: 'fixed', environment: 'production', version: 'latest' },
        { stack: 'follows', environment: 'production', version: 'latest' },
      ],
    });
    const applied = await harness.api('POST', '/api/apply', { document: document(blocking('beta')) });
    expect(applied.status).toBe(200);
    expect(await blocked('fixed')).toEqual({ words: ['alpha'], policy: 'pin@1' });
    expect(await blocked('follows')).toEqual({ words: ['beta'], policy: 'pin@2' });

    // A document that changes the policy creates pin@3, and the unpinned stack follows it.
    await harness.api('POST', '/api/apply', { document: document(blocking('gamma')) });
    expect(await blocked('fixed')).toEqual({ words: ['alpha'], policy: 'pin@1' });
    expect(await blocked('follows')).toEqual({ words: ['gamma'], policy: 'pin@3' });
    expect(await blocked('follows@2')).toEqual({ words: ['beta'], policy: 'pin@2' });

    const versions = (await harness.api('GET', '/api/guard/policies/pin')).body.versions;
    expect(versions.map((version: { version: number }) => version.version)).toEqual([1, 2, 3]);
    expect((await harness.api('GET', '/api/stacks/fixed')).body.latest_version).toBe(1);
  });
});
