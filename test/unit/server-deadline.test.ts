import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { withDeadline } from '../../src/server/deadline.js';

/** Work that waits for its signal and rejects with the abort's reason, as guard code does. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

describe('withDeadline', () => {
  it('answers 504 upstream_timeout naming what took too long when the work outlives it', async () => {
    const error = await withDeadline(20, 'The replay', 'Replay fewer traces.', untilAborted).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'upstream_timeout', status: 504 });
    expect((error as Error).message).toBe('The replay took longer than 0.02 s. Replay fewer traces.');
  });

  it('passes the result, and errors that are not the deadline, through', async () => {
    expect(await withDeadline(1000, 'x', '', async () => 7)).toBe(7);
    expect(await withDeadline(1000, 'x', '', () => 8)).toBe(8);
    const invalid = new AppError('not_found', 'Stack "nope" not found');
    await expect(withDeadline(1000, 'x', '', async () => Promise.reject(invalid))).rejects.toBe(invalid);
    const plain = new Error('disk on fire');
    await expect(withDeadline(1000, 'x', '', () => Promise.reject(plain))).rejects.toBe(plain);
  });
});
