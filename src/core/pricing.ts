/** Cost of a generation from a model's price table (USD per million tokens). */
import type { Usage } from './openai-types.js';

export interface Pricing {
  input_per_mtok: number;
  output_per_mtok: number;
  /** Price of prompt tokens served from the provider's prompt cache; defaults to the input price. */
  cached_input_per_mtok?: number | undefined;
}

export interface UsageCounts {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  reasoningTokens: number;
}

/**
 * A token count as the upstream reported it, or 0 when it is not one (a string, NaN, negative,
 * past 2^53): upstreams are not validated, and such a value made the trace batch holding it
 * fail on every retry (NOT NULL / bigint range), blocking every trace behind it.
 */
export function tokenCount(value: unknown): number {
  return typeof value === 'number' && value >= 0 && value <= Number.MAX_SAFE_INTEGER ? Math.round(value) : 0;
}

export function usageCounts(usage: Usage | null | undefined): UsageCounts {
  return {
    inputTokens: tokenCount(usage?.prompt_tokens),
    outputTokens: tokenCount(usage?.completion_tokens),
    cachedInputTokens: tokenCount(usage?.prompt_tokens_details?.cached_tokens),
    reasoningTokens: tokenCount(usage?.completion_tokens_details?.reasoning_tokens),
  };
}

/**
 * Cached prompt tokens are a subset of prompt tokens (OpenAI semantics), billed at the cached
 * price; reasoning tokens are a subset of completion tokens and billed as output.
 */
export function costOf(pricing: Pricing | undefined, counts: UsageCounts): number {
  if (!pricing) return 0;
  const cached = Math.min(counts.cachedInputTokens, counts.inputTokens);
  const uncached = counts.inputTokens - cached;
  const cachedPrice = pricing.cached_input_per_mtok ?? pricing.input_per_mtok;
  const cost =
    (uncached * pricing.input_per_mtok +
      cached * cachedPrice +
      counts.outputTokens * pricing.output_per_mtok) /
    1e6;
  return Math.round(cost * 1e10) / 1e10;
}
