/**
 * The built-in responder (no model) through the public factory: extractive answers, echo,
 * streaming word by word, usage estimates, hashed embeddings good enough for retrieval
 * tests, and abort handling.
 */
import { describe, expect, it } from 'vitest';
import { AppError, type ChatCompletionRequest, providerSchema } from '../../src/core/index.js';
import { createProvider, DEFAULT_EMBEDDING_DIMENSIONS } from '../../src/providers/index.js';
import { callOptions, collect } from '../helpers/provider-calls.js';

const provider = createProvider(providerSchema.parse({ name: 'local', type: 'local-extractive' }));

function chat(
  messages: ChatCompletionRequest['messages'],
  extra: Partial<ChatCompletionRequest> = {},
): ChatCompletionRequest {
  return { model: 'local-extractive', messages, ...extra };
}

const KNOWLEDGE = [
  'Paris is the capital of France.',
  'The Eiffel Tower was completed in 1889.',
  'Berlin is the capital of Germany.',
  'Bananas are rich in potassium.',
].join(' ');

describe('local-extractive chat', () => {
  it.each([
    ['echoes without context', [{ role: 'user', content: 'Hello there!' }], 'You said: Hello there!'],
    [
      'extracts from the system message',
      [
        { role: 'system', content: KNOWLEDGE },
        { role: 'user', content: 'What is the capital of Germany?' },
      ],
      'Berlin is the capital of Germany.',
    ],
    [
      'extracts from a <context> block and leaves the question out of the context',
      [
        {
          role: 'user',
          content: `<context>\n${KNOWLEDGE}\n</context>\nWhen was the Eiffel Tower completed?`,
        },
      ],
      'The Eiffel Tower was completed in 1889.',
    ],
    [
      'extracts from numbered sources under Context: / Question:',
      [
        {
          role: 'user',
          content:
            'Context:\n[1] Bananas are rich in potassium.\n[2] Apples keep doctors away.\n\nQuestion: Which fruit has potassium?',
        },
      ],
      'Bananas are rich in potassium.',
    ],
    [
      'uses tool results as context',
      [
        { role: 'user', content: 'How tall is Mount Everest?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'search', arguments: '{}' } }],
        },
        {
          role: 'tool',
          tool_call_id: 'c1',
          content: 'Mount Everest is 8,849 metres tall. It lies in the Himalayas.',
        },
        { role: 'user', content: 'How tall is Mount Everest?' },
      ],
      'Mount Everest is 8,849 metres tall.',
    ],
    [
      'says so when explicit context has no answer',
      [{ role: 'user', content: `<context>${KNOWLEDGE}</context>\nWho painted the Mona Lisa?` }],
      'I could not find an answer to that in the provided context.',
    ],
    [
      'echoes when only a system prompt exists and nothing matches',
      [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'ping' },
      ],
      'You said: ping',
    ],
  ] as Array<[string, ChatCompletionRequest['messages'], string]>)('%s', async (_name, messages, answer) => {
    const completion = await provider.chat(chat(messages), callOptions());
    expect(completion.choices[0]?.message.content).toBe(answer);
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.model).toBe('local-extractive');
  });

  it('is deterministic and reports the documented token estimate', async () => {
    const request = chat([
      { role: 'system', content: KNOWLEDGE },
      { role: 'user', content: 'capital of France?' },
    ]);
    const first = await provider.chat(request, callOptions());
    const second = await provider.chat(request, callOptions());
    expect(second.choices).toEqual(first.choices);
    expect(second.id).toBe(first.id);
    const answer = first.choices[0]!.message.content as string;
    const prompt = Math.ceil((KNOWLEDGE.length + 'capital of France?'.length) / 4);
    expect(first.usage).toEqual({
      prompt_tokens: prompt,
      completion_tokens: Math.ceil(answer.length / 4),
      total_tokens: prompt + Math.ceil(answer.length / 4),
    });
  });

  it('rejects an already aborted call', async () => {
    const controller = new AbortController();
    controller.abort(new AppError('conflict', 'gone'));
    await expect(
      provider.chat(chat([{ role: 'user', content: 'x' }]), callOptions({ signal: controller.signal })),
    ).rejects.toThrow('gone');
  });
});

