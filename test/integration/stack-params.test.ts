/**
 * Generation parameters pinned by a stack or a prompt are checked when they are written, by the
 * rules the gateway applies to a request's own fields: a `temperature: "hot"` accepted at
 * creation would otherwise fail every request the stack serves, at the upstream, long after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

const prompt = (params: Record<string, unknown>) => ({
  name: 'support',
  messages: [{ role: 'user', content: '{{input}}' }],
  params,
});

describe('stack and prompt parameters', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({});
  });
  afterAll(async () => {
    await harness?.close();
  });

  const bad: Array<[params: Record<string, unknown>, path: string]> = [
    [{ temperature: 'hot' }, 'params.temperature'],
    [{ temperature: 9 }, 'params.temperature'],
    [{ top_p: 1.5 }, 'params.top_p'],
    [{ max_tokens: -5 }, 'params.max_tokens'],
    [{ max_completion_tokens: 2.5 }, 'params.max_completion_tokens'],
    [{ n: 3 }, 'params.n'],
    [{ stop: ['a', 'b', 'c', 'd', 'e'] }, 'params.stop'],
    [{ seed: 'x' }, 'params.seed'],
    [{ model: 'gpt-4o' }, 'params.model'],
    [{ messages: [] }, 'params.messages'],
    [{ stream: true }, 'params.stream'],
  ];

  it('refuses a stack whose params the gateway would refuse, naming the field, and stores nothing', async () => {
    for (const [params, path] of bad) {
      const response = await harness.api('POST', '/api/stacks', {
        name: 'params-bot',
        model: 'local-extractive',
        params,
      });
      expect({ params, status: response.status, param: response.body.error?.param }).toEqual({
        params,
        status: 400,
        param: path,
      });
    }
    expect((await harness.api('GET', '/api/stacks/params-bot')).status).toBe(404);
  });

  it('refuses a prompt whose default params the gateway would refuse', async () => {
    for (const [params, path] of bad) {
      const response = await harness.api('POST', '/api/prompts', prompt(params));
      expect({ params, status: response.status, param: response.body.error?.param }).toEqual({
        params,
        status: 400,
        param: path,
      });
    }
    expect((await harness.api('GET', '/api/prompts/support')).status).toBe(404);
  });

  it('reports bad params of an apply document with the document problems, at their paths', async () => {
    const response = await harness.api('POST', '/api/apply', {
      document: {
        prompts: [prompt({ temperature: 'warm' })],
        stacks: [{ name: 'params-bot', model: 'local-extractive', params: { max_tokens: 0, top_p: 2 } }],
      },
    });
    expect(response.status).toBe(400);
    const paths = response.body.error.details.map((detail: { path: string }) => detail.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'prompts[0].params.temperature',
        'stacks[0].params.max_tokens',
        'stacks[0].params.top_p',
      ]),
    );
    expect((await harness.api('GET', '/api/prompts/support')).status).toBe(404);
  });

  it('keeps accepting what the gateway accepts, unknown vendor fields included', async () => {
    const params = {
      temperature: 0.2,
      top_p: 1,
      max_tokens: 512,
      stop: ['\n\n'],
      seed: 7,
      n: 1,
      top_k: 40,
      repetition_penalty: 1.1,
      response_format: { type: 'json_object' },
    };
    const stack = await harness.api('POST', '/api/stacks', {
      name: 'params-bot',
      model: 'local-extractive',
      params,
    });
    expect(stack.status).toBe(201);
    expect(stack.body.spec.params).toEqual(params);
    expect((await harness.api('POST', '/api/prompts', prompt({ temperature: 0 }))).status).toBe(201);
  });
});
