/**
 * Cost of a generation from a model's price table (USD per million tokens): the one place
 * tokens become money. Prompt tokens split three ways — uncached, read from the provider's
 * prompt cache, written to it — each at its own rate; a vendor's documented cache rates fill
 * what a model's table does not state (`pricingFor`).
 */
import type { Usage } from './openai-types.js';

export interface Pricing {
  input_per_mtok: number;
  output_per_mtok: number;
  /** Prompt tokens read from the provider's prompt cache; defaults to the input price (or the vendor's rate). */
  cached_input_per_mtok?: number | undefined;
  /** Prompt tokens written to the provider's prompt cache; defaults to the input price (or the vendor's rate). */
  cache_write_input_per_mtok?: number | undefined;
}

export interface UsageCounts {
  /** All prompt tokens, cache reads and writes included (OpenAI semantics). */
  inputTokens: number;
  outputTokens: number;
  /** Prompt tokens read from the cache (a subset of `inputTokens`). */
  cachedInputTokens: number;
  /** Prompt tokens written to the cache (a subset of `inputTokens`; Anthropic's cache creation). */
  cacheWriteInputTokens: number;
  reasoningTokens: number;
}

/**
 * Cache rates as multiples of the input price, for vendors that document them. Anthropic:
 * a cache write (5-minute TTL) costs 1.25x the input price, a cache read 0.1x. OpenAI-shaped
 * vendors differ per model (and most do not charge writes), so their table must say.
 */
const VENDOR_CACHE_MULTIPLIERS: Partial<Record<string, { read: number; write: number }>> = {
  anthropic: { read: 0.1, write: 1.25 },
};

/** A model's price table with its vendor's cache rates where the table states none. */
export function pricingFor(pricing: Pricing | undefined, providerType: string): Pricing | undefined {
  const multipliers = VENDOR_CACHE_MULTIPLIERS[providerType];
  if (!pricing || !multipliers) return pricing;
  return {
    ...pricing,
    cached_input_per_mtok: pricing.cached_input_per_mtok ?? pricing.input_per_mtok * multipliers.read,
    cache_write_input_per_mtok:
      pricing.cache_write_input_per_mtok ?? pricing.input_per_mtok * multipliers.write,
  };
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
  const promptDetails = usage?.prompt_tokens_details;
  return {
    inputTokens: tokenCount(usage?.prompt_tokens),
    outputTokens: tokenCount(usage?.completion_tokens),
    cachedInputTokens: tokenCount(promptDetails?.cached_tokens),
    // Our Anthropic adapter (and LiteLLM) report cache writes in the prompt details; proxies
    // that pass Anthropic's field through put it at the top level.
    cacheWriteInputTokens: tokenCount(
      promptDetails?.cache_creation_tokens ?? usage?.cache_creation_input_tokens,
    ),
    reasoningTokens: tokenCount(usage?.completion_tokens_details?.reasoning_tokens),
  };
}

/**
 * Cache reads and writes are subsets of prompt tokens, each billed at its own price (a count
 * past the prompt's is clamped to it); reasoning tokens are a subset of completion tokens and
 * billed as output.
 */
export function costOf(pricing: Pricing | undefined, counts: UsageCounts): number {
  if (!pricing) return 0;
  const cached = Math.min(counts.cachedInputTokens, counts.inputTokens);
  const written = Math.min(counts.cacheWriteInputTokens, counts.inputTokens - cached);
  const uncached = counts.inputTokens - cached - written;
  const cachedPrice = pricing.cached_input_per_mtok ?? pricing.input_per_mtok;
  const writePrice = pricing.cache_write_input_per_mtok ?? pricing.input_per_mtok;
  const cost =
    (uncached * pricing.input_per_mtok +
      cached * cachedPrice +
      written * writePrice +
      counts.outputTokens * pricing.output_per_mtok) /
    1e6;
  return Math.round(cost * 1e10) / 1e10;
}
