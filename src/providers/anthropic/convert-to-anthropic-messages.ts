/**
 * @module providers/anthropic/convert-to-anthropic-messages
 *
 * OpenAI chat request → Anthropic Messages request. System and developer messages become the
 * top-level `system`; tool results become `tool_result` blocks in a user turn; assistant
 * tool calls become `tool_use` blocks; consecutive turns of the same role are merged (the
 * API wants user/assistant alternation). Parameters without an Anthropic equivalent are
 * dropped (see the providers README); a request Anthropic cannot honour at all (n > 1, an
 * audio part) is rejected with a 400 naming the field.
 */
import {
  type ChatCompletionRequest,
  type ChatMessage,
  type ContentPart,
  messageText,
  ValidationError,
} from '../../core/index.js';
import type {
  AnthropicContentBlock,
  AnthropicMessage,
  AnthropicMessagesRequest,
  AnthropicTool,
  AnthropicToolChoice,
} from './anthropic-types.js';

export interface AnthropicConversionSettings {
  /** `max_tokens` to send when the request names none (Anthropic requires one). */
  defaultMaxTokens: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;

function convertImage(part: ContentPart, param: string): AnthropicContentBlock {
  const imageUrl = part.image_url;
  const url = typeof imageUrl === 'string' ? imageUrl : isRecord(imageUrl) ? imageUrl.url : undefined;
  if (typeof url !== 'string') throw new ValidationError('image_url part without a url', { param });
  const match = DATA_URL.exec(url);
  if (match) return { type: 'image', source: { type: 'base64', media_type: match[1]!, data: match[2]! } };
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  throw new ValidationError('image_url must be an http(s) URL or a base64 data URL', { param });
}

function convertUserContent(content: ChatMessage['content'], param: string): AnthropicContentBlock[] {
  if (content == null) return [];
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  const blocks: AnthropicContentBlock[] = [];
  content.forEach((part, index) => {
    if (part.type === 'text') {
      if (part.text) blocks.push({ type: 'text', text: part.text });
    } else if (part.type === 'image_url') {
      blocks.push(convertImage(part, `${param}.content[${index}]`));
    } else {
      throw new ValidationError(`content part type "${part.type}" is not supported by Anthropic models`, {
        param: `${param}.content[${index}]`,
      });
    }
  });
  return blocks;
}

function parseToolArguments(text: string, param: string): unknown {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : { value };
  } catch {
    throw new ValidationError('tool call arguments are not valid JSON', { param });
  }
}

function convertAssistant(message: ChatMessage, param: string): AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = [];
  const text = messageText(message.content);
  if (text) blocks.push({ type: 'text', text });
  message.tool_calls?.forEach((call, index) => {
    blocks.push({
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: parseToolArguments(call.function.arguments, `${param}.tool_calls[${index}].function.arguments`),
    });
  });
  return blocks;
}

/** Appends a turn, merging it into the previous one when the role repeats. */
function pushTurn(
  messages: AnthropicMessage[],
  role: AnthropicMessage['role'],
  blocks: AnthropicContentBlock[],
): void {
  if (blocks.length === 0) return;
  const previous = messages[messages.length - 1];
  if (previous && previous.role === role) {
    const existing: AnthropicContentBlock[] =
      typeof previous.content === 'string' ? [{ type: 'text', text: previous.content }] : previous.content;
    previous.content = existing.concat(blocks);
    return;
  }
  messages.push({ role, content: blocks });
}

/** A single text block is sent as a plain string: the shortest equivalent form. */
function simplify(messages: AnthropicMessage[]): void {
  for (const message of messages) {
    const content = message.content;
    if (Array.isArray(content) && content.length === 1 && content[0]!.type === 'text')
      message.content = content[0]!.text;
  }
}

