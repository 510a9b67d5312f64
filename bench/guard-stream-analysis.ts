/**
 * The answers bench/guard-stream.ts streams and the arithmetic on what the client received:
 * answer text from HaluEval (tune-set answers, used only as realistic prose) cut into chunks
 * of a few GPT tokens, a variant with PII planted in it, the mapping of the client's
 * (possibly redacted) text back to upstream offsets, per-chunk delays, and two local replays
 * of the real StreamingOutputGuard: the window alone (when would each chunk be released if
 * scanning cost nothing) and the default rules (scan CPU by position in the stream).
 */
import { readFileSync } from 'node:fs';
import { diffChars } from 'diff';
import { decode, encode } from 'gpt-tokenizer';
import {
  type CompiledPolicy,
  DEFAULT_MAX_SCAN_CHARS,
  evaluateStage,
  StreamingOutputGuard,
  type StreamStep,
} from '../src/guard/index.js';
import type { UpstreamStream } from './guard-stream-upstream.js';

export const SYSTEM_PROMPT = 'You are a helpful assistant. Answer the question clearly and completely.';

const HALUEVAL = new URL(
  '../../shared/datasets/hallucination-halueval-general/general_data.json',
  import.meta.url,
);

/** Cuts text into `chunks` pieces of `tokensPerChunk` GPT tokens. */
function toPieces(text: string, chunks: number, tokensPerChunk: number): string[] {
  const tokens = encode(text);
  if (tokens.length < chunks * tokensPerChunk) throw new Error(`answer text too short for ${chunks} chunks`);
  return Array.from({ length: chunks }, (_, index) =>
    decode(tokens.slice(index * tokensPerChunk, (index + 1) * tokensPerChunk)),
  );
}

/** Streams pieces through the policy with no window: where the blocking finding starts, or -1. */
function blockedWhileStreamed(policy: CompiledPolicy, pieces: string[]): number {
  const guard = new StreamingOutputGuard({ ...policy, holdBackChars: 0 }, { systemPrompt: SYSTEM_PROMPT });
  for (const piece of [...pieces, null]) {
    const step = synchronous(piece === null ? guard.finish() : guard.push(piece));
    const finding = step.blocked?.findings.find((item) => item.action === 'block');
    if (step.blocked) return finding?.start ?? 0;
  }
  return -1;
}

/**
 * Non-hallucinated ChatGPT answers, plain ASCII (so token slices never split a character),
 * joined. An answer the policy blocks while streamed without a window is left out (the
 * toxicity model scores some cut-off fragments as toxic, docs/guardrails.md): a blocked
 * stream has no delay to measure. Returns the pieces and how many answers were left out.
 */
