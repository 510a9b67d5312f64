/**
 * One upstream attempt's abort plumbing: a controller linked to the client's signal, a total
 * timer and (for streams) a first-token timer. The abort reason says why, so the error
 * classifier can tell a timeout from a client disconnect.
 */
import { AppError, type TimeoutConfig, UpstreamError } from '../core/index.js';

export class AttemptControl {
  readonly controller = new AbortController();
  private totalTimer: NodeJS.Timeout;
  private firstTokenTimer: NodeJS.Timeout | null = null;
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

  /** The error to report: our abort reason when we aborted, else the thrown error. */
  explain(error: unknown): unknown {
    return this.controller.signal.aborted ? this.controller.signal.reason : error;
  }

  dispose(): void {
    clearTimeout(this.totalTimer);
    if (this.firstTokenTimer) clearTimeout(this.firstTokenTimer);
    this.clientSignal.removeEventListener('abort', this.onClientAbort);
  }
}
