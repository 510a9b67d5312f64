/**
 * Calling a provider adapter directly, as the gateway does: call options with the test
 * timeouts, a stream collected into an array, and a rejection checked to be an UpstreamError.
 */
import { expect } from 'vitest';
import { type ChatCompletionChunk, UpstreamError } from '../../src/core/index.js';
import type { CallOptions } from '../../src/providers/index.js';

/** A fresh signal, 2 s to connect, 5 s for the headers and 5 s of body silence, unless `overrides` says otherwise. */
export function callOptions(overrides: Partial<CallOptions> = {}): CallOptions {
  return {
    signal: new AbortController().signal,
    connectTimeoutMs: 2000,
    headersTimeoutMs: 5000,
    bodyTimeoutMs: 5000,
    ...overrides,
  };
}

export async function collect(iterable: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of iterable) chunks.push(chunk);
  return chunks;
}

/** The error `promise` rejects with; fails the test unless it is an UpstreamError. */
export async function caught(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamError);
    return error as UpstreamError;
  }
  throw new Error('expected a rejection');
}
