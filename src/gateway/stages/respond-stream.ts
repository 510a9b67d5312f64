/**
 * Stage: relay a started stream to the client as Server-Sent Events. After the 200 is sent,
 * an upstream failure becomes an SSE error event and the stream is recorded as interrupted —
 * never as complete. Honours backpressure; a client disconnect aborts the upstream call.
 * The output guard holds back the answer's text (OutputText) and each tool call's arguments
 * (ToolCallRelay, ../tool-call-stream.ts) until scanned.
 */
import type { ServerResponse } from 'node:http';
import {
  AppError,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  toAppError,
  usageCounts,
} from '../../core/index.js';
import { type PseudonymRestorer, StreamingOutputGuard, type StreamStep } from '../../guard/index.js';
import { ATTR } from '../../observe/index.js';
import type { RequestContext } from '../context.js';
import { estimatedUsage } from '../estimated-usage.js';
import { failSpan, finishGenerationSpan } from '../generation-span.js';
import { recordGuardSpan, toolCallAttributes } from '../guard-span.js';
import { type SseKeepAlive, writeStreamHead } from '../sse-keep-alive.js';
import { StreamAccumulator } from '../stream-accumulator.js';
import { toolCallPolicy } from '../tool-call-policy.js';
import { carriesNothing, ToolCallRelay } from '../tool-call-stream.js';
import { hasUnreadParts, withReadPartsOnly } from '../unread-parts.js';
import type { AttemptResult, OpenedStream } from './call-provider.js';

