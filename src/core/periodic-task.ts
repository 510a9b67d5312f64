/**
 * A background job — a retention or cleanup sweep — run once soon after start and then every
 * interval, off the request path: runs never overlap (a run asked for while one is in progress
 * joins it), the timers never keep the process alive, and `stop()` waits for the run in
 * progress, which should check `stopped` between its batches to end early.
 */
export interface PeriodicTaskOptions {
  intervalMs: number;
  /** Delay of the first run after start(), so it does not compete with startup work. */
  firstDelayMs?: number;
}

export class PeriodicTask<T> {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<T> | null = null;
  private stopRequested = false;

  constructor(
    private readonly job: () => Promise<T>,
    private readonly options: PeriodicTaskOptions,
  ) {}

  /** True once stop() was called: a run in progress should end after its current batch. */
  get stopped(): boolean {
    return this.stopRequested;
  }

  start(): void {
    if (this.timer !== null || this.stopRequested) return;
    // A failed run is the job's to report (its own error hook); the timer goes on.
    const tick = (): void => {
      void this.run().catch(() => {});
    };
    this.timer = setTimeout(() => {
      tick();
      this.timer = setInterval(tick, this.options.intervalMs);
      this.timer.unref();
    }, this.options.firstDelayMs ?? 0);
    this.timer.unref();
  }

  /** Runs the job now (`job` instead of the usual one, e.g. with a given clock), or joins the run in progress. */
  run(job: () => Promise<T> = this.job): Promise<T> {
    this.running ??= job().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Stops the timers and waits for the run in progress. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      clearInterval(this.timer);
      this.timer = null;
    }
    await this.running?.catch(() => {});
  }
}
