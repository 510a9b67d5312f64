/**
 * Stage: call the upstream. Tries the resolved model and then its fallbacks in order; each
 * model gets `retry.max_attempts` attempts with jittered backoff honouring `retry-after`.
 * Every attempt is its own generation span. A stream counts as started only when its first
 * chunk with output has arrived, so failures before the first token are retried too.
 */
import {
  AppError,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type EmbeddingRequest,
  type EmbeddingResponse,
  type SpanRecord,
  toAppError,
} from '../../core/index.js';
import type { CallOptions } from '../../providers/index.js';
import { AttemptControl } from '../attempt-control.js';
import type { RequestContext } from '../context.js';
import { failSpan, type GenerationSpanOptions, startGenerationSpan } from '../generation-span.js';
import type { CompiledModel } from '../registry.js';
import { backoffDelay, retryAfterTooLong, sleep } from '../retry-policy.js';

export interface AttemptResult<T> {
  value: T;
  model: CompiledModel;
  span: SpanRecord;
  control: AttemptControl;
}

/** Upstream statuses that say "this provider is misconfigured": another model may still work. */
const FALLBACK_STATUSES = new Set([401, 403, 404]);

async function runWithFallbacks<T>(
  context: RequestContext,
  request: ChatCompletionRequest | null,
  spanOptions: GenerationSpanOptions,
  run: (model: CompiledModel, control: AttemptControl, callOptions: CallOptions) => Promise<T>,
  streaming = false,
): Promise<AttemptResult<T>> {
  const chain = context.model?.chain ?? [];
  let lastError: AppError | null = null;
  for (let fallbackIndex = 0; fallbackIndex < chain.length; fallbackIndex++) {
    const model = chain[fallbackIndex]!;
    for (let attempt = 1; attempt <= model.retry.max_attempts; attempt++) {
      const span = startGenerationSpan(context, model, attempt, fallbackIndex, request, spanOptions);
      const control = new AttemptControl(context.signal, model.timeouts);
      const callOptions: CallOptions = {
        signal: control.signal,
        connectTimeoutMs: model.timeouts.connect_ms,
        // A non-streaming answer's headers come with the whole answer (vLLM, OpenAI, Anthropic
        // send them when generation is done): waiting first_token_ms for them cut every answer
        // that took longer to generate, and retried it. Streams send headers at once, and their
        // first token is timed by AttemptControl.
        headersTimeoutMs: streaming ? model.timeouts.first_token_ms : model.timeouts.total_ms,
        // Silence can last as long as the attempt may: the total and first-token timers of
        // AttemptControl are what end it, never undici's 300 s default.
        bodyTimeoutMs: model.timeouts.total_ms,
        headers: { traceparent: `00-${context.traceId}-${span.spanId}-01` },
      };
      try {
        const value = await run(model, control, callOptions);
        return { value, model, span, control };
      } catch (thrown) {
        const error = toAppError(control.explain(thrown));
        control.dispose();
        failSpan(span, 'error', error.code, error.message);
        if (context.signal.aborted) throw new AppError('client_closed', 'The client closed the connection.');
        lastError = error;
        if (!error.retryable) {
          const status = (error as { upstreamStatus?: number }).upstreamStatus;
          if (status !== undefined && FALLBACK_STATUSES.has(status)) {
            // The provider's credentials or model id are wrong: that is our failure, not the
            // caller's, so it must not reach them as a 401/403/404 about their own key.
            lastError = new AppError(
              'upstream_error',
              `Provider "${model.provider.name}" answered ${status}: ${error.message}`,
              {
                cause: error,
              },
            );
            break;
          }
          throw error;
        }
        if (attempt >= model.retry.max_attempts || retryAfterTooLong(model.retry, error.retryAfterSeconds))
          break;
        await sleep(backoffDelay(model.retry, attempt, error.retryAfterSeconds), context.signal).catch(() => {
          throw new AppError('client_closed', 'The client closed the connection.');
        });
      }
    }
  }
  throw lastError ?? new AppError('upstream_unavailable', 'No model to call.');
}