export async function relayStream(
  context: RequestContext,
  response: ServerResponse,
  opened: AttemptResult<OpenedStream>,
  headers: Record<string, string>,
  options: {
    includeUsage: boolean;
    captureContent: boolean;
    citations?: unknown[] | null;
    /** Holds output back until the stack's guard policy has scanned it. */
    outputGuard?: StreamingOutputGuard | null;
    /** Puts back the values the input guard pseudonymised, after the output guard. */
    restorer?: PseudonymRestorer | null;
    /** The body sent upstream: its prompt is estimated when the stream brings no usage. */
    request?: ChatCompletionRequest;
    /** Keep-alive comments while the upstream is silent; every write postpones the next. */
    keepAlive?: SseKeepAlive | null;
  },
): Promise<void> {
  const { value: stream, model, span, control } = opened;
  const accumulator = new StreamAccumulator(options.captureContent);
  context.ttftMs = Math.round((stream.firstChunkMark - context.startMark) * 100) / 100;
  // Sent already when keep-alive comments went out before the first token.
  if (!response.headersSent) writeStreamHead(response, headers);
  const keepAlive = options.keepAlive ?? null;
  let failure: unknown = null;
  let corked = false;
  const guard = options.outputGuard ?? null;
  const output = guard || options.restorer ? new OutputText(guard, options.restorer ?? null) : null;
  // Tool-call arguments get a guard of their own per call (the policy's output rules that
  // apply to tool calls) and a restorer per call.
  // Nothing of it is built per chunk, and a guard only when a call appears.
  const toolPolicy = guard && context.stack?.guard ? toolCallPolicy(context.stack.guard) : null;
  const toolCalls =
    toolPolicy || options.restorer
      ? new ToolCallRelay(
          toolPolicy
            ? () => new StreamingOutputGuard(toolPolicy, { ...context.guard, signal: context.signal })
            : null,
          options.restorer?.mapping ?? null,
        )
      : null;
  let blocked: StreamStep | null = null;
  let finished = false;
  const uncork = () => {
    corked = false;
    response.uncork();
  };
  const pending = stream.pending;
  let pendingIndex = 0;
  const pull = (): Promise<IteratorResult<ChatCompletionChunk>> | IteratorResult<ChatCompletionChunk> =>
    pendingIndex < pending.length ? { done: false, value: pending[pendingIndex++]! } : stream.iterator.next();
  try {
    let next: IteratorResult<ChatCompletionChunk> = { done: false, value: stream.first };
    const write = async (chunk: ChatCompletionChunk) => {
      // A client that went away while we waited for 'drain' has had its 'close' already: a write
      // now returns false and no event would ever end the wait. The upstream may still hand
      // over chunks parsed before its abort, so the relay stops here.
      if (response.destroyed) throw new AppError('client_closed', 'The client closed the connection.');
      // Chunks parsed from one upstream read are written in one syscall: cork now, uncork
      // once this tick's synchronous iterations are done.
      if (!corked) {
        corked = true;
        response.cork();
        process.nextTick(uncork);
      }
      keepAlive?.touch();
      if (!response.write(`data: ${JSON.stringify(chunk)}\n\n`)) {
        // A client that stops reading must not hold the request past the total timeout.
        control.waitingForClient = true;
        await drained(response, control.signal);
        control.waitingForClient = false;
        if (control.signal.aborted) throw control.signal.reason;
      }
    };
    control.startIdleWatch(model.timeouts.idle_ms);
    while (!next.done) {
      control.lastChunkAt = performance.now();
      const chunk = next.value;
      accumulator.add(chunk);
      const choice = chunk.choices[0];
      // The guard reads choice 0 (a guarded stack asks for one): another choice's text from an
      // upstream that sent more than asked would go out unscanned.
      if (guard && choice && choice.index > 0) {
        next = await pull();
        continue;
      }
      // Nor does it read a reasoning model's thinking: not passed on; content in parts and
      // object arguments are read as their text (../unread-parts.ts).
      if (guard && choice?.delta && hasUnreadParts(choice.delta)) {
        choice.delta = withReadPartsOnly(choice.delta);
        if (carriesNothing(chunk)) {
          next = await pull();
          continue;
        }
      }
      if (output && choice) {
        const content = choice.delta?.content;
        const hasContent = typeof content === 'string' && content !== '';
        // Text after the finish chunk (a protocol anomaly) would go out unscanned: the final
        // scan has run. It is dropped (release stays '').
        let release = '';
        if (!finished) {
          if (hasContent) {
            const step = await output.push(content);
            if (step.blocked) {
              blocked = step;
              break;
            }
            release = step.release;
          }
          // Some servers put the last text on the finish chunk: it is pushed above, so the
          // final scan covers it too.
          if (choice.finish_reason) {
            const step = await output.finish();
            finished = true;
            if (step.blocked) {
              blocked = step;
              break;
            }
            if (hasContent) release += step.release;
            else if (step.release) await write(contentChunk(chunk, step.release));
          }
        }
        if (hasContent) {
          choice.delta.content = release;
          const carriesMore =
            choice.delta.role || choice.delta.tool_calls || choice.finish_reason || chunk.usage != null;
          if (release === '' && !carriesMore) {
            next = await pull();
            continue;
          }
        }
      }
      if (toolCalls && choice && (choice.delta?.tool_calls || choice.finish_reason)) {
        const relayed = await toolCalls.relay(chunk, write);
        if (relayed.blocked) {
          blocked = relayed.blocked;
          break;
        }
        if (relayed.emptied && carriesNothing(chunk)) {
          next = await pull();
          continue;
        }
      }
      // The usage-only chunk was requested by us, not the client: keep it for the trace only.
      const forward = options.includeUsage || chunk.usage == null || chunk.choices.length > 0;
      if (forward) await write(chunk);
      next = await pull();
    }
    if (output && !blocked && !finished) {
      const step = await output.finish();
      if (step.blocked) blocked = step;
      else if (step.release) await write(contentChunk(stream.first, step.release));
    }
    if (toolCalls && !blocked && !toolCalls.finished) {
      // The stream ended without a finish chunk: what the calls' guards hold goes out now.
      const step = await toolCalls.finish(null, write, stream.first);
      if (step) blocked = step;
    }
    if (blocked) control.controller.abort(new AppError('content_filter', 'blocked by the output guard'));
  } catch (thrown) {
    failure = control.explain(thrown);
  } finally {
    control.dispose();
    // Nothing is written after this but the end: the comments stop here, not at a later event.
    keepAlive?.stop();
  }
  if (accumulator.usage === null) {
    // No usage chunk came (a guard block or a cut aborts the upstream call before it, and some
    // servers never send one): the tokens are estimated rather than recorded as 0, and say so.
    context.usage = estimatedUsage(options.request, accumulator.outputTokenWeight);
    context.attributes[ATTR.usageEstimated] = true;
    span.attributes[ATTR.usageEstimated] = true;
  } else context.usage = usageCounts(accumulator.usage);
  context.servedBy = model;
  const outcome = {
    responseModel: accumulator.responseModel,
    responseId: accumulator.responseId,
    finishReason: accumulator.finishReason,
    usage: context.usage,
    ttftMs: stream.attemptTtftMs,
    output: options.captureContent ? accumulator.output() : undefined,
  };
  context.cost = finishGenerationSpan(span, model, outcome);
  if (guard) recordStreamGuard(context, guard, accumulator.chunks);
  if (toolCalls) recordToolCallGuards(context, toolCalls, accumulator.chunks);
  if (blocked?.blocked) {
    const message = blocked.blocked.blockedBy?.message ?? 'The answer was blocked by the guard policy.';
    context.status = 'error';
    context.statusMessage = message;
    span.status = 'error';
    span.statusMessage = message;
    if (!response.destroyed && !response.writableEnded) {
      response.end(`data: ${JSON.stringify(new AppError('content_filter', message).toBody())}\n\n`);
    }
    return;
  }
  if (failure === null) {
    if (!response.destroyed) {
      // Citations travel in one extra chunk without choices, before [DONE].
      if (options.citations && options.citations.length > 0) {
        const citationChunk = {
          id: accumulator.responseId ?? stream.first.id,
          object: 'chat.completion.chunk',
          created: stream.first.created,
          model: accumulator.responseModel ?? stream.first.model,
          choices: [],
          citations: options.citations,
        };
        response.write(`data: ${JSON.stringify(citationChunk)}\n\n`);
      }
      response.end('data: [DONE]\n\n');
    }
    return;
  }
  const error = toAppError(failure);
  context.status = 'interrupted';
  context.statusMessage = error.message;
  context.attributes[ATTR.streamInterrupted] = true;
  failSpan(span, 'interrupted', error.code, error.message);
  if (!response.destroyed && !response.writableEnded) {
    response.end(`data: ${JSON.stringify(error.toBody())}\n\n`);
  }
}

