/**
 * Bounded fan-out within one request. The gateway judges the user messages of a conversation,
 * and the tool results it sends back, together, so that a remote guard model is asked about them
 * at once rather than one after another; but one request may carry thousands of them (up to the
 * body limit), and each was a call at once — thousands of connections to the guard model from
 * a single request. Tasks start in order, at most `limit` running at a time.
 */

/** Calls to a remote guard model one request runs at once. */
export const REMOTE_FAN_OUT = 8;

/**
 * `task` for each item, at most `limit` running at once, started in item order; results in item
 * order. Once `signal` is aborted no further task starts (its promise rejects with the reason):
 * a request answered already — its first message blocked — must not go on calling the guard model.
 */
export function startLimited<Item, Result>(
  items: readonly Item[],
  limit: number,
  task: (item: Item, index: number) => Result | Promise<Result>,
  signal?: AbortSignal,
): Array<Promise<Result>> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return items.map(async (item, index) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    if (signal?.aborted) {
      waiting.shift()?.();
      throw signal.reason;
    }
    running++;
    try {
      return await task(item, index);
    } finally {
      running--;
      waiting.shift()?.();
    }
  });
}
