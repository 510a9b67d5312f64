/** Records → the control plane's snake_case JSON. Secrets and hashes never leave here. */
import type { ApiKey, AuditEntry, Project, SpanRecord, TraceRecord } from '../core/index.js';

const iso = (milliseconds: number | null): string | null =>
  milliseconds === null ? null : new Date(milliseconds).toISOString();

export const serializeProject = (project: Project) => ({
  id: project.id,
  name: project.name,
  is_demo: project.isDemo,
  created_at: iso(project.createdAt),
});

export const serializeKey = (key: ApiKey) => ({
  id: key.id,
  project_id: key.projectId,
  name: key.name,
  role: key.role,
  prefix: key.prefix,
  instance_admin: key.instanceAdmin,
  created_at: iso(key.createdAt),
  revoked_at: iso(key.revokedAt),
});

export const serializeAudit = (entry: AuditEntry) => ({
  id: entry.id,
  project_id: entry.projectId,
  actor_key_id: entry.actorKeyId,
  action: entry.action,
  target_type: entry.targetType,
  target_id: entry.targetId,
  details: entry.details,
  created_at: iso(entry.createdAt),
});

export const serializeTrace = (trace: TraceRecord) => ({
  id: trace.id,
  project_id: trace.projectId,
  name: trace.name,
  start_time: iso(trace.startTime),
  end_time: iso(trace.endTime),
  status: trace.status,
  model: trace.model,
  stack: trace.stack,
  stack_version: trace.stackVersion,
  input_tokens: trace.inputTokens,
  output_tokens: trace.outputTokens,
  cost: trace.cost,
  latency_ms: trace.latencyMs,
  ttft_ms: trace.ttftMs,
  api_key_id: trace.apiKeyId,
  attributes: trace.attributes,
});

export const serializeSpan = (span: SpanRecord) => ({
  trace_id: span.traceId,
  span_id: span.spanId,
  parent_span_id: span.parentSpanId,
  name: span.name,
  kind: span.kind,
  start_time: iso(span.startTime),
  end_time: iso(span.endTime),
  status: span.status,
  status_message: span.statusMessage,
  attributes: span.attributes,
});
