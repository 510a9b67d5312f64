/**
 * Turns load results into the numbers the issue asks for and prints them: per mode, each
 * target's throughput at N connections, latency at one connection, what it adds over the
 * direct upstream measured in the same run, and its throughput relative to the floor proxy
 * and to Portkey. Streams also get time to first event and the cost per event after it.
 */
import type { LoadResult } from './load.js';
import { TARGET_LABELS, type TargetName } from './targets.js';

export interface ModeMeasurement {
  /** One connection, for latency. */
  latency: LoadResult;
  /** N connections, for throughput. */
  throughput: LoadResult;
}

export interface TargetSummary {
  name: TargetName;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  addedP50Ms: number;
  addedP99Ms: number;
  firstByteP50Ms: number;
  addedFirstByteP50Ms: number;
  /** Median over requests of (total - first event) / events, in microseconds. */
  perEventUs: number;
  addedPerEventUs: number;
  rpsVsFloor: number;
  rpsVsPortkey: number;
  /** p99 under N connections, to show queueing. */
  loadedP99Ms: number;
  failed: number;
  firstFailure: string | undefined;
}

export function mergeResults(results: LoadResult[]): LoadResult {
  const concat = (pick: (result: LoadResult) => Float64Array): Float64Array => {
    const merged = new Float64Array(results.reduce((sum, result) => sum + pick(result).length, 0));
    let offset = 0;
    for (const result of results) {
      merged.set(pick(result), offset);
      offset += pick(result).length;
    }
    return merged;
  };
  return {
    connections: results[0]?.connections ?? 0,
    elapsedMs: results.reduce((sum, result) => sum + result.elapsedMs, 0),
    ok: results.reduce((sum, result) => sum + result.ok, 0),
    primed: results.reduce((sum, result) => sum + result.primed, 0),
    failed: results.reduce((sum, result) => sum + result.failed, 0),
    firstFailure: results.find((result) => result.firstFailure)?.firstFailure,
    totalMs: concat((result) => result.totalMs),
    firstByteMs: concat((result) => result.firstByteMs),
    events: Uint16Array.from(results.flatMap((result) => [...result.events])),
  };
}

/** Nearest-rank percentile; NaN for no samples. */
export function percentile(values: Float64Array, p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

function perEventMicroseconds(result: LoadResult): Float64Array {
  return result.totalMs.map((total, index) => {
    const events = result.events[index] ?? 0;
    return events > 0 ? ((total - result.firstByteMs[index]!) / events) * 1000 : Number.NaN;
  });
}

export function summarize(measurements: Map<TargetName, ModeMeasurement>): TargetSummary[] {
  const upstream = measurements.get('upstream');
  const rpsOf = (name: TargetName): number => {
    const measurement = measurements.get(name);
    return measurement ? measurement.throughput.ok / (measurement.throughput.elapsedMs / 1000) : Number.NaN;
  };
  const base = {
    p50: upstream ? percentile(upstream.latency.totalMs, 50) : Number.NaN,
    p99: upstream ? percentile(upstream.latency.totalMs, 99) : Number.NaN,
    firstByte: upstream ? percentile(upstream.latency.firstByteMs, 50) : Number.NaN,
    perEvent: upstream ? percentile(perEventMicroseconds(upstream.latency), 50) : Number.NaN,
  };
  const summaries: TargetSummary[] = [];
  for (const [name, { latency, throughput }] of measurements) {
    const p50Ms = percentile(latency.totalMs, 50);
    const p99Ms = percentile(latency.totalMs, 99);
    const firstByteP50Ms = percentile(latency.firstByteMs, 50);
    const perEventUs = percentile(perEventMicroseconds(latency), 50);
    summaries.push({
      name,
      rps: rpsOf(name),
      p50Ms,
      p99Ms,
      addedP50Ms: p50Ms - base.p50,
      addedP99Ms: p99Ms - base.p99,
      firstByteP50Ms,
      addedFirstByteP50Ms: firstByteP50Ms - base.firstByte,
      perEventUs,
      addedPerEventUs: perEventUs - base.perEvent,
      rpsVsFloor: rpsOf(name) / rpsOf('floor'),
      rpsVsPortkey: rpsOf(name) / rpsOf('portkey'),
      loadedP99Ms: percentile(throughput.totalMs, 99),
      failed: latency.failed + throughput.failed,
      firstFailure: latency.firstFailure ?? throughput.firstFailure,
    });
  }
  return summaries;
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

function signed(value: number, digits: number): string {
  return Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(digits)}` : 'n/a';
}

function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export function formatSummaries(summaries: TargetSummary[], stream: boolean, connections: number): string {
  const header = [
    'target',
    `req/s@${connections}`,
    'p50 ms',
    'p99 ms',
    '+p50 ms',
    '+p99 ms',
    ...(stream ? ['1st evt ms', '+1st evt', 'µs/evt', '+µs/evt'] : []),
    `p99@${connections} ms`,
    'x floor',
    'x portkey',
    'errors',
  ];
  const rows = summaries.map((summary) => [
    TARGET_LABELS[summary.name],
    fixed(summary.rps, 0),
    fixed(summary.p50Ms, 3),
    fixed(summary.p99Ms, 3),
    signed(summary.addedP50Ms, 3),
    signed(summary.addedP99Ms, 3),
    ...(stream
      ? [
          fixed(summary.firstByteP50Ms, 3),
          signed(summary.addedFirstByteP50Ms, 3),
          fixed(summary.perEventUs, 1),
          signed(summary.addedPerEventUs, 1),
        ]
      : []),
    fixed(summary.loadedP99Ms, 3),
    fixed(summary.rpsVsFloor, 2),
    fixed(summary.rpsVsPortkey, 2),
    String(summary.failed),
  ]);
  return renderTable(header, rows);
}
