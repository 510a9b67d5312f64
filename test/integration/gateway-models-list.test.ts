/**
 * `GET /v1/models` lists what a caller can send as `model`: the plain models and the stacks
 * deployed in the caller's project and environment — what chat front-ends (Open WebUI,
 * LibreChat…) read to fill their model picker, as LiteLLM lists its aliases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

describe('GET /v1/models with stacks', () => {
  let harness: Harness;
  let otherProject: { id: string; key: string };

  beforeAll(async () => {
    harness = await startHarness({});
    for (const name of ['faq-bot', 'draft-bot', 'beta-bot']) {
      expect((await harness.api('POST', '/api/stacks', { name, model: 'local-extractive' })).status).toBe(
        201,
      );
    }
    await harness.api('POST', '/api/stacks/faq-bot/deploy', { environment: 'production', version: 1 });
    await harness.api('POST', '/api/stacks/beta-bot/deploy', { environment: 'staging', version: 1 });
    const project = await harness.api('POST', '/api/projects', { name: 'other' });
    otherProject = { id: project.body.id, key: project.body.admin_key.secret };
    await harness.api(
      'POST',
      '/api/stacks',
      { name: 'other-bot', model: 'local-extractive' },
      otherProject.key,
    );
    await harness.api(
      'POST',
      '/api/stacks/other-bot/deploy',
      { environment: 'production', version: 1 },
      otherProject.key,
    );
  });
  afterAll(async () => {
    await harness?.close();
  });

  const ids = async (headers: Record<string, string> = {}, key = harness.adminKey) => {
    const list = await harness.clientFor(key).models.list({ headers });
    return list.data.map((model) => model.id);
  };

  it('lists the stacks deployed in production beside the models, owned by stackops', async () => {
    const list = await harness.client.models.list();
    expect(list.data).toEqual(
      expect.arrayContaining([
        { id: 'faq-bot', object: 'model', created: expect.any(Number), owned_by: 'stackops' },
        expect.objectContaining({ id: 'local-extractive', owned_by: 'local' }),
      ]),
    );
    const listed = list.data.map((model) => model.id);
    expect(listed).not.toContain('draft-bot');
    expect(listed).not.toContain('beta-bot');
    expect(listed).not.toContain('other-bot');
  });

  it('follows x-stackops-environment and the acting project, like a chat request', async () => {
    const staging = await ids({ 'x-stackops-environment': 'staging' });
    expect(staging).toContain('beta-bot');
    expect(staging).not.toContain('faq-bot');
    expect(await ids({ 'x-stackops-project': otherProject.id })).toContain('other-bot');
    expect(await ids({}, otherProject.key)).toContain('other-bot');
  });

  it('lists a stack deployed a moment ago', async () => {
    await harness.api('POST', '/api/stacks/draft-bot/deploy', { environment: 'production', version: 1 });
    expect(await ids()).toContain('draft-bot');
  });
});
