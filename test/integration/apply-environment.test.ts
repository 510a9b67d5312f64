/**
 * An apply document whose deployment names an environment deploy() would refuse ("Prod") is
 * refused whole, with the document's other problems, before anything is written: it used to
 * store the document's prompt and stack, then fail at the deployment (found by QA).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

describe('apply: deployment environments', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({});
  });
  afterAll(async () => {
    await harness?.close();
  });

  const document = (environment: string, model = 'local-extractive') => ({
    prompts: [{ name: 'partial-prompt', messages: [{ role: 'user', content: '{{input}}' }] }],
    stacks: [{ name: 'partial-bot', model, prompt: 'partial-prompt' }],
    deployments: [{ stack: 'partial-bot', environment, version: 'latest' }],
  });

  it('refuses an invalid environment name before writing anything', async () => {
    const response = await harness.api('POST', '/api/apply', { document: document('Prod') });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([
      expect.objectContaining({ path: 'deployments[0].environment' }),
    ]);
    expect(response.body.error.message).toContain('"Prod" is not a valid environment name');
    expect((await harness.api('GET', '/api/prompts/partial-prompt')).status).toBe(404);
    expect((await harness.api('GET', '/api/stacks/partial-bot')).status).toBe(404);
  });

  it('reports it in the same round as the document’s other problems', async () => {
    const response = await harness.api('POST', '/api/apply', { document: document('Prod', 'no-such-model') });
    expect(response.status).toBe(400);
    const paths = response.body.error.details.map((detail: { path: string }) => detail.path);
    expect(paths).toEqual(['stacks[0].model', 'deployments[0].environment']);
  });

  it('still applies the document with a valid environment', async () => {
    const response = await harness.api('POST', '/api/apply', { document: document('prod') });
    expect(response.status).toBe(200);
    expect((await harness.api('GET', '/api/stacks/partial-bot')).body.deployments).toMatchObject({ prod: 1 });
  });
});
