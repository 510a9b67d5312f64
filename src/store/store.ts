/**
 * The storage contract. One interface per aggregate; every method that touches tenant data
 * takes the project id and scopes its query by it — tenancy is enforced here, not only in
 * routes. Implementations: `sqlite/` (embedded default) and `postgres/`. Both must pass the
 * one contract suite in `test/contract/`.
 */
import type {
  ApiKey,
  AuditEntry,
  Page,
  Project,
  Role,
  SpanRecord,
  TraceBatch,
  TraceFilter,
  TraceRecord,
} from '../core/index.js';

export interface CreateProjectInput {
  name: string;
  isDemo?: boolean;
  /** Optional fixed id (used for the `default` project). */
  id?: string;
}

export interface ProjectStore {
  /** Throws ConflictError when the name is taken. */
  create(input: CreateProjectInput): Promise<Project>;
  get(projectId: string): Promise<Project | null>;
  getByName(name: string): Promise<Project | null>;
  /** Ordered by name. */
  list(): Promise<Project[]>;
  /** Deletes the project and every row scoped to it. Returns false if it did not exist. */
  delete(projectId: string): Promise<boolean>;
}

export interface CreateApiKeyInput {
  projectId: string;
  name: string;
  role: Role;
  prefix: string;
  hash: string;
  instanceAdmin?: boolean;
}

export interface ApiKeyStore {
  create(input: CreateApiKeyInput): Promise<ApiKey>;
  /** Authentication lookup: the only unscoped read (the key tells us the project). */
  findByHash(hash: string): Promise<ApiKey | null>;
  /** Oldest first (creation time, then id). */
  list(projectId: string): Promise<ApiKey[]>;
  get(projectId: string, keyId: string): Promise<ApiKey | null>;
  /** Marks the key revoked. Returns null when no such key in this project. */
  revoke(projectId: string, keyId: string): Promise<ApiKey | null>;
  countActiveInstanceAdmins(): Promise<number>;
}

export interface AppendAuditInput {
  projectId: string;
  actorKeyId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  details?: Record<string, unknown>;
}

export interface AuditStore {
  append(entry: AppendAuditInput): Promise<AuditEntry>;
  /** Newest first. */
  list(projectId: string, options: { limit: number; cursor?: string }): Promise<Page<AuditEntry>>;
}

export interface TraceStore {
  /**
   * Writes a batch in one transaction. A trace id seen before in the same project (an
   * incoming `traceparent` joining several gateway calls) is merged: times widen, tokens,
   * cost and latency add up, status keeps the worst.
   * Idempotent: retrying a batch adds no record or span twice. Rows of a project that does
   * not exist (deleted meanwhile) are dropped; the rest of the batch is written.
   */
  writeBatch(batch: TraceBatch): Promise<void>;
  /** Newest first; cursor pagination. */
  list(projectId: string, filter: TraceFilter): Promise<Page<TraceRecord>>;
  /** The trace with its spans ordered by start time. */
  get(projectId: string, traceId: string): Promise<{ trace: TraceRecord; spans: SpanRecord[] } | null>;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly projects: ProjectStore;
  readonly apiKeys: ApiKeyStore;
  readonly audit: AuditStore;
  readonly traces: TraceStore;
  /** Applies pending migrations; idempotent and safe to run from several replicas. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}
