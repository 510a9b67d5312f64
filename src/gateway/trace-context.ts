/**
 * Every answer carries `x-stackops-trace-id`, even one rejected before a handler runs (bad
 * JSON, unknown route). An `onRequest` hook assigns the trace context from an incoming W3C
 * `traceparent` (joining the caller's trace) or a new id; handlers read it back.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { newTraceId, parseTraceParent } from '../core/index.js';

export const TRACE_HEADER = 'x-stackops-trace-id';

interface TraceContext {
  traceId: string;
  parentSpanId: string | null;
}

const contexts = new WeakMap<FastifyRequest, TraceContext>();

export function installTraceContext(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    const parent = parseTraceParent(request.headers.traceparent as string | undefined);
    const context = { traceId: parent?.traceId ?? newTraceId(), parentSpanId: parent?.parentSpanId ?? null };
    contexts.set(request, context);
    reply.header(TRACE_HEADER, context.traceId);
    done();
  });
}

export function traceContextOf(request: FastifyRequest): TraceContext {
  return contexts.get(request) ?? { traceId: newTraceId(), parentSpanId: null };
}