export function benignAnswer(
  policy: CompiledPolicy,
  chunks: number,
  tokensPerChunk: number,
): { pieces: string[]; skipped: number } {
  const candidates: string[] = [];
  for (const line of readFileSync(HALUEVAL, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { chatgpt_response: string; hallucination: string };
    if (row.hallucination === 'no' && /^[\x20-\x7e\n]{200,}$/.test(row.chatgpt_response))
      candidates.push(row.chatgpt_response.trim());
  }
  const excluded = new Set<number>();
  for (let attempt = 0; attempt < 30; attempt++) {
    const chosen: Array<{ index: number; start: number }> = [];
    let text = '';
    let tokenCount = 0;
    for (let index = 0; index < candidates.length && tokenCount <= chunks * tokensPerChunk * 1.2; index++) {
      if (excluded.has(index)) continue;
      if (text) text += '\n\n';
      chosen.push({ index, start: text.length });
      text += candidates[index]!;
      tokenCount += encode(candidates[index]!).length;
    }
    const pieces = toPieces(text, chunks, tokensPerChunk);
    const blockedAt = blockedWhileStreamed(policy, pieces);
    if (blockedAt < 0) return { pieces, skipped: excluded.size };
    excluded.add(chosen.findLast((answer) => answer.start <= blockedAt)!.index);
  }
  throw new Error('could not find HaluEval answers that the policy lets through');
}

/** Synthetic values of the types the default output rule redacts, and sentences carrying them. */
export const PII_VALUES = [
  'maria.lopez@example.com',
  '4111 1111 1111 1111',
  '+1 415 555 0132',
  '192.168.10.24',
  'DE89 3704 0044 0532 0130 00',
];
export const PII_SENTENCES = [
  'You can write to maria.lopez@example.com for the full list.',
  'The deposit was paid with card 4111 1111 1111 1111 last week.',
  'The office line is +1 415 555 0132 on weekdays.',
  'The archive is on the server at 192.168.10.24 for now.',
  'Transfers go to IBAN DE89 3704 0044 0532 0130 00 as before.',
];

/** The benign answer with one PII sentence after a sentence end at 10%, 27%, … of its length. */
export function withPii(benign: string[], chunks: number, tokensPerChunk: number): string[] {
  let text = benign.join('');
  const length = text.length;
  for (let index = PII_SENTENCES.length - 1; index >= 0; index--) {
    const at = text.indexOf('. ', Math.floor(length * (0.1 + index * 0.17)));
    if (at < 0) continue;
    text = `${text.slice(0, at + 1)} ${PII_SENTENCES[index]}${text.slice(at + 1)}`;
  }
  return toPieces(text, chunks, tokensPerChunk);
}

/** What a correct stream delivers: the whole answer after the policy's redactions. */
export function expectedText(policy: CompiledPolicy, pieces: string[]): string {
  const text = pieces.join('');
  const verdict = evaluateStage(policy, 'output', text, { systemPrompt: SYSTEM_PROMPT });
  if (verdict instanceof Promise) throw new Error('the benchmark policy must be synchronous');
  if (verdict.action === 'block') return '';
  return verdict.action === 'redact' ? verdict.text : text;
}

/**
 * For each length of the client's text, how much of the upstream text it accounts for.
 * Redacted spans ("[EMAIL]" for an address) count as delivered once the placeholder is.
 */
export function alignToUpstream(upstream: string, client: string): Int32Array {
  const offsets = new Int32Array(client.length + 1);
  if (upstream.startsWith(client)) {
    for (let index = 0; index <= client.length; index++) offsets[index] = index;
    return offsets;
  }
  let clientAt = 0;
  let upstreamAt = 0;
  for (const part of diffChars(upstream, client)) {
    const size = part.value.length;
    if (part.removed) {
      upstreamAt += size;
    } else if (part.added) {
      for (let index = 1; index < size; index++) offsets[clientAt + index] = offsets[clientAt]!;
      clientAt += size;
      offsets[clientAt] = upstreamAt;
    } else {
      for (let index = 1; index <= size; index++) offsets[clientAt + index] = upstreamAt + index;
      clientAt += size;
      upstreamAt += size;
    }
  }
  return offsets;
}

export interface ChunkTiming {
  /** Client has all of this chunk's text − upstream sent it (NaN if it never arrived). */
  delayMs: number;
  /** Upstream characters sent but not yet at the client, just before this chunk was sent. */
  heldChars: number;
}

export function chunkTimings(
  upstream: UpstreamStream,
  events: Array<{ at: number; length: number }>,
  offsets: Int32Array,
): ChunkTiming[] {
  const timings: ChunkTiming[] = [];
  let arrived = 0;
  let seen = -1;
  for (let index = 0; index < upstream.pieces.length; index++) {
    while (arrived < events.length && offsets[events[arrived]!.length]! < upstream.ends[index]!) arrived++;
    const sentAt = upstream.sendTimes[index]!;
    while (seen + 1 < events.length && events[seen + 1]!.at <= sentAt) seen++;
    const received = seen >= 0 ? offsets[events[seen]!.length]! : 0;
    timings.push({
      delayMs: arrived < events.length ? events[arrived]!.at - sentAt : Number.NaN,
      heldChars: (index > 0 ? upstream.ends[index - 1]! : 0) - received,
    });
  }
  return timings;
}

function synchronous(step: StreamStep | Promise<StreamStep>): StreamStep {
  if (step instanceof Promise) throw new Error('the benchmark policy must be synchronous');
  return step;
}

/**
 * The hold-back window alone: replays the stream through a StreamingOutputGuard with no rules
 * (scans cost ~nothing, same window and scan cadence) and returns, per chunk, how long after
 * its send time the upstream chunk that releases it was sent (the finish chunk for the tail).
 */
export function windowReleaseChunk(upstream: UpstreamStream, holdBackChars: number): number[] {
  const policy: CompiledPolicy = {
    name: 'window-only',
    version: 0,
    holdBackChars,
    maxScanChars: DEFAULT_MAX_SCAN_CHARS,
    oversize: 'block',
    stages: { input: [], context: [], output: [] },
  };
  const guard = new StreamingOutputGuard(policy, {});
  const releasedAfter: number[] = [];
  let released = 0;
  for (const piece of upstream.pieces) {
    released += synchronous(guard.push(piece)).release.length;
    releasedAfter.push(released);
  }
  const predicted: number[] = [];
  let push = 0;
  for (let index = 0; index < upstream.pieces.length; index++) {
    while (push < releasedAfter.length && releasedAfter[push]! < upstream.ends[index]!) push++;
    const releasedAt = push < releasedAfter.length ? upstream.sendTimes[push]! : upstream.finishTime;
    predicted.push(releasedAt - upstream.sendTimes[index]!);
  }
  return predicted;
}

/** Scan CPU per chunk by stream third (each scan reads the whole text so far). Best of 3. */
export function scanCostByPosition(
  policy: CompiledPolicy,
  pieces: string[],
): { thirds: number[]; scans: number } {
  const best = new Array<number>(pieces.length).fill(Number.POSITIVE_INFINITY);
  let scans = 0;
  for (let repeat = 0; repeat < 3; repeat++) {
    const guard = new StreamingOutputGuard(policy, { systemPrompt: SYSTEM_PROMPT });
    pieces.forEach((piece, index) => {
      const started = performance.now();
      synchronous(guard.push(piece));
      if (index === pieces.length - 1) synchronous(guard.finish());
      best[index] = Math.min(best[index]!, performance.now() - started);
    });
    scans = guard.scans;
  }
  const third = Math.ceil(pieces.length / 3);
  const thirds = [0, 1, 2].map((part) => {
    const slice = best.slice(part * third, (part + 1) * third);
    return slice.reduce((sum, value) => sum + value, 0) / slice.length;
  });
  return { thirds, scans };
}
