/** Messages between the SQLite store (main thread) and its trace-writer worker. */
import type { TraceBatch } from '../../core/index.js';

export interface TraceWriterWorkerData {
  file: string;
  busyTimeoutMs: number;
}

export type TraceWriterRequest = { type: 'write'; id: number; batch: TraceBatch } | { type: 'close' };

export interface SerializedError {
  name: string;
  message: string;
  code: string | undefined;
}

export type TraceWriterResponse =
  | { type: 'committed'; id: number }
  | { type: 'failed'; id: number; error: SerializedError };
