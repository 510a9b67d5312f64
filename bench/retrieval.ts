/**
 * `npm run bench:retrieval` (node --import tsx bench/retrieval.ts): retrieval quality and speed
 * of StackOps against npm peers, measured in the same run on the same data.
 *
 * 1. Quality on Vaswani (NPL): StackOps through the public HTTP API (`runThroughHttp`, the
 *    headline) and the engine API (`createRetriever`), wink-bm25-text-search, lunr and MiniSearch in
 *    their documented English setups (see retrieval-peers.ts). 1,000 results per query; MAP over
 *    the whole run (as trec_eval, and as the reference numbers Terrier 0.2965, wink 0.288,
 *    lunr 0.283 are), MAP over the top 100, nDCG@10, recall@100.
 * 2. Speed on synthetic Zipfian corpora (retrieval-synthetic.ts) of 100k and 1M chunks: each
 *    engine in its own process (retrieval-speed-child.ts). At 100k every peer runs and the one
 *    with the lowest p95 is "the best peer"; at 1M only StackOps and that peer run.
 *
 * The last line is for machines:
 *   BENCH retrieval map=… ndcg10=… p95_ms_1m=… map_vs_best_peer=… speed_vs_best_peer_1m=…
 * Env: BENCH_RETRIEVAL_SIZES ("100000,1000000"), BENCH_RETRIEVAL_PEERS ("wink,lunr,minisearch"),
 * BENCH_PEER_BUILD_LIMIT_S (per size: 90 s at 100k, 180 s at 1M), BENCH_QUERY_PHASE_LIMIT_S (30 s
 * per engine and size). A peer that hits a limit is reported with what it managed until then.
 */

import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { createRetriever } from '../src/knowledge/retrieval/index.js';
import { vaswaniThroughHttp } from './retrieval-http.js';
import { evaluateRun, percentile, type RunMetrics } from './retrieval-metrics.js';
import { createEngine, type EngineName, PEER_NAMES } from './retrieval-peers.js';
import type { SpeedResult } from './retrieval-speed-child.js';
import { loadVaswani, type VaswaniCollection } from './retrieval-vaswani.js';

const DEPTH = 1000;
const SIZES = (process.env.BENCH_RETRIEVAL_SIZES ?? '100000,1000000').split(',').map(Number);
const PEERS = (process.env.BENCH_RETRIEVAL_PEERS ?? PEER_NAMES.join(','))
  .split(',')
  .filter((name): name is EngineName => (PEER_NAMES as readonly string[]).includes(name));

/** query id → ranked document ids. */
type Run = Map<string, string[]>;

interface QualityRow {
  name: string;
  metrics: RunMetrics | null;
  map100: number | null;
  seconds: number;
  note?: string;
}

/**
 * HTTP hook: the same Vaswani run through the server's knowledge search endpoint (ingest the
 * documents into a knowledge base, snapshot, POST each query with top_k = `depth`; see
 * retrieval-http.ts). Returning null would mark the row "not wired".
 */
export async function runThroughHttp(collection: VaswaniCollection, depth: number): Promise<Run | null> {
  const result = await vaswaniThroughHttp(collection, depth);
  console.log(
    `HTTP ingest: ${collection.documents.length} documents in ${result.ingestSeconds.toFixed(1)} s (${Math.round(result.ingestChunksPerSecond)} chunks/s through REST, snapshot included)`,
  );
  return result.run;
}

async function runStackOps(collection: VaswaniCollection): Promise<Run> {
  const retriever = createRetriever({
    chunks: collection.documents.map((document) => ({ text: document.text, metadata: {} })),
  });
  const run: Run = new Map();
  for (const query of collection.queries) {
    const hits = await retriever.search({ query: query.text, topK: DEPTH });
    run.set(
      query.id,
      hits.map((hit) => collection.documents[hit.ordinal]!.id),
    );
  }
  return run;
}

function runPeer(name: EngineName, collection: VaswaniCollection): Run {
  const engine = createEngine(name);
  engine.add(collection.documents.map((document) => document.text));
  engine.finish();
  const run: Run = new Map();
  for (const query of collection.queries) {
    run.set(
      query.id,
      engine.search(query.text, DEPTH).map((ordinal) => collection.documents[ordinal]!.id),
    );
  }
  return run;
}

