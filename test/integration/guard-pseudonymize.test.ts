/**
 * Reversible redaction through the gateway: with `reversible: true` on an input redaction the
 * model sees placeholders (`[EMAIL_1]`), never the caller's values, and the caller gets the
 * values back in the answer — whole and streamed through the `openai` SDK — while the output
 * guard still redacts PII the model produced itself. Traces hold neither the values nor the
 * mapping. A plain (non-reversible) redaction stays one-way.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../fakes/fake-openai-server.js';
import { createPolicies, deployStacks } from '../helpers/guarded-stack.js';
import { type Harness, startHarnessOn } from '../helpers/harness.js';

let fake: FakeOpenAIServer;
let harness: Harness;

beforeAll(async () => {
  fake = await startFakeOpenAIServer();
  harness = await startHarnessOn(fake, 'vllm', ['qwen-max']);
  await createPolicies(
    harness,
    {
      name: 'pseudonymise',
      rules: [
        { scanner: 'pii', stage: 'input', action: 'redact', reversible: true, types: ['EMAIL', 'PHONE'] },
        { scanner: 'pii', stage: 'output', action: 'redact' },
      ],
    },
    { name: 'one-way', rules: [{ scanner: 'pii', stage: 'input', action: 'redact', types: ['EMAIL'] }] },
  );
  await deployStacks(
    harness,
    { name: 'private-bot', model: 'qwen-max', guard: 'pseudonymise' },
    { name: 'one-way-bot', model: 'qwen-max', guard: 'one-way' },
  );
});
afterAll(async () => {
  await harness?.close();
  await fake?.close();
});
beforeEach(() => fake.reset());

const upstreamMessages = (index: number) =>
  (fake.requests[index]!.body as { messages: Array<{ role: string; content: string }> }).messages;

describe('reversible redaction (pseudonymisation)', () => {
  it('hides the caller’s values from the model and gives them back in the answer', async () => {
    const { data, response } = await harness.client.chat.completions
      .create({
        model: 'private-bot',
        messages: [
          { role: 'user', content: 'I am ann@example.com, phone +1 415 555 2671.' },
          { role: 'assistant', content: 'Noted.' },
          { role: 'user', content: 'Send it to ann@example.com and cc bob@example.org.' },
        ],
      })
      .withResponse();
    const sent = upstreamMessages(0);
    expect(sent[0]!.content).toBe('I am [EMAIL_1], phone [PHONE_1].');
    expect(sent[2]!.content).toBe('Send it to [EMAIL_1] and cc [EMAIL_2].');
    expect(JSON.stringify(fake.requests[0]!.body)).not.toMatch(/ann@|bob@|555 2671/);
    // The fake model echoes the last user message it saw.
    expect(data.choices[0]?.message.content).toBe('echo: Send it to ann@example.com and cc bob@example.org.');

    expect(response.headers.get('x-stackops-guard')).toBe('input=redact');
    const trace = await harness.trace(response.headers.get('x-stackops-trace-id')!);
    expect(trace.attributes['stackops.guard.pseudonyms']).toBe(3);
    expect(JSON.stringify(trace)).not.toMatch(/ann@|bob@|555 2671/);
  });

  it('restores streamed answers too, and still redacts PII the model wrote itself', async () => {
    fake.enqueue({
      reply: 'Done: [EMAIL_1] is subscribed; questions go to help@acme.example, ok [EMAIL_1]?',
    });
    const stream = await harness.client.chat.completions.create({
      model: 'private-bot',
      messages: [{ role: 'user', content: 'Subscribe ann@example.com please.' }],
      stream: true,
    });
    let text = '';
    let pieces = 0;
    for await (const chunk of stream) {
      const piece = chunk.choices[0]?.delta.content ?? '';
      if (piece) pieces++;
      text += piece;
      expect(text).not.toContain('[EMAIL_1]');
    }
    expect(pieces).toBeGreaterThan(1);
    expect(text).toBe('Done: ann@example.com is subscribed; questions go to [EMAIL], ok ann@example.com?');
    expect(upstreamMessages(0)[0]!.content).toBe('Subscribe [EMAIL_1] please.');
  });

  it('gives the values back in tool-call arguments, whole and streamed', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'lookup',
          parameters: { type: 'object', properties: { query: { type: 'string' } } },
        },
      },
    ];
    const messages = [
      { role: 'user' as const, content: 'call tool for ann@example.com and +1 415 555 2671' },
    ];
    const expected = JSON.stringify({ query: 'call tool for ann@example.com and +1 415 555 2671' });
    const whole = await harness.client.chat.completions.create({ model: 'private-bot', messages, tools });
    expect(JSON.stringify(fake.requests[0]!.body)).not.toContain('ann@');
    const call = whole.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' ? call.function.arguments : null).toBe(expected);

    const stream = await harness.client.chat.completions.create({
      model: 'private-bot',
      messages,
      tools,
      stream: true,
    });
    let streamed = '';
    let fragments = 0;
    for await (const chunk of stream) {
      for (const piece of chunk.choices[0]?.delta.tool_calls ?? []) {
        if (piece.function?.arguments) {
          streamed += piece.function.arguments;
          fragments++;
        }
      }
    }
    // Since session 10 the output guard scans tool-call arguments too and holds them back like
    // text (64 characters here): these short ones arrive in one piece. A placeholder cut across
    // released pieces is restored in test/integration/guard-tool-calls.test.ts.
    expect(fragments).toBeGreaterThanOrEqual(1);
    expect(streamed).toBe(expected);
  });

  it('pseudonymises the earlier turns the caller sends back: answers, tool calls, tool results', async () => {
    fake.enqueue({ reply: 'Noted, [EMAIL_1] and [PHONE_1].' });
    const completion = await harness.client.chat.completions.create({
      model: 'private-bot',
      messages: [
        { role: 'user', content: 'I am ann@example.com.' },
        {
          role: 'assistant',
          content: 'Hello! I will write to ann@example.com.',
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'lookup', arguments: JSON.stringify({ query: 'ann@example.com' }) },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'Found: ann@example.com, phone +1 415 555 2671' },
        { role: 'user', content: 'Thanks. What did you find?' },
      ],
    });
    const sent = fake.requests[0]!.body as { messages: Array<Record<string, unknown>> };
    expect(JSON.stringify(sent)).not.toMatch(/ann@|555 2671/);
    expect(sent.messages[1]!.content).toBe('Hello! I will write to [EMAIL_1].');
    expect(sent.messages[1]!.tool_calls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"query":"[EMAIL_1]"}' } },
    ]);
    expect(sent.messages[2]!.content).toBe('Found: [EMAIL_1], phone [PHONE_1]');
    expect(completion.choices[0]?.message.content).toBe('Noted, ann@example.com and +1 415 555 2671.');
  });

  it('redacts a part even when a block rule would fire on that part alone', async () => {
    // "falcon" is a blocked word only as a whole word: the joined message reads "xfalcon …"
    // and is not blocked, the second part alone starts with it. The parts are redacted by the
    // rewriting rules only, so the block cannot stop the redaction.
    await harness.api('POST', '/api/guard/policies', {
      name: 'parts',
      rules: [
        { scanner: 'words', stage: 'input', action: 'block', options: { terms: ['falcon'] } },
        { scanner: 'pii', stage: 'input', action: 'redact', types: ['EMAIL'] },
      ],
    });
    await harness.api('POST', '/api/stacks', { name: 'parts-bot', model: 'qwen-max', guard: 'parts' });
    await harness.api('POST', '/api/stacks/parts-bot/deploy', {
      environment: 'production',
      version: 'latest',
    });
    await harness.client.chat.completions.create({
      model: 'parts-bot',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'x' },
            { type: 'text', text: 'falcon ann@example.com' },
          ],
        },
      ],
    });
    const sent = JSON.stringify(fake.requests[0]!.body);
    expect(sent).not.toContain('ann@');
    expect(sent).toContain('falcon [EMAIL]');
  });

  it('applies a redaction that waits for another scanner (`when`) to every part when the message met it', async () => {
    // The condition ("confidential") is in the first part, the e-mail in the second: the part
    // alone does not meet the condition, the message does. And a message that does not meet it
    // keeps its e-mail (the rule is conditional, not unconditional).
    await harness.api('POST', '/api/guard/policies', {
      name: 'parts-when',
      rules: [
        { scanner: 'words', stage: 'input', action: 'flag', options: { terms: ['confidential'] } },
        {
          scanner: 'pii',
          stage: 'input',
          action: 'redact',
          types: ['EMAIL'],
          when: { scanner: 'words', min_score: 0.5 },
        },
      ],
    });
    await harness.api('POST', '/api/stacks', {
      name: 'parts-when-bot',
      model: 'qwen-max',
      guard: 'parts-when',
    });
    await harness.api('POST', '/api/stacks/parts-when-bot/deploy', {
      environment: 'production',
      version: 'latest',
    });
    const send = (first: string) =>
      harness.client.chat.completions.create({
        model: 'parts-when-bot',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: first },
              { type: 'text', text: 'Mail ann@example.com about it.' },
            ],
          },
        ],
      });
    await send('This is confidential.');
    expect(JSON.stringify(fake.requests[0]!.body)).not.toContain('ann@');
    expect(JSON.stringify(fake.requests[0]!.body)).toContain('Mail [EMAIL] about it.');
    await send('This is public.');
    expect(JSON.stringify(fake.requests[1]!.body)).toContain('Mail ann@example.com about it.');
  });

  it('redacts user content sent in parts, text part by text part', async () => {
    const completion = await harness.client.chat.completions.create({
      model: 'private-bot',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Hi there. ' },
            { type: 'text', text: 'My email is ann@example.com' },
          ],
        },
      ],
    });
    const sent = fake.requests[0]!.body as {
      messages: Array<{ content: Array<{ type: string; text: string }> }>;
    };
    expect(sent.messages[0]!.content).toEqual([
      { type: 'text', text: 'Hi there. ' },
      { type: 'text', text: 'My email is [EMAIL_1]' },
    ]);
    expect(completion.choices[0]?.message.content).toContain('ann@example.com');
    expect(completion.choices[0]?.message.content).not.toContain('[EMAIL_1]');
  });

  it('leaves a placeholder the request did not create as the model wrote it', async () => {
    fake.enqueue({ reply: 'Ask [EMAIL_2] or [PHONE_1].' });
    const completion = await harness.client.chat.completions.create({
      model: 'private-bot',
      messages: [{ role: 'user', content: 'Mail ann@example.com' }],
    });
    expect(completion.choices[0]?.message.content).toBe('Ask [EMAIL_2] or [PHONE_1].');
  });

  it('returns the mapping from the scan playground for callers that restore themselves', async () => {
    const scan = await harness.api('POST', '/api/guard/scan', {
      text: 'ann@example.com and ann@example.com, then bob@example.org',
      stage: 'input',
      policy: 'pseudonymise',
    });
    expect(scan.body.text).toBe('[EMAIL_1] and [EMAIL_1], then [EMAIL_2]');
    expect(scan.body.mapping).toEqual({ '[EMAIL_1]': 'ann@example.com', '[EMAIL_2]': 'bob@example.org' });
    const oneWay = await harness.api('POST', '/api/guard/scan', {
      text: 'ann@example.com',
      stage: 'input',
      policy: 'one-way',
    });
    expect(oneWay.body.text).toBe('[EMAIL]');
    expect(oneWay.body).not.toHaveProperty('mapping');
  });

  it('refuses reversible where nothing can be given back', async () => {
    for (const rule of [
      { scanner: 'pii', stage: 'output', action: 'redact', reversible: true },
      { scanner: 'pii', stage: 'context', action: 'redact', reversible: true },
      { scanner: 'pii', stage: 'input', action: 'mask', reversible: true },
    ]) {
      const refused = await harness.api('POST', '/api/guard/policies', {
        name: 'reversible-bad',
        rules: [rule],
      });
      expect(refused.status, JSON.stringify(rule)).toBe(400);
      expect(refused.body.error.message).toContain(
        '"reversible" applies to "redact" at the input stage only',
      );
    }
    expect((await harness.api('GET', '/api/guard/policies/reversible-bad')).status).toBe(404);
  });

  it('keeps a plain redaction one-way', async () => {
    const completion = await harness.client.chat.completions.create({
      model: 'one-way-bot',
      messages: [{ role: 'user', content: 'Mail ann@example.com' }],
    });
    expect(upstreamMessages(0)[0]!.content).toBe('Mail [EMAIL]');
    expect(completion.choices[0]?.message.content).toBe('echo: Mail [EMAIL]');
    // Content in parts was sent upstream unredacted before session 7.
    await harness.client.chat.completions.create({
      model: 'one-way-bot',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Mail ann@example.com' }] }],
    });
    expect(JSON.stringify(fake.requests[1]!.body)).not.toContain('ann@');
    expect(JSON.stringify(fake.requests[1]!.body)).toContain('Mail [EMAIL]');
  });
});
