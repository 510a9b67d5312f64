/**
 * Folds streamed chunks into what the trace needs: text, tool calls, finish reason, usage.
 */
import type { ChatCompletionChunk, FinishReason, ToolCall, Usage } from '../core/index.js';
import { estimateTokenWeight } from '../knowledge/index.js';
import { thinkingText } from './estimated-usage.js';

export class StreamAccumulator {
  text = '';
  finishReason: FinishReason = null;
  usage: Usage | null = null;
  responseModel: string | undefined;
  responseId: string | undefined;
  chunks = 0;
  /**
   * Estimated tokens of the text, thinking and tool-call arguments received (estimateTokenWeight, summed
   * per delta), for when the stream ends without the upstream's usage chunk: blocked by the
   * output guard, cut by an upstream error or a client disconnect, or a server that sends none.
   */
  outputTokenWeight = 0;
  private readonly toolCalls: ToolCall[] = [];

  constructor(private readonly captureContent: boolean) {}

  add(chunk: ChatCompletionChunk): void {
    this.chunks++;
    if (this.responseModel === undefined) {
      this.responseModel = chunk.model;
      this.responseId = chunk.id;
    }
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) return;
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    const delta = choice.delta;
    if (!delta) return;
    if (typeof delta.content === 'string') {
      this.outputTokenWeight += estimateTokenWeight(delta.content);
      if (this.captureContent) this.text += delta.content;
    }
    const thinking = thinkingText(delta);
    if (thinking) this.outputTokenWeight += estimateTokenWeight(thinking);
    if (delta.tool_calls) {
      for (const part of delta.tool_calls) {
        const argumentsPart = part.function?.arguments;
        if (argumentsPart) this.outputTokenWeight += estimateTokenWeight(argumentsPart);
        if (!this.captureContent) continue;
        let call = this.toolCalls[part.index];
        if (!call) {
          call = { id: part.id ?? '', type: 'function', function: { name: '', arguments: '' } };
          this.toolCalls[part.index] = call;
        }
        if (part.id) call.id = part.id;
        if (part.function?.name) call.function.name += part.function.name;
        if (argumentsPart) call.function.arguments += argumentsPart;
      }
    }
  }

  /** The assistant message as a `gen_ai.output.messages` value. */
  output(): unknown {
    const message: Record<string, unknown> = { role: 'assistant', content: this.text };
    const calls = this.toolCalls.filter(Boolean);
    if (calls.length > 0) message.tool_calls = calls;
    return [{ ...message, finish_reason: this.finishReason }];
  }
}
