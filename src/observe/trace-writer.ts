/**
 * The batched trace writer: the only way traces reach the store. `enqueue` is synchronous and
 * never waits on the database; a timer flushes batches (one transaction each) in the
 * background. The buffer is bounded: when `maxBuffer` traces, or `maxBufferBytes` of the
 * content they carry, are pending, new traces are shed and counted (`stats().shed`) rather
 * than growing memory without bound. A failed batch
 * is kept at the front and retried on the next flush. `close()` flushes everything (SIGTERM).
 *
 * Unless the store refused the batch for its rows (`isDataError`): retried, such a batch would
 * fail forever and hold every later trace behind it. It is then written in halves, down to
 * the single traces that still fail, which are dropped and counted (`stats().rejected`).
 *
 * `track()` counts requests that will still record a trace; `close()` waits for them first,
 * so a stream cut by the shutdown deadline records its interrupted trace before the last flush.
 * A trace that still arrives once `close()` has finished would sit in a buffer nobody flushes
 * again: it is written at once instead (the server closes the store after the writer), counted
 * (`stats().late`), and when even that write fails it is counted (`stats().lost`) and reported
 * through `onLost` — never thrown into the request that produced it.
 */
import type { SpanRecord, TraceBatch, TraceRecord } from '../core/index.js';

export interface TraceSink {
  writeBatch(batch: TraceBatch): Promise<void>;
}

export interface TraceWriterOptions {
  flushIntervalMs: number;
  maxBatch: number;
  maxBuffer: number;
  /** Bound on the sum of the `contentBytes` given to `enqueue` (default: none). */
  maxBufferBytes?: number;
  onError?: (error: unknown) => void;
  /** Whether a write failed for the rows it carried, so that retrying it cannot succeed. */
  isDataError?: (error: unknown) => boolean;
  /** A trace enqueued after close() whose direct write failed (see `stats().lost`). */
  onLost?: (trace: TraceRecord, error: unknown) => void;
}

export interface TraceWriterStats {
  buffered: number;
  /** Content bytes of the buffered traces, as given to `enqueue`. */
  bufferedBytes: number;
  written: number;
  shed: number;
  failedFlushes: number;
  /** Traces the store refused for their content (see isDataError), dropped so the rest flow. */
  rejected: number;
  /** Traces enqueued after close() had finished, written directly rather than buffered. */
  late: number;
  /** Late traces whose direct write failed (the store was closed too): reported via onLost. */
  lost: number;
}

interface Pending {
  trace: TraceRecord;
  spans: SpanRecord[];
  bytes: number;
}

/** How long close() waits for tracked requests to record their traces. */
const TRACKED_WAIT_MS = 5_000;

export class TraceWriter {
  private queue: Pending[] = [];
  private inFlight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** close() has written its last batch: nothing will flush the buffer again. */
  private finished = false;
  private bufferedBytes = 0;
  private open = 0;
  private readonly idleWaiters: Array<() => void> = [];
  private readonly counters = { written: 0, shed: 0, failedFlushes: 0, rejected: 0, late: 0, lost: 0 };

  constructor(
    private readonly sink: TraceSink,
    private readonly options: TraceWriterOptions,
  ) {
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs);
    this.timer.unref();
  }

  /**
   * Accepts a finished trace; `contentBytes` is the size of the content it holds (prompts,
   * completions), counted against `maxBufferBytes`. Returns false when it was shed because the
   * buffer is full. After close() it writes the trace at once (see the module comment).
   */
  enqueue(trace: TraceRecord, spans: SpanRecord[], contentBytes = 0): boolean {
    if (this.finished) {
      this.writeLate({ trace, spans, bytes: contentBytes });
      return true;
    }
    if (
      this.queue.length >= this.options.maxBuffer ||
      this.bufferedBytes + contentBytes > (this.options.maxBufferBytes ?? Number.POSITIVE_INFINITY)
    ) {
      this.counters.shed++;
      return false;
    }
    this.queue.push({ trace, spans, bytes: contentBytes });
    this.bufferedBytes += contentBytes;
    if (this.queue.length >= this.options.maxBatch && !this.inFlight) void this.flush();
    return true;
  }

  private writeLate(item: Pending): void {
    this.counters.late++;
    // A promise chain that cannot reject: the caller is a request's recording stage.
    void Promise.resolve()
      .then(() => this.sink.writeBatch(toBatch([item])))
      .then(
        () => {
          this.counters.written++;
        },
        (error: unknown) => {
          this.counters.lost++;
          try {
            this.options.onLost?.(item.trace, error);
          } catch {
            // A failing report must not become an unhandled rejection.
          }
        },
      );
  }

  /** Counts `work` (a request that records its trace before it settles) until it settles. */
  track<T>(work: Promise<T>): Promise<T> {
    this.open++;
    return work.finally(() => {
      if (--this.open === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    });
  }

  stats(): TraceWriterStats {
    return { buffered: this.queue.length, bufferedBytes: this.bufferedBytes, ...this.counters };
  }

  /** Writes what is buffered now, batch by batch. Concurrent callers share one flush. */
  flush(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.queue.length === 0) return Promise.resolve();
    this.inFlight = this.drain().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const items = this.queue.slice(0, this.options.maxBatch);
      try {
        await this.sink.writeBatch(toBatch(items));
      } catch (error) {
        this.counters.failedFlushes++;
        this.options.onError?.(error);
        if (!this.options.isDataError?.(error)) return; // keep the batch queued; the next tick retries it
        const done = { count: 0 };
        try {
          await this.isolate(items, done);
        } catch {
          return; // the database itself failed meanwhile: what is left is retried next tick
        } finally {
          this.removeFront(done.count);
        }
        continue;
      }
      this.removeFront(items.length);
      this.counters.written += items.length;
    }
  }

  private removeFront(count: number): void {
    for (const item of this.queue.splice(0, count)) this.bufferedBytes -= item.bytes;
  }

  /** Writes `items` in halves, dropping single traces the store refuses; `done` counts the settled prefix. */
  private async isolate(items: Pending[], done: { count: number }): Promise<void> {
    if (items.length > 1) {
      const half = Math.ceil(items.length / 2);
      for (const part of [items.slice(0, half), items.slice(half)]) {
        try {
          await this.sink.writeBatch(toBatch(part));
          this.counters.written += part.length;
          done.count += part.length;
        } catch (error) {
          if (!this.options.isDataError?.(error)) throw error;
          await this.isolate(part, done);
        }
      }
      return;
    }
    this.counters.rejected += items.length;
    done.count += items.length;
  }

  /** Stops the timer and writes everything still buffered (retrying a few times on failure). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.open > 0) {
      // Requests whose sockets the shutdown cut are unwinding: their traces come in a moment.
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
        new Promise<void>((resolve) => {
          timeout = setTimeout(resolve, TRACKED_WAIT_MS);
        }),
      ]);
      clearTimeout(timeout);
    }
    for (let attempt = 0; attempt < 5 && this.queue.length > 0; attempt++) {
      await this.flush();
      if (this.queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
    }
    await this.inFlight;
    this.finished = true;
    // What is still buffered now (the database stayed down through every retry) goes with the
    // process; `stats().buffered` says how much, and the shutdown line prints it.
  }
}

function toBatch(items: readonly Pending[]): TraceBatch {
  const batch: TraceBatch = { traces: [], spans: [] };
  for (const item of items) {
    batch.traces.push(item.trace);
    for (const span of item.spans) batch.spans.push(span);
  }
  return batch;
}
