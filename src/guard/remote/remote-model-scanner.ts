/**
 * A scanner backed by a guard model behind an OpenAI-compatible `POST {baseUrl}/chat/completions`
 * (vLLM, TGI, Ollama, a hosted API): Llama Guard 3/4 (`kind: 'llama-guard'`, verdict and hazard
 * categories) or a Prompt Guard style classifier (`kind: 'prompt-guard'`, label and score); see
 * llama-guard.ts and prompt-guard.ts for the exact wire conventions. Uses the global fetch
 * (undici) — the only I/O in the guard module.
 *
 * Failure handling is explicit: a timeout (`timeoutMs`), an abort of ScanContext.signal, a
 * network error, a non-2xx status or a reply in no known format yields one finding of type
 * `guard_unavailable` whose `value` says why — score 0 when `failMode` is "open" (the request
 * goes on unguarded by this scanner, and the trace shows it), score 1 when "closed" (the policy
 * blocks as if the text were unsafe). Nothing throws out of `scan`.
 *
 * On a stream (ScanContext.stream) the model is asked about chunks of the answer, not about the
 * whole answer at every rescan (stream-chunks.ts); the result says how far it has judged
 * (`judgedTo`) and how many calls the stream cost.
 */
import { ValidationError } from '../../core/index.js';
import type { Finding, GuardStage, ScanContext, Scanner, ScanResult } from '../scanner.js';
import { StreamStates } from '../stream-cache.js';
import { LLAMA_GUARD_CATEGORIES, llamaGuardMessages, parseLlamaGuardReply } from './llama-guard.js';
import { parsePromptGuardReply } from './prompt-guard.js';
import {
  countCalls,
  dueWindows,
  newStreamJudgement,
  recordWindow,
  type StreamChunking,
  type StreamJudgement,
} from './stream-chunks.js';

export type RemoteGuardKind = 'llama-guard' | 'prompt-guard';
export type FailMode = 'open' | 'closed';

export interface RemoteModelScannerOptions {
  /** Scanner name in results (default: the kind). */
  name?: string;
  /** e.g. "http://127.0.0.1:8000/v1" (`/chat/completions` is appended). */
  baseUrl: string;
  model: string;
  apiKey?: string;
  kind: RemoteGuardKind;
  /** Whole-call budget in milliseconds (default 3000). */
  timeoutMs?: number;
  /** Default "open". */
  failMode?: FailMode;
  /** Stages the scanner runs at (default: input+output for llama-guard, input+context for prompt-guard). */
  stage?: GuardStage | readonly GuardStage[];
  /** Longer texts are cut to their first 3/4 and last 1/4 of this many characters (default 16,000). */
  maxChars?: number;
  /** Streams: new characters between two calls (default 800, about 200 tokens). */
  streamChunkChars?: number;
  /** Streams: already judged characters sent again before the new ones (default 200). */
  streamContextChars?: number;
  /** Streams: characters before the first call, so the first bytes go out soon (default 200). */
  streamFirstChunkChars?: number;
  /** Replaces the global fetch (tests, custom dispatchers). */
  fetch?: typeof fetch;
}

const STAGES: readonly GuardStage[] = ['input', 'context', 'output'];

/**
 * The longest `timeoutMs`: Node's timers hold 32 bits, and AbortSignal.timeout(3e9) fires after
 * 1 ms (with only a warning), which would fail every call — a closed rule would block everything.
 * Ten minutes is already far beyond any guard model worth waiting for on a request.
 */
const MAX_TIMEOUT_MS = 600_000;
const MAX_CLIP_CHARS = 10_000_000;

/**
 * Stream defaults: NeMo Guardrails' streaming output rails judge 200-token chunks with 50 tokens
 * of context, about 800 and 200 characters of English. Llama Guard's prompt adds a few hundred
 * tokens of instructions to every call, so much smaller chunks mostly pay for that; much larger
 * ones hold the answer back longer (nothing the model has not judged is released). The first
 * call comes after 200 characters: the client waits for those, not for a whole chunk.
 */
const STREAM_CHUNK_CHARS = 800;
const STREAM_CONTEXT_CHARS = 200;
const STREAM_FIRST_CHUNK_CHARS = 200;
const SCANNER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** Why `baseUrl` cannot be called, or null. */
function baseUrlProblem(baseUrl: unknown): string | null {
  if (typeof baseUrl !== 'string' || !/^https?:\/\//.test(baseUrl)) return 'baseUrl must be an http(s) URL';
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return 'baseUrl must be an http(s) URL';
  }
  // fetch refuses such a URL on every call: the rule would never get a verdict.
  if (url.username !== '' || url.password !== '')
    return 'baseUrl must not carry credentials (use apiKeyEnv or apiKey for the bearer key)';
  return null;
}

