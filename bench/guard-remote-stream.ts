/**
 * `node --import tsx bench/guard-remote-stream.ts`: what a remote output rule (Llama Guard behind an
 * OpenAI-compatible endpoint) costs on a streamed answer — judged in chunks (first 200
 * characters, then every 800 with 200 of context, the rest at the end) against the behaviour
 * before, measured in the same run: the whole answer so far at every 24-character rescan.
 *
 * Parts, all real except the two models: a StreamingOutputGuard with the policy's output rules
 * (a local PII redaction and the remote rule, hold-back 64), the real remote scanner calling a
 * fake Llama Guard over HTTP on 127.0.0.1 that answers `safe` after a fixed latency
 * (BENCH_GUARD_MS, default 20), and an upstream simulated in-process: one token of 4 characters
 * every BENCH_TOKEN_MS (default 5, i.e. 200 tokens/s; text that arrives while the guard waits
 * for the model piles up, as it does in the socket). Three policies:
 *
 * - local: the PII rule alone — the baseline for time to first byte and per-character delay;
 * - before: the remote rule as it ran before chunking — the same scanner given a context without
 *   the stream marker, so it takes its whole-text path (left as it was) at every rescan, and the
 *   guard holds nothing back for it: the code path of a stream before this change;
 * - chunked: the remote rule as it runs now.
 *
 * Per answer of 800 and 5,000 characters: calls and characters sent to the guard model (counted
 * by the fake server), time to first byte (first released character), the delay of each
 * character from its arrival to its release (p50 / p99 / max), and the stream's total time; then
 * a pass with every token there at once (instant upstream) for the guard's own cost. TTFB and
 * stream times are medians of BENCH_REPEATS (2); delays are pooled over the repeats. Last line
 * (…_800 and …_5k per size; `_before` is the old behaviour in the same run):
 *
 *   BENCH guard_remote_stream calls_800=… calls_800_before=… sent_800=… sent_800_before=…
 *     sent_ratio_800=… ttfb_added_ms_800=… ttfb_added_before_ms_800=… delay_p50_ms_800=… …
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { GuardRule } from '../src/core/index.js';
import {
  type CompiledPolicy,
  createPiiScanner,
  createRemoteModelScanner,
  type ScanContext,
  type Scanner,
  StreamingOutputGuard,
} from '../src/guard/index.js';
import { startFakeGuardModelServer } from '../test/fakes/fake-guard-model-server.js';

const GUARD_MS = Number(process.env.BENCH_GUARD_MS ?? 20);
const TOKEN_MS = Number(process.env.BENCH_TOKEN_MS ?? 5);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 2);
const TOKEN_CHARS = 4;
const SIZES = [800, 5000];

type Mode = 'local' | 'before' | 'chunked';

/** Prose that never repeats itself (the fake judges it safe). */
function answer(length: number): string {
  let text = '';
  for (let sentence = 1; text.length < length; sentence++) {
    text += `Sentence ${sentence} of the forecast says the ${sentence % 2 ? 'morning' : 'evening'} stays mild. `;
  }
  return text.slice(0, length);
}

/**
 * The remote scanner as it ran before chunking: every stream context is replaced by one without
 * the stream marker (the same object for the whole stream, so its "not asked again after a
 * failure" memory works as it did), and the scanner judges the whole text it is given.
 */
function beforeChunking(scanner: Scanner): Scanner {
  const plain = new WeakMap<ScanContext, ScanContext>();
  return {
    name: scanner.name,
    stages: scanner.stages,
    scan(text, context) {
      let stripped = plain.get(context);
      if (!stripped) {
        const { stream: _stream, ...rest } = context;
        stripped = rest;
        plain.set(context, stripped);
      }
      return scanner.scan(text, stripped);
    },
  };
}

function policy(mode: Mode, baseUrl: string): CompiledPolicy {
  const rule = (scanner: string, action: GuardRule['action']) =>
    ({ scanner, stage: 'output', action, threshold: 0.5 }) as GuardRule;
  const output: Array<{ rule: GuardRule; scanner: Scanner }> = [
    { rule: rule('pii', 'redact'), scanner: createPiiScanner() },
  ];
  if (mode !== 'local') {
    const remote = createRemoteModelScanner({
      baseUrl,
      model: 'meta-llama/Llama-Guard-3-8B',
      kind: 'llama-guard',
      timeoutMs: 5000,
    });
    output.push({
      rule: rule('remote', 'block'),
      scanner: mode === 'before' ? beforeChunking(remote) : remote,
    });
  }
  return {
    name: mode,
    version: 1,
    holdBackChars: 64,
    maxScanChars: 100_000,
    oversize: 'block',
    stages: { input: [], context: [], output },
  };
}

interface Run {
  ttfbMs: number;
  delays: number[];
  totalMs: number;
}