async function measureQuality(collection: VaswaniCollection): Promise<QualityRow[]> {
  const rows: QualityRow[] = [];
  const score = async (name: string, produce: () => Promise<Run | null> | Run | null): Promise<void> => {
    const start = performance.now();
    try {
      const run = await produce();
      const seconds = (performance.now() - start) / 1000;
      if (run === null) {
        rows.push({ name, metrics: null, map100: null, seconds, note: 'not wired' });
        return;
      }
      const metrics = evaluateRun(run, collection.relevant);
      const map100 = evaluateRun(run, collection.relevant, 100).map;
      rows.push({ name, metrics, map100, seconds });
    } catch (error) {
      const seconds = (performance.now() - start) / 1000;
      rows.push({ name, metrics: null, map100: null, seconds, note: `failed: ${String(error)}` });
    }
  };
  await score('StackOps (engine API)', () => runStackOps(collection));
  await score('StackOps (HTTP API)', () => runThroughHttp(collection, DEPTH));
  for (const peer of PEERS) await score(peer, () => runPeer(peer, collection));
  return rows;
}

function runSpeedChild(engine: EngineName, chunks: number, buildLimitSeconds: number): Promise<SpeedResult> {
  // Hard stop well past the child's own limits (build + 60 s of queries + corpus generation).
  const hardLimitMs = (buildLimitSeconds + 240 + chunks / 20_000) * 1000;
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--expose-gc',
        '--max-old-space-size=12288',
        '--import',
        'tsx',
        'bench/retrieval-speed-child.ts',
        engine,
        String(chunks),
        String(buildLimitSeconds),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => {
      stdout += data.toString();
    });
    child.stderr.on('data', (data: Buffer) => {
      stderr = (stderr + data.toString()).slice(-2000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), hardLimitMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('RESULT '));
      if (line !== undefined) {
        resolve(JSON.parse(line.slice('RESULT '.length)) as SpeedResult);
        return;
      }
      const reason = signal === 'SIGKILL' ? 'killed at the hard time limit' : `exited ${code ?? signal}`;
      const lastError = stderr.trim().split('\n').slice(-2).join(' ').slice(0, 240);
      resolve(failedResult(engine, chunks, `${reason}${lastError ? `: ${lastError}` : ''}`));
    });
  });
}

function failedResult(engine: EngineName, chunks: number, unfinished: string): SpeedResult {
  return {
    engine,
    chunks,
    unfinished,
    chunksBuilt: 0,
    buildSeconds: Number.NaN,
    chunksPerSecond: Number.NaN,
    rssDeltaBytes: Number.NaN,
    heapDeltaBytes: Number.NaN,
    selfReportedBytes: null,
    queriesTimed: 0,
    p50Ms: Number.NaN,
    p95Ms: Number.NaN,
    meanMs: Number.NaN,
    maxMs: Number.NaN,
    meanResults: 0,
    latenciesMs: [],
  };
}

function buildLimitFor(chunks: number): number {
  const configured = process.env.BENCH_PEER_BUILD_LIMIT_S;
  if (configured !== undefined) return Number(configured);
  return chunks >= 1_000_000 ? 180 : 90;
}

const format = (value: number | null | undefined, digits = 4): string =>
  value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
const megabytes = (bytes: number | null): string =>
  bytes === null || Number.isNaN(bytes) ? '–' : `${(bytes / 1_048_576).toFixed(0)} MB`;

function printQuality(rows: readonly QualityRow[]): void {
  console.log('\nQuality — Vaswani (11,429 docs, 93 queries), 1,000 results per query');
  console.log('| engine | MAP | MAP@100 | nDCG@10 | R@100 | time |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const row of rows) {
    const metrics = row.metrics;
    console.log(
      `| ${row.name} | ${format(metrics?.map)} | ${format(row.map100)} | ${format(metrics?.ndcg10)} | ` +
        `${format(metrics?.recall100)} | ${row.note ?? `${row.seconds.toFixed(1)} s`} |`,
    );
  }
}

function printSpeed(results: readonly SpeedResult[]): void {
  console.log('\nSpeed — synthetic Zipf corpora, 200 queries of 2–5 terms, top-10');
  console.log(
    '| engine | chunks | build chunks/s | RSS Δ | heap+external Δ | self-reported | p50 ms | p95 ms | max ms | note |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const result of results) {
    const note = result.unfinished ?? '';
    console.log(
      `| ${result.engine} | ${result.chunks.toLocaleString('en')} | ${format(result.chunksPerSecond, 0)} | ` +
        `${megabytes(result.rssDeltaBytes)} | ${megabytes(result.heapDeltaBytes)} | ` +
        `${megabytes(result.selfReportedBytes)} | ${format(result.p50Ms, 2)} | ${format(result.p95Ms, 2)} | ` +
        `${format(result.maxMs, 2)} | ${note}${result.queriesTimed > 0 && result.queriesTimed < 200 ? ` (p over ${result.queriesTimed} queries)` : ''} |`,
    );
  }
}

