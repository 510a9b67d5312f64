/**
 * An instance admin acting in a project that does not exist (a typo in x-stackops-project, a
 * deleted project) is told so by the gateway, as the control plane tells it: the gateway served
 * such a request with a plain model and then dropped its trace, since no project holds it
 * (found by QA).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

describe('gateway: acting in a project that does not exist', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({});
  });
  afterAll(async () => {
    await harness?.close();
  });

  const ask = (project: string) =>
    harness.client.chat.completions
      .create(
        { model: 'local-extractive', messages: [{ role: 'user', content: 'hello' }] },
        { headers: { 'x-stackops-project': project } },
      )
      .catch((caught) => caught);

  it('answers 404 for a project id that names no project', async () => {
    const error = await ask('proj_nope');
    expect(error).toMatchObject({ status: 404, code: 'not_found' });
    expect(error.message).toContain('proj_nope');
  });

  it('serves an existing project, and refuses it once it is deleted', async () => {
    const project = await harness.api('POST', '/api/projects', { name: 'short-lived' });
    const served = await ask(project.body.id);
    expect(served.choices[0].message.content).toBe('You said: hello');
    expect((await harness.api('DELETE', `/api/projects/${project.body.id}`)).status).toBe(200);
    expect(await ask(project.body.id)).toMatchObject({ status: 404, code: 'not_found' });
  });
});
