/**
 * `npm run bench:guard-stream`: how much later does a streamed chunk reach the client when
 * the stack's output guard holds the stream back and scans it?
 *
 * One run, through the real HTTP gateway with the `openai` SDK as the client. A paced fake
 * upstream in this process (so that upstream and client read one clock) streams answers made
 * of HaluEval answer text — BENCH_CHUNKS chunks of BENCH_TOKENS_PER_CHUNK tokens, one every
 * BENCH_GAP_MS, in the OpenAI wire format (role chunk, content chunks, an empty finish chunk,
 * usage, [DONE]) — and stamps each chunk's send time. StackOps runs in its own process
 * (stackops-process.ts) and serves four stacks over that upstream: no guard (the baseline),
 * and the default policy's output rules with hold-back 0, 64 (the default) and 256. A second
 * variant of the answer carries PII, so redaction is exercised. Rounds take the stacks in
 * rotating order so drift on the machine hits each alike.
 *
 * For each upstream chunk, delay = time the client has received all of its text − upstream
 * send time; "added" is a guarded stack's minus the baseline's for the same chunk, answer and
 * round. Every streamed text is checked against the policy's verdict on the whole answer
 * (a PII value that went out unredacted is named). The two causes of delay are
 * separated: the hold-back (text withheld until the window fills — characters, converted to
 * ms at the stream's rate, and predicted by replaying the window alone) and scan CPU (the
 * guard span's stackops.guard.stream_ms_per_chunk, plus a local replay by stream position).
 * The last line is for machines:
 *
 *   BENCH guard_stream added_p50_ms=… added_p99_ms=… ttft_added_ms=… hold_back_chars=…
 *
 * (default policy, hold-back 64, benign answer). Env: BENCH_CHUNKS (300), BENCH_GAP_MS (8),
 * BENCH_TOKENS_PER_CHUNK (3), BENCH_ROUNDS (2). Files: guard-stream-upstream.ts (the paced
 * upstream), guard-stream-analysis.ts (answers, alignment, replays), guard-stream-report.ts.
 */
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import type { GuardRule } from '../src/core/index.js';
import { defaultPolicy, ScannerRegistry } from '../src/guard/index.js';
import { startChild } from './children.js';
import {
  alignToUpstream,
  benignAnswer,
  chunkTimings,
  expectedText,
  PII_VALUES,
  SYSTEM_PROMPT,
  withPii,
} from './guard-stream-analysis.js';
import {
  CONFIGS,
  fixed,
  print,
  type Run,
  report,
  type SpanNumbers,
  type StackConfig,
  VARIANTS,
  type Variant,
} from './guard-stream-report.js';
import { startPacedUpstream, type UpstreamStream } from './guard-stream-upstream.js';

interface Settings {
  chunks: number;
  gapMs: number;
  tokensPerChunk: number;
  rounds: number;
}

function numberFromEnv(name: string, fallback: number, minimum: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum)
    throw new Error(`${name} must be an integer >= ${minimum}, got "${raw}"`);
  return value;
}

const settings: Settings = {
  chunks: numberFromEnv('BENCH_CHUNKS', 300, 20),
  gapMs: numberFromEnv('BENCH_GAP_MS', 8, 1),
  tokensPerChunk: numberFromEnv('BENCH_TOKENS_PER_CHUNK', 3, 1),
  rounds: numberFromEnv('BENCH_ROUNDS', 2, 1),
};

async function applyStacks(url: string, adminKey: string, outputRules: GuardRule[]): Promise<void> {
  const guarded = CONFIGS.filter((config) => config.holdBack !== null);
  const document = {
    prompts: [
      {
        name: 'gs-assistant',
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: '{{input}}' },
        ],
      },
    ],
    guard_policies: guarded.map((config) => ({
      name: `gs-output-${config.holdBack}`,
      rules: outputRules,
      hold_back_chars: config.holdBack,
    })),
    stacks: CONFIGS.map((config) => ({
      name: config.stack,
      model: 'bench-model',
      prompt: 'gs-assistant',
      ...(config.holdBack === null ? {} : { guard: `gs-output-${config.holdBack}` }),
    })),
    deployments: CONFIGS.map((config) => ({ stack: config.stack, environment: 'production' })),
  };
  const response = await fetch(`${url}/api/apply`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ document }),
  });
  if (!response.ok) throw new Error(`apply: HTTP ${response.status} ${await response.text()}`);
}

