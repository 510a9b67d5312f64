/**
 * Text Postgres cannot store — U+0000 in text or jsonb, a lone UTF-16 surrogate in jsonb — in a
 * control-plane request is the request's fault: a 400 in the API's error shape that changes
 * nothing, never a 500 "internal" (found by QA: a NUL in a prompt, a project or key name, a
 * stack message, adapter metadata, or a name in a URL or query answered 500 on Postgres).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

const NUL = '\u0000';
const LONE_SURROGATE = '\ud800';

describe('control plane on postgres: text the database cannot store', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({}, { backend: 'postgres' });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const requests: Array<[method: string, path: string, body?: unknown]> = [
    ['POST', '/api/prompts', { name: 'nul', messages: [{ role: 'user', content: `a${NUL}b {{input}}` }] }],
    ['POST', '/api/prompts', { name: 'sur', messages: [{ role: 'user', content: `a${LONE_SURROGATE}b` }] }],
    ['POST', '/api/stacks', { name: 's1', model: 'local-extractive', message: `m${NUL}` }],
    ['POST', '/api/stacks', { name: 's1', model: 'local-extractive', params: { stop: NUL } }],
    [
      'POST',
      '/api/adapters',
      { name: 'a1', base_model: 'local-extractive', upstream_adapter: 'x', metadata: { k: NUL } },
    ],
    ['POST', '/api/projects', { name: `nul${NUL}project` }],
    ['POST', '/api/keys', { name: `key${NUL}`, role: 'viewer' }],
    ['GET', '/api/prompts/a%00b'],
    ['GET', '/api/stacks/a%00b'],
    ['GET', '/api/traces?model=%00'],
    ['GET', '/api/traces?stack=%00'],
  ];

  it('answers 400 naming the character, and stores nothing', async () => {
    const auditBefore = await harness.api('GET', '/api/audit?limit=200');
    for (const [method, path, body] of requests) {
      const response = await harness.api(method, path, body);
      expect({ method, path, status: response.status, code: response.body.error?.code }).toEqual({
        method,
        path,
        status: 400,
        code: 'invalid_request',
      });
      expect(response.body.error.message).toContain('U+0000');
    }
    expect((await harness.api('GET', '/api/prompts')).body.data).toEqual([]);
    expect((await harness.api('GET', '/api/stacks')).body.data).toEqual([]);
    expect((await harness.api('GET', '/api/audit?limit=200')).body.data).toEqual(auditBefore.body.data);
  });
});
