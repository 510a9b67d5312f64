/**
 * The remote guard scanner's options: their types, defaults and bounds. Everything is checked
 * when the scanner is created (a policy is pushed), and every problem is listed in one
 * ValidationError naming the option — a value that would fail every call, or send a guard model
 * nothing it could judge, is refused rather than stored.
 */
import { ValidationError } from '../../core/index.js';
import type { GuardStage } from '../scanner.js';
import type { StreamChunking } from './stream-chunks.js';

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
  if (typeof baseUrl !== 'string' || !/^https?:\/\//i.test(baseUrl)) return 'baseUrl must be an http(s) URL';
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return 'baseUrl must be an http(s) URL';
  }
  // fetch refuses such a URL on every call: the rule would never get a verdict.
  if (url.username !== '' || url.password !== '')
    return 'baseUrl must not carry credentials (use apiKeyEnv or apiKey for the bearer key)';
  // `/chat/completions` is appended to it: after `?…` or `#…` it would be no part of the path,
  // and every call would go to the base URL itself.
  if (url.search !== '' || url.hash !== '' || /[?#]/.test(baseUrl))
    return 'baseUrl must not have a query or fragment (/chat/completions is appended to it)';
  return null;
}

export function validateRemoteOptions(options: RemoteModelScannerOptions): void {
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
export function streamChunking(options: RemoteModelScannerOptions, maxChars: number): StreamChunking {
  const chunkChars = options.streamChunkChars ?? STREAM_CHUNK_CHARS;
  return {
    chunkChars,
    contextChars:
      options.streamContextChars ?? Math.min(STREAM_CONTEXT_CHARS, chunkChars, Math.floor(maxChars / 4)),
    firstChunkChars: options.streamFirstChunkChars ?? Math.min(STREAM_FIRST_CHUNK_CHARS, chunkChars),
    maxChars,
  };
}
