/**
 * @module providers/local-extractive/local-extractive-provider
 *
 * The built-in responder. THERE IS NO MODEL HERE: no GPU, no download, no API key. It exists
 * so StackOps can be demonstrated and tested end to end on any machine. Chat answers are
 * extracted from the context in the conversation (or echo the user; see `extract-answer`),
 * streams yield the answer word by word, embeddings are hashed bags of words (see
 * `hashed-embeddings`). Everything is deterministic. Usage is an estimate, not a tokenizer
 * count: `ceil(characters / 4)` of the message texts (prompt) and of the answer (completion).
 */
import {
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type EmbeddingRequest,
  type EmbeddingResponse,
  messageText,
  type Usage,
  ValidationError,
} from '../../core/index.js';
import type { CallOptions, Provider } from '../provider.js';
import { abortError } from '../shared/upstream-errors.js';
import { extractAnswer } from './extract-answer.js';
import { DEFAULT_EMBEDDING_DIMENSIONS, hashedEmbedding, hashedTokenEmbedding } from './hashed-embeddings.js';
import { estimateTokens, fnv1a } from './text-terms.js';

export interface LocalExtractiveSettings {
  name: string;
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError(signal);
}

function usageFor(request: ChatCompletionRequest, answer: string): Usage {
  let promptChars = 0;
  for (const message of request.messages) promptChars += messageText(message.content).length;
  const prompt = Math.ceil(promptChars / 4);
  const completion = estimateTokens(answer);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function completionId(answer: string): string {
  return `chatcmpl-local-${fnv1a(answer).toString(16).padStart(8, '0')}`;
}

/** The answer's words, each with its trailing space, so that they concatenate to the answer. */
function words(answer: string): string[] {
  return answer.match(/\S+\s*/g) ?? [];
}

class LocalExtractiveProvider implements Provider {
  readonly type = 'local-extractive' as const;
  readonly name: string;

  constructor(settings: LocalExtractiveSettings) {
    this.name = settings.name;
  }

  async chat(request: ChatCompletionRequest, options: CallOptions): Promise<ChatCompletion> {
    throwIfAborted(options.signal);
    const answer = extractAnswer(request.messages);
    return {
      id: completionId(answer),
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: request.model,
      choices: [
        { index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop', logprobs: null },
      ],
      usage: usageFor(request, answer),
    };
  }

  async stream(
    request: ChatCompletionRequest,
    options: CallOptions,
  ): Promise<AsyncIterable<ChatCompletionChunk>> {
    throwIfAborted(options.signal);
    const answer = extractAnswer(request.messages);
    return streamAnswer(request, answer, options.signal);
  }

  async embed(request: EmbeddingRequest, options: CallOptions): Promise<EmbeddingResponse> {
    throwIfAborted(options.signal);
    const dimensions = request.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
    if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 8192) {
      throw new ValidationError('dimensions must be an integer between 1 and 8192', { param: 'dimensions' });
    }
    const input = request.input;
    const items: Array<string | number[]> =
      typeof input === 'string'
        ? [input]
        : input.length > 0 && typeof input[0] === 'number'
          ? [input as number[]]
          : (input as Array<string | number[]>);
    let tokens = 0;
    const data = items.map((item, index) => {
      const vector =
        typeof item === 'string' ? hashedEmbedding(item, dimensions) : hashedTokenEmbedding(item, dimensions);
      tokens += typeof item === 'string' ? estimateTokens(item) : item.length;
      const embedding =
        request.encoding_format === 'base64'
          ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
          : vector;
      return { object: 'embedding' as const, index, embedding };
    });
    return {
      object: 'list',
      data,
      model: request.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    };
  }

  async close(): Promise<void> {}
}

async function* streamAnswer(
  request: ChatCompletionRequest,
  answer: string,
  signal: AbortSignal,
): AsyncGenerator<ChatCompletionChunk, void, undefined> {
  const base = {
    id: completionId(answer),
    object: 'chat.completion.chunk' as const,
    created: Math.floor(Date.now() / 1000),
    model: request.model,
  };
  yield { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] };
  for (const word of words(answer)) {
    throwIfAborted(signal);
    yield { ...base, choices: [{ index: 0, delta: { content: word }, finish_reason: null }] };
  }
  throwIfAborted(signal);
  yield { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] };
  if (request.stream_options?.include_usage) yield { ...base, choices: [], usage: usageFor(request, answer) };
}

export function createLocalExtractiveProvider(settings: LocalExtractiveSettings): Provider {
  return new LocalExtractiveProvider(settings);
}
