/**
 * `npm run bench:guard-regex`: what custom patterns (the `regex` guard scanner, RE2JS) cost per
 * 2 KB text, against V8's own RegExp running the same patterns in the same run (the fastest
 * engine a Node process has, but a backtracking one), and against the reference pass of
 * bench/guard-latency.ts (lower-case, split, count words) that says how fast this machine is.
 *
 * Texts: 300 benign 2 KB prompts (HaluEval user queries, a tune set), as they are ("no hit")
 * and with three planted matches ("3 hits"). Pattern lists of 1, 10 and 100 realistic
 * enterprise patterns (employee and ticket ids, code names, internal host names). Before
 * timing, both engines must report the same spans on every text. Then streams: a 3.4 K, 14 K
 * and 50 K-character answer (the same prompts joined, ids planted) pushed in 12-character chunks
 * through a StreamingOutputGuard whose only rule is a `regex` redact rule with the 10 patterns,
 * twice in the same run — "before", the scanner called without the stream's context so that
 * every rescan scans the whole answer, as it did before the incremental scan; and "after", as
 * the guard calls it. Both must release the same text and end on the same verdict; printed:
 * scan CPU of the whole stream and the ratio. Last, the reason for RE2: V8's time for `(a+)+$`
 * on "a…ab" doubles with every extra character; RE2's stays flat.
 */
import { cpuUsage } from 'node:process';
import { compilePolicy } from '../src/guard/policy/compile-policy.js';
import type { CompiledPolicy } from '../src/guard/policy/guard-engine.js';
import { ScannerRegistry } from '../src/guard/policy/scanner-registry.js';
import { StreamingOutputGuard } from '../src/guard/policy/streaming-guard.js';
import { createRegexScanner, type RegexPattern, type RegexScanner } from '../src/guard/regex/index.js';
import type { ScanContext } from '../src/guard/scanner.js';
import { prompts } from './guard-latency.js';

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

function patternList(count: number): RegexPattern[] {
  const names = ['nightingale', 'osprey', 'kestrel', 'heron', 'falcon', 'plover', 'curlew', 'merlin'];
  const out: RegexPattern[] = [];
  for (let index = 0; out.length < count; index++) {
    switch (index % 4) {
      case 0:
        out.push({
          name: `ID_${index}`,
          pattern: `\\b${String.fromCharCode(65 + (index % 26))}${String.fromCharCode(65 + ((index * 7) % 26))}-\\d{6}\\b`,
        });
        break;
      case 1:
        out.push({ name: `TICKET_${index}`, pattern: `\\b(?:INC|REQ|CHG)${index % 10}\\d{6}\\b` });
        break;
      case 2:
        out.push({
          name: `CODE_${index}`,
          pattern: `\\bproject\\s+${names[index % names.length]}${index}\\b`,
          flags: 'i',
        });
        break;
      default:
        out.push({
          name: `HOST_${index}`,
          pattern: `\\b[a-z0-9-]+\\.(?:corp|int)${index}\\.example\\.com\\b`,
        });
    }
  }
  return out;
}

function v8Matcher(patterns: RegexPattern[]): (text: string) => Array<[number, number]> {
  const compiled = patterns.map((entry) => new RegExp(entry.pattern, `gu${entry.flags ?? ''}`));
  return (text) => {
    const found: Array<[number, number]> = [];
    for (const regex of compiled) {
      regex.lastIndex = 0;
      for (const match of text.matchAll(regex)) found.push([match.index, match.index + match[0].length]);
    }
    return found.sort((left, right) => left[0] - right[0] || right[1] - left[1]);
  };
}

