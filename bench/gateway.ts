/**
 * `npm run bench:gateway`: what does StackOps's gateway cost in front of an upstream?
 *
 * Starts a zero-delay fake upstream and, each in its own process, a ~50-line node:http proxy
 * (the floor for any Node gateway), StackOps with tracing on, and `@portkey-ai/gateway`, all
 * in front of that upstream. Then, non-streaming and streaming, it warms each target up and
 * measures latency at one connection and throughput at N, in short slices taken round-robin
 * so that drift on the machine hits every target alike. Added latency is a target's minus
 * the direct upstream's from the same run. The last line is machine-readable:
 *
 *   BENCH gateway overhead_p50_ms=… overhead_p99_ms=… rps_vs_floor=… rps_vs_portkey=…
 *
 * (overheads: StackOps non-streaming at one connection; ratios: non-streaming at N.)
 * Env: BENCH_DURATION_S (per phase and target, default 5), BENCH_WARMUP_S (2),
 * BENCH_CONNECTIONS (10), BENCH_ROUNDS (10), BENCH_TARGETS (default all four),
 * BENCH_PROFILE=1 to run bench/profile-gateway.ts instead.
 */
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ChildServer, startChild } from './children.js';
import { type LoadResult, runLoad } from './load.js';
import { profileGateway } from './profile-gateway.js';
import {
  formatSummaries,
  type ModeMeasurement,
  mergeResults,
  summarize,
  type TargetSummary,
} from './report.js';
import {
  loadTarget,
  startTarget,
  TARGET_LABELS,
  TARGET_NAMES,
  type Target,
  type TargetName,
  VERIFY_REQUESTS,
  verifyTarget,
} from './targets.js';

interface BenchSettings {
  durationMs: number;
  warmupMs: number;
  connections: number;
  rounds: number;
  targets: TargetName[];
}

function numberFromEnv(name: string, fallback: number, minimum: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < minimum)
    throw new Error(`${name} must be a number >= ${minimum}, got "${raw}"`);
  return value;
}

function readSettings(): BenchSettings {
  const requested = (process.env.BENCH_TARGETS ?? TARGET_NAMES.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of requested)
    if (!TARGET_NAMES.includes(name as TargetName))
      throw new Error(`BENCH_TARGETS: unknown target "${name}" (known: ${TARGET_NAMES.join(', ')})`);
  // The upstream is always measured: every "added" number is relative to it.
  const targets = TARGET_NAMES.filter((name) => name === 'upstream' || requested.includes(name));
  return {
    durationMs: numberFromEnv('BENCH_DURATION_S', 5, 0.5) * 1000,
    warmupMs: numberFromEnv('BENCH_WARMUP_S', 2, 0) * 1000,
    connections: Math.round(numberFromEnv('BENCH_CONNECTIONS', 10, 1)),
    rounds: Math.round(numberFromEnv('BENCH_ROUNDS', 10, 1)),
    targets,
  };
}

function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Requests each target answered with 200, checks, warm-ups and untimed primers included. */
const answered = new Map<TargetName, number>();

async function startTargets(settings: BenchSettings, upstream: ChildServer): Promise<Target[]> {
  const started = await Promise.allSettled(settings.targets.map((name) => startTarget(name, upstream)));
  const targets: Target[] = [];
  for (const [index, outcome] of started.entries()) {
    const name = settings.targets[index]!;
    if (outcome.status === 'rejected') {
      print(`! ${TARGET_LABELS[name]} did not start, left out: ${(outcome.reason as Error).message}`);
      continue;
    }
    try {
      await verifyTarget(outcome.value, upstream);
      answered.set(name, VERIFY_REQUESTS);
      targets.push(outcome.value);
      print(`✓ ${TARGET_LABELS[name]} at ${outcome.value.server.ready.url} proxies both modes`);
    } catch (error) {
      print(`! ${TARGET_LABELS[name]} failed its check, left out: ${(error as Error).message}`);
      await outcome.value.server.stop();
    }
  }
  return targets;
}

async function load(
  target: Target,
  stream: boolean,
  connections: number,
  durationMs: number,
): Promise<LoadResult> {
  const result = await runLoad(loadTarget(target, stream), { connections, durationMs });
  answered.set(target.name, (answered.get(target.name) ?? 0) + result.ok + result.primed);
  return result;
}

/** Slices of `durationMs / rounds` per target, target order rotating each round. */
async function measureRoundRobin(
  targets: Target[],
  stream: boolean,
  connections: number,
  settings: BenchSettings,
): Promise<Map<TargetName, LoadResult>> {
  const slices = new Map<TargetName, LoadResult[]>(targets.map((target) => [target.name, []]));
  const sliceMs = settings.durationMs / settings.rounds;
  for (let round = 0; round < settings.rounds; round++) {
    for (let offset = 0; offset < targets.length; offset++) {
      const target = targets[(round + offset) % targets.length]!;
      slices.get(target.name)!.push(await load(target, stream, connections, sliceMs));
    }
  }
  return new Map([...slices].map(([name, results]) => [name, mergeResults(results)]));
}

