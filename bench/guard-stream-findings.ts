/**
 * `node --import tsx bench/guard-stream-findings.ts`: the cost of a streamed answer with many
 * findings — 50 K characters full of e-mail addresses (about 1,400), a PII redaction rule,
 * deltas of 12 characters (≈ 3 tokens), hold-back 64 — where every rescan hands the policy
 * engine every finding of the answer so far. A per-finding search along the engine's list of
 * findings made each rescan quadratic in them; this shows as a rescan cost that grows much
 * faster than the answer.
 *
 * Printed: the stream's total CPU time, the mean rescan in the first and the last tenth of the
 * stream, and the same-run baseline — the PII scanner alone on the whole answer, which the engine
 * change does not touch — with every figure also as a multiple of it (compare runs on different
 * machines, or before/after a change run from two worktrees, by the multiples). Best of
 * BENCH_REPEATS (3). The stream must release exactly the whole-text redaction. Last line:
 *
 *   BENCH guard_stream_findings stream_ms=… vs_scanner_scan=… rescan_first_ms=… rescan_last_ms=…
 */
import type { GuardRule } from '../src/core/index.js';
import {
  type CompiledPolicy,
  createPiiScanner,
  evaluateStage,
  type GuardVerdict,
  StreamingOutputGuard,
  type StreamStep,
} from '../src/guard/index.js';

const SIZE = 50_000;
const DELTA_CHARS = 12;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

let text = '';
for (let index = 0; text.length < SIZE; index++) text += `Write to user${index}@example.com today. `;
text = text.slice(0, SIZE);

const policy: CompiledPolicy = {
  name: 'findings',
  version: 1,
  holdBackChars: 64,
  maxScanChars: 100_000,
  oversize: 'block',
  stages: {
    input: [],
    context: [],
    output: [
      {
        rule: { scanner: 'pii', stage: 'output', action: 'redact', threshold: 0.5 } as GuardRule,
        scanner: createPiiScanner(),
      },
    ],
  },
};

const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

const pii = createPiiScanner();

/** The baseline: the PII scanner alone on the whole answer (no policy engine, which is what changed). */
function scannerScan(): number {
  const started = cpuMs();
  pii.scan(text, { stage: 'output' });
  return cpuMs() - started;
}

/** One stream: total CPU, and the rescans' CPU by position (a rescan is a push that scanned). */
function stream(): { ms: number; first: number; last: number; released: string } {
  const guard = new StreamingOutputGuard(policy, {});
  const first: number[] = [];
  const last: number[] = [];
  let released = '';
  const started = cpuMs();
  for (let at = 0; at < text.length; at += DELTA_CHARS) {
    const scans = guard.scans;
    const before = cpuMs();
    const step = guard.push(text.slice(at, at + DELTA_CHARS)) as StreamStep;
    const spent = cpuMs() - before;
    released += step.release;
    if (guard.scans === scans) continue;
    if (at < SIZE / 10) first.push(spent);
    else if (at >= (SIZE * 9) / 10) last.push(spent);
  }
  released += (guard.finish() as StreamStep).release;
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  return { ms: cpuMs() - started, first: mean(first), last: mean(last), released };
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

scannerScan(); // warm-up
let whole = Number.POSITIVE_INFINITY;
// A few milliseconds: best of many, or the machine's noise is the figure.
for (let repeat = 0; repeat < 30; repeat++) whole = Math.min(whole, scannerScan());
const verdict = evaluateStage(policy, 'output', text) as GuardVerdict;
let best = { ms: Number.POSITIVE_INFINITY, first: 0, last: 0, released: '' };
for (let repeat = 0; repeat < REPEATS; repeat++) {
  const run = stream();
  if (run.ms < best.ms) best = run;
}
if (best.released !== verdict.text) throw new Error('the stream did not release the whole-text redaction');

console.log(
  `# ${SIZE} characters, ${verdict.findings.length} e-mail addresses, deltas of ${DELTA_CHARS}, best of ${REPEATS} (CPU time)`,
);
console.log('| measure | ms | × the PII scanner on the whole answer |');
console.log('|---|---|---|');
console.log(`| the PII scanner on the whole answer (baseline) | ${round(whole)} | 1 |`);
console.log(`| the whole stream | ${round(best.ms)} | ${round(best.ms / whole, 1)} |`);
console.log(`| a rescan, first tenth | ${round(best.first, 3)} | ${round(best.first / whole, 3)} |`);
console.log(`| a rescan, last tenth | ${round(best.last, 3)} | ${round(best.last / whole, 3)} |`);
console.log(
  `\nBENCH guard_stream_findings stream_ms=${round(best.ms, 0)} vs_scanner_scan=${round(best.ms / whole, 1)} rescan_first_ms=${round(best.first, 3)} rescan_last_ms=${round(best.last, 3)} scanner_scan_ms=${round(whole)}`,
);
