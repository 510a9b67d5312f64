/**
 * Stage: output guard for whole (non-streamed) answers — the text and every tool call's
 * arguments — and the context scanner that checks retrieved chunks for indirect injection
 * before they reach the prompt. Streams are guarded chunk by chunk in respond-stream with a
 * hold-back window.
 */
import {
  AppError,
  type ChatCompletion,
  type ChatCompletionRequest,
  type ToolCall,
  ValidationError,
} from '../../core/index.js';
import {
  type CompiledPolicy,
  DEFAULT_SCANNERS,
  evaluateStage,
  type GuardVerdict,
  jsonStringMapping,
  restoreRedactions,
} from '../../guard/index.js';
import type { RequestContext } from '../context.js';
import { recordGuardSpan, toolCallAttributes } from '../guard-span.js';
import { projectArguments } from '../tool-call-arguments.js';
import { toolCallPolicy } from '../tool-call-policy.js';
import { rewriteArguments } from '../tool-call-rewrite.js';
import { hasUnreadParts, withReadPartsOnly } from '../unread-parts.js';
import type { ContextScanner, ScannedChunkNote } from './retrieve.js';

/**
 * The upstream request of a stack whose policy has output rules, held to what the output guard
 * reads — one choice's text and `tool_calls` — so nothing goes out unscanned: an `n` from the
 * prompt's or stack's params is not sent (a caller's n other than 1 is refused earlier), and
 * the deprecated `functions`/`function_call` and audio answers are refused (400 naming the
 * field). Called once, on the request as it goes upstream.
 */
export function limitToOutputGuard(
  context: RequestContext,
  request: ChatCompletionRequest,
): ChatCompletionRequest {
  const policy = context.stack?.guard;
  if (!policy || policy.stages.output.length === 0) return request;
  const legacy = (['functions', 'function_call'] as const).find((field) => request[field] != null);
  if (legacy)
    throw new ValidationError(
      `"${legacy}" is deprecated and its calls would pass this stack's output guard unscanned: use "tools" (and "tool_choice").`,
      { param: legacy },
    );
  // An audio answer's words are sound and a transcript beside no text content: unscanned.
  const modalities = (request as { modalities?: unknown }).modalities;
  const audio =
    Array.isArray(modalities) && modalities.includes('audio')
      ? 'modalities'
      : (request as { audio?: unknown }).audio != null
        ? 'audio'
        : null;
  if (audio)
    throw new ValidationError(
      `"${audio}": audio answers would pass this stack's output guard unscanned (it reads text); ask for text.`,
      { param: audio },
    );
  if (request.n == null || request.n === 1) return request;
  const { n: _n, ...single } = request;
  return single as ChatCompletionRequest;
}

export async function guardOutput(
  context: RequestContext,
  completion: ChatCompletion,
): Promise<ChatCompletion> {
  const policy = context.stack?.guard;
  if (!policy || policy.stages.output.length === 0) return completion;
  // Only the first choice is scanned (a guarded stack asks for one, limitToOutputGuard): another,
  // from an upstream that sent more than asked, is not passed on.
  if (completion.choices?.length > 1) completion = { ...completion, choices: completion.choices.slice(0, 1) };
  // Nor is a reasoning model's thinking; content in parts and object arguments are read as
  // their text (unread-parts.ts).
  const first = completion.choices?.[0];
  if (first?.message && hasUnreadParts(first.message))
    completion = { ...completion, choices: [{ ...first, message: withReadPartsOnly(first.message) }] };
  const choice = completion.choices?.[0];
  const calls = choice?.message.tool_calls;
  if (calls && calls.length > 0) return guardWithToolCalls(context, policy, completion, calls);
  const text = typeof choice?.message.content === 'string' ? choice.message.content : '';
  if (!choice || !text) return completion;
  const startTime = Date.now();
  const verdict = await evaluateStage(policy, 'output', text, {
    systemPrompt: context.guard?.systemPrompt,
    canary: context.guard?.canary,
    signal: context.signal,
  });
  recordGuardSpan(context, policy, 'output', verdict, startTime);
  if (verdict.action === 'block') {
    throw new AppError(
      'content_filter',
      verdict.blockedBy?.message ?? 'The answer was blocked by the guard policy.',
    );
  }
  if (verdict.action !== 'redact') return completion;
  return {
    ...completion,
    choices: [
      { ...choice, message: { ...choice.message, content: verdict.text } },
      ...completion.choices.slice(1),
    ],
  };
}