/** One streamed request; `events` are the client's receive times of content. */
async function stream(
  client: OpenAI,
  upstream: UpstreamStream,
  config: StackConfig,
  /** The text the client must receive; null: only a stream that ends with an error is a problem. */
  expected: string | null,
): Promise<{ run: Omit<Run, 'variant' | 'round'>; upstream: UpstreamStream }> {
  const started = performance.now();
  const { data, response } = await client.chat.completions
    .create({
      model: config.stack,
      messages: [{ role: 'user', content: `Answer the question. ${upstream.marker}` }],
      stream: true,
      stream_options: { include_usage: true },
    })
    .withResponse();
  const events: Array<{ at: number; length: number }> = [];
  let text = '';
  let problem: string | null = null;
  try {
    for await (const chunk of data) {
      const piece = chunk.choices[0]?.delta?.content;
      if (!piece) continue;
      text += piece;
      events.push({ at: performance.now(), length: text.length });
    }
  } catch (error) {
    problem = `stream ended with an error: ${(error as Error).message}`;
  }
  const ended = performance.now();
  if (problem === null && expected !== null && text !== expected) {
    const leaked = PII_VALUES.filter((value) => text.includes(value) && !expected.includes(value));
    problem = leaked.length
      ? `unredacted in the stream, redacted in the whole answer: ${leaked.join(', ')}`
      : `text differs from the whole answer after the policy (${text.length} vs ${expected.length} chars)`;
  }
  const offsets = alignToUpstream(upstream.pieces.join(''), text);
  return {
    upstream,
    run: {
      config,
      timings: chunkTimings(upstream, events, offsets),
      ttftMs: (events[0]?.at ?? Number.NaN) - started,
      totalMs: ended - started,
      traceId: response.headers.get('x-stackops-trace-id'),
      problem,
    },
  };
}

/** The output guard span's stream attributes (traces reach the store every 500 ms). */
async function guardSpan(url: string, adminKey: string, traceId: string): Promise<SpanNumbers | null> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const response = await fetch(`${url}/api/traces/${traceId}`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    if (response.status === 200) {
      const trace = (await response.json()) as {
        spans: Array<{ kind: string; attributes: Record<string, unknown> }>;
      };
      const span = trace.spans.find(
        (candidate) =>
          candidate.kind === 'guard' && candidate.attributes['stackops.guard.stage'] === 'output',
      );
      if (!span) return null;
      return {
        scans: Number(span.attributes['stackops.guard.stream_scans']),
        scanMs: Number(span.attributes['stackops.guard.stream_scan_ms']),
        msPerChunk: Number(span.attributes['stackops.guard.stream_ms_per_chunk']),
      };
    }
    await sleep(200);
  }
  return null;
}

async function main(): Promise<void> {
  const [load1, load5] = os.loadavg();
  print(
    `# Streaming guard delay — ${settings.chunks} chunks × ${settings.tokensPerChunk} tokens every ${settings.gapMs} ms, ${settings.rounds} rounds, load average ${fixed(load1!)} / ${fixed(load5!)} (1 / 5 min), ${os.cpus().length} cores`,
  );
  const registry = new ScannerRegistry();
  const outputRules = defaultPolicy(registry).stages.output.map(({ rule }) => rule);
  const policyFor = (holdBack: number) => ({ ...defaultPolicy(registry), holdBackChars: holdBack });

  const { pieces: benign, skipped } = benignAnswer(policyFor(0), settings.chunks, settings.tokensPerChunk);
  print(
    `answers: HaluEval general, ${skipped} answer(s) skipped because the policy blocks them while streamed`,
  );
  const answers: Record<Variant, string[]> = {
    benign,
    pii: withPii(benign, settings.chunks, settings.tokensPerChunk),
  };
  const expected = (config: StackConfig, variant: Variant) =>
    config.holdBack === null ? answers[variant].join('') : expectedText(policyFor(64), answers[variant]);
  const planted = PII_VALUES.filter((value) => answers.pii.join('').includes(value));
  const redactedWhole = planted.filter((value) => !expected(CONFIGS[2]!, 'pii').includes(value));
  print(
    `PII planted: ${planted.length} values; the policy redacts ${redactedWhole.length} of them in the whole answer (${planted.filter((value) => !redactedWhole.includes(value)).join(', ') || 'all'} not)`,
  );

  const upstream = await startPacedUpstream(settings.gapMs);
  const stackops = await startChild('stackops', './stackops-process.ts', {
    env: { BENCH_UPSTREAM_URL: upstream.url },
  });
  try {
    const url = stackops.ready.url;
    const adminKey = String(stackops.ready.adminKey);
    await applyStacks(url, adminKey, outputRules);
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: adminKey, maxRetries: 0 });

    // Warm-up and check: a short stream per stack and variant.
    for (const config of CONFIGS) {
      for (const variant of VARIANTS) {
        const pieces = answers[variant].slice(0, 40);
        const { run } = await stream(client, upstream.plan(pieces), config, null);
        if (run.problem) throw new Error(`${config.stack} ${variant} warm-up: ${run.problem}`);
      }
    }
    print(`✓ StackOps at ${url}, stacks ${CONFIGS.map((config) => config.stack).join(', ')} warmed up`);

    const runs: Run[] = [];
    const sent = new Map<Run, UpstreamStream>();
    for (let round = 0; round < settings.rounds; round++) {
      for (const variant of VARIANTS) {
        for (let offset = 0; offset < CONFIGS.length; offset++) {
          const config = CONFIGS[(round + offset) % CONFIGS.length]!;
          const measured = await stream(
            client,
            upstream.plan(answers[variant]),
            config,
            expected(config, variant),
          );
          const run = { ...measured.run, variant, round };
          runs.push(run);
          sent.set(run, measured.upstream);
          await sleep(30);
        }
      }
    }
    const spans = new Map<Run, SpanNumbers | null>();
    for (const run of runs)
      if (run.config.holdBack !== null && run.traceId)
        spans.set(run, await guardSpan(url, adminKey, run.traceId));

    report({ runs, sent, spans, answers }, policyFor, settings);
  } finally {
    await stackops.stop();
    await upstream.close();
  }
}

await main();
