/**
 * One upstream attempt's abort plumbing: a controller linked to the client's signal, a total
 * timer and (for streams) a first-token timer and an idle watch. The abort reason says why, so
 * the error classifier can tell a timeout from a client disconnect.
 */
import { AppError, type TimeoutConfig, UpstreamError } from '../core/index.js';

export class AttemptControl {
  readonly controller = new AbortController();
  private totalTimer: NodeJS.Timeout;
  private firstTokenTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private idleMs = 0;
  /** performance.now() of the last chunk the relay took from the upstream. */
  lastChunkAt = 0;
  /** True while the relay waits for the client to read (its silence, not the upstream's). */
  waitingForClient = false;
  private readonly onClientAbort = () => {
    this.controller.abort(new AppError('client_closed', 'The client closed the connection.'));
  };

  constructor(
    private readonly clientSignal: AbortSignal,
    timeouts: TimeoutConfig,
  ) {
    if (clientSignal.aborted) this.onClientAbort();
    else clientSignal.addEventListener('abort', this.onClientAbort, { once: true });
    this.totalTimer = setTimeout(() => {
      this.controller.abort(
        new UpstreamError('upstream_timeout', `Upstream did not finish within ${timeouts.total_ms} ms.`, {
          retryable: true,
        }),
      );
    }, timeouts.total_ms);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  startFirstTokenTimer(milliseconds: number): void {
    this.firstTokenTimer = setTimeout(() => {
      this.controller.abort(
        new UpstreamError('upstream_timeout', `No first token within ${milliseconds} ms.`, {
          retryable: true,
        }),
      );
    }, milliseconds);
  }

  firstTokenArrived(): void {
    if (this.firstTokenTimer) clearTimeout(this.firstTokenTimer);
    this.firstTokenTimer = null;
  }

  /**
   * Ends the stream when the upstream sends nothing for `milliseconds` after its first token (a
   * stalled generation would otherwise hold the request, kept alive by keep-alive comments, until
   * total_ms). The relay stamps `lastChunkAt` per chunk — a clock read, no timer work per chunk —
   * and the one timer re-arms for the time left; waiting on a slow client is not idleness.
   */
  startIdleWatch(milliseconds: number): void {
    this.idleMs = milliseconds;
    this.lastChunkAt = performance.now();
    this.idleTimer = setTimeout(this.checkIdle, milliseconds);
  }

  private readonly checkIdle = (): void => {
    const silent = performance.now() - this.lastChunkAt;
    if (this.waitingForClient || silent < this.idleMs) {
      this.idleTimer = setTimeout(this.checkIdle, this.waitingForClient ? this.idleMs : this.idleMs - silent);
      return;
    }
    this.controller.abort(
      new UpstreamError('upstream_timeout', `The upstream sent nothing for ${this.idleMs} ms (idle_ms).`, {
        retryable: true,
      }),
    );
  };

  /** The error to report: our abort reason when we aborted, else the thrown error. */
  explain(error: unknown): unknown {
    return this.controller.signal.aborted ? this.controller.signal.reason : error;
  }

  dispose(): void {
    clearTimeout(this.totalTimer);
    if (this.firstTokenTimer) clearTimeout(this.firstTokenTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.clientSignal.removeEventListener('abort', this.onClientAbort);
  }
}
