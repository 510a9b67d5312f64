/** Observability: the trace writer (batched, off the hot path), trace retention and attribute names. */
export { ATTR } from './semantic-conventions.js';
export {
  type RetentionStore,
  TraceRetention,
  type TraceRetentionOptions,
  type TraceRetentionStats,
} from './trace-retention.js';
export {
  type TraceSink,
  TraceWriter,
  type TraceWriterOptions,
  type TraceWriterStats,
} from './trace-writer.js';