function validate(options: RemoteModelScannerOptions): void {
  const problems: string[] = [];
  const urlProblem = baseUrlProblem(options.baseUrl);
  if (urlProblem) problems.push(urlProblem);
  if (typeof options.model !== 'string' || options.model === '') problems.push('model is required');
  if (options.kind !== 'llama-guard' && options.kind !== 'prompt-guard')
    problems.push('kind must be "llama-guard" or "prompt-guard"');
  if (options.failMode !== undefined && options.failMode !== 'open' && options.failMode !== 'closed')
    problems.push('failMode must be "open" or "closed"');
  if (
    options.timeoutMs !== undefined &&
    !(typeof options.timeoutMs === 'number' && options.timeoutMs > 0 && options.timeoutMs <= MAX_TIMEOUT_MS)
  )
    problems.push(`timeoutMs must be a number of milliseconds in (0, ${MAX_TIMEOUT_MS}]`);
  if (
    options.maxChars !== undefined &&
    !(Number.isInteger(options.maxChars) && options.maxChars >= 1 && options.maxChars <= MAX_CLIP_CHARS)
  )
    problems.push(`maxChars must be a whole number of characters from 1 to ${MAX_CLIP_CHARS}`);
  problems.push(...streamProblems(options));
  if (options.name !== undefined && (typeof options.name !== 'string' || !SCANNER_NAME.test(options.name)))
    problems.push(
      'name must be 1–64 letters, digits, _ . : or - (it names the scanner in findings and spans)',
    );
  if (options.apiKey !== undefined && (typeof options.apiKey !== 'string' || options.apiKey === ''))
    problems.push('apiKey must be a non-empty string');
  const stages =
    options.stage === undefined ? [] : typeof options.stage === 'string' ? [options.stage] : options.stage;
  if (!Array.isArray(stages) || stages.some((stage) => !STAGES.includes(stage)))
    problems.push('stage must be input, context or output (or a list of them)');
  if (problems.length > 0) throw new ValidationError(`remote guard scanner: ${problems.join('; ')}`);
}

function isCount(value: unknown, least: number, most: number): value is number {
  return Number.isInteger(value) && (value as number) >= least && (value as number) <= most;
}

/** The stream options' problems: each within its bounds, and consistent with the others and maxChars. */
function streamProblems(options: RemoteModelScannerOptions): string[] {
  const problems: string[] = [];
  const { streamChunkChars, streamContextChars, streamFirstChunkChars } = options;
  if (streamChunkChars !== undefined && !isCount(streamChunkChars, 1, MAX_CLIP_CHARS))
    problems.push(`streamChunkChars must be a whole number of characters from 1 to ${MAX_CLIP_CHARS}`);
  const chunk = isCount(streamChunkChars, 1, MAX_CLIP_CHARS) ? streamChunkChars : STREAM_CHUNK_CHARS;
  const maxChars = isCount(options.maxChars, 1, MAX_CLIP_CHARS) ? options.maxChars : 16_000;
  // Context past the chunk would send each character three times or more; past half of maxChars,
  // a long stretch of new text split into calls of maxChars would take more calls than characters/2.
  const mostContext = Math.min(chunk, Math.floor(maxChars / 2));
  if (streamContextChars !== undefined && !isCount(streamContextChars, 0, mostContext))
    problems.push(
      `streamContextChars must be a whole number of characters from 0 to ${mostContext} (at most streamChunkChars, and at most half of maxChars)`,
    );
  if (streamFirstChunkChars !== undefined && !isCount(streamFirstChunkChars, 1, chunk))
    problems.push(
      `streamFirstChunkChars must be a whole number of characters from 1 to ${chunk} (at most streamChunkChars)`,
    );
  return problems;
}

/** The stream chunking of valid options; defaults shrink to fit a small `maxChars` or chunk. */
function streamChunking(options: RemoteModelScannerOptions, maxChars: number): StreamChunking {
  const chunkChars = options.streamChunkChars ?? STREAM_CHUNK_CHARS;
  return {
    chunkChars,
    contextChars:
      options.streamContextChars ?? Math.min(STREAM_CONTEXT_CHARS, chunkChars, Math.floor(maxChars / 4)),
    firstChunkChars: options.streamFirstChunkChars ?? Math.min(STREAM_FIRST_CHUNK_CHARS, chunkChars),
    maxChars,
  };
}