/** p95 over the first `count` queries only: compares engines on the same queries. */
function p95OfFirst(result: SpeedResult, count: number): number {
  const latencies = result.latenciesMs.slice(0, count).sort((left, right) => left - right);
  return percentile(latencies, 0.95);
}

/** A result whose build finished and whose latencies were measured. */
const completed = (result: SpeedResult | undefined): result is SpeedResult =>
  result !== undefined && result.queriesTimed > 0 && result.chunksBuilt === result.chunks;
/** Latencies were measured, perhaps on a partial build (then a lower bound). */
const measured = (result: SpeedResult | undefined): result is SpeedResult =>
  result !== undefined && result.queriesTimed > 0;

async function main(): Promise<void> {
  console.log(
    `retrieval bench — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ` +
      `load average ${loadavg()
        .map((load) => load.toFixed(2))
        .join(' ')}`,
  );
  const collection = loadVaswani();
  const quality = await measureQuality(collection);
  printQuality(quality);

  const speed: SpeedResult[] = [];
  let bestPeer: EngineName | null = null;
  for (const chunks of SIZES) {
    const isLargest = chunks === Math.max(...SIZES);
    const engines: EngineName[] = ['stackops'];
    if (!isLargest || SIZES.length === 1) engines.push(...PEERS);
    else if (bestPeer !== null) engines.push(bestPeer);
    for (const engine of engines) {
      const limit = engine === 'stackops' ? 3600 : buildLimitFor(chunks);
      console.log(
        `  … ${engine} at ${chunks.toLocaleString('en')} chunks (load ${loadavg()[0]!.toFixed(2)})`,
      );
      speed.push(await runSpeedChild(engine, chunks, limit));
    }
    if (!isLargest || SIZES.length === 1) {
      const candidates = speed.filter((result) => result.chunks === chunks && result.engine !== 'stackops');
      const finished = candidates.filter(completed).sort((left, right) => left.p95Ms - right.p95Ms);
      bestPeer = finished[0]?.engine ?? null;
    }
  }
  printSpeed(speed);

  // The headline is the public HTTP API's run; the engine API's when the server run failed.
  const ours =
    quality.find((row) => row.name === 'StackOps (HTTP API)' && row.metrics)?.metrics ?? quality[0]!.metrics;
  const peerRows = quality.filter((row) => (PEERS as readonly string[]).includes(row.name) && row.metrics);
  const bestQuality = peerRows.sort((left, right) => right.metrics!.map - left.metrics!.map)[0];
  const largest = Math.max(...SIZES);
  const oursLargest = speed.find((result) => result.engine === 'stackops' && result.chunks === largest);
  const peerLargest = speed.find((result) => result.engine === bestPeer && result.chunks === largest);
  let speedRatio = 'n/a';
  let speedNote = '';
  if (completed(oursLargest) && completed(peerLargest)) {
    // Over the same queries: a peer cut by the query-phase limit timed only the first ones.
    speedRatio = format(peerLargest.p95Ms / p95OfFirst(oursLargest, peerLargest.queriesTimed), 1);
  } else if (completed(oursLargest) && measured(peerLargest)) {
    // The peer could not build the corpus in time: its p95 on the part it built is a lower bound.
    speedRatio = 'dnf';
    speedNote =
      ` — it built only ${peerLargest.chunksBuilt.toLocaleString('en')} of ${largest.toLocaleString('en')} chunks ` +
      `in time; p95 on those: ${format(peerLargest.p95Ms, 1)} ms, so ≥ ` +
      `${format(peerLargest.p95Ms / p95OfFirst(oursLargest, peerLargest.queriesTimed), 1)}× ours at ` +
      `${largest.toLocaleString('en')}`;
  } else if (bestPeer !== null) {
    speedRatio = 'dnf';
    speedNote = ` — it did not finish at ${largest.toLocaleString('en')}: ${peerLargest?.unfinished ?? 'not run'}`;
  }
  console.log(
    `\nbest peer on quality: ${bestQuality?.name ?? 'none'} (MAP ${format(bestQuality?.metrics?.map)}); ` +
      `best peer on speed at ${SIZES[0]!.toLocaleString('en')}: ${bestPeer ?? 'none finished'}${speedNote}`,
  );
  const mapRatio = ours && bestQuality?.metrics ? format(ours.map / bestQuality.metrics.map, 3) : 'n/a';
  console.log(
    `BENCH retrieval map=${format(ours?.map)} ndcg10=${format(ours?.ndcg10)} ` +
      `p95_ms_1m=${format(oursLargest?.p95Ms, 2)} map_vs_best_peer=${mapRatio} ` +
      `speed_vs_best_peer_1m=${speedRatio}`,
  );
}

await main();
