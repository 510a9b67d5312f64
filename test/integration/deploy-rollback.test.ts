/**
 * Rollback after deploys that changed nothing, on SQLite and Postgres: a pipeline that runs
 * `stackops deploy bot latest` on every push records "deploy v2 → v2" events, and a rollback
 * must still go back to the version before the current one, not to the current one again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

describe.each(['sqlite', 'postgres'] as const)('rollback on %s', (backend) => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({}, { backend });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const deploy = (stack: string, version: number | 'latest') =>
    harness.api('POST', `/api/stacks/${stack}/deploy`, { environment: 'production', version });
  const rollback = (stack: string) =>
    harness.api('POST', `/api/stacks/${stack}/rollback`, { environment: 'production' });

  async function createVersions(stack: string, temperatures: number[]): Promise<void> {
    for (const temperature of temperatures) {
      const created = await harness.api('POST', '/api/stacks', {
        name: stack,
        model: 'local-extractive',
        params: { temperature },
      });
      expect(created.status).toBe(201);
    }
  }

  it('goes back past deploys of the version already deployed', async () => {
    await createVersions('repeat-bot', [0.1, 0.2]);
    expect((await deploy('repeat-bot', 1)).status).toBe(200);
    expect((await deploy('repeat-bot', 'latest')).body).toMatchObject({ from_version: 1, to_version: 2 });
    expect((await deploy('repeat-bot', 'latest')).body).toMatchObject({ from_version: 2, to_version: 2 });

    const rolledBack = await rollback('repeat-bot');
    expect(rolledBack.status).toBe(200);
    expect(rolledBack.body).toMatchObject({ action: 'rollback', from_version: 2, to_version: 1 });
    const served = await harness.client.chat.completions
      .create({ model: 'repeat-bot', messages: [{ role: 'user', content: 'which version?' }] })
      .withResponse();
    expect(served.response.headers.get('x-stackops-stack')).toBe('repeat-bot@1');
  });

  it('says there is nothing to roll back to when only the first version was ever deployed', async () => {
    await createVersions('single-bot', [0.3]);
    await deploy('single-bot', 1);
    await deploy('single-bot', 1);
    const refused = await rollback('single-bot');
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('no earlier version');
    const history = await harness.api('GET', '/api/stacks/single-bot/history?environment=production');
    expect(history.body.data).toHaveLength(2);
  });
});