/** Streams `text` token by token at `tokenMs` through a guard; times every character's release. */
async function run(compiled: CompiledPolicy, text: string, tokenMs: number): Promise<Run> {
  const guard = new StreamingOutputGuard(compiled, {});
  const delays: number[] = [];
  let released = 0;
  let ttfbMs = Number.NaN;
  const started = performance.now();
  const arrival = (index: number) => Math.floor(index / TOKEN_CHARS) * tokenMs;
  const note = (length: number) => {
    if (length === 0) return;
    const now = performance.now() - started;
    if (Number.isNaN(ttfbMs)) ttfbMs = now;
    for (let index = released; index < released + length; index++) delays.push(now - arrival(index));
    released += length;
  };
  for (let at = 0; at < text.length; at += TOKEN_CHARS) {
    const wait = arrival(at) - (performance.now() - started);
    if (wait > 1) await sleep(wait);
    const step = await guard.push(text.slice(at, at + TOKEN_CHARS));
    if (step.blocked) throw new Error(`blocked: ${step.blocked.blockedBy?.message}`);
    note(step.release.length);
  }
  const step = await guard.finish();
  if (step.blocked) throw new Error(`blocked: ${step.blocked.blockedBy?.message}`);
  note(step.release.length);
  if (released !== text.length) throw new Error(`released ${released} of ${text.length} characters`);
  return { ttfbMs, delays, totalMs: performance.now() - started };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};
const percentile = (values: number[], share: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]!;
};
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

const fake = await startFakeGuardModelServer({ delayMs: GUARD_MS });
console.log(
  `# remote guard model on a stream — guard latency ${GUARD_MS} ms, upstream ${TOKEN_MS} ms per ${TOKEN_CHARS}-character token, median of ${REPEATS}`,
);
const bench: Record<string, number> = {};
try {
  // Warm-up: the first HTTP connection and the JIT.
  await run(policy('chunked', fake.url), answer(800), 0);
  await run(policy('before', fake.url), answer(800), 0);

  for (const size of SIZES) {
    const text = answer(size);
    const results = {} as Record<Mode, Run & { calls: number; sentChars: number; instantMs: number }>;
    for (const mode of ['local', 'before', 'chunked'] as const) {
      const runs: Run[] = [];
      const instant: number[] = [];
      let calls = 0;
      let sentChars = 0;
      for (let repeat = 0; repeat < REPEATS; repeat++) {
        fake.reset();
        runs.push(await run(policy(mode, fake.url), text, TOKEN_MS));
        // What the guard model received for one stream (the same every repeat).
        calls = fake.requests.length;
        sentChars = fake.requests.reduce((sum, request) => {
          const messages = (request.body as { messages: Array<{ content: string }> }).messages;
          return sum + messages.at(-1)!.content.length;
        }, 0);
        instant.push((await run(policy(mode, fake.url), text, 0)).totalMs);
      }
      results[mode] = {
        calls,
        sentChars,
        ttfbMs: median(runs.map((entry) => entry.ttfbMs)),
        delays: runs.flatMap((entry) => entry.delays),
        totalMs: median(runs.map((entry) => entry.totalMs)),
        instantMs: median(instant),
      };
    }
    const local = results.local;
    console.log(`\n## ${size} characters (upstream alone: ${round(upstreamMs(size))} ms)`);
    console.log(
      '| policy | guard calls | characters sent | TTFB ms | added TTFB ms | char delay p50 / p99 / max ms | stream ms (paced) | stream ms (instant upstream) |',
    );
    console.log('|---|---|---|---|---|---|---|---|');
    for (const mode of ['local', 'before', 'chunked'] as const) {
      const entry = results[mode];
      console.log(
        `| ${mode} | ${entry.calls} | ${entry.sentChars} | ${round(entry.ttfbMs)} | ${mode === 'local' ? '—' : round(entry.ttfbMs - local.ttfbMs)} | ${round(percentile(entry.delays, 0.5))} / ${round(percentile(entry.delays, 0.99))} / ${round(Math.max(...entry.delays))} | ${round(entry.totalMs)} | ${round(entry.instantMs)} |`,
      );
    }
    const before = results.before;
    const chunked = results.chunked;
    console.log(
      `chunked vs before: calls ×${round(chunked.calls / before.calls, 3)}, characters sent ×${round(chunked.sentChars / before.sentChars, 3)}, added TTFB ${round(chunked.ttfbMs - local.ttfbMs)} vs ${round(before.ttfbMs - local.ttfbMs)} ms, char delay p50 ${round(percentile(chunked.delays, 0.5))} vs ${round(percentile(before.delays, 0.5))} ms, stream (instant upstream) ×${round(chunked.instantMs / before.instantMs, 3)}`,
    );
    const key = size === 800 ? '800' : '5k';
    bench[`calls_${key}`] = chunked.calls;
    bench[`calls_${key}_before`] = before.calls;
    bench[`sent_${key}`] = chunked.sentChars;
    bench[`sent_${key}_before`] = before.sentChars;
    bench[`sent_ratio_${key}`] = round(before.sentChars / chunked.sentChars, 2);
    bench[`ttfb_added_ms_${key}`] = round(chunked.ttfbMs - local.ttfbMs);
    bench[`ttfb_added_before_ms_${key}`] = round(before.ttfbMs - local.ttfbMs);
    bench[`delay_p50_ms_${key}`] = round(percentile(chunked.delays, 0.5));
    bench[`delay_p50_before_ms_${key}`] = round(percentile(before.delays, 0.5));
    bench[`delay_p99_ms_${key}`] = round(percentile(chunked.delays, 0.99));
    bench[`delay_p99_before_ms_${key}`] = round(percentile(before.delays, 0.99));
    bench[`instant_ms_${key}`] = round(chunked.instantMs);
    bench[`instant_before_ms_${key}`] = round(before.instantMs);
  }
} finally {
  await fake.close();
}

/** When the upstream's last token of an answer of `size` characters arrives. */
function upstreamMs(size: number): number {
  return Math.floor((size - 1) / TOKEN_CHARS) * TOKEN_MS;
}

console.log(
  `\nBENCH guard_remote_stream ${Object.entries(bench)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ')}`,
);
