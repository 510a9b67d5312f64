/**
 * Last stage: turn the request context into a trace and its spans and hand them to the
 * batched writer. Synchronous and never waits on the database.
 */
import type { SpanRecord, TraceRecord } from '../../core/index.js';
import { ATTR, type TraceWriter } from '../../observe/index.js';
import type { RequestContext } from '../context.js';

/**
 * Queues the request's trace. With `captureContent` its spans hold the request's messages, so
 * the trace weighs the body's content-length in the writer's byte budget; otherwise nothing.
 */
export function recordTrace(
  context: RequestContext,
  writer: TraceWriter,
  routeName: string,
  captureContent: boolean,
): void {
  if (!context.auth) return; // unauthenticated calls belong to no project: nothing to record
  const endTime = Date.now();
  const latencyMs = Math.round((performance.now() - context.startMark) * 100) / 100;
  const projectId = context.auth.projectId;
  const served = context.servedBy ?? context.model;
  const attributes = context.attributes;
  attributes[ATTR.apiKeyId] = context.auth.keyId;
  attributes[ATTR.latencyMs] = latencyMs;
  attributes[ATTR.cost] = context.cost;
  if (context.ttftMs !== null) attributes[ATTR.ttftMs] = context.ttftMs;
  if (served) attributes[ATTR.model] = served.name;
  attributes[ATTR.requestModel] = context.requestedModel;
  attributes[ATTR.inputTokens] = context.usage.inputTokens;
  attributes[ATTR.outputTokens] = context.usage.outputTokens;
  attributes[ATTR.cachedInputTokens] = context.usage.cachedInputTokens;
  attributes[ATTR.cacheWriteInputTokens] = context.usage.cacheWriteInputTokens;
  attributes[ATTR.reasoningTokens] = context.usage.reasoningTokens;

  const root: SpanRecord = {
    traceId: context.traceId,
    spanId: context.rootSpanId,
    parentSpanId: context.parentSpanId,
    projectId,
    name: routeName,
    kind: 'span',
    startTime: context.startTime,
    endTime,
    status: context.status,
    statusMessage: context.statusMessage,
    attributes,
  };
  const spans = context.spans;
  for (const span of spans) span.projectId = projectId;
  spans.push(root);
  const trace: TraceRecord = {
    id: context.traceId,
    projectId,
    name: routeName,
    startTime: context.startTime,
    endTime,
    status: context.status,
    model: context.requestedModel || null,
    stack: context.stack?.stackName ?? null,
    stackVersion: context.stack?.version ?? null,
    inputTokens: context.usage.inputTokens,
    outputTokens: context.usage.outputTokens,
    cost: context.cost,
    latencyMs,
    ttftMs: context.ttftMs,
    apiKeyId: context.auth.keyId,
    attributes,
  };
  const contentLength = captureContent ? Number(context.headers['content-length']) : 0;
  writer.enqueue(trace, spans, Number.isFinite(contentLength) ? contentLength : 0);
}
