/**
 * Backoff for upstream retries: exponential with "equal jitter" (half fixed, half random),
 * capped, and honouring the upstream's `retry-after` when it asks for longer.
 */
import type { RetryConfig } from '../core/index.js';

/** Milliseconds to wait before attempt `attempt + 1` (attempt counts from 1). */
export function backoffDelay(
  retry: RetryConfig,
  attempt: number,
  retryAfterSeconds?: number,
  random = Math.random,
): number {
  const exponential = Math.min(retry.max_delay_ms, retry.initial_delay_ms * 2 ** (attempt - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds)) {
    return Math.max(jittered, retryAfterSeconds * 1000);
  }
  return jittered;
}

/** A `retry-after` longer than the policy's cap is not worth waiting for: go to the fallback. */
export function retryAfterTooLong(retry: RetryConfig, retryAfterSeconds?: number): boolean {
  return retryAfterSeconds !== undefined && retryAfterSeconds * 1000 > retry.max_delay_ms;
}

export function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
