import { describe, expect, it } from 'vitest';
import {
  AppError,
  costOf,
  formatTraceParent,
  hashApiKey,
  newApiKeySecret,
  newSpanId,
  newTraceId,
  parseTraceParent,
  pricingFor,
  usageCounts,
} from '../../src/core/index.js';

describe('traceparent', () => {
  const valid = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  it.each([
    [valid, { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7', sampled: true }],
    [
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00',
      { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7', sampled: false },
    ],
    ['00-00000000000000000000000000000000-00f067aa0ba902b7-01', null],
    ['00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01', null],
    ['ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', null],
    ['00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01', null],
    ['garbage', null],
    [undefined, null],
  ])('parses %s', (header, expected) => {
    expect(parseTraceParent(header)).toEqual(expected);
  });

  it('round-trips', () => {
    const traceId = newTraceId();
    const spanId = newSpanId();
    expect(parseTraceParent(formatTraceParent(traceId, spanId))).toEqual({
      traceId,
      parentSpanId: spanId,
      sampled: true,
    });
  });
});

describe('ids', () => {
  it('makes W3C-shaped ids that differ', () => {
    const traceIds = new Set(Array.from({ length: 1000 }, newTraceId));
    expect(traceIds.size).toBe(1000);
    for (const id of traceIds) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(newSpanId()).toMatch(/^[0-9a-f]{16}$/);
  });

  it('hashes API keys with SHA-256 and never returns the secret', () => {
    const secret = newApiKeySecret();
    expect(secret).toMatch(/^sk-so-[0-9A-Za-z]{40}$/);
    expect(hashApiKey(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(secret)).not.toContain(secret);
  });
});

describe('pricing', () => {
  const pricing = { input_per_mtok: 0.4, output_per_mtok: 1.2, cached_input_per_mtok: 0.1 };
  it.each([
    [
      {
        inputTokens: 1_000_000,
        outputTokens: 0,
        cachedInputTokens: 0,
        cacheWriteInputTokens: 0,
        reasoningTokens: 0,
      },
      0.4,
    ],
    [
      {
        inputTokens: 0,
        outputTokens: 1_000_000,
        cachedInputTokens: 0,
        cacheWriteInputTokens: 0,
        reasoningTokens: 0,
      },
      1.2,
    ],
    [
      {
        inputTokens: 1_000_000,
        outputTokens: 0,
        cachedInputTokens: 500_000,
        cacheWriteInputTokens: 0,
        reasoningTokens: 0,
      },
      0.25,
    ],
    [
      {
        inputTokens: 1000,
        outputTokens: 500,
        cachedInputTokens: 0,
        cacheWriteInputTokens: 0,
        reasoningTokens: 200,
      },
      0.001,
    ],
  ])('costs %o at %d', (counts, expected) => {
    expect(costOf(pricing, counts)).toBeCloseTo(expected, 10);
  });

  it('bills cached tokens at the input price when no cached price is set', () => {
    expect(
      costOf(
        { input_per_mtok: 1, output_per_mtok: 2 },
        usageCounts({
          prompt_tokens: 10,
          completion_tokens: 5,
          total_tokens: 15,
          prompt_tokens_details: { cached_tokens: 4 },
        }),
      ),
    ).toBeCloseTo(20e-6, 12);
  });

  it('bills cache writes and cache reads at the rates the price table states', () => {
    // 1000 prompt tokens: 600 uncached, 300 written to the cache, 100 read from it.
    const counts = usageCounts({
      prompt_tokens: 1000,
      completion_tokens: 10,
      total_tokens: 1010,
      prompt_tokens_details: { cached_tokens: 100, cache_creation_tokens: 300 },
    });
    expect(counts.cacheWriteInputTokens).toBe(300);
    const listed = {
      input_per_mtok: 3,
      output_per_mtok: 15,
      cached_input_per_mtok: 0.3,
      cache_write_input_per_mtok: 3.75,
    };
    expect(costOf(listed, counts)).toBeCloseTo((600 * 3 + 300 * 3.75 + 100 * 0.3 + 10 * 15) / 1e6, 12);
  });

  it("fills Anthropic's cache rates (write 1.25x, read 0.1x input) where the table states none", () => {
    const counts = usageCounts({
      prompt_tokens: 1000,
      completion_tokens: 10,
      total_tokens: 1010,
      prompt_tokens_details: { cached_tokens: 100, cache_creation_tokens: 300 },
    });
    const anthropic = pricingFor({ input_per_mtok: 3, output_per_mtok: 15 }, 'anthropic');
    expect(anthropic).toEqual({
      input_per_mtok: 3,
      output_per_mtok: 15,
      cached_input_per_mtok: expect.closeTo(0.3, 12),
      cache_write_input_per_mtok: expect.closeTo(3.75, 12),
    });
    expect(costOf(anthropic, counts)).toBeCloseTo((600 * 3 + 300 * 3.75 + 100 * 0.3 + 10 * 15) / 1e6, 12);
    // A stated rate wins; other vendors keep the input price for what the table does not state.
    expect(
      pricingFor({ input_per_mtok: 3, output_per_mtok: 15, cached_input_per_mtok: 1 }, 'anthropic'),
    ).toMatchObject({
      cached_input_per_mtok: 1,
    });
    expect(pricingFor({ input_per_mtok: 3, output_per_mtok: 15 }, 'openai-compatible')).toEqual({
      input_per_mtok: 3,
      output_per_mtok: 15,
    });
    expect(pricingFor(undefined, 'anthropic')).toBeUndefined();
  });

  it('reads cache writes an OpenAI-shaped proxy reports at the top level of usage', () => {
    expect(
      usageCounts({
        prompt_tokens: 50,
        completion_tokens: 1,
        total_tokens: 51,
        cache_creation_input_tokens: 20,
      }).cacheWriteInputTokens,
    ).toBe(20);
  });

  it('is zero without a price table', () => {
    expect(
      costOf(undefined, usageCounts({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 })),
    ).toBe(0);
  });

  it('reads cached and reasoning tokens from OpenAI usage', () => {
    expect(
      usageCounts({
        prompt_tokens: 100,
        completion_tokens: 50,
        total_tokens: 150,
        prompt_tokens_details: { cached_tokens: 30 },
        completion_tokens_details: { reasoning_tokens: 20 },
      }),
    ).toEqual({
      inputTokens: 100,
      outputTokens: 50,
      cachedInputTokens: 30,
      cacheWriteInputTokens: 0,
      reasoningTokens: 20,
    });
  });
});

describe('AppError', () => {
  it('renders the OpenAI error shape', () => {
    const error = new AppError('model_not_found', 'The model "x" does not exist.', { param: 'model' });
    expect(error.status).toBe(404);
    expect(error.toBody()).toEqual({
      error: {
        message: 'The model "x" does not exist.',
        type: 'invalid_request_error',
        code: 'model_not_found',
        param: 'model',
      },
    });
  });
});
