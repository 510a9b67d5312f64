/**
 * Builds the generation span of one upstream attempt with OpenTelemetry GenAI attributes.
 */
import {
  type ChatCompletionRequest,
  costOf,
  type FinishReason,
  newSpanId,
  type SpanRecord,
  type UsageCounts,
} from '../core/index.js';
import { ATTR } from '../observe/index.js';
import type { RequestContext } from './context.js';
import type { CompiledModel } from './registry.js';

export interface GenerationSpanOptions {
  captureContent: boolean;
}

export function startGenerationSpan(
  context: RequestContext,
  model: CompiledModel,
  attempt: number,
  fallbackIndex: number,
  request: ChatCompletionRequest | null,
  options: GenerationSpanOptions,
): SpanRecord {
  const attributes: Record<string, unknown> = {
    [ATTR.operationName]: context.operation === 'chat' ? 'chat' : 'embeddings',
    [ATTR.system]: model.provider.type,
    [ATTR.requestModel]:
      model === context.model && context.upstreamModelOverride
        ? context.upstreamModelOverride
        : model.upstreamModel,
    [ATTR.model]: model.name,
    [ATTR.provider]: model.provider.name,
    [ATTR.attempt]: attempt,
    [ATTR.fallbackIndex]: fallbackIndex,
  };
  if (request) {
    if (request.temperature != null) attributes[ATTR.temperature] = request.temperature;
    if (request.top_p != null) attributes[ATTR.topP] = request.top_p;
    const maxTokens = request.max_completion_tokens ?? request.max_tokens;
    if (maxTokens != null) attributes[ATTR.maxTokens] = maxTokens;
    if (request.seed != null) attributes[ATTR.seed] = request.seed;
    if (request.stop != null)
      attributes[ATTR.stopSequences] = Array.isArray(request.stop) ? request.stop : [request.stop];
    if (request.stream) attributes[ATTR.streamed] = true;
    if (options.captureContent) attributes[ATTR.inputMessages] = request.messages;
  }
  const now = Date.now();
  const span: SpanRecord = {
    traceId: context.traceId,
    spanId: newSpanId(),
    parentSpanId: context.rootSpanId,
    projectId: context.auth?.projectId ?? '',
    name: `${context.operation === 'chat' ? 'chat' : 'embeddings'} ${model.name}`,
    kind: 'generation',
    startTime: now,
    endTime: now,
    status: 'ok',
    statusMessage: null,
    attributes,
  };
  context.spans.push(span);
  return span;
}

export interface GenerationOutcome {
  responseModel?: string | undefined;
  responseId?: string | undefined;
  finishReason?: FinishReason | undefined;
  usage: UsageCounts;
  ttftMs: number | null;
  output?: unknown;
}

/** Completes a span with usage and cost; returns the cost. */
export function finishGenerationSpan(
  span: SpanRecord,
  model: CompiledModel,
  outcome: GenerationOutcome,
): number {
  const cost = costOf(model.pricing, outcome.usage);
  const attributes = span.attributes;
  if (outcome.responseModel) attributes[ATTR.responseModel] = outcome.responseModel;
  if (outcome.responseId) attributes[ATTR.responseId] = outcome.responseId;
  if (outcome.finishReason) attributes[ATTR.finishReasons] = [outcome.finishReason];
  attributes[ATTR.inputTokens] = outcome.usage.inputTokens;
  attributes[ATTR.outputTokens] = outcome.usage.outputTokens;
  attributes[ATTR.cachedInputTokens] = outcome.usage.cachedInputTokens;
  attributes[ATTR.cacheWriteInputTokens] = outcome.usage.cacheWriteInputTokens;
  attributes[ATTR.reasoningTokens] = outcome.usage.reasoningTokens;
  attributes[ATTR.cost] = cost;
  if (outcome.ttftMs !== null) attributes[ATTR.ttftMs] = outcome.ttftMs;
  if (outcome.output !== undefined) attributes[ATTR.outputMessages] = outcome.output;
  span.endTime = Date.now();
  attributes[ATTR.latencyMs] = span.endTime - span.startTime;
  return cost;
}

export function failSpan(
  span: SpanRecord,
  status: 'error' | 'interrupted',
  errorType: string,
  message: string,
): void {
  span.status = status;
  span.statusMessage = message;
  span.attributes[ATTR.errorType] = errorType;
  span.endTime = Date.now();
  span.attributes[ATTR.latencyMs] = span.endTime - span.startTime;
}