async function measureMode(
  targets: Target[],
  stream: boolean,
  settings: BenchSettings,
): Promise<Map<TargetName, ModeMeasurement>> {
  for (const target of targets) await load(target, stream, settings.connections, settings.warmupMs);
  const latency = await measureRoundRobin(targets, stream, 1, settings);
  const throughput = await measureRoundRobin(targets, stream, settings.connections, settings);
  return new Map(
    targets.map((target) => [
      target.name,
      { latency: latency.get(target.name)!, throughput: throughput.get(target.name)! },
    ]),
  );
}

/** Proves "tracing on": the StackOps trace API must list traces written during the run. */
async function reportTraces(stackops: Target, served: number): Promise<void> {
  await sleep(1500); // past the default 500 ms flush interval
  const base = stackops.server.ready.url;
  const get = async (query: string): Promise<{ data: unknown[]; next_cursor?: string | null }> => {
    const response = await fetch(`${base}/api/traces?${query}`, { headers: stackops.headers });
    if (response.status !== 200) throw new Error(`GET /api/traces?${query}: HTTP ${response.status}`);
    return (await response.json()) as { data: unknown[]; next_cursor?: string | null };
  };
  const first = await get('limit=1');
  if (!Array.isArray(first.data) || first.data.length === 0) throw new Error('StackOps stored no traces');
  // Count them page by page, within a time budget: the count is evidence, not a test.
  let counted = 0;
  let cursor: string | null | undefined;
  const deadline = Date.now() + 10_000;
  do {
    const page = await get(`limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    counted += page.data.length;
    cursor = page.next_cursor;
  } while (cursor && Date.now() < deadline);
  print(
    `tracing: GET /api/traces?limit=1 returned ${first.data.length} trace; ` +
      `${cursor ? 'at least ' : ''}${counted} traces stored for ${served} requests StackOps answered`,
  );
}

function benchLine(nonStream: TargetSummary[]): string {
  const stackops = nonStream.find((summary) => summary.name === 'stackops');
  const value = (number: number | undefined, digits: number): string =>
    number !== undefined && Number.isFinite(number) ? number.toFixed(digits) : 'nan';
  return (
    `BENCH gateway overhead_p50_ms=${value(stackops?.addedP50Ms, 3)} overhead_p99_ms=${value(stackops?.addedP99Ms, 3)}` +
    ` rps_vs_floor=${value(stackops?.rpsVsFloor, 3)} rps_vs_portkey=${value(stackops?.rpsVsPortkey, 3)}`
  );
}

async function main(): Promise<void> {
  const settings = readSettings();
  const phaseSeconds = (settings.warmupMs + 2 * settings.durationMs) / 1000;
  print(
    `gateway bench: node ${process.version}, ${os.cpus().length} cpus, ${settings.connections} connections, ` +
      `${settings.durationMs / 1000} s per phase in ${settings.rounds} rounds, ${settings.warmupMs / 1000} s warm-up ` +
      `(~${Math.ceil(phaseSeconds * settings.targets.length * 2)} s of load)`,
  );
  // Two cores: anything else running (a test suite, a compiler) shows up in every p99.
  const loadAverage = os.loadavg().map((load) => load.toFixed(2));
  print(`load average before: ${loadAverage.join(' ')}`);
  const upstream = await startChild('upstream', './upstream.ts');
  const targets = await startTargets(settings, upstream);
  let nonStream: TargetSummary[] = [];
  try {
    if (!targets.some((target) => target.name === 'upstream'))
      throw new Error('the upstream failed its own check');
    for (const stream of [false, true]) {
      const summaries = summarize(await measureMode(targets, stream, settings));
      if (!stream) nonStream = summaries;
      print();
      print(
        `${stream ? 'streaming' : 'non-streaming'} (latency at 1 connection, req/s at ${settings.connections})`,
      );
      print(formatSummaries(summaries, stream, settings.connections));
      for (const summary of summaries) {
        if (summary.failed === 0) continue;
        print(`! ${TARGET_LABELS[summary.name]}: ${summary.failed} failed, first: ${summary.firstFailure}`);
        const stderr = targets.find((target) => target.name === summary.name)?.server.recentStderr();
        if (stderr) print(`  its stderr ends with: ${stderr.slice(-800)}`);
      }
    }
    print();
    print('+ = added over the direct upstream in this run; "1st evt" = time to the first streamed event;');
    print('µs/evt = (total - first event) / events, the cost of each further chunk. Portkey waits 25 ms');
    print('before its first streamed event on purpose, so compare its streams on req/s and µs/evt.');
    const stackops = targets.find((target) => target.name === 'stackops');
    if (stackops) await reportTraces(stackops, answered.get('stackops') ?? 0);
    else {
      print('! StackOps was not measured; the BENCH line has no numbers');
      process.exitCode = 1;
    }
  } finally {
    await Promise.all(
      targets.filter((target) => target.name !== 'upstream').map((target) => target.server.stop()),
    );
    await upstream.stop();
  }
  print(benchLine(nonStream));
}

if (process.env.BENCH_PROFILE === '1') await profileGateway();
else await main();
