/**
 * Worker-thread entry that owns the SQLite trace write path. better-sqlite3 is synchronous,
 * so a batch written on the main thread would stall the event loop; here the worker holds its
 * own connection to the same file and commits each posted batch in one transaction while the
 * main thread keeps serving (and reading, thanks to WAL). Batches are handled one at a time,
 * in the order they were posted; so are retention deletes, for the same reason.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './connection.js';
import { createOldTraceDeleter } from './delete-old-traces.js';
import type {
  SerializedError,
  TraceWriterRequest,
  TraceWriterResponse,
  TraceWriterWorkerData,
} from './trace-writer-protocol.js';
import { createTraceBatchWriter } from './write-trace-batch.js';

function serialize(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, code: typeof code === 'string' ? code : undefined };
  }
  return { name: 'Error', message: String(error), code: undefined };
}

const port = parentPort;
if (port === null) throw new Error('trace-writer-worker must run in a worker thread');

const options = workerData as TraceWriterWorkerData;
const database = openDatabase(options.file, options.busyTimeoutMs);
const write = createTraceBatchWriter(database);
const deleteOld = createOldTraceDeleter(database);

port.on('message', (request: TraceWriterRequest) => {
  if (request.type === 'close') {
    database.close();
    port.close();
    return;
  }
  let response: TraceWriterResponse;
  try {
    if (request.type === 'delete-old') {
      const deleted = deleteOld(request.projectId, request.before, request.limit);
      response = { type: 'committed', id: request.id, deleted };
    } else {
      write(request.batch);
      response = { type: 'committed', id: request.id };
    }
  } catch (error) {
    response = { type: 'failed', id: request.id, error: serialize(error) };
  }
  port.postMessage(response);
});
