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
import { splitsSurrogatePair } from '../../core/index.js';
import type { Finding, GuardStage, ScanContext, Scanner, ScanResult } from '../scanner.js';
import { StreamStates } from '../stream-cache.js';
import { LLAMA_GUARD_CATEGORIES, llamaGuardMessages, parseLlamaGuardReply } from './llama-guard.js';
import { parsePromptGuardReply } from './prompt-guard.js';
import { type RemoteModelScannerOptions, streamChunking, validateRemoteOptions } from './remote-options.js';
import {
  countCalls,
  dueWindows,
  newStreamJudgement,
  recordWindow,
  type StreamJudgement,
} from './stream-chunks.js';

export type { FailMode, RemoteGuardKind, RemoteModelScannerOptions } from './remote-options.js';

function clip(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let head = Math.floor((maxChars * 3) / 4);
  let tail = text.length - (maxChars - head);
  // Between characters: half of a surrogate pair would go out as a lone escape (stream-chunks.ts).
  if (splitsSurrogatePair(text, head)) head--;
  if (splitsSurrogatePair(text, tail)) tail++;
  return `${text.slice(0, head)}\n…\n${text.slice(tail)}`;
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

/**
 * The most bytes of a reply read: a verdict is a few tokens in a small JSON body. Without a
 * cap an endpoint that sends megabytes (a wrong URL, a hostile one a policy names) is held in
 * memory whole until the timeout, in the process that serves every project.
 */
const MAX_REPLY_BYTES = 1024 * 1024;

/** The reply's body as text, or Unavailable past MAX_REPLY_BYTES (the rest is not read). */
async function readReply(response: Response): Promise<string> {
  const tooLong = () => new Unavailable(`malformed reply: body over ${MAX_REPLY_BYTES} bytes`);
  if (Number(response.headers.get('content-length')) > MAX_REPLY_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLong();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_REPLY_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw tooLong();
    }
    chunks.push(value);
  }
  // As response.json() reads it: UTF-8, a byte-order mark dropped.
  return new TextDecoder().decode(Buffer.concat(chunks));
}

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
  validateRemoteOptions(options);
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
      // The endpoint was checked against the operator's list (`guard.remote_endpoints`); a
      // redirect (307 resends the text) would take it elsewhere. A 3xx is a failed call.
      redirect: 'manual',
    });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new Unavailable(`http ${response.status}`);
    }
    const raw = await readReply(response);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
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
    const windows = dueWindows(text.length, judgement, chunking, final, text);
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
