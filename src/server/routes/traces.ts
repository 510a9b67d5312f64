/** Trace browsing: list with filters and cursor pagination; one trace with its spans. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { NotFoundError, parseInput } from '../../core/index.js';
import { authorize } from '../access.js';
import { serializeSpan, serializeTrace } from '../serializers.js';
import type { ControlPlane } from './control-plane-context.js';

const time = z.union(
  [
    z.coerce.number().int().nonnegative(),
    z.iso.datetime({ offset: true }).transform((value) => Date.parse(value)),
  ],
  // zod's union message is "Invalid input"; say what would have been taken.
  { error: 'expected epoch milliseconds or an ISO-8601 date-time with its offset (2026-01-31T00:00:00Z)' },
);

const listTracesQuery = z.strictObject({
  from: time.optional(),
  to: time.optional(),
  model: z.string().min(1).optional(),
  status: z.enum(['ok', 'error', 'interrupted']).optional(),
  stack: z.string().min(1).optional(),
  // Stack versions are 32-bit integer columns: Postgres refused a larger one with a 500.
  stack_version: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).optional(),
});

export function registerTraceRoutes(app: FastifyInstance, controlPlane: ControlPlane): void {
  app.get('/api/traces', async (request) => {
    const caller = await authorize(request, controlPlane.authenticator, 'viewer');
    const query = parseInput(listTracesQuery, request.query, 'query');
    const page = await controlPlane.store.traces.list(caller.actingProjectId, {
      from: query.from,
      to: query.to,
      model: query.model,
      status: query.status,
      stack: query.stack,
      stackVersion: query.stack_version,
      limit: query.limit,
      cursor: query.cursor,
    });
    return { data: page.data.map(serializeTrace), next_cursor: page.nextCursor };
  });

  app.get('/api/traces/:traceId', async (request) => {
    const caller = await authorize(request, controlPlane.authenticator, 'viewer');
    const { traceId } = request.params as { traceId: string };
    if (!/^[0-9a-f]{32}$/.test(traceId)) throw new NotFoundError(`Trace ${traceId}`);
    const found = await controlPlane.store.traces.get(caller.actingProjectId, traceId);
    if (!found) throw new NotFoundError(`Trace ${traceId}`);
    return { ...serializeTrace(found.trace), spans: found.spans.map(serializeSpan) };
  });
}
