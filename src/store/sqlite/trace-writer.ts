/**
 * Main-thread side of the SQLite trace write path: posts each batch (and each retention
 * delete) to the trace-writer worker and resolves when the worker reports the commit (rejects
 * with the worker's error).
 * The worker is spawned on the first write, respawned after a crash, and keeps the process
 * alive only while a batch is in flight. `close()` waits for in-flight batches first.
 *
 * Run from TypeScript source (vitest, tsx) this module's URL ends in `.ts`; the worker is then
 * the `.ts` entry loaded through tsx (a devDependency, only needed in that case). Compiled by
 * tsc it is the `.js` sibling in dist/.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { TraceBatch } from '../../core/index.js';
import { classifyError } from '../classify-error.js';
import type {
  SerializedError,
  TraceWriterRequest,
  TraceWriterResponse,
  TraceWriterWorkerData,
} from './trace-writer-protocol.js';

interface PendingWrite {
  worker: Worker;
  /** `deleted` is set for a delete-old request. */
  resolve: (deleted: number) => void;
  reject: (error: unknown) => void;
}

function workerUrl(): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL('./trace-writer-worker.js', import.meta.url);
  // tsx registers its hooks only on the main thread (and Node 20 workers do not inherit them),
  // so a tiny ESM bootstrap registers tsx inside the worker, then loads the .ts entry.
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./trace-writer-worker.ts', import.meta.url).href;
  const bootstrap = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}

function deserialize(error: SerializedError): unknown {
  const restored = Object.assign(new Error(error.message), { name: error.name, code: error.code });
  return classifyError(restored, { conflict: `trace batch conflicts with stored rows: ${error.message}` });
}

export class TraceWriter {
  readonly #workerData: TraceWriterWorkerData;
  readonly #pending = new Map<number, PendingWrite>();
  readonly #drainWaiters: Array<() => void> = [];
  #worker: Worker | null = null;
  #nextId = 1;
  #closed = false;

  constructor(workerData: TraceWriterWorkerData) {
    this.#workerData = workerData;
  }

  async write(batch: TraceBatch): Promise<void> {
    await this.#post((id) => ({ type: 'write', id, batch }));
  }

  /** Retention: one bounded delete in the worker, off the main thread; resolves to the count. */
  deleteOld(projectId: string, before: number, limit: number): Promise<number> {
    return this.#post((id) => ({ type: 'delete-old', id, projectId, before, limit }));
  }

  #post(request: (id: number) => TraceWriterRequest): Promise<number> {
    if (this.#closed) return Promise.reject(new Error('store is closed'));
    const worker = this.#worker ?? this.#spawn();
    const id = this.#nextId++;
    return new Promise<number>((resolve, reject) => {
      // Throws (rejecting this promise) if the batch holds something structured clone refuses.
      worker.postMessage(request(id));
      this.#pending.set(id, { worker, resolve, reject });
      worker.ref();
    });
  }

  /** Waits for in-flight batches, then stops the worker. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#pending.size > 0) await new Promise<void>((resolve) => this.#drainWaiters.push(resolve));
    const worker = this.#worker;
    if (worker === null) return;
    this.#worker = null;
    const exited = once(worker, 'exit');
    // An idle worker is unreferenced; without this the process could exit before 'exit' fires.
    worker.ref();
    const request: TraceWriterRequest = { type: 'close' };
    worker.postMessage(request);
    await exited;
  }

  #spawn(): Worker {
    const worker = new Worker(workerUrl(), { workerData: this.#workerData });
    worker.unref();
    worker.on('message', (response: TraceWriterResponse) => this.#settle(worker, response));
    worker.on('error', (error) => this.#failAll(worker, error));
    worker.on('exit', (code) =>
      this.#failAll(worker, new Error(`trace writer worker exited with code ${code}`)),
    );
    this.#worker = worker;
    return worker;
  }

  #settle(worker: Worker, response: TraceWriterResponse): void {
    const pending = this.#pending.get(response.id);
    if (pending === undefined) return;
    this.#pending.delete(response.id);
    if (response.type === 'committed') pending.resolve(response.deleted ?? 0);
    else pending.reject(deserialize(response.error));
    this.#afterSettle(worker);
  }

  /** A crashed worker fails every batch it held; the next write spawns a fresh one. */
  #failAll(worker: Worker, error: unknown): void {
    if (this.#worker === worker) this.#worker = null;
    for (const [id, write] of this.#pending) {
      if (write.worker !== worker) continue;
      this.#pending.delete(id);
      write.reject(error);
    }
    this.#afterSettle(worker);
  }

  #afterSettle(worker: Worker): void {
    // Idle: an unreferenced worker does not keep the process alive.
    if (![...this.#pending.values()].some((write) => write.worker === worker)) worker.unref();
    if (this.#pending.size > 0) return;
    for (const resolve of this.#drainWaiters.splice(0)) resolve();
  }
}
