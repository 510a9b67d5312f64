/** Messages between the SQLite store (main thread) and its trace-writer worker. */
import type { TraceBatch } from '../../core/index.js';

export interface TraceWriterWorkerData {
  file: string;
  busyTimeoutMs: number;
}

export type TraceWriterRequest =
  | { type: 'write'; id: number; batch: TraceBatch }
  /** Retention: one bounded delete (see delete-old-traces.ts). */
  | { type: 'delete-old'; id: number; projectId: string; before: number; limit: number }
  | { type: 'close' };

export interface SerializedError {
  name: string;
  message: string;
  code: string | undefined;
}

export type TraceWriterResponse =
  /** `deleted`: traces removed by a delete-old request. */
  | { type: 'committed'; id: number; deleted?: number }
  | { type: 'failed'; id: number; error: SerializedError };
