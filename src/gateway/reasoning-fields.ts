/**
 * What of a model's message the output guard reads, and what else a guarded stack must not pass
 * on unread. Reasoning models send their thinking beside the answer, on the message and on stream
 * deltas: `reasoning_content` (DeepSeek, vLLM and SGLang reasoning parsers), `reasoning` (newer
 * vLLM, OpenRouter), `reasoning_details` (OpenRouter) — and thinking often restates the system
 * prompt, canary included. Some servers send `content` as a list of typed parts (Mistral's
 * reasoning models: `thinking` and `text` parts). The guard reads the answer's text and tool
 * calls, so a stack whose policy has output rules drops the reasoning fields and reads the text
 * parts as the answer's text (a thinking part goes like other reasoning) (docs/guardrails.md).
 */
import { type ChatMessage, messageText } from '../core/index.js';

const REASONING_FIELDS = ['reasoning_content', 'reasoning', 'reasoning_details'] as const;

/** Whether a message or delta carries reasoning fields or content as a list of parts. */
export function hasUnreadParts(message: object): boolean {
  const record = message as Record<string, unknown>;
  return Array.isArray(record.content) || REASONING_FIELDS.some((field) => record[field] !== undefined);
}

/** A copy without reasoning fields, its content parts joined into the answer's text. */
export function withReadPartsOnly<Message extends object>(message: Message): Message {
  const copy = { ...message } as Record<string, unknown>;
  for (const field of REASONING_FIELDS) delete copy[field];
  if (Array.isArray(copy.content)) copy.content = messageText(copy.content as ChatMessage['content']);
  return copy as Message;
}