function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const head = Math.floor((maxChars * 3) / 4);
  return `${text.slice(0, head)}\n…\n${text.slice(text.length - (maxChars - head))}`;
}

/** The assistant text of an OpenAI chat completion body, or null. */
function replyText(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const choices = (body as { choices?: unknown }).choices;
  if (!Array.isArray(choices) || choices.length === 0) return null;
  const message = (choices[0] as { message?: { content?: unknown } } | undefined)?.message;
  const content = message?.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (typeof part?.text === 'string' ? (part.text as string) : '')).join('');
  }
  return null;
}

class Unavailable extends Error {}

/** S1–S14, a bare `unsafe` without categories, and the finding of a failed call. */
const LLAMA_GUARD_FINDING_TYPES: readonly string[] = [
  ...Object.keys(LLAMA_GUARD_CATEGORIES),
  'unsafe',
  'guard_unavailable',
];

/** Labels are reported lower-cased (prompt-guard.ts): `types: [INJECTION]` would never match. */
function promptGuardTypeProblem(type: string): string | null {
  const lower = type.toLowerCase();
  return type === lower ? null : `a Prompt Guard classifier's labels are reported in lower case ("${lower}")`;
}

export function createRemoteModelScanner(options: RemoteModelScannerOptions): Scanner {
  validate(options);
  const name = options.name ?? options.kind;
  const failMode = options.failMode ?? 'open';
  const timeoutMs = options.timeoutMs ?? 3000;
  const maxChars = options.maxChars ?? 16_000;
  const chunking = streamChunking(options, maxChars);
  const url = `${options.baseUrl.replace(/(?<!\/)\/+$/, '')}/chat/completions`;
  const stages: readonly GuardStage[] =
    options.stage === undefined
      ? options.kind === 'llama-guard'
        ? ['input', 'output']
        : ['input', 'context']
      : typeof options.stage === 'string'
        ? [options.stage]
        : [...options.stage];
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;

  const unavailable = (text: string, reason: string): ScanResult => {
    const score = failMode === 'closed' ? 1 : 0;
    const finding: Finding = {
      scanner: name,
      type: 'guard_unavailable',
      score,
      start: 0,
      end: text.length,
      value: reason,
    };
    return { scanner: name, score, findings: [finding] };
  };

  const call = async (text: string, stage: GuardStage, signal: AbortSignal): Promise<string> => {
    const clipped = clip(text, maxChars);
    const messages =
      options.kind === 'llama-guard'
        ? llamaGuardMessages(clipped, stage)
        : [{ role: 'user', content: clipped }];
    const request = {
      model: options.model,
      messages,
      temperature: 0,
      max_tokens: options.kind === 'llama-guard' ? 24 : 64,
      stream: false,
    };
    const fetchImplementation = options.fetch ?? fetch;
    const response = await fetchImplementation(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(request),
      signal,
    });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new Unavailable(`http ${response.status}`);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      if (signal.aborted) throw error;
      throw new Unavailable('malformed reply: body is not JSON');
    }
    const reply = replyText(body);
    if (reply === null) throw new Unavailable('malformed reply: no message content');
    return reply;
  };

  /** The model's verdict; a reply in no known format throws Unavailable. */
  const verdict = (text: string, reply: string): ScanResult => {
    if (options.kind === 'llama-guard') {
      const parsed = parseLlamaGuardReply(reply);
      if (!parsed) throw new Unavailable(`malformed reply: ${JSON.stringify(reply.slice(0, 80))}`);
      if (parsed.safe) return { scanner: name, score: 0, findings: [] };
      const codes = parsed.categories.length > 0 ? parsed.categories : ['unsafe'];
      const findings = codes.map(
        (code): Finding => ({
          scanner: name,
          type: code,
          score: 1,
          start: 0,
          end: text.length,
          value: LLAMA_GUARD_CATEGORIES[code] ?? '',
        }),
      );
      return { scanner: name, score: 1, findings };
    }
    const parsed = parsePromptGuardReply(reply);
    if (!parsed) throw new Unavailable(`malformed reply: ${JSON.stringify(reply.slice(0, 80))}`);
    if (parsed.score <= 0) return { scanner: name, score: 0, findings: [] };
    const finding: Finding = {
      scanner: name,
      type: parsed.label,
      score: parsed.score,
      start: 0,
      end: text.length,
      value: '',
    };
    return { scanner: name, score: parsed.score, findings: [finding] };
  };

  /**
   * Why the model failed, by scan context. The streaming guard rescans a growing answer with one
   * context object: once the model has failed for a stream, the rest of that stream gets the
   * same answer at once — a guard model that is down would otherwise cost `timeoutMs` at every
   * call. A whole text is scanned with a context of its own, so this never outlives one request.
   */
  const failedStreams = new WeakMap<ScanContext, string>();
  /** What each stream's calls have judged so far (keyed by its context, like the local scanners' caches). */
  const streams = new StreamStates<StreamJudgement>(newStreamJudgement);

  /** One call: the model's verdict on `text`, or why there is none (`remember`: not the caller's abort). */
  const ask = async (
    text: string,
    context: ScanContext,
  ): Promise<{ result: ScanResult } | { failure: string; remember: boolean }> => {
    if (context.signal?.aborted) return { failure: 'aborted', remember: false };
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = context.signal ? AbortSignal.any([timeout, context.signal]) : timeout;
    try {
      // A reply in no known format throws Unavailable: a failure of the model like a 500.
      return { result: verdict(text, await call(text, context.stage, signal)) };
    } catch (error) {
      if (error instanceof Unavailable) return { failure: error.message, remember: true };
      if (timeout.aborted) return { failure: `timeout after ${timeoutMs} ms`, remember: true };
      if (context.signal?.aborted) return { failure: 'aborted', remember: false };
      return {
        failure: `network error: ${error instanceof Error ? error.message : String(error)}`,
        remember: true,
      };
    }
  };

  const scanOnce = async (text: string, context: ScanContext): Promise<ScanResult> => {
    const answer = await ask(text, context);
    if ('result' in answer) return answer.result;
    if (answer.remember) failedStreams.set(context, answer.failure);
    return unavailable(text, answer.failure);
  };

  const streamResult = (judgement: StreamJudgement, result: ScanResult): ScanResult => {
    result.calls = judgement.calls;
    result.sentChars = judgement.sentChars;
    return result;
  };

  /**
   * A stream's rescan: the model is asked only when a chunk is due (stream-chunks.ts), and
   * otherwise the answer is what the calls so far found — synchronously, so a rescan between
   * two calls costs no promise.
   */
  const scanStream = (
    text: string,
    context: ScanContext,
    final: boolean,
  ): ScanResult | Promise<ScanResult> => {
    const judgement = streams.get(context, text);
    const earlier = failedStreams.get(context);
    if (earlier !== undefined)
      return streamResult(
        judgement,
        unavailable(text, `${earlier} (earlier in this stream; not asked again)`),
      );
    const windows = dueWindows(text.length, judgement, chunking, final);
    const judged = (): ScanResult => {
      streams.seen(context, text);
      return streamResult(judgement, {
        scanner: name,
        score: judgement.score,
        findings: judgement.findings,
        judgedTo: judgement.judgedTo,
      });
    };
    if (windows.length === 0) return judged();
    countCalls(judgement, windows);
    return Promise.all(windows.map((window) => ask(text.slice(window.start, window.end), context))).then(
      (answers) => {
        for (let index = 0; index < answers.length; index++) {
          const answer = answers[index]!;
          if ('result' in answer) continue;
          if (answer.remember) failedStreams.set(context, answer.failure);
          return streamResult(judgement, unavailable(text, answer.failure));
        }
        for (let index = 0; index < answers.length; index++) {
          const answer = answers[index]!;
          if ('result' in answer) recordWindow(judgement, windows[index]!, answer.result.findings);
        }
        return judged();
      },
    );
  };

  return {
    name,
    stages,
    // Llama Guard's findings are its hazard categories (a rule may keep to some: `types: [S1,
    // S9]`); a Prompt Guard style classifier's are whatever labels the served model has.
    ...(options.kind === 'llama-guard'
      ? { findingTypes: LLAMA_GUARD_FINDING_TYPES }
      : { findingTypeProblem: promptGuardTypeProblem }),
    scan(text: string, context: ScanContext): ScanResult | Promise<ScanResult> {
      if (context.stream) return scanStream(text, context, context.stream.final);
      const earlier = failedStreams.get(context);
      if (earlier !== undefined)
        return unavailable(text, `${earlier} (earlier in this stream; not asked again)`);
      return scanOnce(text, context);
    },
  };
}
