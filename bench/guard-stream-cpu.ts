/**
 * `node --import tsx bench/guard-stream-cpu.ts`: scan CPU per rescan of a streamed answer, by
 * position in the stream, for answers of ~3.4 K, 14 K and 50 K characters (HaluEval answer text
 * joined, the five PII sentences of guard-stream-analysis.ts planted in it), streamed in chunks
 * of 12 characters (≈ 3 GPT tokens) through a StreamingOutputGuard with the default policy's
 * output rules, with the system prompt and a canary as the gateway plants it — and through one
 * output rule at a time (pii, leak, refusal, toxicity, repetition) to see each scanner's share;
 * and a 50 K-character code answer (this repository's gateway and provider sources in fences).
 *
 * Quadratic scanning shows as a per-rescan cost that grows with the answer; incremental
 * scanning keeps it flat. The same-run baseline is one whole-text scan of the 3.4 K answer by
 * the default output rules: every figure is also printed as a multiple of it, so that runs on
 * machines of different speed (or before/after a change, run from two worktrees) compare.
 * Best of BENCH_REPEATS (3) passes per position. Last line:
 *
 *   BENCH guard_stream_cpu rescan_ms_3k=… rescan_ms_14k=… rescan_ms_50k=… (last third, default rules)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { datasetsRoot } from '../scripts/injection-data.js';
import {
  type CompiledPolicy,
  defaultPolicy,
  evaluateStage,
  plantCanary,
  ScannerRegistry,
  StreamingOutputGuard,
  type StreamStep,
} from '../src/guard/index.js';
import { PII_SENTENCES, SYSTEM_PROMPT } from './guard-stream-analysis.js';

const SIZES = [3_400, 14_000, 50_000];
const CHUNK_CHARS = 12;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const HALUEVAL = join(datasetsRoot(), 'hallucination-halueval-general', 'general_data.json');

/** ASCII answer text (tune-set answers used only as prose), joined to `size` characters, PII planted. */
function answer(size: number): string {
  const texts: string[] = [];
  let length = 0;
  for (const line of readFileSync(HALUEVAL, 'utf8').split('\n')) {
    if (length >= size) break;
    if (!line.trim()) continue;
    const response = (JSON.parse(line) as { chatgpt_response?: string }).chatgpt_response?.trim() ?? '';
    if (!/^[\x20-\x7e\n]{200,}$/.test(response)) continue;
    texts.push(response);
    length += response.length + 2;
  }
  let text = texts.join('\n\n').slice(0, size);
  for (let index = PII_SENTENCES.length - 1; index >= 0; index--) {
    const at = text.indexOf('. ', Math.floor(text.length * (0.1 + index * 0.17)));
    if (at >= 0) text = `${text.slice(0, at + 1)} ${PII_SENTENCES[index]}${text.slice(at + 1)}`;
  }
  return text;
}

/** A long code answer: this repository's gateway and provider sources in fences, to `size` characters. */
function codeAnswer(size: number): string {
  let text = 'Here is the implementation.\n\n';
  for (const folder of ['gateway', 'providers']) {
    const directory = new URL(`../src/${folder}/`, import.meta.url);
    for (const file of readdirSync(directory).sort()) {
      if (!file.endsWith('.ts') || text.length >= size) continue;
      text += `\`${file}\`:\n\n\`\`\`ts\n${readFileSync(new URL(file, directory), 'utf8')}\`\`\`\n\n`;
    }
  }
  return text.slice(0, size);
}

function synchronous(step: StreamStep | Promise<StreamStep>): StreamStep {
  if (step instanceof Promise) throw new Error('the benchmark policy must be synchronous');
  return step;
}

const { prompt: systemPrompt, canary } = plantCanary(SYSTEM_PROMPT, 'SO-CANARY-0123456789abcdef');

/** Mean scan CPU per rescan in each third of the stream (best of REPEATS per rescan). */
function rescanCost(policy: CompiledPolicy, text: string): number[] {
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += CHUNK_CHARS) pieces.push(text.slice(at, at + CHUNK_CHARS));
  let best: number[] = [];
  let positions: number[] = [];
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const guard = new StreamingOutputGuard(policy, { systemPrompt, canary });
    const costs: number[] = [];
    positions = [];
    let length = 0;
    let before = 0;
    for (const piece of [...pieces, null]) {
      if (piece === null) synchronous(guard.finish());
      else synchronous(guard.push(piece));
      length += piece?.length ?? 0;
      if (guard.scans === costs.length) continue;
      costs.push(guard.scanMs - before);
      positions.push(length);
      before = guard.scanMs;
    }
    best = repeat === 0 ? costs : best.map((cost, index) => Math.min(cost, costs[index]!));
  }
  return [0, 1, 2].map((third) => {
    const inThird = best.filter(
      (_cost, index) => Math.floor((positions[index]! * 3) / (text.length + 1)) === third,
    );
    return inThird.reduce((sum, cost) => sum + cost, 0) / Math.max(1, inThird.length);
  });
}

function main(): void {
  const registry = new ScannerRegistry();
  const full = defaultPolicy(registry);
  const only = (scanner: string): CompiledPolicy => ({
    ...full,
    stages: { ...full.stages, output: full.stages.output.filter((rule) => rule.rule.scanner === scanner) },
  });
  const answers = SIZES.map(answer);
  const code = codeAnswer(SIZES.at(-1)!);
  // Baseline: one whole-text scan of the smallest answer by the default output rules.
  let baseline = Number.POSITIVE_INFINITY;
  for (let repeat = 0; repeat < 20; repeat++) {
    const started = performance.now();
    evaluateStage(full, 'output', answers[0]!, { systemPrompt, canary });
    baseline = Math.min(baseline, performance.now() - started);
  }
  console.log(
    `baseline: one whole-text scan of ${answers[0]!.length} chars, default output rules: ${baseline.toFixed(3)} ms`,
  );
  console.log(
    'ms per rescan (every 24 new chars), first / middle / last third of the stream; ×baseline for the last third',
  );
  const last: number[] = [];
  for (const [label, policy] of [
    ['default rules', full],
    ...['pii', 'leak', 'refusal', 'toxicity', 'repetition'].map((name) => [name, only(name)] as const),
  ] as const) {
    const cells = answers.map((text, index) => {
      const thirds = rescanCost(policy, text);
      if (label === 'default rules') last[index] = thirds[2]!;
      return `${(SIZES[index]! / 1000).toFixed(1)}K: ${thirds.map((cost) => cost.toFixed(4)).join(' / ')} (×${(thirds[2]! / baseline).toFixed(2)})`;
    });
    const thirds = rescanCost(policy, code);
    cells.push(
      `code 50K: ${thirds.map((cost) => cost.toFixed(4)).join(' / ')} (×${(thirds[2]! / baseline).toFixed(2)})`,
    );
    console.log(`${label.padEnd(14)} ${cells.join('   ')}`);
  }
  console.log(
    `BENCH guard_stream_cpu rescan_ms_3k=${last[0]!.toFixed(4)} rescan_ms_14k=${last[1]!.toFixed(4)} rescan_ms_50k=${last[2]!.toFixed(4)}`,
  );
}

main();
