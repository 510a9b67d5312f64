/**
 * Stage: render the stack's prompt. Template variables come from the request's top-level
 * `variables` object; `{{input}}` is the caller's last user message. The caller's earlier
 * turns are kept: they go right before the template message that holds `{{input}}` (or after
 * the template when it has none). Parameters: prompt defaults < stack params < request.
 */
import {
  type ChatCompletionRequest,
  type ChatMessage,
  type ContentPart,
  messageText,
  renderSegments,
  resolveVariables,
  ValidationError,
} from '../../core/index.js';
import type { RequestContext } from '../context.js';

export function renderPrompt(
  context: RequestContext,
  body: ChatCompletionRequest,
  contextText = '',
): ChatCompletionRequest {
  const stack = context.stack;
  const { variables, ...request } = body;
  if (!stack) return variables === undefined ? body : (request as ChatCompletionRequest);
  if (
    variables !== undefined &&
    (variables === null || typeof variables !== 'object' || Array.isArray(variables))
  ) {
    throw new ValidationError('"variables" must be an object of template values.', { param: 'variables' });
  }
  const rendered: ChatCompletionRequest = { ...stack.params, ...request } as ChatCompletionRequest;
  const prompt = stack.prompt;
  if (!prompt) {
    if (contextText !== '')
      rendered.messages = [{ role: 'system', content: `Context:\n${contextText}` }, ...body.messages];
    return rendered;
  }

  const messages = body.messages;
  let lastUser = -1;
  for (let index = messages.length - 1; index >= 0; index--) {
    if (messages[index]!.role === 'user') {
      lastUser = index;
      break;
    }
  }
  const template = prompt.template;
  const input = lastUser >= 0 ? messageText(messages[lastUser]!.content) : '';
  const values = resolveVariables(
    template,
    (variables as Record<string, unknown> | undefined) ?? {},
    { input, context: contextText },
    `prompt ${prompt.version.promptName}@${prompt.version.version}`,
  );
  const renderedTemplate: ChatMessage[] = template.messages.map((message) => ({
    role: message.role,
    content: renderSegments(message.segments, values),
  }));
  let out: ChatMessage[];
  if (template.usesInput) {
    // The caller's turns other than the one the template consumes as {{input}}.
    const earlier = messages.filter((_, index) => index !== lastUser);
    const anchor = template.messages.findIndex((message) => message.usesInput);
    out = [...renderedTemplate.slice(0, anchor), ...earlier, ...renderedTemplate.slice(anchor)];
    // {{input}} takes the message's text; its images, audio and files cannot go into a text
    // template, so they follow it: in the template's user message, else as a user message.
    const attached = lastUser >= 0 ? nonTextParts(messages[lastUser]!.content) : [];
    if (attached.length > 0) {
      const position = anchor + earlier.length;
      const holder = out[position]!;
      if (holder.role === 'user')
        out[position] = {
          ...holder,
          content: [{ type: 'text', text: messageText(holder.content) }, ...attached],
        };
      else out.splice(position + 1, 0, { role: 'user', content: attached });
    }
  } else {
    out = [...renderedTemplate, ...messages];
  }
  // A stack with knowledge whose template has no {{context}} still gets it, as a system message.
  if (contextText !== '' && !template.placeholders.includes('context')) {
    const firstNonSystem = out.findIndex(
      (message) => message.role !== 'system' && message.role !== 'developer',
    );
    const position = firstNonSystem === -1 ? out.length : firstNonSystem;
    out.splice(position, 0, { role: 'system', content: `Context:\n${contextText}` });
  }
  rendered.messages = out;
  return rendered;
}

function nonTextParts(content: ChatMessage['content']): ContentPart[] {
  return Array.isArray(content) ? content.filter((part) => part.type !== 'text') : [];
}
