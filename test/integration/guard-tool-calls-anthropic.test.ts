/**
 * Output rules on tool-call arguments when the upstream is Anthropic: its `tool_use` blocks
 * (whole) and `input_json_delta` fragments (streamed) become OpenAI tool calls in the adapter,
 * and the stack's policy must read and redact them the same way — checked through the real
 * gateway, the real `openai` SDK and a fake Anthropic Messages API (which puts the user's text
 * into the tool's `query` argument).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAnthropicServer, startFakeAnthropicServer } from '../fakes/fake-anthropic-server.js';
import { type Harness, startHarness } from '../helpers/harness.js';

const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'weather', parameters: { type: 'object', properties: {} } },
};
const ASK = 'please call tool for ann.lee@example.com';

describe('tool-call arguments from an Anthropic upstream', () => {
  let fake: FakeAnthropicServer;
  let harness: Harness;

  beforeAll(async () => {
    fake = await startFakeAnthropicServer({ apiKey: 'anthropic-secret' });
    harness = await startHarness(
      {
        providers: [
          { name: 'claude', type: 'anthropic', base_url: fake.url, api_key_env: 'TEST_ANTHROPIC_KEY' },
        ],
        models: [{ name: 'claude', provider: 'claude', upstream_model: 'claude-sonnet-4-5' }],
      },
      { env: { TEST_ANTHROPIC_KEY: 'anthropic-secret' } },
    );
    const pushed = await harness.api('POST', '/api/guard/policies', {
      name: 'no-pii-out',
      rules: [{ scanner: 'pii', stage: 'output', action: 'redact' }],
    });
    expect(pushed.status).toBe(201);
    expect(
      (await harness.api('POST', '/api/stacks', { name: 'agent', model: 'claude', guard: 'no-pii-out' }))
        .status,
    ).toBe(201);
    await harness.api('POST', '/api/stacks/agent/deploy', { environment: 'production', version: 'latest' });
  });
  afterAll(async () => {
    await harness?.close();
    await fake?.close();
  });

  it('redacts an address in a whole answer tool call', async () => {
    const { data, response } = await harness.client.chat.completions
      .create({ model: 'agent', messages: [{ role: 'user', content: ASK }], tools: [weatherTool] })
      .withResponse();
    const call = data.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    const args = JSON.parse(call?.type === 'function' ? call.function.arguments : '{}');
    expect(args.query).not.toContain('ann.lee@example.com');
    expect(args.query).toMatch(/^please call tool for \[EMAIL[^\]]*\]$/);
    expect(response.headers.get('x-stackops-guard')).toBe('output=redact');
  });

  it('redacts an address in streamed tool-call fragments, and the SDK still assembles valid JSON', async () => {
    const stream = await harness.client.chat.completions.create({
      model: 'agent',
      messages: [{ role: 'user', content: ASK }],
      tools: [weatherTool],
      stream: true,
    });
    let argumentsText = '';
    let finish: string | null = null;
    for await (const chunk of stream) {
      const call = chunk.choices[0]?.delta.tool_calls?.[0];
      if (call?.function?.arguments) argumentsText += call.function.arguments;
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(finish).toBe('tool_calls');
    expect(argumentsText).not.toContain('ann.lee');
    expect(JSON.parse(argumentsText).query).toMatch(/^please call tool for \[EMAIL[^\]]*\]$/);
  });
});
