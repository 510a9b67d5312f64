/**
 * The OpenAI-compatible endpoints. Each handler builds a RequestContext and runs the stages
 * in order: authenticate → validate → resolve → call provider → respond → record. Errors are
 * thrown to the server's one error handler (before a stream starts) or become an SSE error
 * event (after). Every answer carries `x-stackops-trace-id`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AppError,
  type ChatCompletionRequest,
  type EmbeddingRequest,
  newSpanId,
  parseInput,
  type StreamKeepAliveConfig,
  toAppError,
  tokenCount,
  usageCounts,
} from '../core/index.js';
import { PseudonymRestorer, StreamingOutputGuard } from '../guard/index.js';
import type { KnowledgeService } from '../knowledge/index.js';
import { ATTR, type TraceWriter } from '../observe/index.js';
import type { StackDirectory } from '../registry/index.js';
import type { RequestContext } from './context.js';
import { completionOutputWeight, estimatedUsage } from './estimated-usage.js';
import { finishGenerationSpan } from './generation-span.js';
import { guardHeader } from './guard-span.js';
import type { KeyAuthenticator } from './key-authenticator.js';
import type { RegistrySnapshot } from './registry.js';
import { chatCompletionRequestSchema, embeddingRequestSchema } from './request-schema.js';
import { SseKeepAlive, writeStreamHead } from './sse-keep-alive.js';
import { actingIn, authenticate } from './stages/authenticate.js';
import { callChat, callEmbeddings, openChatStream } from './stages/call-provider.js';
import { guardInput, plantLeakCanary } from './stages/guard-input.js';
import { guardOutput, limitToOutputGuard, restorePseudonyms } from './stages/guard-output.js';
import { guardToolResults } from './stages/guard-tool-results.js';
import { recordTrace } from './stages/record.js';
import { renderPrompt } from './stages/render-prompt.js';
import { ENVIRONMENT_HEADER, resolveTarget } from './stages/resolve.js';
import { relayStream } from './stages/respond-stream.js';
import { type Citation, type ContextScanner, retrieveContext } from './stages/retrieve.js';
import { traceContextOf } from './trace-context.js';

const STACK_HEADER = 'x-stackops-stack';
const GUARD_HEADER = 'x-stackops-guard';

export interface GatewayDependencies {
  authenticator: KeyAuthenticator;
  directory: StackDirectory;
  knowledge: KnowledgeService;
  /** Scans retrieved chunks before they enter the prompt (indirect injection). */
  contextScanner: ContextScanner;
  /** Returns the current registry snapshot (swapped atomically on change). */
  registry: () => RegistrySnapshot;
  writer: TraceWriter;
  captureContent: boolean;
  streamKeepAlive: StreamKeepAliveConfig;
}

function createContext(
  request: FastifyRequest,
  reply: FastifyReply,
  operation: 'chat' | 'embeddings',
): RequestContext {
  const { traceId, parentSpanId } = traceContextOf(request);
  const controller = new AbortController();
  // `close` on the response before it finished means the client went away.
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return {
    traceId,
    rootSpanId: newSpanId(),
    parentSpanId,
    startTime: Date.now(),
    startMark: performance.now(),
    operation,
    headers: request.headers,
    signal: controller.signal,
    auth: null,
    requestedModel: '',
    model: null,
    stack: null,
    environment: null,
    upstreamModelOverride: null,
    spans: [],
    attributes: {},
    status: 'ok',
    statusMessage: null,
    usage: {
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
      cacheWriteInputTokens: 0,
      reasoningTokens: 0,
    },
    cost: 0,
    ttftMs: null,
    servedBy: null,
  };
}

function validateBody<Schema extends Parameters<typeof parseInput>[0]>(schema: Schema, body: unknown) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('invalid_request', 'Request body must be a JSON object.');
  }
  return parseInput(schema, body);
}

function markFailed(context: RequestContext, error: unknown): void {
  const appError = toAppError(error);
  context.status = appError.code === 'client_closed' ? 'interrupted' : 'error';
  context.statusMessage = appError.message;
  context.attributes[ATTR.errorType] = appError.code;
}