function referencePass(text: string): number {
  const counts = new Map<string, number>();
  for (const word of text.toLowerCase().split(/\s+/)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts.size;
}

interface Timing {
  p50: number;
  p99: number;
  cpu: number;
}

/** Microseconds per call: wall p50/p99 over every call, mean CPU; one untimed round first. */
function time(texts: string[], rounds: number, run: (text: string) => unknown): Timing {
  for (const text of texts) run(text);
  const wall: number[] = [];
  const start = cpuUsage();
  for (let pass = 0; pass < rounds; pass++) {
    for (const text of texts) {
      const begin = performance.now();
      run(text);
      wall.push((performance.now() - begin) * 1000);
    }
  }
  const used = cpuUsage(start);
  wall.sort((a, b) => a - b);
  return {
    p50: wall[Math.floor(wall.length / 2)]!,
    p99: wall[Math.floor(wall.length * 0.99)]!,
    cpu: (used.user + used.system) / wall.length,
  };
}

function plant(text: string, patterns: RegexPattern[]): string {
  // Three matches of the first pattern kinds (an id, a ticket, a code name), spread out.
  const samples = ['AA-123456', 'INC1234567', 'Project nightingale2'];
  const usable = samples.filter((sample) =>
    patterns.some((entry) => new RegExp(`^${entry.pattern}$`, entry.flags ?? '').test(sample)),
  );
  let out = text;
  usable.forEach((sample, index) => {
    const at = Math.floor(((index + 1) * out.length) / (usable.length + 1));
    const space = out.indexOf(' ', at);
    out = `${out.slice(0, space + 1)}${sample} ${out.slice(space + 1)}`;
  });
  return out.slice(0, 2048 + 64);
}

const texts = prompts(300);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const reference = time(texts, rounds, referencePass);
console.log(
  `## Custom patterns (regex scanner), 2 KB prompts, µs per text (${rounds} rounds × ${texts.length} texts)`,
);
console.log(`reference pass (lower-case, split, count words): p50 ${round(reference.p50, 1)} µs`);
console.log(
  '| patterns | texts | RE2JS p50 | p99 | CPU mean | V8 RegExp p50 | RE2JS ÷ V8 | RE2JS ÷ reference | findings agree |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
const bench: Record<string, number> = {};
for (const count of [1, 10, 100]) {
  const patterns = patternList(count);
  const scanner = createRegexScanner({ patterns });
  const v8 = v8Matcher(patterns);
  for (const [label, set] of [
    ['no hit', texts],
    ['3 hits', texts.map((text) => plant(text, patterns))],
  ] as const) {
    let agree = 0;
    let hits = 0;
    for (const text of set) {
      const ours = scanner.scan(text).findings.map((finding) => [finding.start, finding.end]);
      const theirs = v8(text);
      hits += ours.length;
      if (JSON.stringify(ours) === JSON.stringify(theirs)) agree++;
    }
    if (agree !== set.length)
      throw new Error(`RE2JS and V8 disagree on ${set.length - agree} texts (${count} patterns, ${label})`);
    const ours = time(set, rounds, (text) => scanner.scan(text));
    const theirs = time(set, rounds, v8);
    console.log(
      `| ${count} | ${label} (${hits} findings) | ${round(ours.p50, 1)} | ${round(ours.p99, 1)} | ${round(ours.cpu, 1)} | ${round(theirs.p50, 1)} | ${round(ours.p50 / theirs.p50, 2)}× | ${round(ours.p50 / reference.p50, 2)}× | ${agree}/${set.length} |`,
    );
    const key = label === 'no hit' ? 'nohit' : 'hits';
    bench[`us_${count}_${key}`] = round(ours.p50, 1);
    bench[`x_v8_${count}_${key}`] = round(ours.p50 / theirs.p50, 2);
  }
}

console.log(
  '\n## Whole answers at the output stage: a first scan of a stream (also finds where a match may be open), µs per 2 KB text',
);
console.log('| patterns | input stage p50 | output stage, fresh context p50 | output ÷ input |');
console.log('|---|---|---|---|');
for (const count of [1, 10, 100]) {
  const scanner = createRegexScanner({ patterns: patternList(count) });
  const input = time(texts, rounds, (text) => scanner.scan(text, { stage: 'input' }));
  const output = time(texts, rounds, (text) => scanner.scan(text, { stage: 'output' }));
  console.log(
    `| ${count} | ${round(input.p50, 1)} | ${round(output.p50, 1)} | ${round(output.p50 / input.p50, 2)}× |`,
  );
  bench[`us_${count}_output_first`] = round(output.p50, 1);
}

/**
 * One policy with one output `regex` redact rule whose scanner is timed: `whole` calls it
 * without the stream's context, so that every rescan scans the whole answer (the scan before
 * the incremental one, same code path as the input stage); otherwise as the guard calls it.
 */
function timedStreamPolicy(
  patterns: RegexPattern[],
  whole: boolean,
): { policy: CompiledPolicy; spent: () => number; flattening: () => number } {
  const policy = compilePolicy(
    {
      policyName: 'bench-regex',
      version: 1,
      settings: { hold_back_chars: 64 },
      rules: [{ scanner: 'regex', stage: 'output', action: 'redact', threshold: 0.5, options: { patterns } }],
    },
    new ScannerRegistry(),
  );
  const [compiled] = policy.stages.output;
  const scanner = compiled!.scanner as RegexScanner;
  let spent = 0;
  let flattening = 0;
  const timed = {
    ...scanner,
    scan: (text: string, context: ScanContext) => {
      const begin = performance.now();
      // The guard appends each chunk to its text (a V8 rope); the first read of it copies the
      // whole answer into one flat string, whichever scanner reads first. Timed apart.
      text.charCodeAt(text.length - 1);
      const flat = performance.now();
      const result = whole ? scanner.scan(text) : scanner.scan(text, context);
      spent += performance.now() - flat;
      flattening += flat - begin;
      return result;
    },
  };
  return {
    policy: { ...policy, stages: { ...policy.stages, output: [{ ...compiled!, scanner: timed }] } },
    spent: () => spent,
    flattening: () => flattening,
  };
}

interface StreamCost {
  /** The regex scanner's own time over the whole stream, ms. */
  scanner: number;
  /** The streaming guard's scan time (scanner plus policy evaluation and redaction), ms. */
  guard: number;
  /** Flattening the guard's appended text before the scanner reads it, ms. */
  flattening: number;
  sent: string;
  scans: number;
}

/**
 * Streams `answer` in 12-character chunks through a fresh guard per pass, with one compiled
 * policy as a gateway keeps it (its RE2 caches warm after the first pass); best of `repeats`.
 */
function streamCost(patterns: RegexPattern[], whole: boolean, answer: string, repeats: number): StreamCost {
  const best: StreamCost = {
    scanner: Number.POSITIVE_INFINITY,
    guard: Number.POSITIVE_INFINITY,
    flattening: Number.POSITIVE_INFINITY,
    sent: '',
    scans: 0,
  };
  const { policy, spent, flattening } = timedStreamPolicy(patterns, whole);
  for (let pass = 0; pass < repeats; pass++) {
    const spentBefore = spent();
    const flatteningBefore = flattening();
    const guard = new StreamingOutputGuard(policy, {});
    let sent = '';
    for (let index = 0; index < answer.length; index += 12) {
      const step = guard.push(answer.slice(index, index + 12));
      if (step instanceof Promise) throw new Error('the regex scanner is synchronous');
      sent += step.release;
    }
    const last = guard.finish();
    if (last instanceof Promise) throw new Error('the regex scanner is synchronous');
    sent += last.release;
    best.scanner = Math.min(best.scanner, spent() - spentBefore);
    best.guard = Math.min(best.guard, guard.scanMs);
    best.flattening = Math.min(best.flattening, flattening() - flatteningBefore);
    best.sent = sent;
    best.scans = guard.scans;
  }
  return best;
}

const streamPatterns = patternList(10);
const joined = texts.join('\n');
const streamRepeats = Number(process.env.BENCH_REPEATS ?? 3);
console.log(
  `\n## Streams: scan time of a whole streamed answer, 10 patterns, 12-character chunks, ms (best of ${streamRepeats})`,
);
console.log(
  '| answer | rescans | scanner before: whole rescan each time | scanner after: incremental | before ÷ after | flattening the appended text | guard before / after (flattening + scanner + policy) | same text released |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const [size, planted] of [
  [3_400, true],
  [14_000, true],
  [50_000, true],
  [50_000, false],
] as const) {
  let answer = joined.slice(0, size);
  // An id of the first pattern every ~1,000 characters.
  for (let at = 900; planted && at < answer.length; at += 1_000) {
    const space = answer.indexOf(' ', at);
    if (space < 0) break;
    answer = `${answer.slice(0, space + 1)}AA-${String(at).padStart(6, '0')} ${answer.slice(space + 1)}`;
  }
  const before = streamCost(streamPatterns, true, answer, streamRepeats);
  const after = streamCost(streamPatterns, false, answer, streamRepeats);
  if (before.sent !== after.sent || before.scans !== after.scans) {
    throw new Error(`the incremental scan released other text (${size} chars)`);
  }
  if (planted && !after.sent.includes('[ID_0]')) throw new Error('no planted id was redacted');
  const key = `${Math.round(size / 1000)}k${planted ? '' : '_no_ids'}`;
  console.log(
    `| ${answer.length} chars${planted ? `, ${after.sent.split('[ID_0]').length - 1} ids` : ', no id'} | ${after.scans} | ${round(before.scanner, 1)} | ${round(after.scanner, 1)} | ${round(before.scanner / after.scanner, 1)}× | ${round(after.flattening, 1)} | ${round(before.guard, 1)} / ${round(after.guard, 1)} | yes |`,
  );
  bench[`stream_before_ms_${key}`] = round(before.scanner, 1);
  bench[`stream_after_ms_${key}`] = round(after.scanner, 1);
  bench[`stream_x_${key}`] = round(before.scanner / after.scanner, 1);
}

console.log('\n## Why RE2: `(a+)+$` on "a…ab" (ms for one search)');
console.log('| n | V8 RegExp | RE2JS |');
console.log('|---|---|---|');
const bomb = createRegexScanner({ patterns: [{ name: 'NESTED', pattern: '(a+)+$' }] });
let v8Last = 0;
for (const n of [16, 18, 20, 22, 24]) {
  const text = `${'a'.repeat(n)}b`;
  let begin = performance.now();
  /(a+)+$/.test(text);
  v8Last = performance.now() - begin;
  begin = performance.now();
  bomb.scan(text);
  const re2 = performance.now() - begin;
  console.log(`| ${n} | ${round(v8Last, 2)} | ${round(re2, 3)} |`);
}
const longText = `${'a'.repeat(100_000)}b`;
const begin = performance.now();
bomb.scan(longText);
const re2Long = performance.now() - begin;
console.log(`| 100,000 | (≈ 2^100,000 steps: never) | ${round(re2Long, 2)} |`);
bench.bomb_v8_ms_n24 = round(v8Last, 2);
bench.bomb_re2_ms_n100k = round(re2Long, 2);
bench.reference_us = round(reference.p50, 1);

console.log(
  `BENCH guard-regex ${Object.entries(bench)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ')}`,
);
