/**
 * Custom patterns (`regex` scanner) through the real server: a policy with its own entity types
 * is created over REST (bad patterns refused and nothing stored), tried in the scan playground,
 * pinned by a stack, and enforced by the gateway — an input block before the upstream is
 * called, output redaction whole and streamed through the `openai` SDK, and the guard span; and
 * with no hold-back window at all, an id longer than the rescan interval streamed in 3-character
 * pieces reaches the client only whole and redacted (the scanner's `holdFrom`).
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../fakes/fake-openai-server.js';
import { type Harness, startHarnessOn } from '../helpers/harness.js';

let fake: FakeOpenAIServer;
let harness: Harness;

beforeAll(async () => {
  fake = await startFakeOpenAIServer();
  harness = await startHarnessOn(fake, 'vllm', ['qwen-max']);
});
afterAll(async () => {
  await harness?.close();
  await fake?.close();
});
beforeEach(() => fake.reset());

const internalIds = {
  name: 'internal-ids',
  hold_back_chars: 24,
  rules: [
    {
      scanner: 'regex',
      stage: 'input',
      action: 'block',
      message: 'Internal code names stay internal.',
      options: { patterns: [{ name: 'CODE_NAME', pattern: '\\bproject\\s+nightingale\\b', flags: 'i' }] },
    },
    {
      scanner: 'regex',
      stage: 'output',
      action: 'redact',
      options: {
        patterns: [
          { name: 'EMPLOYEE_ID', pattern: '\\bEMP-\\d{6}\\b' },
          { name: 'TICKET', pattern: '\\b(?:INC|REQ)\\d{7}\\b' },
        ],
      },
    },
  ],
};

describe('custom patterns (regex scanner)', () => {
  it('refuses a policy with a pattern RE2 cannot run, naming it, and stores nothing', async () => {
    for (const pattern of ['(?<=EMP-)\\d{6}', '(\\d)\\1', 'x*']) {
      const refused = await harness.api('POST', '/api/guard/policies', {
        name: 'ids-bad',
        rules: [
          {
            scanner: 'regex',
            stage: 'output',
            action: 'redact',
            options: {
              patterns: [
                { name: 'OK', pattern: 'fine' },
                { name: 'EMPLOYEE_ID', pattern },
              ],
            },
          },
        ],
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ type: 'invalid_request_error' });
      expect(refused.body.error.message).toContain('rules[0] (regex, output): options.patterns[1].pattern');
      expect(refused.body.error.param).toBe('rules[0].options.patterns[1].pattern');
    }
    const noPatterns = await harness.api('POST', '/api/guard/policies', {
      name: 'ids-bad',
      rules: [{ scanner: 'regex', stage: 'input', action: 'block' }],
    });
    expect(noPatterns.status).toBe(400);
    expect((await harness.api('GET', '/api/guard/policies/ids-bad')).status).toBe(404);
  });

  it('creates the policy, tries it in the playground, and scans a backtracking bomb in linear time', async () => {
    const created = await harness.api('POST', '/api/guard/policies', internalIds);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'internal-ids', version: 1 });

    const text = 'Escalate INC0012345 to EMP-004211.';
    const scan = await harness.api('POST', '/api/guard/scan', {
      text,
      stage: 'output',
      policy: 'internal-ids',
    });
    expect(scan.status).toBe(200);
    expect(scan.body).toMatchObject({
      flagged: true,
      action: 'redact',
      text: 'Escalate [TICKET] to [EMPLOYEE_ID].',
    });
    expect(scan.body.findings).toEqual([
      expect.objectContaining({ scanner: 'regex', type: 'TICKET', start: 9, end: 19, value: 'INC0012345' }),
      expect.objectContaining({
        scanner: 'regex',
        type: 'EMPLOYEE_ID',
        start: 23,
        end: 33,
        value: 'EMP-004211',
      }),
    ]);

    // `(a+)+$` takes V8's backtracking RegExp ~2^n steps on "aaa…ab"; RE2 answers at once.
    await harness.api('POST', '/api/guard/policies', {
      name: 'bomb',
      rules: [
        {
          scanner: 'regex',
          stage: 'input',
          action: 'block',
          options: { patterns: [{ name: 'NESTED', pattern: '(a+)+$' }] },
        },
      ],
    });
    const bomb = await harness.api('POST', '/api/guard/scan', {
      text: `${'a'.repeat(50_000)}b`,
      stage: 'input',
      policy: 'bomb',
    });
    expect(bomb.status).toBe(200);
    expect(bomb.body).toMatchObject({ flagged: false, action: 'allow' });
  });

  it('enforces the pinned policy in the gateway: blocks input, redacts answers whole and streamed', async () => {
    const stack = await harness.api('POST', '/api/stacks', {
      name: 'helpdesk',
      model: 'qwen-max',
      guard: 'internal-ids',
    });
    expect(stack.status).toBe(201);
    await harness.api('POST', '/api/stacks/helpdesk/deploy', {
      environment: 'production',
      version: 'latest',
    });

    const error = await harness.client.chat.completions
      .create({ model: 'helpdesk', messages: [{ role: 'user', content: 'What is PROJECT  Nightingale?' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({
      code: 'content_filter',
      message: expect.stringContaining('Internal code names'),
    });
    expect(fake.requests).toHaveLength(0);
    const blockedTrace = await harness.trace(
      (error as InstanceType<typeof OpenAI.APIError>).headers!.get('x-stackops-trace-id')!,
    );
    const guardSpan = blockedTrace.spans.find((span: { kind: string }) => span.kind === 'guard');
    expect(guardSpan.attributes['stackops.guard.policy']).toBe('internal-ids@1');
    expect(guardSpan.attributes['stackops.guard.verdict']).toBe('block');

    const reply = 'Your ticket INC0012345 is with EMP-004211; if they are away, EMP-000777 covers.';
    const redacted = 'Your ticket [TICKET] is with [EMPLOYEE_ID]; if they are away, [EMPLOYEE_ID] covers.';
    fake.enqueue({ reply });
    const { data: whole, response } = await harness.client.chat.completions
      .create({ model: 'helpdesk', messages: [{ role: 'user', content: 'who has my ticket?' }] })
      .withResponse();
    expect(whole.choices[0]?.message.content).toBe(redacted);
    expect(response.headers.get('x-stackops-guard')).toBe('output=redact');
    fake.enqueue({ reply: 'Nothing to hide here.' });
    const clean = await harness.client.chat.completions
      .create({ model: 'helpdesk', messages: [{ role: 'user', content: 'hello' }] })
      .withResponse();
    expect(clean.response.headers.get('x-stackops-guard')).toBeNull();

    fake.enqueue({ reply });
    const stream = await harness.client.chat.completions.create({
      model: 'helpdesk',
      messages: [{ role: 'user', content: 'who has my ticket?' }],
      stream: true,
    });
    let text = '';
    let pieces = 0;
    for await (const chunk of stream) {
      const piece = chunk.choices[0]?.delta.content ?? '';
      if (piece) pieces++;
      text += piece;
      expect(text).not.toMatch(/EMP-\d|INC\d/);
    }
    expect(text).toBe(redacted);
    expect(pieces).toBeGreaterThan(1);
  });

  it('streams with hold_back_chars 0: a 29-character account id never reaches the client in part', async () => {
    const created = await harness.api('POST', '/api/guard/policies', {
      name: 'accounts-no-window',
      hold_back_chars: 0,
      rules: [
        {
          scanner: 'regex',
          stage: 'output',
          action: 'redact',
          options: { patterns: [{ name: 'ACCOUNT', pattern: '\\bACCT(?:-\\d{4}){5}\\b' }] },
        },
      ],
    });
    expect(created.status).toBe(201);
    await harness.api('POST', '/api/stacks', {
      name: 'billing',
      model: 'qwen-max',
      guard: 'accounts-no-window',
    });
    await harness.api('POST', '/api/stacks/billing/deploy', { environment: 'production', version: 'latest' });

    const reply =
      'Your refund goes to ACCT-1234-5678-9012-3456-7890 within five days; the old account ACCT-0000-1111-2222-3333-4444 is closed.';
    const redacted = 'Your refund goes to [ACCOUNT] within five days; the old account [ACCOUNT] is closed.';
    const replyPieces: string[] = [];
    for (let index = 0; index < reply.length; index += 3) replyPieces.push(reply.slice(index, index + 3));
    fake.enqueue({ reply, replyPieces });
    const stream = await harness.client.chat.completions.create({
      model: 'billing',
      messages: [{ role: 'user', content: 'where does my refund go?' }],
      stream: true,
    });
    let text = '';
    let pieces = 0;
    for await (const chunk of stream) {
      const piece = chunk.choices[0]?.delta.content ?? '';
      if (piece) pieces++;
      text += piece;
      // Whatever has arrived is a prefix of the redacted answer: no digit of an id went out.
      expect(redacted.startsWith(text), JSON.stringify(text)).toBe(true);
    }
    expect(text).toBe(redacted);
    // Without a window the text before each id goes out as it is scanned, not at the end.
    expect(pieces).toBeGreaterThan(2);
  });
});