describe('local-extractive stream', () => {
  it('streams the same answer word by word: role, words, finish, then usage when asked', async () => {
    const request = chat(
      [
        { role: 'system', content: KNOWLEDGE },
        { role: 'user', content: 'When was the Eiffel Tower completed?' },
      ],
      { stream: true, stream_options: { include_usage: true } },
    );
    const chunks = await collect(await provider.stream(request, callOptions()));
    const completion = await provider.chat(request, callOptions());
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    const words = chunks.slice(1, -2).map((chunk) => chunk.choices[0]?.delta.content);
    expect(words).toEqual(['The ', 'Eiffel ', 'Tower ', 'was ', 'completed ', 'in ', '1889.']);
    expect(words.join('')).toBe(completion.choices[0]?.message.content);
    expect(chunks.at(-2)?.choices[0]).toEqual({ index: 0, delta: {}, finish_reason: 'stop' });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: completion.usage });
  });

  it('sends no usage chunk unless asked', async () => {
    const chunks = await collect(
      await provider.stream(chat([{ role: 'user', content: 'hi' }]), callOptions()),
    );
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.every((chunk) => chunk.usage === undefined)).toBe(true);
  });

  it('stops when the signal aborts mid-stream', async () => {
    const controller = new AbortController();
    const iterator = (
      await provider.stream(
        chat([{ role: 'user', content: 'a b c d e' }]),
        callOptions({ signal: controller.signal }),
      )
    )[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    controller.abort();
    await expect(iterator.next()).rejects.toMatchObject({
      code: 'upstream_error',
      details: { aborted: true },
    });
  });
});

describe('local-extractive embeddings', () => {
  const cosine = (left: number[], right: number[]) =>
    left.reduce((sum, value, index) => sum + value * right[index]!, 0);

  it('returns deterministic, L2-normalised hashed vectors', async () => {
    const response = await provider.embed(
      { model: 'local-embedding', input: ['refund policy for orders', 'refund policy for orders'] },
      callOptions(),
    );
    const [first, second] = response.data.map((item) => item.embedding as number[]);
    expect(first).toHaveLength(DEFAULT_EMBEDDING_DIMENSIONS);
    expect(second).toEqual(first);
    expect(Math.hypot(...first!)).toBeCloseTo(1, 10);
    expect(response.usage.prompt_tokens).toBe(2 * Math.ceil('refund policy for orders'.length / 4));
  });

  it('ranks a document sharing words above unrelated ones (enough for retrieval tests)', async () => {
    const documents = [
      'Orders can be returned within 30 days for a full refund.',
      'Our office is closed on public holidays.',
      'Shipping to Canada takes five business days.',
    ];
    const response = await provider.embed(
      { model: 'local-embedding', input: [...documents, 'How do I get a refund for returned orders?'] },
      callOptions(),
    );
    const vectors = response.data.map((item) => item.embedding as number[]);
    const query = vectors.pop()!;
    const scores = vectors.map((vector) => cosine(vector, query));
    expect(scores.indexOf(Math.max(...scores))).toBe(0);
    expect(scores[0]).toBeGreaterThan(0.3);
  });

  it('honours dimensions, base64 encoding and token-array input', async () => {
    const floats = await provider.embed({ model: 'e', input: 'hello world', dimensions: 16 }, callOptions());
    const base64 = await provider.embed(
      { model: 'e', input: 'hello world', dimensions: 16, encoding_format: 'base64' },
      callOptions(),
    );
    const bytes = Uint8Array.from(Buffer.from(base64.data[0]?.embedding as string, 'base64'));
    const decoded = Array.from(new Float32Array(bytes.buffer));
    expect(decoded.map((value) => value.toFixed(5))).toEqual(
      (floats.data[0]!.embedding as number[]).map((value) => value.toFixed(5)),
    );
    const tokens = await provider.embed(
      {
        model: 'e',
        input: [
          [1, 2, 3],
          [1, 2, 3],
        ],
        dimensions: 8,
      },
      callOptions(),
    );
    expect(tokens.data[0]?.embedding).toEqual(tokens.data[1]?.embedding);
    await expect(
      provider.embed({ model: 'e', input: 'x', dimensions: 0 }, callOptions()),
    ).rejects.toMatchObject({
      param: 'dimensions',
    });
  });
});
