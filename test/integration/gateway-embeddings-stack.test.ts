/**
 * An embeddings request naming a stack is told that stacks answer chat completions; it was told
 * the model "does not exist", while the same name answered chat requests (found by QA).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

describe('embeddings with a stack name', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({});
    await harness.api('POST', '/api/stacks', { name: 'faq-bot', model: 'local-extractive' });
    await harness.api('POST', '/api/stacks/faq-bot/deploy', { environment: 'production', version: 1 });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('says the name is a stack, which answers chat completions', async () => {
    await harness.client.chat.completions.create({
      model: 'faq-bot',
      messages: [{ role: 'user', content: 'hi' }],
    });
    for (const model of ['faq-bot', 'faq-bot@1']) {
      const error = await harness.client.embeddings
        .create({ model, input: 'hello' })
        .catch((caught) => caught);
      expect(error).toMatchObject({ status: 400, code: 'invalid_request', param: 'model' });
      expect(error.message).toContain('"faq-bot" is a stack');
    }
    const unknown = await harness.client.embeddings
      .create({ model: 'nothing', input: 'x' })
      .catch((caught) => caught);
    expect(unknown).toMatchObject({ status: 404, code: 'model_not_found' });
  });
});
