/**
 * Tables and the BENCH line of bench/guard-stream.ts: per stack and answer, the per-chunk
 * delay and what the guard added to it, then where it came from (window vs scan CPU), then
 * scan CPU by position in the stream from a local replay.
 */
import type { CompiledPolicy } from '../src/guard/index.js';
import {
  benignAnswer,
  type ChunkTiming,
  scanCostByPosition,
  windowReleaseChunk,
} from './guard-stream-analysis.js';
import type { UpstreamStream } from './guard-stream-upstream.js';

export interface StackConfig {
  stack: string;
  label: string;
  /** null: no guard policy at all. */
  holdBack: number | null;
}

export const CONFIGS: StackConfig[] = [
  { stack: 'gs-plain', label: 'no guard (baseline)', holdBack: null },
  { stack: 'gs-hold-0', label: 'default output rules, hold-back 0', holdBack: 0 },
  { stack: 'gs-hold-64', label: 'default output rules, hold-back 64', holdBack: 64 },
  { stack: 'gs-hold-256', label: 'default output rules, hold-back 256', holdBack: 256 },
];
const HEADLINE = 'gs-hold-64';
export type Variant = 'benign' | 'pii';
export const VARIANTS: Variant[] = ['benign', 'pii'];

export interface Run {
  config: StackConfig;
  variant: Variant;
  round: number;
  timings: ChunkTiming[];
  ttftMs: number;
  totalMs: number;
  traceId: string | null;
  problem: string | null;
}

