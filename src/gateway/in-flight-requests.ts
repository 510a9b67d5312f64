/**
 * Counts the gateway requests still running, so that shutdown can wait for them to record their
 * traces: a stream cut at the drain deadline finishes (and enqueues its trace) a few ticks after
 * its socket closed, which is after the HTTP server reports itself closed.
 */
export class InFlightRequests {
  #count = 0;
  #waiting: Array<() => void> = [];

  get count(): number {
    return this.#count;
  }

  begin(): void {
    this.#count++;
  }

  end(): void {
    this.#count--;
    if (this.#count === 0) for (const resolve of this.#waiting.splice(0)) resolve();
  }

  /** Resolves once no request runs, or after `timeoutMs` at the latest. */
  idle(timeoutMs: number): Promise<void> {
    if (this.#count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.#waiting.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
