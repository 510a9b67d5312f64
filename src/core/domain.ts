/**
 * Domain records shared by the store, the control plane and the gateway: tenants, keys,
 * audit entries, traces and spans. Plain data, no behaviour.
 */

export type Role = 'admin' | 'developer' | 'viewer' | 'client';
export const ROLES: readonly Role[] = ['admin', 'developer', 'viewer', 'client'];

export interface Project {
  id: string;
  name: string;
  /** Seeded demo data, removable with `stackops demo remove`. */
  isDemo: boolean;
  createdAt: number;
}

export interface ApiKey {
  id: string;
  projectId: string;
  name: string;
  role: Role;
  /** First characters of the secret, safe to show ("sk-so-AbC1…"). */
  prefix: string;
  /** SHA-256 of the secret (hex). The secret itself is never stored. */
  hash: string;
  /** May manage every project (the bootstrap key). */
  instanceAdmin: boolean;
  createdAt: number;
  revokedAt: number | null;
}

export interface AuditEntry {
  id: string;
  projectId: string;
  actorKeyId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
  createdAt: number;
}

export type TraceStatus = 'ok' | 'error' | 'interrupted';
export type SpanKind = 'generation' | 'retrieval' | 'guard' | 'cache' | 'tool' | 'span';

/** One request through the gateway (or one OTLP trace), with hot columns for filtering. */
export interface TraceRecord {
  id: string; // 32 lowercase hex (W3C trace-id)
  projectId: string;
  name: string;
  startTime: number; // epoch ms
  endTime: number;
  status: TraceStatus;
  model: string | null;
  stack: string | null;
  stackVersion: number | null;
  inputTokens: number;
  outputTokens: number;
  cost: number;
  latencyMs: number;
  ttftMs: number | null;
  apiKeyId: string | null;
  attributes: Record<string, unknown>;
}

export interface SpanRecord {
  traceId: string;
  spanId: string; // 16 lowercase hex
  parentSpanId: string | null;
  projectId: string;
  name: string;
  kind: SpanKind;
  startTime: number;
  endTime: number;
  status: TraceStatus;
  statusMessage: string | null;
  /** OpenTelemetry attributes: `gen_ai.*` semantic conventions plus `stackops.*`. */
  attributes: Record<string, unknown>;
}

export interface TraceBatch {
  traces: TraceRecord[];
  spans: SpanRecord[];
}

export interface TraceFilter {
  from?: number;
  to?: number;
  model?: string;
  status?: TraceStatus;
  stack?: string;
  stackVersion?: number;
  limit: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
