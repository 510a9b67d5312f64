/**
 * Trace retention: every `intervalMs`, and once soon after start, deletes the traces (with
 * their spans and parts) of every project that started more than `retentionDays` ago. The
 * store deletes in bounded batches (`batchSize` traces, one short transaction each, on SQLite
 * in the trace-writer worker), and the sweep yields to the event loop between batches, so it
 * never holds up the gateway; sweeps never overlap. Several replicas may sweep one Postgres at
 * once: the store skips rows another replica is deleting, so the only cost is a wasted query.
 * A failed batch (the database away) ends the sweep; the next one starts over.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { PeriodicTask } from '../core/index.js';

export interface RetentionStore {
  projects: { list(): Promise<Array<{ id: string }>> };
  traces: { deleteOlderThan(projectId: string, before: number, limit: number): Promise<number> };
}

export interface TraceRetentionOptions {
  retentionDays: number;
  /** Traces deleted per transaction. */
  batchSize: number;
  intervalMs: number;
  /** Delay of the first sweep after start(), so it does not compete with startup work. */
  firstSweepDelayMs?: number;
  onError?: (error: unknown) => void;
}

export interface TraceRetentionStats {
  /** Traces deleted since start. */
  deleted: number;
  sweeps: number;
  failedSweeps: number;
  /** End of the last sweep that completed, epoch ms (null: none yet). */
  lastSweepAt: number | null;
}

const DAY_MS = 86_400_000;

export class TraceRetention {
  private readonly task: PeriodicTask<number>;
  private readonly counters: TraceRetentionStats = {
    deleted: 0,
    sweeps: 0,
    failedSweeps: 0,
    lastSweepAt: null,
  };

  constructor(
    private readonly store: RetentionStore,
    private readonly options: TraceRetentionOptions,
  ) {
    this.task = new PeriodicTask(() => this.run(), {
      intervalMs: options.intervalMs,
      firstDelayMs: options.firstSweepDelayMs,
    });
  }

  start(): void {
    this.task.start();
  }

  stats(): TraceRetentionStats {
    return { ...this.counters };
  }

  /** One pass over every project; resolves to the traces deleted. Joins a sweep in progress. */
  sweep(): Promise<number> {
    return this.task.run();
  }

  /** Stops the timer; a sweep in progress ends after its current batch. */
  stop(): Promise<void> {
    return this.task.stop();
  }

  private async run(): Promise<number> {
    const before = Date.now() - this.options.retentionDays * DAY_MS;
    let deleted = 0;
    try {
      for (const project of await this.store.projects.list()) {
        while (!this.task.stopped) {
          const count = await this.store.traces.deleteOlderThan(project.id, before, this.options.batchSize);
          deleted += count;
          this.counters.deleted += count;
          if (count < this.options.batchSize) break;
          await yieldToEventLoop();
        }
        if (this.task.stopped) break;
      }
      this.counters.sweeps++;
      this.counters.lastSweepAt = Date.now();
      return deleted;
    } catch (error) {
      this.counters.failedSweeps++;
      this.options.onError?.(error);
      throw error;
    }
  }
}
