/** Observability: the trace writer (batched, off the hot path) and attribute names. */
export { ATTR } from './semantic-conventions.js';
export {
  type TraceSink,
  TraceWriter,
  type TraceWriterOptions,
  type TraceWriterStats,
} from './trace-writer.js';
