/**
 * Latency of the default policy's input scanners on 2 KB prompts (benign HaluEval user
 * queries packed to 2,048 characters): all of them together through `evaluateStage`, and each
 * scanner on its own, as wall-clock p50/p99 and CPU-time p99 per prompt, plus the garbage
 * collector's pauses during the run and the load average (the machine is shared). Node 20 has
 * no per-thread CPU clock, so per-call CPU is the whole process's (V8's collector and compiler
 * threads run beside the scan and can exceed the call's wall time); CPU mean, all timed calls'
 * process CPU over their number, is the steadier figure. `bench/guard.ts` calls `inputLatency`;
 * run this file alone for just the latency part:
 *
 *   node --import tsx bench/guard-latency.ts            (BENCH_ROUNDS=3 by default)
 *
 * Inside `npm run bench:guard` the scanners have first read thousands of varied texts, which
 * makes some of their code slower (property loads that see many string representations go
 * megamorphic: docs/guardrails-latency.md). BENCH_PRERUN=1 reproduces that in seconds: the
 * equivalence corpus (bench/guard-equivalence.ts) goes through every input scanner and the
 * whole stage first, each text three ways (JSON-parsed, sliced, concatenated).
 *
 * bench:guard's PII part also leaves V8 out of its regular-expression code budget (its peer
 * libraries compile thousands of expressions): from then on V8 compiles every new expression
 * without optimisation (docs/guardrails-latency.md, session 7). BENCH_REGEXP_BUDGET=1 does the
 * same after the pre-run, before the measurement (about 1 s): 20,000 distinct expressions
 * compiled to machine code and kept alive.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { cpuUsage } from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type CompiledPolicy, defaultPolicy, evaluateStage, ScannerRegistry } from '../src/guard/index.js';
import { compilePolicy } from '../src/guard/policy/compile-policy.js';

export interface LatencyRow {
  name: string;
  p50: number;
  p99: number;
  /** Per call: CPU time of the whole process (V8's collector and compiler threads included). */
  cpuP99: number;
  mean: number;
  /** Process CPU time of all timed calls over their number. */
  cpuMean: number;
}

export interface LatencyReport {
  scanners: string[];
  together: LatencyRow;
  each: LatencyRow[];
  /** Collector pauses that began during the `together` measurement (its untimed warm round included). */
  gc: { count: number; totalMs: number; maxMs: number };
  loadAverage: number[];
  megabytesPerSecond: number;
  /**
   * A reference pass measured in the same run on the same prompts: lower-case the text, split
   * it on whitespace and count the words in a Map — the least a bag-of-words scanner does. Its
   * time says how fast this machine is (machines differ by 2–3× here); `together ÷ reference`
   * compares runs across machines.
   */
  reference: LatencyRow;
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** 2 KB prompts built from benign tune-set queries (HaluEval user queries). */
export function prompts(count = 500): string[] {
  const datasets =
    process.env.STACKOPS_DATASETS ?? join(import.meta.dirname, '..', '..', 'shared', 'datasets');
  const file = join(datasets, 'hallucination-halueval-general', 'general_data.json');
  // One JSON record per line.
  const rows = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { user_query?: string });
  const queries = rows.map((row) => row.user_query ?? '').filter(Boolean);
  const out: string[] = [];
  let cursor = 0;
  for (let index = 0; index < count; index++) {
    let text = '';
    while (text.length < 2048) text += `${queries[cursor++ % queries.length]} `;
    out.push(text.slice(0, 2048));
  }
  return out;
}

