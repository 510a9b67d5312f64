/**
 * A replay runs the policy on the event loop, over up to a thousand recorded requests. It gave
 * the loop no turn until it was done: a viewer's replay of 150 traces of 70,000 characters held
 * every other request of the server (healthz waited 2.4 s, the whole replay), and the request's
 * own 120 s timeout could not fire during it. It now yields between traces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

describe('guard policy replay', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({});
    await harness.api('POST', '/api/stacks', { name: 'echo-bot', model: 'local-extractive' });
    await harness.api('POST', '/api/stacks/echo-bot/deploy', {
      environment: 'production',
      version: 'latest',
    });
    const words = ['order', 'refund', 'parcel', 'invoice', 'delivery', 'account', 'the', 'a'];
    for (let request = 0; request < 40; request++) {
      const content = Array.from({ length: 9000 }, (_, index) => words[(index * 7 + request) % 8]).join(' ');
      const { response } = await harness.client.chat.completions
        .create({ model: 'echo-bot', messages: [{ role: 'user', content }] })
        .withResponse();
      await harness.trace(response.headers.get('x-stackops-trace-id')!);
    }
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('serves other requests while it replays', async () => {
    const finished: string[] = [];
    const started = performance.now();
    const replay = harness
      .api('POST', '/api/guard/replay', { policy: 'default@0', stack: 'echo-bot', limit: 40 })
      .then((answer) => {
        finished.push('replay');
        return answer;
      });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const health = fetch(`${harness.server.url}/healthz`).then((response) => {
      finished.push('healthz');
      return response.status;
    });
    const [answer, status] = await Promise.all([replay, health]);
    expect(answer.status).toBe(200);
    expect(answer.body.traces).toBe(40);
    expect(answer.body.input.evaluated).toBe(40);
    expect(status).toBe(200);
    // Only meaningful when the replay took a while: it does here, by far.
    expect(performance.now() - started).toBeGreaterThan(100);
    expect(finished).toEqual(['healthz', 'replay']);
  });
});
