/**
 * One engine × one synthetic corpus size, in its own process (so memory is its own and a crash
 * or OOM stays here). Builds from the deterministic corpus in batches of 10,000 chunks, timing
 * only the engine's add/finish calls; measures memory after a forced GC against a baseline taken
 * before building; warms up on 20 queries (at most 3 s), then times each of the 200 queries (top-10). Limits
 * (build: argument; queries: BENCH_QUERY_PHASE_LIMIT_S, default 30 s) stop slow engines; what
 * was measured until then is reported, with a note.
 * Prints one line `RESULT {json}`. Usage (needs --expose-gc):
 *   node --expose-gc --import tsx bench/retrieval-speed-child.ts <engine> <chunks> <build-limit-s>
 */

import { percentile } from './retrieval-metrics.js';
import { createEngine, type EngineName } from './retrieval-peers.js';
import { createSyntheticCorpus } from './retrieval-synthetic.js';

export interface SpeedResult {
  engine: EngineName;
  chunks: number;
  /** Set when the engine did not finish: why. */
  unfinished?: string;
  chunksBuilt: number;
  buildSeconds: number;
  chunksPerSecond: number;
  rssDeltaBytes: number;
  /** V8 heap used + external (ArrayBuffers) growth. */
  heapDeltaBytes: number;
  selfReportedBytes: number | null;
  queriesTimed: number;
  p50Ms: number;
  p95Ms: number;
  meanMs: number;
  maxMs: number;
  /** Results returned per query, averaged: all engines should return 10 on this corpus. */
  meanResults: number;
  /** Per-query latencies in query order (a prefix of the 200 when the query phase was cut). */
  latenciesMs: number[];
}

const BATCH = 10_000;
const WARMUP_QUERIES = 20;
/** Slow engines need no JIT warm-up; this bounds what the warm-up costs them. */
const WARMUP_LIMIT_MS = 3000;
/** Slow engines get this long for their 200 queries; percentiles then cover those timed. */
const QUERY_PHASE_LIMIT_MS = Number(process.env.BENCH_QUERY_PHASE_LIMIT_S ?? 30) * 1000;

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  gc();
  gc();
}

function run(engineName: EngineName, chunks: number, buildLimitSeconds: number): SpeedResult {
  const corpus = createSyntheticCorpus();
  collectGarbage();
  const baseline = process.memoryUsage();
  const engine = createEngine(engineName);
  let buildMs = 0;
  let built = 0;
  const result: SpeedResult = {
    engine: engineName,
    chunks,
    chunksBuilt: 0,
    buildSeconds: 0,
    chunksPerSecond: 0,
    rssDeltaBytes: 0,
    heapDeltaBytes: 0,
    selfReportedBytes: null,
    queriesTimed: 0,
    p50Ms: Number.NaN,
    p95Ms: Number.NaN,
    meanMs: Number.NaN,
    maxMs: Number.NaN,
    meanResults: 0,
    latenciesMs: [],
  };
  for (const batch of corpus.batches(chunks, BATCH)) {
    const start = performance.now();
    engine.add(batch);
    buildMs += performance.now() - start;
    built += batch.length;
    if (buildMs > buildLimitSeconds * 1000 && built < chunks) {
      result.unfinished = `build exceeded ${buildLimitSeconds} s at ${built.toLocaleString('en')} chunks`;
      break;
    }
  }
  const finishStart = performance.now();
  engine.finish();
  buildMs += performance.now() - finishStart;
  result.chunksBuilt = built;
  result.buildSeconds = buildMs / 1000;
  result.chunksPerSecond = built / (buildMs / 1000);
  collectGarbage();
  const memory = process.memoryUsage();
  result.rssDeltaBytes = memory.rss - baseline.rss;
  result.heapDeltaBytes = memory.heapUsed + memory.external - (baseline.heapUsed + baseline.external);
  result.selfReportedBytes = engine.selfReportedBytes();
  // An unfinished build is still searched: its latencies on the chunks it did index are a lower
  // bound for the full corpus (every engine here does more work as postings grow).

  const warmupStart = performance.now();
  for (const query of corpus.queries.slice(0, WARMUP_QUERIES)) {
    engine.search(query, 10);
    if (performance.now() - warmupStart > WARMUP_LIMIT_MS) break;
  }
  const latencies: number[] = [];
  let results = 0;
  const phaseStart = performance.now();
  for (const query of corpus.queries) {
    const start = performance.now();
    const hits = engine.search(query, 10);
    latencies.push(performance.now() - start);
    results += hits.length;
    if (performance.now() - phaseStart > QUERY_PHASE_LIMIT_MS) {
      const note = `queries stopped at ${QUERY_PHASE_LIMIT_MS / 1000} s`;
      result.unfinished = result.unfinished === undefined ? note : `${result.unfinished}; ${note}`;
      break;
    }
  }
  const sorted = [...latencies].sort((left, right) => left - right);
  result.queriesTimed = latencies.length;
  result.p50Ms = percentile(sorted, 0.5);
  result.p95Ms = percentile(sorted, 0.95);
  result.meanMs = latencies.reduce((sum, latency) => sum + latency, 0) / latencies.length;
  result.maxMs = sorted[sorted.length - 1]!;
  result.meanResults = results / latencies.length;
  result.latenciesMs = latencies.map((latency) => Math.round(latency * 1000) / 1000);
  return result;
}

const [engineArgument, chunksArgument, limitArgument] = process.argv.slice(2);
const engines: readonly string[] = ['stackops', 'wink', 'lunr', 'minisearch'];
if (engineArgument === undefined || !engines.includes(engineArgument)) {
  throw new Error(`usage: retrieval-speed-child.ts <${engines.join('|')}> <chunks> <build-limit-s>`);
}
const outcome = run(
  engineArgument as EngineName,
  Number(chunksArgument ?? 100_000),
  Number(limitArgument ?? 180),
);
process.stdout.write(`RESULT ${JSON.stringify(outcome)}\n`);
