/**
 * Streamed tool calls on their way out: each call's argument fragments (by `index`) go through
 * its own output guard — a `StreamingOutputGuard` over the arguments' projection (see
 * tool-call-arguments and tool-call-rewrite), so they are held back, scanned, redacted or
 * blocked like the answer's text — and then through its own pseudonym restorer, which puts the
 * caller's values back where the model wrote their placeholders. The chunks keep their order and the OpenAI wire
 * format: a fragment is rewritten in place (emptied while held back; a chunk left carrying
 * nothing is not sent), and what was held goes out at the finish, on the finish chunk's own
 * fragment for that call or in a chunk of its own just before it.
 */
import type { ChatCompletionChunk } from '../core/index.js';
import {
  jsonStringMapping,
  PseudonymRestorer,
  type StreamingOutputGuard,
  type StreamStep,
} from '../guard/index.js';
import { ArgumentProjection } from './tool-call-arguments.js';
import { ArgumentRewriter, placeRedactions } from './tool-call-rewrite.js';

const NOTHING: StreamStep = { release: '', blocked: null };

/** One tool call's arguments through the streaming guard, written back as arguments text. */
export class GuardedArguments {
  private readonly projection = new ArgumentProjection();
  private readonly rewriter = new ArgumentRewriter(this.projection);

  constructor(readonly guard: StreamingOutputGuard) {}

  async push(fragment: string): Promise<StreamStep> {
    const added = this.projection.push(fragment);
    // Structure only, or an escape still cut: nothing new to scan yet.
    if (added === '') return NOTHING;
    return this.written(await this.guard.push(added));
  }

  async finish(): Promise<StreamStep> {
    let release = '';
    const added = this.projection.end();
    if (added !== '') {
      const step = this.written(await this.guard.push(added));
      if (step.blocked) return step;
      release = step.release;
    }
    const last = this.written(await this.guard.finish());
    if (last.blocked) return last;
    return { release: release + last.release + this.rewriter.finish(), blocked: null };
  }

  /**
   * The guard's release as arguments text: the guard says where in the projection its release
   * ends and which redactions it applied there (StreamStep.end / spans), and the rewriter writes
   * that stretch back, placeholders inside their JSON strings.
   */
  private written(step: StreamStep): StreamStep {
    if (step.blocked) return step;
    if (step.release === '' || step.end === undefined) return NOTHING;
    const redactions = placeRedactions(this.projection.text, step.spans ?? []);
    return { release: this.rewriter.emit(step.end, redactions), blocked: null };
  }
}

interface CallState {
  index: number;
  id: string;
  name: string;
  guarded: GuardedArguments | null;
  restorer: PseudonymRestorer | null;
}

/** The guarded tool calls of a stream, for the trace. */
export interface GuardedCall {
  index: number;
  id: string;
  name: string;
  guard: StreamingOutputGuard;
}

export class ToolCallRelay {
  private readonly calls = new Map<number, CallState>();
  private readonly mapping: Record<string, string> | null;
  /** Set at the finish: later fragments (a protocol anomaly) would go out unscanned and are dropped. */
  finished = false;

  /**
   * @param guardFor a new streaming guard for one call's arguments (null: no output rules apply)
   * @param mapping the input guard's pseudonyms to restore (null: none)
   */
  constructor(
    private readonly guardFor: (() => StreamingOutputGuard) | null,
    mapping: Readonly<Record<string, string>> | null,
  ) {
    this.mapping = mapping ? jsonStringMapping(mapping) : null;
  }

  get guarded(): GuardedCall[] {
    const out: GuardedCall[] = [];
    for (const call of this.calls.values()) {
      if (call.guarded)
        out.push({ index: call.index, id: call.id, name: call.name, guard: call.guarded.guard });
    }
    return out;
  }

