/**
 * The batched trace writer: the only way traces reach the store. `enqueue` is synchronous and
 * never waits on the database; a timer flushes batches (one transaction each) in the
 * background. The buffer is bounded: when `maxBuffer` traces are pending, new traces are
 * shed and counted (`stats().shed`) rather than growing memory without bound. A failed batch
 * is kept at the front and retried on the next flush. `close()` flushes everything (SIGTERM).
 */
import type { SpanRecord, TraceBatch, TraceRecord } from '../core/index.js';

export interface TraceSink {
  writeBatch(batch: TraceBatch): Promise<void>;
}

export interface TraceWriterOptions {
  flushIntervalMs: number;
  maxBatch: number;
  maxBuffer: number;
  onError?: (error: unknown) => void;
}

export interface TraceWriterStats {
  buffered: number;
  written: number;
  shed: number;
  failedFlushes: number;
}

interface Pending {
  trace: TraceRecord;
  spans: SpanRecord[];
}

export class TraceWriter {
  private queue: Pending[] = [];
  private inFlight: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly counters = { written: 0, shed: 0, failedFlushes: 0 };

  constructor(
    private readonly sink: TraceSink,
    private readonly options: TraceWriterOptions,
  ) {
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs);
    this.timer.unref();
  }

  /** Accepts a finished trace. Returns false when it was shed because the buffer is full. */
  enqueue(trace: TraceRecord, spans: SpanRecord[]): boolean {
    if (this.queue.length >= this.options.maxBuffer) {
      this.counters.shed++;
      return false;
    }
    this.queue.push({ trace, spans });
    if (this.queue.length >= this.options.maxBatch && !this.inFlight) void this.flush();
    return true;
  }

  stats(): TraceWriterStats {
    return { buffered: this.queue.length, ...this.counters };
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
      const batch: TraceBatch = { traces: [], spans: [] };
      for (const item of items) {
        batch.traces.push(item.trace);
        for (const span of item.spans) batch.spans.push(span);
      }
      try {
        await this.sink.writeBatch(batch);
      } catch (error) {
        this.counters.failedFlushes++;
        this.options.onError?.(error);
        return; // keep the batch queued; the next tick retries it
      }
      this.queue.splice(0, items.length);
      this.counters.written += items.length;
    }
  }

  /** Stops the timer and writes everything still buffered (retrying a few times on failure). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (let attempt = 0; attempt < 5 && this.queue.length > 0; attempt++) {
      await this.flush();
      if (this.queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
    }
    await this.inFlight;
  }
}