export function createChatCompletionsHandler(dependencies: GatewayDependencies) {
  return async function chatCompletions(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const context = createContext(request, reply, 'chat');
    try {
      await authenticate(context, dependencies.authenticator);
      const body = validateBody(chatCompletionRequestSchema, request.body) as ChatCompletionRequest;
      context.requestedModel = body.model;
      await resolveTarget(context, dependencies.registry(), dependencies.directory, 'chat');
      if (context.stack) reply.header(STACK_HEADER, `${context.stack.stackName}@${context.stack.version}`);
      const guardedBody = await guardToolResults(context, await guardInput(context, body));
      let upstreamBody = renderPrompt(context, guardedBody);
      const instructions = upstreamBody;
      let citations: Citation[] | null = null;
      if (context.stack?.spec.knowledge) {
        const retrieved = await retrieveContext(
          context,
          guardedBody,
          dependencies.knowledge,
          dependencies.contextScanner,
          (text) => renderPrompt(context, guardedBody, text),
          dependencies.captureContent,
        );
        if (retrieved) {
          upstreamBody = retrieved.request;
          citations = retrieved.citations;
        }
      }
      upstreamBody = limitToOutputGuard(context, plantLeakCanary(context, upstreamBody, instructions));
      const beforeAnswer = guardHeader(context);
      if (beforeAnswer) reply.header(GUARD_HEADER, beforeAnswer);
      const spanOptions = { captureContent: dependencies.captureContent };
      if (body.stream) {
        const { interval_ms: intervalMs, before_first_token: beforeFirstToken } =
          dependencies.streamKeepAlive;
        const streamHeaders = () => reply.getHeaders() as Record<string, string>;
        // Committing the head at the first keep-alive: from then on fastify must not answer.
        const commitHead = () => {
          reply.hijack();
          writeStreamHead(reply.raw, streamHeaders());
        };
        let keepAlive =
          intervalMs > 0 && beforeFirstToken ? new SseKeepAlive(reply.raw, intervalMs, commitHead) : null;
        let opened: Awaited<ReturnType<typeof openChatStream>>;
        try {
          opened = await openChatStream(context, upstreamBody, spanOptions);
        } catch (error) {
          keepAlive?.stop();
          throw error;
        }
        reply.hijack();
        keepAlive ??= intervalMs > 0 ? new SseKeepAlive(reply.raw, intervalMs, commitHead) : null;
        await relayStream(context, reply.raw, opened, streamHeaders(), {
          keepAlive,
          includeUsage: body.stream_options?.include_usage === true,
          captureContent: dependencies.captureContent,
          citations,
          outputGuard:
            context.stack?.guard && context.stack.guard.stages.output.length > 0
              ? new StreamingOutputGuard(context.stack.guard, { ...context.guard, signal: context.signal })
              : null,
          restorer: context.pseudonyms ? new PseudonymRestorer(context.pseudonyms.mapping) : null,
          request: upstreamBody,
        });
        return reply;
      }
      const { value: completion, model, span, control } = await callChat(context, upstreamBody, spanOptions);
      control.dispose();
      context.servedBy = model;
      if (completion.usage == null) {
        // Some servers report no usage: estimated, as for a stream without its usage chunk.
        context.usage = estimatedUsage(upstreamBody, completionOutputWeight(completion));
        context.attributes[ATTR.usageEstimated] = true;
        span.attributes[ATTR.usageEstimated] = true;
      } else context.usage = usageCounts(completion.usage);
      const choice = completion.choices?.[0];
      context.cost = finishGenerationSpan(span, model, {
        responseModel: completion.model,
        responseId: completion.id,
        finishReason: choice?.finish_reason ?? null,
        usage: context.usage,
        ttftMs: null,
        output:
          dependencies.captureContent && choice
            ? [{ ...choice.message, finish_reason: choice.finish_reason }]
            : undefined,
      });
      const guarded = restorePseudonyms(context, await guardOutput(context, completion));
      const afterAnswer = guardHeader(context);
      if (afterAnswer) reply.header(GUARD_HEADER, afterAnswer);
      return citations ? { ...guarded, citations } : guarded;
    } catch (error) {
      markFailed(context, error);
      // A block is something the guard did too: the 400 says which stages acted (an input
      // redaction before an output block is otherwise invisible). A hijacked stream has sent
      // its headers already; its block is the error event.
      const guardActions = guardHeader(context);
      if (guardActions && !reply.raw.headersSent) reply.header(GUARD_HEADER, guardActions);
      // Keep-alive comments before the first token committed the 200: the failure can only be
      // the stream's error event now (the OpenAI SDK raises it as an APIError).
      if (reply.raw.headersSent) {
        if (!reply.raw.destroyed && !reply.raw.writableEnded)
          reply.raw.end(`data: ${JSON.stringify(toAppError(error).toBody())}\n\n`);
        return reply;
      }
      throw error;
    } finally {
      recordTrace(context, dependencies.writer, 'POST /v1/chat/completions', dependencies.captureContent);
    }
  };
}

export function createEmbeddingsHandler(dependencies: GatewayDependencies) {
  return async function embeddings(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const context = createContext(request, reply, 'embeddings');
    try {
      await authenticate(context, dependencies.authenticator);
      const body = validateBody(embeddingRequestSchema, request.body) as EmbeddingRequest;
      context.requestedModel = body.model;
      await resolveTarget(context, dependencies.registry(), dependencies.directory, 'embedding');
      const { value, model, span, control } = await callEmbeddings(context, body, {
        captureContent: dependencies.captureContent,
      });
      control.dispose();
      context.servedBy = model;
      context.usage = {
        inputTokens: tokenCount(value.usage?.prompt_tokens),
        outputTokens: 0,
        cachedInputTokens: 0,
        cacheWriteInputTokens: 0,
        reasoningTokens: 0,
      };
      context.cost = finishGenerationSpan(span, model, {
        responseModel: value.model,
        usage: context.usage,
        ttftMs: null,
      });
      return value;
    } catch (error) {
      markFailed(context, error);
      throw error;
    } finally {
      recordTrace(context, dependencies.writer, 'POST /v1/embeddings', dependencies.captureContent);
    }
  };
}

export function createModelsHandler(dependencies: GatewayDependencies) {
  return async function models(request: FastifyRequest): Promise<unknown> {
    // Viewers may list (it reads nothing of a project's traffic); the acting project and the
    // environment are read as a chat request reads them, so the list is what `model` may name.
    const auth = await actingIn(
      await dependencies.authenticator.authenticate(request.headers),
      request.headers,
      dependencies.authenticator,
    );
    const header = request.headers[ENVIRONMENT_HEADER];
    const environment = typeof header === 'string' && header !== '' ? header : 'production';
    const table = await dependencies.directory.ensure(auth.projectId);
    const created = 0;
    const stacks = [...table.environments.entries()]
      .filter(([, environments]) => environments.includes(environment))
      .map(([name]) => ({ id: name, object: 'model', created, owned_by: 'stackops' }));
    return {
      object: 'list',
      data: [
        ...stacks,
        ...[...dependencies.registry().models.values()].map((model) => ({
          id: model.name,
          object: 'model',
          created,
          owned_by: model.provider.name,
        })),
      ],
    };
  };
}