export function callChat(
  context: RequestContext,
  request: ChatCompletionRequest,
  spanOptions: GenerationSpanOptions,
): Promise<AttemptResult<ChatCompletion>> {
  return runWithFallbacks(context, request, spanOptions, (model, _control, callOptions) =>
    model.provider.chat(withUpstreamModel(context, request, model), callOptions),
  );
}

export interface OpenedStream {
  first: ChatCompletionChunk;
  /** Chunks read after `first` while waiting for output, to be relayed before `iterator`'s. */
  pending: ChatCompletionChunk[];
  iterator: AsyncIterator<ChatCompletionChunk>;
  /** performance.now() when the first chunk with output arrived. */
  firstChunkMark: number;
  /** Time to first token of the attempt that answered (its span's TTFT). */
  attemptTtftMs: number;
}

export function openChatStream(
  context: RequestContext,
  request: ChatCompletionRequest,
  spanOptions: GenerationSpanOptions,
): Promise<AttemptResult<OpenedStream>> {
  return runWithFallbacks(
    context,
    request,
    spanOptions,
    async (model, control, callOptions) => {
      const attemptStart = performance.now();
      control.startFirstTokenTimer(model.timeouts.first_token_ms);
      // Always ask for usage upstream, so the trace has tokens even when the client did not.
      const upstreamRequest = withUpstreamModel(context, request, model);
      upstreamRequest.stream_options = { ...request.stream_options, include_usage: true };
      const iterable = await model.provider.stream(upstreamRequest, callOptions);
      const iterator = iterable[Symbol.asyncIterator]();
      // Chunks without output (the role-only opening chunk, Anthropic's message_start) are held:
      // the client has been sent nothing, so a failure right after them (Anthropic's in-band
      // overloaded_error) is still retried, and the first token is the first output.
      const held: ChatCompletionChunk[] = [];
      let next = await iterator.next();
      while (!next.done && carriesNoOutput(next.value)) {
        held.push(next.value);
        next = await iterator.next();
      }
      if (!next.done) held.push(next.value);
      if (held.length === 0)
        throw new AppError('upstream_error', 'Upstream stream ended without any chunk.', { retryable: true });
      control.firstTokenArrived();
      const firstChunkMark = performance.now();
      return {
        first: held[0]!,
        pending: held.slice(1),
        iterator,
        firstChunkMark,
        attemptTtftMs: Math.round((firstChunkMark - attemptStart) * 100) / 100,
      };
    },
    true,
  );
}

/** True for a chunk that carries nothing generated: no text, tool call, finish reason or usage. */
function carriesNoOutput(chunk: ChatCompletionChunk): boolean {
  if (chunk.usage != null || !Array.isArray(chunk.choices)) return false;
  for (const choice of chunk.choices) {
    if (choice.finish_reason) return false;
    const delta = choice.delta;
    for (const key in delta) {
      const value = delta[key];
      if (key !== 'role' && value !== undefined && value !== null && value !== '') return false;
    }
  }
  return true;
}

export function callEmbeddings(
  context: RequestContext,
  request: EmbeddingRequest,
  spanOptions: GenerationSpanOptions,
): Promise<AttemptResult<EmbeddingResponse>> {
  return runWithFallbacks(context, null, spanOptions, (model, _control, callOptions) =>
    model.provider.embed({ ...request, model: model.upstreamModel }, callOptions),
  );
}

/** A shallow copy with the upstream model id: the client's body is never mutated. */
function withUpstreamModel(
  context: RequestContext,
  request: ChatCompletionRequest,
  model: CompiledModel,
): ChatCompletionRequest {
  // A LoRA adapter is served under its own name by multi-LoRA servers; fallbacks use their own model.
  const upstream =
    model === context.model && context.upstreamModelOverride
      ? context.upstreamModelOverride
      : model.upstreamModel;
  return { ...request, model: upstream };
}