export function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function quantile(values: number[], q: number): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const median = (values: number[]) => quantile(values, 0.5);
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
export const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const signed = (value: number, digits = 2) =>
  Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(digits)}` : '–';

/** The output guard span's stream attributes. */
export interface SpanNumbers {
  scans: number;
  scanMs: number;
  msPerChunk: number;
}

export interface RunSet {
  runs: Run[];
  /** What the upstream sent for each run (pieces and send times). */
  sent: Map<Run, UpstreamStream>;
  spans: Map<Run, SpanNumbers | null>;
  answers: Record<Variant, string[]>;
}

const delaysOf = (run: Run) => run.timings.map((timing) => timing.delayMs);

/** Per chunk, this run's delay minus the baseline run's for the same chunk, round and answer. */
function pairedAdded(run: Run, baseline: Run): number[] {
  return run.timings.map((timing, chunk) => timing.delayMs - baseline.timings[chunk]!.delayMs);
}

export function report(
  set: RunSet,
  policyFor: (holdBack: number) => CompiledPolicy,
  settings: { chunks: number; gapMs: number; tokensPerChunk: number },
): void {
  const { runs, sent, spans, answers } = set;
  for (const run of runs) if (run.problem) print(`! ${run.config.stack} ${run.variant}: ${run.problem}`);
  const of = (config: StackConfig, variant: Variant) =>
    runs.filter((run) => run.config === config && run.variant === variant);
  const baselineOf = (run: Run) =>
    runs.find(
      (other) => other.config === CONFIGS[0] && other.variant === run.variant && other.round === run.round,
    )!;
  let headline = { p50: Number.NaN, p99: Number.NaN, ttft: Number.NaN, held: Number.NaN };

  for (const variant of VARIANTS) {
    const baseline = of(CONFIGS[0]!, variant);
    const baseHeld = mean(baseline.flatMap((run) => run.timings.map((timing) => timing.heldChars)));
    const text = answers[variant].join('');
    const rateCharsPerMs = text.length / (settings.chunks * settings.gapMs);
    print();
    print(
      `## ${variant === 'benign' ? 'Benign answer' : 'Answer with PII (redacted)'} — ${text.length} chars, ${fixed(rateCharsPerMs * 1000, 0)} chars/s`,
    );
    print();
    print(
      '| stack | delay p50 / p95 / p99 ms | added p50 / p95 / p99 ms | TTFT ms (added) | total ms (added) | last chunk added ms |',
    );
    print('|---|---|---|---|---|---|');
    for (const config of CONFIGS) {
      const selected = of(config, variant);
      const delays = selected.flatMap(delaysOf);
      const isBase = config.holdBack === null;
      const added = selected.flatMap((run) => pairedAdded(run, baselineOf(run)));
      const addedBy = (pick: (run: Run) => number) =>
        median(selected.map((run) => pick(run) - pick(baselineOf(run))));
      const ttft = median(selected.map((run) => run.ttftMs));
      const total = median(selected.map((run) => run.totalMs));
      const quantiles = (values: number[], format: (value: number) => string) =>
        [0.5, 0.95, 0.99].map((q) => format(quantile(values, q))).join(' / ');
      print(
        `| ${config.label} | ${quantiles(delays, fixed)} | ${isBase ? '–' : quantiles(added, signed)} | ${fixed(ttft, 1)}${
          isBase
            ? ''
            : ` (${signed(
                addedBy((run) => run.ttftMs),
                1,
              )})`
        } | ${fixed(total, 0)}${
          isBase
            ? ''
            : ` (${signed(
                addedBy((run) => run.totalMs),
                1,
              )})`
        } | ${isBase ? '–' : signed(addedBy((run) => run.timings.at(-1)!.delayMs))} |`,
      );
      if (variant === 'benign' && config.stack === HEADLINE) {
        headline = {
          p50: quantile(added, 0.5),
          p99: quantile(added, 0.99),
          ttft: addedBy((run) => run.ttftMs),
          held: mean(selected.flatMap((run) => run.timings.map((timing) => timing.heldChars))) - baseHeld,
        };
      }
    }
    print();
    print(
      '| stack | held chars mean / max (above baseline) | held as ms at stream rate | window alone: added p50 ms, TTFT ms | measured added p50 ms | rest p50 / p99 ms | scan CPU ms/chunk (span) | scans / stream |',
    );
    print('|---|---|---|---|---|---|---|---|');
    for (const config of CONFIGS.slice(1)) {
      const selected = of(config, variant);
      const held = selected.flatMap((run) => run.timings.map((timing) => timing.heldChars));
      const heldAbove = mean(held) - baseHeld;
      const windows = new Map(
        selected.map((run) => [run, windowReleaseChunk(sent.get(run)!, config.holdBack!)]),
      );
      const predicted = [...windows.values()].flat();
      const added = selected.flatMap((run) => pairedAdded(run, baselineOf(run)));
      const rest = selected.flatMap((run) =>
        pairedAdded(run, baselineOf(run)).map((value, chunk) => value - windows.get(run)![chunk]!),
      );
      const spanNumbers = selected.map((run) => spans.get(run)).filter((span) => span != null);
      const fromSpans = (pick: (span: SpanNumbers) => number, digits: number) =>
        spanNumbers.length ? fixed(mean(spanNumbers.map(pick)), digits) : '–';
      print(
        `| ${config.label} | ${fixed(heldAbove, 0)} / ${fixed(Math.max(...held), 0)} | ${fixed(heldAbove / rateCharsPerMs, 1)} | ${fixed(median(predicted))}, ${fixed(median([...windows.values()].map((window) => window[0]!)), 1)} | ${fixed(median(added))} | ${signed(median(rest))} / ${signed(quantile(rest, 0.99))} | ${fromSpans((span) => span.msPerChunk, 4)} | ${fromSpans((span) => span.scans, 0)} |`,
      );
    }
  }

  print();
  print('## Scan CPU by position in the stream (local replay, default rules, hold-back 64)');
  print();
  print('| answer | ms per chunk, first third | middle third | last third | scans |');
  print('|---|---|---|---|---|');
  const long = benignAnswer(policyFor(0), settings.chunks * 4, settings.tokensPerChunk).pieces;
  const replays: Array<[string, string[]]> = [
    ...VARIANTS.map((variant): [string, string[]] => [variant, answers[variant]]),
    [`benign, 4× longer (${long.join('').length} chars, not streamed)`, long],
  ];
  for (const [name, pieces] of replays) {
    const cost = scanCostByPosition(policyFor(64), pieces);
    print(
      `| ${name} | ${fixed(cost.thirds[0]!, 4)} | ${fixed(cost.thirds[1]!, 4)} | ${fixed(cost.thirds[2]!, 4)} | ${cost.scans} |`,
    );
  }
  print();
  print(
    `BENCH guard_stream added_p50_ms=${fixed(headline.p50, 3)} added_p99_ms=${fixed(headline.p99, 3)} ttft_added_ms=${fixed(headline.ttft, 3)} hold_back_chars=${fixed(headline.held, 0)}`,
  );
}
