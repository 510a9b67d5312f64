/**
 * Knowledge cleanup: removes the rows of deleted snapshots and bases, and of builds that
 * crashed. Deletion only marks (readers stop seeing the snapshot at once); the rows go here, in
 * batches of `batchSize` rows, one short transaction each, yielding to the event loop between
 * batches so the gateway never waits behind it. A sweep runs soon after start and then every
 * `intervalMs`, and resumes whatever a crash or a failed batch left marked.
 *
 * A crashed build is told from a slow one by its heartbeat: the builder writes the snapshot row
 * at begin and with every content batch, and only a building snapshot whose last write is older
 * than `staleBuildMs` is expired. Any replica may expire another's build, so `staleBuildMs` must
 * exceed the slowest batch plus the clock skew between replicas (store times are app clocks).
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { PeriodicTask } from '../core/index.js';
import type { SnapshotRef, Store } from '../store/index.js';

export interface KnowledgeCleanupOptions {
  staleBuildMs: number;
  /** Rows deleted per transaction. */
  batchSize: number;
  intervalMs: number;
  firstSweepDelayMs?: number;
  onError?: (error: unknown) => void;
}

export interface KnowledgeSweepResult {
  expiredBuilds: number;
  purgedSnapshots: number;
  purgedBases: number;
  rowsDeleted: number;
}

/**
 * Rows per purge transaction: a few milliseconds of SQLite's main connection (which API requests
 * share), a small lock and WAL footprint on Postgres.
 */
export const PURGE_BATCH_ROWS = 500;

/** Marked snapshots (or bases) taken per listing; a sweep lists again until none are left. */
const LIST_PAGE = 100;

/** Deletes every row of a snapshot marked deleted, batch by batch; returns the rows deleted. */
export async function purgeSnapshotRows(store: Store, ref: SnapshotRef, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await store.knowledge.purgeSnapshot(ref.projectId, ref.base, ref.version, batchSize);
    if (deleted === 0) return total;
    total += deleted;
    await yieldToEventLoop();
  }
}

/** Deletes every row of a base marked deleted (documents, snapshots, then the base row). */
export async function purgeBaseRows(
  store: Store,
  ref: { projectId: string; base: string },
  batchSize: number,
): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await store.knowledge.purgeBase(ref.projectId, ref.base, batchSize);
    if (deleted === 0) return total;
    total += deleted;
    await yieldToEventLoop();
  }
}

export class KnowledgeCleanup {
  private readonly task: PeriodicTask<KnowledgeSweepResult>;

  constructor(
    private readonly store: Store,
    private readonly options: KnowledgeCleanupOptions,
  ) {
    this.task = new PeriodicTask(() => this.run(Date.now()), {
      intervalMs: options.intervalMs,
      firstDelayMs: options.firstSweepDelayMs,
    });
  }

  start(): void {
    this.task.start();
  }

  /** One pass; `now` is the clock builds are judged by. Joins a sweep in progress. */
  sweep(now = Date.now()): Promise<KnowledgeSweepResult> {
    return this.task.run(() => this.run(now));
  }

  /** Stops the timer; a sweep in progress ends after its current snapshot. */
  stop(): Promise<void> {
    return this.task.stop();
  }

  private async run(now: number): Promise<KnowledgeSweepResult> {
    const result: KnowledgeSweepResult = {
      expiredBuilds: 0,
      purgedSnapshots: 0,
      purgedBases: 0,
      rowsDeleted: 0,
    };
    try {
      result.expiredBuilds = (
        await this.store.knowledge.expireStaleBuilds(now - this.options.staleBuildMs)
      ).length;
      while (!this.task.stopped) {
        const marked = await this.store.knowledge.listDeletedSnapshots(LIST_PAGE);
        for (const ref of marked) {
          if (this.task.stopped) break;
          result.rowsDeleted += await purgeSnapshotRows(this.store, ref, this.options.batchSize);
          result.purgedSnapshots++;
        }
        if (marked.length < LIST_PAGE) break;
      }
      while (!this.task.stopped) {
        const marked = await this.store.knowledge.listDeletedBases(LIST_PAGE);
        for (const ref of marked) {
          if (this.task.stopped) break;
          result.rowsDeleted += await purgeBaseRows(this.store, ref, this.options.batchSize);
          result.purgedBases++;
        }
        if (marked.length < LIST_PAGE) break;
      }
      return result;
    } catch (error) {
      this.options.onError?.(error);
      throw error;
    }
  }
}
