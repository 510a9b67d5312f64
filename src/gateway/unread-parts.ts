/**
 * What of a model's message the output guard reads — the answer's text and each tool call's
 * `function.arguments` string — and what else a stack whose policy has output rules must not
 * pass on unread:
 * - reasoning models' thinking, on the message and on stream deltas: `reasoning_content`
 *   (DeepSeek, vLLM and SGLang reasoning parsers), `reasoning` (newer vLLM, OpenRouter),
 *   `reasoning_details` (OpenRouter) — thinking often restates the system prompt, canary
 *   included: dropped;
 * - `content` as a list of typed parts (Mistral's reasoning models: `thinking` and `text`
 *   parts): read, and sent, as the text of its text parts (a thinking part goes like other
 *   reasoning);
 * - tool-call arguments sent as a JSON object rather than a string (some servers do): read, and
 *   sent, as its JSON text, OpenAI's format.
 * (docs/guardrails.md)
 */
import { type ChatMessage, messageText } from '../core/index.js';

const REASONING_FIELDS = ['reasoning_content', 'reasoning', 'reasoning_details'] as const;

type ToolCallPart = { function?: { arguments?: unknown } };

const objectArguments = (part: ToolCallPart) =>
  part.function?.arguments != null && typeof part.function.arguments !== 'string';

/** Whether a message or delta carries something the guard would not read as it is. */
export function hasUnreadParts(message: object): boolean {
  const record = message as Record<string, unknown>;
  return (
    Array.isArray(record.content) ||
    REASONING_FIELDS.some((field) => record[field] !== undefined) ||
    (Array.isArray(record.tool_calls) && (record.tool_calls as ToolCallPart[]).some(objectArguments))
  );
}

/** A copy as the guard reads it: no reasoning, content parts joined, arguments as JSON text. */
export function withReadPartsOnly<Message extends object>(message: Message): Message {
  const copy = { ...message } as Record<string, unknown>;
  for (const field of REASONING_FIELDS) delete copy[field];
  if (Array.isArray(copy.content)) copy.content = messageText(copy.content as ChatMessage['content']);
  if (Array.isArray(copy.tool_calls))
    copy.tool_calls = (copy.tool_calls as ToolCallPart[]).map((part) =>
      objectArguments(part)
        ? { ...part, function: { ...part.function, arguments: JSON.stringify(part.function!.arguments) } }
        : part,
    );
  return copy as Message;
}
