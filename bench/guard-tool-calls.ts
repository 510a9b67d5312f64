/**
 * `node --import tsx bench/guard-tool-calls.ts`: what guarding a tool call's arguments costs,
 * against guarding the same text as the answer's text, in one run.
 *
 * The answer is HaluEval answer text (the tune set's ChatGPT answers, used only as prose, as in
 * bench/guard-stream.ts) with the five PII sentences planted, at ~3.4 K and ~14 K characters.
 * The same text goes through the default policy's output rules (with a planted system prompt
 * and canary) twice:
 *
 * - baseline — as the answer's text: a StreamingOutputGuard fed 12-character deltas (≈ 3 GPT
 *   tokens) and finished; and one whole-text scan (evaluateStage).
 * - arguments — as a tool call's arguments `{"to":"ops","subject":"Summary","body":<text>}`
 *   (JSON-escaped, `\n` for each line break): GuardedArguments fed 12-character fragments of the
 *   JSON (projection, streaming guard, writing each release back) and finished; and
 *   the whole-answer path (projectArguments, evaluateStage, rewriteArguments).
 *
 * The redacted output of both is checked to carry none of the PII values, and the streamed
 * arguments to equal the whole rewrite. Process CPU time, best of BENCH_REPEATS (9) per figure,
 * text and arguments run alternately after a warm-up of both. Prints ms and the ratio arguments ÷ text. Last line:
 *
 *   BENCH guard_tool_calls stream_ratio_3k=… stream_ratio_14k=… whole_ratio_3k=… whole_ratio_14k=…
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { datasetsRoot } from '../scripts/injection-data.js';
import { projectArguments } from '../src/gateway/tool-call-arguments.js';
import { rewriteArguments } from '../src/gateway/tool-call-rewrite.js';
import { GuardedArguments } from '../src/gateway/tool-call-stream.js';
import {
  defaultPolicy,
  evaluateStage,
  plantCanary,
  ScannerRegistry,
  StreamingOutputGuard,
} from '../src/guard/index.js';
import { PII_SENTENCES, PII_VALUES, SYSTEM_PROMPT } from './guard-stream-analysis.js';

const SIZES = [3_400, 14_000];
const CHUNK_CHARS = 12;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 9);
const HALUEVAL = join(datasetsRoot(), 'hallucination-halueval-general', 'general_data.json');

/** ASCII answer text joined to `size` characters, the PII sentences planted. */
function answer(size: number): string {
  const texts: string[] = [];
  let length = 0;
  for (const line of readFileSync(HALUEVAL, 'utf8').split('\n')) {
    if (length >= size) break;
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { chatgpt_response?: string; hallucination?: string };
    const response = row.chatgpt_response?.trim() ?? '';
    if (row.hallucination !== 'no' || !/^[\x20-\x7e\n]{200,}$/.test(response)) continue;
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

function piecesOf(text: string): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += CHUNK_CHARS) pieces.push(text.slice(at, at + CHUNK_CHARS));
  return pieces;
}

/** Process CPU time of `run` in ms, and its output. */
async function timed(run: () => string | Promise<string>): Promise<{ ms: number; output: string }> {
  const before = process.cpuUsage();
  const output = await run();
  const used = process.cpuUsage(before);
  return { ms: (used.user + used.system) / 1000, output };
}

/**
 * Best of REPEATS for the baseline and the candidate, run alternately (each repeat flips which
 * goes first) after one untimed warm-up of both, so that JIT warm-up and drift on the machine
 * hit both alike.
 */
async function paired(
  baseline: () => string | Promise<string>,
  candidate: () => string | Promise<string>,
): Promise<{ baseline: { ms: number; output: string }; candidate: { ms: number; output: string } }> {
  await baseline();
  await candidate();
  const best = {
    baseline: { ms: Number.POSITIVE_INFINITY, output: '' },
    candidate: { ms: Number.POSITIVE_INFINITY, output: '' },
  };
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const order =
      repeat % 2 === 0 ? (['baseline', 'candidate'] as const) : (['candidate', 'baseline'] as const);
    for (const which of order) {
      const result = await timed(which === 'baseline' ? baseline : candidate);
      if (result.ms < best[which].ms) best[which] = result;
    }
  }
  return best;
}

/** The policy is local: every step is synchronous, awaited nowhere. */
function synchronous<T>(value: T | Promise<T>): T {
  if (value instanceof Promise) throw new Error('the benchmark policy must be synchronous');
  return value;
}

async function main(): Promise<void> {
  const policy = defaultPolicy(new ScannerRegistry());
  const { canary } = plantCanary(SYSTEM_PROMPT);
  const context = { systemPrompt: SYSTEM_PROMPT, canary };
  const ratios: string[] = [];
  console.log('default output rules; ms of process CPU, best of', REPEATS);
  console.log('size   | stream: text → arguments (×) | whole: text → arguments (×)');
  for (const size of SIZES) {
    const text = answer(size);
    const argumentsText = JSON.stringify({ to: 'ops', subject: 'Summary', body: text });
    const textPieces = piecesOf(text);
    const argumentPieces = piecesOf(argumentsText);

    const streamed = await paired(
      () => {
        const guard = new StreamingOutputGuard(policy, context);
        let out = '';
        for (const piece of textPieces) out += synchronous(guard.push(piece)).release;
        return out + synchronous(guard.finish()).release;
      },
      // GuardedArguments awaits the guard's steps: their microtasks run inside the timing.
      async () => {
        const guarded = new GuardedArguments(new StreamingOutputGuard(policy, context));
        let out = '';
        for (const piece of argumentPieces) out += (await guarded.push(piece)).release;
        return out + (await guarded.finish()).release;
      },
    );
    const whole = await paired(
      () => synchronous(evaluateStage(policy, 'output', text, context)).text,
      () => {
        const projection = projectArguments(argumentsText);
        const verdict = synchronous(evaluateStage(policy, 'output', projection.text, context));
        return rewriteArguments(projection, verdict.findings);
      },
    );
    const streamedText = streamed.baseline;
    const streamedArguments = streamed.candidate.output;
    const streamedArgumentsMs = streamed.candidate.ms;
    const wholeText = whole.baseline;
    const wholeArguments = whole.candidate;
    for (const output of [streamedText.output, streamedArguments, wholeText.output, wholeArguments.output]) {
      const leaked = PII_VALUES.filter((value) => output.includes(value));
      if (leaked.length > 0) throw new Error(`unredacted: ${leaked.join(', ')}`);
    }
    if (streamedArguments !== wholeArguments.output) throw new Error('streamed arguments differ from whole');
    JSON.parse(streamedArguments);
    const streamRatio = streamedArgumentsMs / streamedText.ms;
    const wholeRatio = wholeArguments.ms / wholeText.ms;
    const label = `${Math.round(text.length / 100) / 10}k`;
    console.log(
      `${label.padEnd(6)} | ${streamedText.ms.toFixed(2)} → ${streamedArgumentsMs.toFixed(2)} ms (${streamRatio.toFixed(2)}×) | ${wholeText.ms.toFixed(3)} → ${wholeArguments.ms.toFixed(3)} ms (${wholeRatio.toFixed(2)}×)`,
    );
    const key = `${Math.round(size / 1000)}k`;
    ratios.push(
      `stream_ratio_${key}=${streamRatio.toFixed(2)}`,
      `whole_ratio_${key}=${wholeRatio.toFixed(2)}`,
    );
  }
  console.log(`BENCH guard_tool_calls ${ratios.join(' ')}`);
}

await main();
