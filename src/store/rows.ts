/**
 * Row shapes and row → record mappers shared by both dialects. The columns are the same; only
 * the driver's value types differ (SQLite: JSON as text, booleans as 0/1; pg: jsonb parsed,
 * bigint as string), so every mapper normalises through the small readers below.
 */
import type {
  ApiKey,
  AuditEntry,
  Project,
  Role,
  SpanKind,
  SpanRecord,
  TraceRecord,
  TraceStatus,
} from '../core/index.js';

type DbNumber = number | string | bigint;
type DbBoolean = number | boolean;
type DbJson = string | Record<string, unknown>;

export interface ProjectRow {
  id: string;
  name: string;
  is_demo: DbBoolean;
  created_at: DbNumber;
}

export interface ApiKeyRow {
  id: string;
  project_id: string;
  name: string;
  role: string;
  prefix: string;
  hash: string;
  instance_admin: DbBoolean;
  created_at: DbNumber;
  revoked_at: DbNumber | null;
}

export interface AuditRow {
  id: string;
  project_id: string;
  actor_key_id: string | null;
  action: string;
  target_type: string;
  target_id: string;
  details: DbJson;
  created_at: DbNumber;
}

export interface TraceRow {
  id: string;
  project_id: string;
  name: string;
  start_time: DbNumber;
  end_time: DbNumber;
  status: string;
  model: string | null;
  stack: string | null;
  stack_version: DbNumber | null;
  input_tokens: DbNumber;
  output_tokens: DbNumber;
  cost: DbNumber;
  latency_ms: DbNumber;
  ttft_ms: DbNumber | null;
  api_key_id: string | null;
  attributes: DbJson;
}

export interface SpanRow {
  project_id: string;
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: string;
  start_time: DbNumber;
  end_time: DbNumber;
  status: string;
  status_message: string | null;
  attributes: DbJson;
}

export const PROJECT_COLUMNS = 'id, name, is_demo, created_at';
export const API_KEY_COLUMNS =
  'id, project_id, name, role, prefix, hash, instance_admin, created_at, revoked_at';
export const AUDIT_COLUMNS =
  'id, project_id, actor_key_id, action, target_type, target_id, details, created_at';
export const TRACE_COLUMNS =
  'id, project_id, name, start_time, end_time, status, model, stack, stack_version, input_tokens, ' +
  'output_tokens, cost, latency_ms, ttft_ms, api_key_id, attributes';
export const SPAN_COLUMNS =
  'project_id, trace_id, span_id, parent_span_id, name, kind, start_time, end_time, status, ' +
  'status_message, attributes';

const toNumber = (value: DbNumber): number => (typeof value === 'number' ? value : Number(value));
const toNullableNumber = (value: DbNumber | null): number | null => (value === null ? null : toNumber(value));
const toBoolean = (value: DbBoolean): boolean => value === true || value === 1;
const toObject = (value: DbJson): Record<string, unknown> =>
  typeof value === 'string' ? (JSON.parse(value) as Record<string, unknown>) : value;

export const toProject = (row: ProjectRow): Project => ({
  id: row.id,
  name: row.name,
  isDemo: toBoolean(row.is_demo),
  createdAt: toNumber(row.created_at),
});

export const toApiKey = (row: ApiKeyRow): ApiKey => ({
  id: row.id,
  projectId: row.project_id,
  name: row.name,
  role: row.role as Role,
  prefix: row.prefix,
  hash: row.hash,
  instanceAdmin: toBoolean(row.instance_admin),
  createdAt: toNumber(row.created_at),
  revokedAt: toNullableNumber(row.revoked_at),
});

export const toAuditEntry = (row: AuditRow): AuditEntry => ({
  id: row.id,
  projectId: row.project_id,
  actorKeyId: row.actor_key_id,
  action: row.action,
  targetType: row.target_type,
  targetId: row.target_id,
  details: toObject(row.details),
  createdAt: toNumber(row.created_at),
});

export const toTrace = (row: TraceRow): TraceRecord => ({
  id: row.id,
  projectId: row.project_id,
  name: row.name,
  startTime: toNumber(row.start_time),
  endTime: toNumber(row.end_time),
  status: row.status as TraceStatus,
  model: row.model,
  stack: row.stack,
  stackVersion: toNullableNumber(row.stack_version),
  inputTokens: toNumber(row.input_tokens),
  outputTokens: toNumber(row.output_tokens),
  cost: toNumber(row.cost),
  latencyMs: toNumber(row.latency_ms),
  ttftMs: toNullableNumber(row.ttft_ms),
  apiKeyId: row.api_key_id,
  attributes: toObject(row.attributes),
});

export const toSpan = (row: SpanRow): SpanRecord => ({
  traceId: row.trace_id,
  spanId: row.span_id,
  parentSpanId: row.parent_span_id,
  projectId: row.project_id,
  name: row.name,
  kind: row.kind as SpanKind,
  startTime: toNumber(row.start_time),
  endTime: toNumber(row.end_time),
  status: row.status as TraceStatus,
  statusMessage: row.status_message,
  attributes: toObject(row.attributes),
});
