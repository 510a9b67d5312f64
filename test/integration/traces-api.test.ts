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
