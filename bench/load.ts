/**
 * The load generator: N keep-alive connections, each sending the next request as soon as the
 * previous response ended, for a fixed time. It is written on undici's low-level `dispatch`
 * rather than using autocannon because autocannon's histograms hold whole milliseconds, and a
 * 1 ms target needs microseconds; it also cannot see a stream's first byte or count its events.
 *
 * Every connection first sends one untimed request, so no timed request pays for a TCP connect.
 * Per request it records the total time, the time to the first body byte (for a stream: the
 * first event, not the headers) and the number of SSE events, counted by their blank-line
 * terminators across read boundaries.
 */
import { performance } from 'node:perf_hooks';
import { Client, type Dispatcher } from 'undici';

export interface LoadTarget {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadOptions {
  connections: number;
  durationMs: number;
}

export interface LoadResult {
  connections: number;
  elapsedMs: number;
  /** Timed requests that ended with status 200. */
  ok: number;
  /** The untimed first request of each connection, when it succeeded. */
  primed: number;
  failed: number;
  firstFailure: string | undefined;
  /** Milliseconds, one entry per successful request, in completion order. */
  totalMs: Float64Array;
  firstByteMs: Float64Array;
  events: Uint16Array;
}

interface Sample {
  status: number;
  totalMs: number;
  firstByteMs: number;
  events: number;
  error?: Error;
}

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;

function sendOne(client: Client, request: Dispatcher.DispatchOptions): Promise<Sample> {
  return new Promise((resolve) => {
    const start = performance.now();
    let status = 0;
    let firstByte = 0;
    let events = 0;
    let previous = 0;
    client.dispatch(request, {
      // Its presence is what tells undici this handler speaks the new (controller) API.
      onRequestStart() {},
      onResponseStart(_controller, statusCode) {
        status = statusCode;
      },
      onResponseData(_controller, chunk) {
        if (firstByte === 0) firstByte = performance.now();
        for (let index = 0; index < chunk.length; index++) {
          const byte = chunk[index]!;
          if (byte === CARRIAGE_RETURN) continue;
          if (byte === NEWLINE && previous === NEWLINE) events++;
          previous = byte;
        }
      },
      onResponseEnd() {
        const end = performance.now();
        resolve({ status, totalMs: end - start, firstByteMs: (firstByte || end) - start, events });
      },
      onResponseError(_controller, error) {
        resolve({ status, totalMs: performance.now() - start, firstByteMs: 0, events, error });
      },
    });
  });
}

/** Sends one request and returns its status and body, for checking a target before loading it. */
export async function probe(target: LoadTarget): Promise<{ status: number; body: string }> {
  const client = new Client(target.origin);
  try {
    const response = await client.request({
      method: 'POST',
      path: target.path,
      headers: { 'content-type': 'application/json', ...target.headers },
      body: target.body,
    });
    return { status: response.statusCode, body: await response.body.text() };
  } finally {
    await client.close();
  }
}

export async function runLoad(target: LoadTarget, options: LoadOptions): Promise<LoadResult> {
  const request: Dispatcher.DispatchOptions = {
    method: 'POST',
    path: target.path,
    headers: { 'content-type': 'application/json', ...target.headers },
    body: Buffer.from(target.body),
  };
  const totals: number[] = [];
  const firstBytes: number[] = [];
  const eventCounts: number[] = [];
  let failed = 0;
  let firstFailure: string | undefined;
  const clients = Array.from(
    { length: options.connections },
    () => new Client(target.origin, { pipelining: 1, keepAliveTimeout: 60_000 }),
  );
  const primers = await Promise.all(clients.map((client) => sendOne(client, request)));
  const primed = primers.filter((sample) => sample.status === 200 && !sample.error).length;
  const start = performance.now();
  const deadline = start + options.durationMs;

  const drive = async (client: Client): Promise<void> => {
    while (performance.now() < deadline) {
      const sample = await sendOne(client, request);
      if (sample.status === 200 && !sample.error) {
        totals.push(sample.totalMs);
        firstBytes.push(sample.firstByteMs);
        eventCounts.push(sample.events);
        continue;
      }
      failed++;
      firstFailure ??= sample.error ? sample.error.message : `HTTP ${sample.status}`;
      // A failing target must not turn the run into a busy loop of instant errors.
      if (sample.error) await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  await Promise.all(clients.map(drive));
  const elapsedMs = performance.now() - start;
  await Promise.all(clients.map((client) => client.close()));
  return {
    connections: options.connections,
    elapsedMs,
    ok: totals.length,
    primed,
    failed,
    firstFailure,
    totalMs: Float64Array.from(totals),
    firstByteMs: Float64Array.from(firstBytes),
    events: Uint16Array.from(eventCounts),
  };
}
