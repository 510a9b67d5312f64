/**
 * GET /api/traces query checking, on both backends: a value the database cannot compare
 * (a stack version past a 32-bit integer, a forged cursor) is a 400 in the API's error shape,
 * never a 500 carrying the database's message.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

const harnesses: Harness[] = [];
afterAll(async () => {
  for (const harness of harnesses) await harness.close();
});

describe.each(['sqlite', 'postgres'] as const)('GET /api/traces on %s', (backend) => {
  it('answers 400 invalid_request for values out of the columns range', async () => {
    const harness = await startHarness({}, { backend });
    harnesses.push(harness);
    await harness.client.chat.completions.create({
      model: 'local-extractive',
      messages: [{ role: 'user', content: 'one trace' }],
    });
    await harness.server.writer.flush();
    const cursor = (time: number) => Buffer.from(JSON.stringify([time, 'a'])).toString('base64url');
    const cases: Array<[string, string]> = [
      [`stack_version=${2 ** 31}`, 'stack_version'],
      [`cursor=${cursor(1.5)}`, 'cursor'],
      [`cursor=${cursor(1e20)}`, 'cursor'],
    ];
    for (const [query, param] of cases) {
      const response = await harness.api('GET', `/api/traces?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.error, query).toMatchObject({ code: 'invalid_request', param });
    }
    const largest = await harness.api('GET', `/api/traces?stack_version=${2 ** 31 - 1}`);
    expect(largest).toMatchObject({ status: 200, body: { data: [], next_cursor: null } });
  });
});

describe('numbers past the Postgres column range elsewhere in the API', () => {
  it('answer 4xx in the API shape on Postgres, not a 500 carrying the database message', async () => {
    const harness = await startHarness({}, { backend: 'postgres' });
    harnesses.push(harness);
    await harness.api('POST', '/api/prompts', {
      name: 'p',
      messages: [{ role: 'user', content: '{{input}}' }],
    });
    await harness.api('POST', '/api/stacks', { name: 's', model: 'local-extractive', prompt: 'p' });
    const big = 2 ** 31;
    const calls: Array<[string, string, unknown?]> = [
      ['GET', `/api/stacks/s/versions/${big}`],
      ['GET', `/api/stacks/s/diff?from=1&to=${big}`],
      ['POST', '/api/stacks/s/deploy', { environment: 'production', version: big }],
      ['GET', `/api/prompts/p/versions/${big}`],
      ['GET', `/api/prompts/p/diff?from=1&to=${big}`],
      ['POST', '/api/stacks', { name: 's2', model: 'local-extractive', prompt: `p@${big}` }],
    ];
    for (const [method, path, body] of calls) {
      const response = await harness.api(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(400);
      expect(response.body.error, `${method} ${path}`).toMatchObject({ code: 'invalid_request' });
      expect(response.body.error.message).not.toContain('type integer');
    }
  });
});

describe('GET /api/traces time bounds', () => {
  it('says what a time may be when it is refused, instead of "Invalid input"', async () => {
    const harness = await startHarness({});
    harnesses.push(harness);
    for (const value of ['2026-01-31', '2026-01-31T00:00:00', 'yesterday']) {
      const response = await harness.api('GET', `/api/traces?from=${value}`);
      expect(response.status, value).toBe(400);
      expect(response.body.error.param, value).toBe('from');
      expect(response.body.error.message, value).toContain(
        'epoch milliseconds or an ISO-8601 date-time with its offset',
      );
    }
    const accepted = await harness.api('GET', '/api/traces?from=2026-01-31T00:00:00Z&to=1796052264000');
    expect(accepted.status).toBe(200);
  });
});