/**
 * An answer with tool calls: the text and each call's arguments (their projection, see
 * tool-call-arguments) are scanned together, each with a guard span of its own. A block in any
 * of them blocks the answer; redactions rewrite the text and the arguments they were found in.
 */
async function guardWithToolCalls(
  context: RequestContext,
  policy: CompiledPolicy,
  completion: ChatCompletion,
  calls: ToolCall[],
): Promise<ChatCompletion> {
  const choice = completion.choices[0]!;
  const text = typeof choice.message.content === 'string' ? choice.message.content : '';
  const toolPolicy = toolCallPolicy(policy);
  const scanContext = {
    systemPrompt: context.guard?.systemPrompt,
    canary: context.guard?.canary,
    signal: context.signal,
  };
  const startTime = Date.now();
  const projections = calls.map((call) =>
    toolPolicy && typeof call.function?.arguments === 'string'
      ? projectArguments(call.function.arguments)
      : null,
  );
  // Scanned together: remote guard models are asked about the text and every call at once.
  const [textVerdict, ...callVerdicts] = await Promise.all([
    text ? evaluateStage(policy, 'output', text, scanContext) : null,
    ...projections.map((projection) =>
      projection && toolPolicy ? evaluateStage(toolPolicy, 'output', projection.text, scanContext) : null,
    ),
  ]);
  if (textVerdict) recordGuardSpan(context, policy, 'output', textVerdict, startTime);
  callVerdicts.forEach((verdict, index) => {
    if (!verdict) return;
    const call = calls[index]!;
    const attributes = toolCallAttributes(index, call.id ?? '', call.function?.name ?? '');
    recordGuardSpan(context, policy, 'output', verdict, startTime, attributes);
  });
  const blocking = [textVerdict, ...callVerdicts].find((verdict) => verdict?.action === 'block');
  if (blocking) {
    throw new AppError(
      'content_filter',
      blocking.blockedBy?.message ?? 'The answer was blocked by the guard policy.',
    );
  }
  const textRedacted = textVerdict?.action === 'redact';
  if (!textRedacted && !callVerdicts.some((verdict) => verdict?.action === 'redact')) return completion;
  const toolCalls = calls.map((call, index) => {
    const verdict = callVerdicts[index];
    const projection = projections[index];
    if (verdict?.action !== 'redact' || !projection) return call;
    return {
      ...call,
      function: { ...call.function, arguments: rewriteArguments(projection, verdict.findings) },
    };
  });
  return {
    ...completion,
    choices: [
      {
        ...choice,
        message: {
          ...choice.message,
          content: textRedacted ? textVerdict.text : choice.message.content,
          tool_calls: toolCalls,
        },
      },
      ...completion.choices.slice(1),
    ],
  };
}

/**
 * Gives the caller back the values the input guard pseudonymised (`reversible: true`): every
 * placeholder the model wrote is replaced in each choice's text, after the output guard has
 * scanned the model's own words — the caller's values are theirs, not a leak.
 */
export function restorePseudonyms(context: RequestContext, completion: ChatCompletion): ChatCompletion {
  const mapping = context.pseudonyms?.mapping;
  if (!mapping || !completion.choices) return completion;
  const inJson = jsonStringMapping(mapping);
  return {
    ...completion,
    choices: completion.choices.map((choice) => {
      const message = choice.message;
      if (!message) return choice;
      const content =
        typeof message.content === 'string' && message.content.includes('[')
          ? restoreRedactions(message.content, mapping)
          : message.content;
      // A tool call the model makes with the caller's values (send_email to "[EMAIL_1]") gets
      // them back too, escaped for the JSON string the placeholder stands in.
      const toolCalls = message.tool_calls?.map((call) =>
        call.function?.arguments?.includes('[')
          ? {
              ...call,
              function: { ...call.function, arguments: restoreRedactions(call.function.arguments, inJson) },
            }
          : call,
      );
      return { ...choice, message: { ...message, content, ...(toolCalls ? { tool_calls: toolCalls } : {}) } };
    }),
  };
}

/**
 * Context-stage verdicts by policy object and chunk text. Chunks come from immutable snapshots
 * and the same ones are retrieved again and again, while local scanners are pure functions of
 * the text: a popular chunk is scanned once per policy version, not once per request. Policies
 * with a remote scanner at the context stage are not cached (its answer may change, or time
 * out). At most CONTEXT_CACHE_LIMIT texts and CONTEXT_CACHE_CHARS characters per policy (tool
 * results are the caller's text, up to the body limit each: a count alone would let a client
 * key fill the heap); the oldest go first, and a text longer than an eighth of the budget is not
 * kept.
 */
