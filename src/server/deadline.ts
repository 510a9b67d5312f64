/**
 * A control-plane call with a deadline: `work` gets a signal that aborts after `ms`, and a
 * call that outlives it answers 504 `upstream_timeout` naming what took too long and what to
 * do about it, in the API's error shape — not the 500 `internal` that the abort's own
 * TimeoutError would become.
 */
import { AppError } from '../core/index.js';

export async function withDeadline<T>(
  ms: number,
  what: string,
  hint: string,
  work: (signal: AbortSignal) => T | Promise<T>,
): Promise<T> {
  const signal = AbortSignal.timeout(ms);
  try {
    return await work(signal);
  } catch (error) {
    if (signal.aborted && !(error instanceof AppError && error.code !== 'internal'))
      throw new AppError('upstream_timeout', `${what} took longer than ${ms / 1000} s. ${hint}`, {
        cause: error,
      });
    throw error;
  }
}