/**
 * The answer's text on its way out: the output guard (hold back, scan, redact, block) and then
 * the restorer (placeholders of the input's reversible redactions back to their values).
 */
class OutputText {
  constructor(
    private readonly guard: StreamingOutputGuard | null,
    private readonly restorer: PseudonymRestorer | null,
  ) {}

  async push(content: string): Promise<StreamStep> {
    const step: StreamStep = this.guard
      ? await this.guard.push(content)
      : { release: content, blocked: null };
    if (step.blocked || !this.restorer) return step;
    return { release: this.restorer.push(step.release), blocked: null };
  }

  async finish(): Promise<StreamStep> {
    const step: StreamStep = this.guard ? await this.guard.finish() : { release: '', blocked: null };
    if (step.blocked || !this.restorer) return step;
    return { release: this.restorer.push(step.release) + this.restorer.flush(), blocked: null };
  }
}

/** Resolves at 'drain', at 'close', or when the attempt is aborted (timeout, client gone). */
function drained(response: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (response.destroyed || signal.aborted) return resolve();
    const done = () => {
      response.off('drain', done);
      response.off('close', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    response.on('drain', done);
    response.on('close', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

function contentChunk(template: ChatCompletionChunk, content: string): ChatCompletionChunk {
  return {
    id: template.id,
    object: 'chat.completion.chunk',
    created: template.created,
    model: template.model,
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  };
}

/** The output guard's span for a stream, with what holding back cost per chunk. */
function recordStreamGuard(
  context: RequestContext,
  guard: StreamingOutputGuard,
  chunks: number,
  extra: Record<string, unknown> = {},
): void {
  const verdict = guard.verdict;
  const policy = context.stack?.guard;
  if (!verdict || !policy) return;
  recordGuardSpan(context, policy, 'output', verdict, Date.now() - Math.round(guard.scanMs), {
    ...extra,
    'stackops.guard.stream_scans': guard.scans,
    'stackops.guard.stream_scan_ms': Math.round(guard.scanMs * 1000) / 1000,
    'stackops.guard.stream_ms_per_chunk': chunks > 0 ? Math.round((guard.scanMs / chunks) * 1e4) / 1e4 : 0,
  });
}

/** One guard span per streamed tool call, naming it. */
function recordToolCallGuards(context: RequestContext, toolCalls: ToolCallRelay, chunks: number): void {
  for (const call of toolCalls.guarded) {
    recordStreamGuard(context, call.guard, chunks, toolCallAttributes(call.index, call.id, call.name));
  }
}