export function convertToAnthropicMessages(source: readonly ChatMessage[]): {
  system: string | undefined;
  messages: AnthropicMessage[];
} {
  const systemParts: string[] = [];
  const messages: AnthropicMessage[] = [];
  source.forEach((message, index) => {
    const param = `messages[${index}]`;
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = messageText(message.content);
        if (text) systemParts.push(text);
        break;
      }
      case 'user':
        pushTurn(messages, 'user', convertUserContent(message.content, param));
        break;
      case 'assistant':
        pushTurn(messages, 'assistant', convertAssistant(message, param));
        break;
      case 'tool': {
        if (!message.tool_call_id) throw new ValidationError('tool message without tool_call_id', { param });
        const block: AnthropicContentBlock = {
          type: 'tool_result',
          tool_use_id: message.tool_call_id,
          content: messageText(message.content),
        };
        pushTurn(messages, 'user', [block]);
        break;
      }
      default:
        throw new ValidationError(`unknown message role "${String(message.role)}"`, {
          param: `${param}.role`,
        });
    }
  });
  simplify(messages);
  return { system: systemParts.length > 0 ? systemParts.join('\n\n') : undefined, messages };
}

function convertTools(tools: readonly unknown[]): AnthropicTool[] {
  return tools.map((tool, index) => {
    const fn =
      isRecord(tool) && tool.type === 'function' && isRecord(tool.function) ? tool.function : undefined;
    if (!fn || typeof fn.name !== 'string') {
      throw new ValidationError('only function tools are supported by Anthropic models', {
        param: `tools[${index}]`,
      });
    }
    const converted: AnthropicTool = {
      name: fn.name,
      input_schema: isRecord(fn.parameters) ? fn.parameters : { type: 'object', properties: {} },
    };
    if (typeof fn.description === 'string') converted.description = fn.description;
    return converted;
  });
}

function convertToolChoice(choice: unknown, parallel: unknown): AnthropicToolChoice | undefined {
  const disableParallel = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined || choice === null) {
    return parallel === false ? { type: 'auto', disable_parallel_tool_use: true } : undefined;
  }
  if (choice === 'auto') return { type: 'auto', ...disableParallel };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any', ...disableParallel };
  if (isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === 'string') {
    return { type: 'tool', name: choice.function.name, ...disableParallel };
  }
  throw new ValidationError('tool_choice must be "auto", "none", "required" or a named function', {
    param: 'tool_choice',
  });
}

/**
 * Anthropic has no JSON mode; the best we can do is ask for it in the system prompt. The
 * schema is not enforced and `strict` is ignored.
 */
function responseFormatInstruction(format: unknown): string | undefined {
  if (!isRecord(format)) return undefined;
  if (format.type === 'json_object')
    return 'Respond only with a single valid JSON object, without any other text.';
  if (format.type === 'json_schema' && isRecord(format.json_schema)) {
    const schema = format.json_schema.schema ?? {};
    return `Respond only with a single valid JSON object, without any other text, that conforms to this JSON schema:\n${JSON.stringify(schema)}`;
  }
  return undefined;
}

export function convertToAnthropicRequest(
  request: ChatCompletionRequest,
  settings: AnthropicConversionSettings,
): AnthropicMessagesRequest {
  if (typeof request.n === 'number' && request.n > 1) {
    throw new ValidationError('Anthropic models return one choice per request; n must be 1', { param: 'n' });
  }
  const { system, messages } = convertToAnthropicMessages(request.messages);
  const formatInstruction = responseFormatInstruction(request.response_format);
  const fullSystem = formatInstruction
    ? system
      ? `${system}\n\n${formatInstruction}`
      : formatInstruction
    : system;
  const converted: AnthropicMessagesRequest = {
    model: request.model,
    messages,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? settings.defaultMaxTokens,
  };
  if (fullSystem) converted.system = fullSystem;
  if (request.stop != null) {
    const stop = typeof request.stop === 'string' ? [request.stop] : request.stop;
    if (stop.length > 0) converted.stop_sequences = stop;
  }
  if (request.temperature != null) converted.temperature = request.temperature;
  if (request.top_p != null) converted.top_p = request.top_p;
  if (Array.isArray(request.tools) && request.tools.length > 0) converted.tools = convertTools(request.tools);
  const toolChoice = convertToolChoice(request.tool_choice, request.parallel_tool_calls);
  if (toolChoice && converted.tools) converted.tool_choice = toolChoice;
  if (typeof request.user === 'string' && request.user) converted.metadata = { user_id: request.user };
  return converted;
}
