/**
 * Usage estimated from the text, for answers that come without the upstream's usage (a stream
 * cut or blocked before its usage chunk, a server that reports none): knowledge's per-script
 * estimate, about 4 Latin characters or 1 CJK character per token. An estimate rather than 0,
 * so that the trace's tokens and cost are not recorded as free; callers flag it
 * `stackops.usage.estimated`.
 */
import {
  type ChatCompletion,
  type ChatCompletionRequest,
  messageText,
  type UsageCounts,
} from '../core/index.js';
import { estimateTokenWeight } from '../knowledge/index.js';

/** The prompt's message texts plus 4 tokens per message for the chat format, and `outputWeight`. */
export function estimatedUsage(
  request: ChatCompletionRequest | undefined,
  outputWeight: number,
): UsageCounts {
  let inputWeight = 0;
  for (const message of request?.messages ?? []) {
    inputWeight += 4 + estimateTokenWeight(messageText(message.content));
    for (const call of message.tool_calls ?? []) inputWeight += estimateTokenWeight(call.function.arguments);
  }
  return {
    inputTokens: Math.ceil(inputWeight),
    outputTokens: Math.ceil(outputWeight),
    cachedInputTokens: 0,
    cacheWriteInputTokens: 0,
    reasoningTokens: 0,
  };
}

/**
 * A reasoning model's thinking on a message or stream delta (`reasoning_content`: DeepSeek,
 * vLLM, SGLang; `reasoning`: newer vLLM, OpenRouter), or ''. It is billed as output, so an
 * estimate that left it out would count a thinking model's answer as nearly free.
 */
export function thinkingText(message: object): string {
  const record = message as Record<string, unknown>;
  const thinking = record.reasoning_content ?? record.reasoning;
  return typeof thinking === 'string' ? thinking : '';
}

/** The estimated token weight of a whole answer: every choice's text, thinking and tool-call arguments. */
export function completionOutputWeight(completion: ChatCompletion): number {
  let weight = 0;
  for (const choice of completion.choices ?? []) {
    const message = choice.message;
    if (!message) continue;
    weight += estimateTokenWeight(messageText(message.content)) + estimateTokenWeight(thinkingText(message));
    for (const call of message.tool_calls ?? []) weight += estimateTokenWeight(call.function.arguments);
  }
  return weight;
}
