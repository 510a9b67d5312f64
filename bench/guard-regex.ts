/**
 * `npm run bench:guard-regex`: what custom patterns (the `regex` guard scanner, RE2JS) cost per
 * 2 KB text, against V8's own RegExp running the same patterns in the same run (the fastest
 * engine a Node process has, but a backtracking one), and against the reference pass of
 * bench/guard-latency.ts (lower-case, split, count words) that says how fast this machine is.
 *
 * Texts: 300 benign 2 KB prompts (HaluEval user queries, a tune set), as they are ("no hit")
 * and with three planted matches ("3 hits"). Pattern lists of 1, 10 and 100 realistic
 * enterprise patterns (employee and ticket ids, code names, internal host names). Before
 * timing, both engines must report the same spans on every text. Last, the reason for RE2:
 * V8's time for `(a+)+$` on "a…ab" doubles with every extra character; RE2's stays flat.
 */
import { cpuUsage } from 'node:process';
import { createRegexScanner, type RegexPattern } from '../src/guard/regex/index.js';
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