  /**
   * Rewrites the chunk's argument fragments in place and, on its finish, releases what was held
   * (writing a chunk of its own for a call without a fragment here). Returns the blocking step
   * when the guard blocked, or whether the chunk's tool calls now carry nothing.
   */
  async relay(
    chunk: ChatCompletionChunk,
    write: (chunk: ChatCompletionChunk) => Promise<void>,
  ): Promise<{ blocked: StreamStep | null; emptied: boolean }> {
    const choice = chunk.choices[0]!;
    const delta = choice.delta;
    const parts = delta?.tool_calls;
    let emptied = false;
    if (parts) {
      for (const part of parts) {
        const call = this.stateOf(part.index);
        if (part.id) call.id = part.id;
        if (part.function?.name) call.name += part.function.name;
        const fragment = part.function?.arguments;
        if (typeof fragment !== 'string' || fragment === '') continue;
        if (this.finished) {
          part.function!.arguments = '';
          continue;
        }
        let release = fragment;
        if (call.guarded) {
          const step = await call.guarded.push(fragment);
          if (step.blocked) return { blocked: step, emptied: false };
          release = step.release;
        }
        if (call.restorer) release = call.restorer.push(release);
        part.function!.arguments = release;
      }
      const kept = parts.filter(
        (part) => part.id || part.type || part.function?.name || part.function?.arguments,
      );
      if (kept.length < parts.length) {
        if (kept.length > 0) delta.tool_calls = kept;
        else {
          delete delta.tool_calls;
          emptied = true;
        }
      }
    }
    if (choice.finish_reason && !this.finished) {
      const blocked = await this.finish(chunk, write);
      if (blocked) return { blocked, emptied: false };
    }
    return { blocked: null, emptied };
  }

  /**
   * Ends every call: the guards' final scans first (a block in any call stops the answer
   * before any held text goes out), then the held text, on `chunk`'s own fragment for a call
   * or in a chunk of its own (after `template`) written before it.
   */
  async finish(
    chunk: ChatCompletionChunk | null,
    write: (chunk: ChatCompletionChunk) => Promise<void>,
    template: ChatCompletionChunk | null = chunk,
  ): Promise<StreamStep | null> {
    this.finished = true;
    const rests: Array<[number, string]> = [];
    const calls = [...this.calls.values()].sort((a, b) => a.index - b.index);
    for (const call of calls) {
      let rest = '';
      if (call.guarded) {
        const step = await call.guarded.finish();
        if (step.blocked) return step;
        rest = step.release;
      }
      if (call.restorer) rest = call.restorer.push(rest) + call.restorer.flush();
      if (rest !== '') rests.push([call.index, rest]);
    }
    const parts = chunk?.choices[0]?.delta?.tool_calls;
    for (const [index, rest] of rests) {
      const own = parts?.find((part) => part.index === index && part.function);
      if (own?.function) own.function.arguments = (own.function.arguments ?? '') + rest;
      else await write(argumentsChunk((chunk ?? template)!, index, rest));
    }
    return null;
  }

  private stateOf(index: number): CallState {
    let call = this.calls.get(index);
    if (!call) {
      call = {
        index,
        id: '',
        name: '',
        guarded: this.guardFor ? new GuardedArguments(this.guardFor()) : null,
        restorer: this.mapping ? new PseudonymRestorer(this.mapping) : null,
      };
      this.calls.set(index, call);
    }
    return call;
  }
}

function argumentsChunk(template: ChatCompletionChunk, index: number, text: string): ChatCompletionChunk {
  return {
    id: template.id,
    object: 'chat.completion.chunk',
    created: template.created,
    model: template.model,
    choices: [
      { index: 0, delta: { tool_calls: [{ index, function: { arguments: text } }] }, finish_reason: null },
    ],
  };
}

/** Whether a chunk carries nothing for the client (its only tool-call fragments were held back). */
export function carriesNothing(chunk: ChatCompletionChunk): boolean {
  const choice = chunk.choices[0];
  if (!choice || choice.finish_reason || chunk.usage != null) return false;
  for (const value of Object.values(choice.delta ?? {})) {
    if (value !== undefined && value !== null && value !== '') return false;
  }
  return true;
}