const contextVerdicts = new WeakMap<CompiledPolicy, ContextVerdicts>();
export const CONTEXT_CACHE_LIMIT = 4096;
export const CONTEXT_CACHE_CHARS = 8 * 1024 * 1024;
/** Scanners that compute on the text alone: the default ones, sensitive words and patterns (not `remote`). */
const LOCAL_SCANNERS: ReadonlySet<string> = new Set([...DEFAULT_SCANNERS, 'words', 'regex']);

export class ContextVerdicts {
  readonly #verdicts = new Map<string, GuardVerdict>();
  #characters = 0;

  get(text: string): GuardVerdict | undefined {
    return this.#verdicts.get(text);
  }

  has(text: string): boolean {
    return this.#verdicts.has(text);
  }

  keys(): IterableIterator<string> {
    return this.#verdicts.keys();
  }

  remember(text: string, verdict: GuardVerdict): void {
    if (text.length > CONTEXT_CACHE_CHARS / 8 || this.#verdicts.has(text)) return;
    while (
      this.#verdicts.size >= CONTEXT_CACHE_LIMIT ||
      this.#characters + text.length > CONTEXT_CACHE_CHARS
    ) {
      const oldest = this.#verdicts.keys().next().value as string;
      this.#verdicts.delete(oldest);
      this.#characters -= oldest.length;
    }
    this.#verdicts.set(text, verdict);
    this.#characters += text.length;
  }
}

export function contextCache(policy: CompiledPolicy): ContextVerdicts | undefined {
  let cache = contextVerdicts.get(policy);
  if (cache === undefined) {
    if (!policy.stages.context.every((compiled) => LOCAL_SCANNERS.has(compiled.rule.scanner)))
      return undefined;
    cache = new ContextVerdicts();
    contextVerdicts.set(policy, cache);
  }
  return cache;
}

/** Drops (or flags) retrieved chunks that the stack's policy finds injected. */
export const guardContextScanner: ContextScanner = async (chunks, context) => {
  const policy = context.stack?.guard;
  if (!policy || policy.stages.context.length === 0) return { chunks, dropped: [], flagged: [] };
  const kept: typeof chunks = [];
  const dropped: ScannedChunkNote[] = [];
  const flagged: ScannedChunkNote[] = [];
  const cache = contextCache(policy);
  // The chunks are judged together: a remote guard model is asked about all of them at once,
  // not in top_k round trips one after another.
  const judged = await Promise.all(
    chunks.map(async (chunk) => {
      const startTime = Date.now();
      let verdict = cache?.get(chunk.text);
      const cached = verdict !== undefined;
      if (verdict === undefined) {
        verdict = await evaluateStage(policy, 'context', chunk.text, { signal: context.signal });
        cache?.remember(chunk.text, verdict);
      }
      return { chunk, verdict, cached, startTime };
    }),
  );
  for (const { chunk, verdict, cached, startTime } of judged) {
    if (verdict.action !== 'allow') {
      // A cached verdict keeps the scanner timings of the scan that produced it.
      recordGuardSpan(context, policy, 'context', verdict, startTime, {
        'stackops.guard.chunk_id': chunk.chunkId,
        ...(cached ? { 'stackops.guard.cached': true } : {}),
      });
    }
    if (verdict.action === 'block') {
      dropped.push({ chunkId: chunk.chunkId, reason: verdict.blockedBy?.message ?? 'dropped by guard' });
      continue;
    }
    if (verdict.action === 'flag') {
      const finding = verdict.findings.find((candidate) => candidate.action === 'flag');
      flagged.push({
        chunkId: chunk.chunkId,
        reason: finding ? `Flagged by the ${finding.scanner} guard (${finding.type}).` : 'flagged by guard',
      });
    }
    kept.push(verdict.action === 'redact' ? { ...chunk, text: verdict.text } : chunk);
  }
  // Counts for the retrieval span, so "scanned, all clean" reads apart from "not scanned".
  let cacheHits = 0;
  let redacted = 0;
  for (const item of judged) {
    if (item.cached) cacheHits++;
    if (item.verdict.action === 'redact') redacted++;
  }
  return { chunks: kept, dropped, flagged, counts: { scanned: chunks.length, redacted, cacheHits } };
};
