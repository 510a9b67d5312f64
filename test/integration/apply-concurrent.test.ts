/**
 * Concurrent applies of one document (two pipelines, two replicas) create each changed version
 * once, on SQLite and Postgres: "creates versions only when content changed" held one request at
 * a time only, and six concurrent applies on Postgres made three identical prompt and stack
 * versions and two "deploy v4 → v4" events (found by QA).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

const CONCURRENT = 8;

describe.each(['sqlite', 'postgres'] as const)('concurrent applies on %s', (backend) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({}, { backend });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const document = (system: string) => ({
    prompts: [
      {
        name: 'support',
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: '{{input}}' },
        ],
      },
    ],
    stacks: [
      { name: 'support-bot', model: 'local-extractive', prompt: 'support', params: { temperature: 0.2 } },
    ],
    deployments: [{ stack: 'support-bot', environment: 'production', version: 'latest' }],
  });

  async function applyConcurrently(system: string): Promise<void> {
    const answers = await Promise.all(
      Array.from({ length: CONCURRENT }, () =>
        harness.api('POST', '/api/apply', { document: document(system) }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(CONCURRENT).fill(200));
  }

  it('creates one version of a changed prompt and stack, whatever the number of appliers', async () => {
    await applyConcurrently('You are helpful.');
    await applyConcurrently('You are brief.');
    const prompt = await harness.api('GET', '/api/prompts/support');
    expect(prompt.body.latest_version).toBe(2);
    const stack = await harness.api('GET', '/api/stacks/support-bot');
    expect(stack.body.latest_version).toBe(2);
    const history = await harness.api('GET', '/api/stacks/support-bot/history?environment=production');
    const switches = history.body.data.filter(
      (event: { from_version: number | null; to_version: number }) => event.from_version !== event.to_version,
    );
    expect(switches).toHaveLength(2);
  });

  it('creates one version for concurrent pushes of one prompt content', async () => {
    const body = { name: 'pushed', messages: [{ role: 'user', content: 'Hi {{input}}' }] };
    const answers = await Promise.all(
      Array.from({ length: CONCURRENT }, () => harness.api('POST', '/api/prompts', body)),
    );
    expect(answers.filter((answer) => answer.body.created === true)).toHaveLength(1);
    expect(new Set(answers.map((answer) => answer.body.version))).toEqual(new Set([1]));
    expect((await harness.api('GET', '/api/prompts/pushed')).body.latest_version).toBe(1);
  });
});
