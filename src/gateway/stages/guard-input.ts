/**
 * Stage: input guard. Scans each of the caller's user messages with the stack's policy
 * (blocks answer 400 `content_filter` in the OpenAI error shape; redactions rewrite the
 * message before rendering), and plants a canary token in the rendered system prompt when the
 * policy watches the output for system-prompt leaks.
 */
import { AppError, type ChatCompletionRequest, type ChatMessage, messageText } from '../../core/index.js';
import { evaluateStage, plantCanary } from '../../guard/index.js';
import type { RequestContext } from '../context.js';
import { recordGuardSpan } from '../guard-span.js';

export async function guardInput(
  context: RequestContext,
  body: ChatCompletionRequest,
): Promise<ChatCompletionRequest> {
  const policy = context.stack?.guard;
  if (!policy || policy.stages.input.length === 0) return body;
  let messages: ChatMessage[] | null = null;
  for (let index = 0; index < body.messages.length; index++) {
    const message = body.messages[index]!;
    if (message.role !== 'user') continue;
    const text = messageText(message.content);
    if (!text) continue;
    const startTime = Date.now();
    const verdict = await evaluateStage(policy, 'input', text, { signal: context.signal });
    recordGuardSpan(context, policy, 'input', verdict, startTime, { 'stackops.guard.message_index': index });
    if (verdict.action === 'block') {
      throw new AppError(
        'content_filter',
        verdict.blockedBy?.message ?? 'The input was blocked by the guard policy.',
        {
          param: `messages.${index}.content`,
        },
      );
    }
    if (verdict.action === 'redact' && typeof message.content === 'string') {
      messages ??= [...body.messages];
      messages[index] = { ...message, content: verdict.text };
    }
  }
  return messages ? { ...body, messages } : body;
}

/** Plants the canary in the first system message; remembers it for the output scan. */
export function plantLeakCanary(
  context: RequestContext,
  request: ChatCompletionRequest,
): ChatCompletionRequest {
  const policy = context.stack?.guard;
  if (!policy?.stages.output.some((rule) => rule.scanner.name === 'leak')) return request;
  const index = request.messages.findIndex(
    (message) => message.role === 'system' || message.role === 'developer',
  );
  if (index === -1) return request;
  const system = messageText(request.messages[index]!.content);
  const planted = plantCanary(system);
  context.guard = { systemPrompt: system, canary: planted.canary };
  const messages = [...request.messages];
  messages[index] = { ...messages[index]!, content: planted.prompt };
  return { ...request, messages };
}
