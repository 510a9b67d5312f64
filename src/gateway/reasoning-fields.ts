/**
 * The thinking of reasoning models served behind OpenAI-compatible APIs, which they send beside
 * the answer on the message and on stream deltas: `reasoning_content` (DeepSeek, vLLM and
 * SGLang reasoning parsers), `reasoning` (newer vLLM, OpenRouter), `reasoning_details`
 * (OpenRouter). The output guard reads the answer's text and tool calls, not these — and
 * thinking often restates the system prompt, canary included — so a stack whose policy has
 * output rules does not pass them on (docs/guardrails.md).
 */

const REASONING_FIELDS = ['reasoning_content', 'reasoning', 'reasoning_details'] as const;

export function hasReasoning(message: object): boolean {
  const record = message as Record<string, unknown>;
  return REASONING_FIELDS.some((field) => record[field] !== undefined);
}

/** A copy without the reasoning fields. */
export function withoutReasoning<Message extends object>(message: Message): Message {
  const copy = { ...message } as Record<string, unknown>;
  for (const field of REASONING_FIELDS) delete copy[field];
  return copy as Message;
}