/** Times `run` once per text per round; wall and CPU milliseconds per call. */
function measure(name: string, texts: string[], rounds: number, run: (text: string) => unknown): LatencyRow {
  // One untimed round: a server's scanners are warm (compiled, tables grown).
  for (const text of texts) run(text);
  const wall: number[] = [];
  const cpu: number[] = [];
  const startAll = cpuUsage();
  for (let round = 0; round < rounds; round++) {
    for (const text of texts) {
      const startCpu = cpuUsage();
      const start = performance.now();
      run(text);
      wall.push(performance.now() - start);
      const used = cpuUsage(startCpu);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  const usedAll = cpuUsage(startAll);
  const mean = wall.reduce((sum, value) => sum + value, 0) / wall.length;
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    name,
    p50: quantile(wall, 0.5),
    p99: quantile(wall, 0.99),
    cpuP99: quantile(cpu, 0.99),
    mean,
    cpuMean: (usedAll.user + usedAll.system) / 1000 / wall.length,
  };
}

/**
 * The reference pass's expression, compiled to machine code for one- and two-byte texts when
 * this module loads. In bench:guard the latency part runs after the PII part, whose peer
 * libraries leave V8 out of its regular-expression code budget; an expression first compiled
 * after that is compiled without optimisation (session 7 of docs/guardrails-latency.md), and the
 * reference pass took 0.037 instead of 0.029 ms: it measured V8's state, not the machine.
 */
const WHITESPACE_RUN = /\s+/;
for (const sample of [`${'x'.repeat(1200)} y`, `${'\u00e9'.repeat(1200)} y`]) WHITESPACE_RUN.test(sample);

/** The reference pass (see LatencyReport.reference). */
function referencePass(text: string): number {
  const counts = new Map<string, number>();
  for (const word of text.toLowerCase().split(WHITESPACE_RUN)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts.size;
}

export async function inputLatency(
  rounds = 3,
  policy: CompiledPolicy = defaultPolicy(new ScannerRegistry()),
): Promise<LatencyReport> {
  const texts = prompts();
  const rules = policy.stages.input;
  const scanners = [...new Set(rules.map((rule) => rule.scanner))];
  const each = scanners.map((scanner) =>
    measure(scanner.name, texts, rounds, (text) => scanner.scan(text, { stage: 'input' })),
  );
  const entries: { start: number; duration: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) entries.push({ start: entry.startTime, duration: entry.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  // The default policy's input stage is synchronous; an async scanner would show up as a
  // promise here and is awaited outside the timed call only in that case.
  const togetherStart = performance.now();
  const together = measure('all input scanners', texts, rounds, (text) =>
    evaluateStage(policy, 'input', text),
  );
  const togetherEnd = performance.now();
  const reference = measure('reference pass (lower-case, split, count words)', texts, rounds, referencePass);
  // GC entries are delivered asynchronously. Only the pauses that began during the stage's
  // measurement count: the reference pass that follows makes about as much garbage per call.
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  const pauses = entries
    .filter((entry) => entry.start >= togetherStart && entry.start < togetherEnd)
    .map((entry) => entry.duration);
  return {
    scanners: scanners.map((scanner) => scanner.name),
    together,
    each,
    gc: {
      count: pauses.length,
      totalMs: pauses.reduce((sum, value) => sum + value, 0),
      maxMs: pauses.reduce((max, value) => Math.max(max, value), 0),
    },
    loadAverage: loadavg(),
    megabytesPerSecond: (2048 / 1e6) * (1000 / together.mean),
    reference,
  };
}

export function printLatency(report: LatencyReport, where = ''): void {
  console.log(`\n## Input scanners of the default policy, 2 KB prompts (ms per prompt)${where}`);
  console.log(`load average ${report.loadAverage.map((value) => value.toFixed(2)).join(' ')}`);
  console.log('| scanner | p50 | p99 | CPU p99 | mean | CPU mean |');
  console.log('|---|---|---|---|---|---|');
  for (const row of [...report.each, report.together, report.reference]) {
    console.log(
      `| ${row.name} | ${round(row.p50)} | ${round(row.p99)} | ${round(row.cpuP99)} | ${round(row.mean)} | ${round(row.cpuMean)} |`,
    );
  }
  const sum = report.each.reduce((total, row) => total + row.mean, 0);
  console.log(
    `sum of per-scanner means ${round(sum)} ms, together ${round(report.together.mean)} ms; ` +
      `GC during together: ${report.gc.count} pauses, ${round(report.gc.totalMs, 1)} ms total, max ${round(report.gc.maxMs, 2)} ms; ` +
      `${round(report.megabytesPerSecond, 1)} MB/s`,
  );
  console.log(
    `machine reference: the reference pass takes ${round(report.reference.p50)} ms p50 per prompt; ` +
      `all input scanners together = ${round(report.together.p50 / report.reference.p50, 1)}× it at p50, ` +
      `${round(report.together.p99 / report.reference.p50, 1)}× at p99`,
  );
}

/**
 * Runs varied texts through the policy's input scanners and its input stage (see BENCH_PRERUN
 * above): flat, sliced and concatenated strings, one- and two-byte, short and long.
 */
export async function preRun(policy: CompiledPolicy): Promise<number> {
  const { corpus } = await import('./guard-equivalence.js');
  const scanners = [...new Set(policy.stages.input.map((rule) => rule.scanner))];
  let count = 0;
  for (const { text } of corpus()) {
    const half = text.length >> 1;
    for (const variant of [
      JSON.parse(JSON.stringify(text)) as string,
      text.slice(1),
      `${text.slice(0, half)} ${text.slice(half)}`,
    ]) {
      for (const scanner of scanners) scanner.scan(variant, { stage: 'input' });
      evaluateStage(policy, 'input', variant);
      count++;
    }
  }
  return count;
}

/** Expressions kept alive by spendRegExpBudget (their code keeps V8's executable memory up). */
const budgetExpressions: RegExp[] = [];

/**
 * Leaves V8 past both limits of its `TooMuchRegExpCode` test (1 MB of regular-expression code
 * generated in the process, over 16 MB of executable memory committed), after which every
 * expression compiled is compiled without optimisation, as at the end of bench:guard's PII
 * part. Expressions already compiled keep their code.
 */
export function spendRegExpBudget(count = 20_000): number {
  // Subjects of 1,000 units or more are compiled to machine code at once (no interpreter tier).
  const oneByte = 'x'.repeat(1200);
  const twoByte = `\u00e9${oneByte}`;
  for (let index = 0; index < count; index++) {
    const expression = new RegExp(
      `(?:a${index}|b${index}c|d[e-k]${index}|(?:q|r|s)${index}z|[a-f]{3}${index}[x-z]+)+q`,
    );
    expression.test(oneByte);
    expression.test(twoByte);
    budgetExpressions.push(expression);
  }
  return budgetExpressions.length;
}

export interface ScanCapRow {
  name: string;
  /** Characters in the text. */
  chars: number;
  /** Median and slowest wall milliseconds of `runs` calls of the input stage. */
  medianMs: number;
  maxMs: number;
  action: string;
}

/**
 * What the policy's `max_scan_chars` buys: the input stage on long texts (the 2 KB bench
 * prompts joined), with the default cap (100,000: a 100 K text is scanned whole, a 1 MB text is
 * refused without scanning), with `oversize: flag` (the first 100,000 characters are scanned),
 * and with the cap raised to 10,000,000 (the 1 MB text scanned whole, what every request cost
 * before the cap). Every local scanner is linear, so the uncapped cost grows with the text.
 */
export function scanCapLatency(runs = 3): ScanCapRow[] {
  const registry = new ScannerRegistry();
  const base = defaultPolicy(registry);
  const variant = (settings: Record<string, unknown>): CompiledPolicy =>
    compilePolicy(
      {
        policyName: 'bench-cap',
        version: 1,
        rules: base.stages.input.map((entry) => entry.rule),
        settings: { hold_back_chars: 64, ...settings },
      },
      registry,
    );
  const joined = prompts(500).join(' ');
  const text = (chars: number) => {
    let out = joined;
    while (out.length < chars) out += ` ${joined}`;
    return out.slice(0, chars);
  };
  const cases: Array<[string, CompiledPolicy, string]> = [
    ['100 K chars, default cap (scanned whole)', base, text(100_000)],
    ['1 MB, default cap, oversize: block (not scanned)', base, text(1_000_000)],
    [
      '1 MB, default cap, oversize: flag (first 100 K scanned)',
      variant({ oversize: 'flag' }),
      text(1_000_000),
    ],
    [
      '1 MB, max_scan_chars 10,000,000 (scanned whole)',
      variant({ max_scan_chars: 10_000_000 }),
      text(1_000_000),
    ],
  ];
  return cases.map(([name, policy, input]) => {
    const wall: number[] = [];
    let action = '';
    // The first call is untimed (compiles the long-text paths).
    for (let run = 0; run <= runs; run++) {
      const start = performance.now();
      const verdict = evaluateStage(policy, 'input', input);
      const elapsed = performance.now() - start;
      if (verdict instanceof Promise) throw new Error('the default input stage is synchronous');
      action = verdict.action;
      if (run > 0) wall.push(elapsed);
    }
    wall.sort((a, b) => a - b);
    return {
      name,
      chars: input.length,
      medianMs: quantile(wall, 0.5),
      maxMs: wall[wall.length - 1] ?? 0,
      action,
    };
  });
}

export function printScanCap(rows: ScanCapRow[], referenceP50: number): void {
  console.log('\n## Long texts and the scan cap (max_scan_chars), input stage of the default policy');
  console.log("| case | chars | median ms | max ms | action | × a 2 KB prompt's reference pass |");
  console.log('|---|---|---|---|---|---|');
  for (const row of rows) {
    console.log(
      `| ${row.name} | ${row.chars} | ${round(row.medianMs, 2)} | ${round(row.maxMs, 2)} | ${row.action} | ${Math.round(row.medianMs / referenceP50)} |`,
    );
  }
  const whole = rows.find((row) => row.name.startsWith('1 MB, max_scan_chars'));
  const capped = rows.find((row) => row.name.startsWith('1 MB, default cap, oversize: block'));
  if (whole !== undefined && capped !== undefined)
    console.log(
      `BENCH guard-scan-cap ms_100k=${round(rows[0]?.medianMs ?? 0, 1)} ms_1mb_uncapped=${round(whole.medianMs, 1)} ms_1mb_block=${round(capped.medianMs, 3)} ms_1mb_flag=${round(rows[2]?.medianMs ?? 0, 1)} uncapped_vs_block=${Math.round(whole.medianMs / Math.max(capped.medianMs, 1e-3))}`,
    );
}

/** Prefix of the line on which a child started by `latencyInChildren` reports (BENCH_JSON=1). */
const JSON_LINE = 'LATENCY_JSON ';

/** What one child process measured (see latencyInChildren). */
export interface ChildLatency {
  preRunTexts: number;
  budgetExpressions: number;
  report: LatencyReport;
}

/**
 * The input stage's latency measured the way a gateway process runs it: in `children` fresh
 * Node processes, one after another, that load only the guard, first read the pre-run's 10,968
 * varied texts (traffic the process has served: BENCH_PRERUN) and then spend V8's
 * regular-expression budget (BENCH_REGEXP_BUDGET: other code in the process compiled many
 * expressions) — then time `rounds` rounds of the 500 prompts. Why not in bench:guard's own
 * process: there the measurement runs right after the quality parts, in a heap holding their
 * 120–250 MB of garbage and the peer libraries' models, which a gateway never carries; that
 * figure is printed too (docs/guardrails-latency.md, sessions 7 and 11).
 */
export async function latencyInChildren(children = 3, rounds = 5): Promise<ChildLatency[]> {
  const run = promisify(execFile);
  const results: ChildLatency[] = [];
  for (let index = 0; index < children; index++) {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      env: {
        ...process.env,
        BENCH_PRERUN: '1',
        BENCH_REGEXP_BUDGET: '1',
        BENCH_ROUNDS: String(rounds),
        BENCH_JSON: '1',
      },
      maxBuffer: 16 * 1024 * 1024,
    });
    const line = stdout.split('\n').find((text) => text.startsWith(JSON_LINE));
    if (line === undefined) throw new Error(`the latency child printed no result:\n${stdout.slice(-2000)}`);
    results.push(JSON.parse(line.slice(JSON_LINE.length)) as ChildLatency);
  }
  return results;
}

/** The median of the children's together p99 (the summary line's p99_ms_2kb). */
export function medianTogetherP99(children: ChildLatency[]): number {
  const values = children.map((child) => child.report.together.p99).sort((a, b) => a - b);
  return values[(values.length - 1) >> 1] ?? 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const policy = defaultPolicy(new ScannerRegistry());
  const json = process.env.BENCH_JSON === '1';
  const preRunTexts = process.env.BENCH_PRERUN === '1' ? await preRun(policy) : 0;
  if (preRunTexts > 0 && !json) console.log(`pre-run: ${preRunTexts} varied texts`);
  const budget = process.env.BENCH_REGEXP_BUDGET === '1' ? spendRegExpBudget() : 0;
  if (budget > 0 && !json) console.log(`regular-expression budget spent: ${budget} expressions compiled`);
  const report = await inputLatency(Number(process.env.BENCH_ROUNDS ?? 3), policy);
  if (json) {
    const result: ChildLatency = { preRunTexts, budgetExpressions: budget, report };
    console.log(`${JSON_LINE}${JSON.stringify(result)}`);
  } else {
    printLatency(report);
    printScanCap(scanCapLatency(), report.reference.p50);
  }
}
