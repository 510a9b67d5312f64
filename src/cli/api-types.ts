/**
 * The JSON the client commands read from the REST API, as the CLI expects it (snake_case,
 * like every control-plane answer). Fields the rendering can live without are optional, so a
 * server that omits one prints `-` instead of crashing; `--json` always shows the full answer.
 */

export interface ListResponse<T> {
  data: T[];
  next_cursor?: string | null;
}

export interface ProjectJson {
  id: string;
  name: string;
  is_demo?: boolean;
  created_at?: string | null;
}

export interface KeyJson {
  id: string;
  project_id?: string;
  name: string;
  role: string;
  prefix?: string;
  instance_admin?: boolean;
  created_at?: string | null;
  revoked_at?: string | null;
  /** Only in the creation answer. */
  secret?: string;
}

export interface CreatedProjectJson extends ProjectJson {
  admin_key?: KeyJson;
}

export interface PromptMessageJson {
  role: string;
  content: string;
}

export interface PromptVariableJson {
  required?: boolean;
  default?: string;
  description?: string;
}

export interface PromptSummaryJson {
  name: string;
  latest_version: number;
  labels?: Record<string, number>;
  created_at?: string | null;
}

export interface PromptPushJson {
  name: string;
  version: number;
  created: boolean;
  labels?: string[];
  content_hash?: string;
}

export interface PromptVersionJson {
  name: string;
  version: number;
  messages: PromptMessageJson[];
  variables?: Record<string, PromptVariableJson>;
  params?: Record<string, unknown>;
  commit_message?: string | null;
  author?: string | null;
  content_hash?: string;
  created_at?: string | null;
  labels?: string[];
}

export interface PromptDiffJson {
  from: string | number;
  to: string | number;
  diff: string;
}

export interface ComponentRefJson {
  name: string;
  version: number;
}

export interface StackSpecJson {
  model: string;
  adapter?: ComponentRefJson | null;
  prompt?: ComponentRefJson | null;
  knowledge?: { name: string; snapshot: number } | null;
  guard?: ComponentRefJson | null;
  params?: Record<string, unknown>;
  retrieval?: Record<string, unknown> | null;
}

export interface StackVersionJson {
  name?: string;
  version: number;
  fingerprint?: string;
  spec: StackSpecJson;
  lineage?: string;
  message?: string | null;
  author?: string | null;
  created_at?: string | null;
}

export interface StackCreateJson extends StackVersionJson {
  name: string;
  created: boolean;
}

export interface StackSummaryJson {
  name: string;
  latest_version: number;
  deployments?: Record<string, number>;
}

export interface StackDetailJson extends StackSummaryJson {
  versions?: StackVersionJson[];
}

export interface StackDiffJson {
  from: string | number;
  to: string | number;
  changes: { component: string; from: unknown; to: unknown }[];
  prompt_diff?: string;
}

export interface DeploymentJson {
  stack: string;
  environment: string;
  version: number;
  from_version: number | null;
  action: string;
}

export interface DeploymentEventJson {
  environment: string;
  from_version: number | null;
  to_version: number;
  action: string;
  actor?: string | null;
  created_at?: string | null;
}

export interface ApplyChangeJson {
  kind: string;
  name: string;
  action: string;
  version?: number | null;
  detail?: string | null;
}

export interface ApplyJson {
  dry_run?: boolean;
  changes: ApplyChangeJson[];
}

export interface DemoRemoveJson {
  removed: boolean;
  project_id?: string | null;
}

export interface TraceJson {
  id: string;
  name?: string;
  start_time?: string | null;
  end_time?: string | null;
  status: string;
  model?: string | null;
  stack?: string | null;
  stack_version?: number | null;
  input_tokens?: number | null;
  output_tokens?: number | null;
  cost?: number | null;
  latency_ms?: number | null;
  ttft_ms?: number | null;
  attributes?: Record<string, unknown>;
}

export interface SpanJson {
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind?: string;
  start_time?: string | null;
  end_time?: string | null;
  status?: string;
  status_message?: string | null;
  attributes?: Record<string, unknown>;
}

export interface TraceDetailJson extends TraceJson {
  spans: SpanJson[];
}

export interface KnowledgeSettingsJson {
  chunk_tokens: number;
  overlap_tokens: number;
  embedding_model?: string | null;
}

export interface KnowledgeBaseJson {
  name: string;
  settings?: KnowledgeSettingsJson;
  /** The newest snapshot version, null before the first snapshot. */
  latest_snapshot?: number | null;
  created_at?: string | null;
}

export interface KnowledgeSnapshotJson {
  version: number;
  documents: number;
  chunks: number;
  embedding_dimensions?: number | null;
  created_at?: string | null;
  created_by?: string | null;
}

export interface KnowledgeBaseDetailJson extends KnowledgeBaseJson {
  /** Documents currently in the base (not yet necessarily in a snapshot). */
  documents?: number;
  snapshots?: KnowledgeSnapshotJson[];
}

export interface KnowledgeSnapshotCreatedJson extends KnowledgeSnapshotJson {
  name: string;
}

/** One document as POST /api/knowledge/NAME/documents takes it. */
export interface KnowledgeDocumentJson {
  id: string;
  text: string;
  source: string;
  title: string | null;
  metadata: Record<string, unknown>;
  /** Milliseconds since the epoch (or null: unknown). */
  source_updated_at: number | null;
}

export interface KnowledgeIngestCountsJson {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface KnowledgeDiffJson {
  from: number;
  to: number;
  added: string[];
  removed: string[];
  changed: string[];
  unchanged?: number;
}

export interface KnowledgeStaleJson {
  snapshot: number;
  older_than_days: number;
  old: { id: string; source_updated_at: string }[];
  changed_since_snapshot: string[];
  deleted_since_snapshot: string[];
}

export interface KnowledgeSearchHitJson {
  document_id: string;
  chunk_id: string;
  score: number;
  text: string;
  metadata?: Record<string, unknown>;
}

export interface KnowledgeSearchJson {
  snapshot: number;
  results: KnowledgeSearchHitJson[];
}

export interface KnowledgeDocumentDeletedJson {
  id: string;
  deleted: boolean;
}

export interface KnowledgeSnapshotDeletedJson {
  name: string;
  version: number;
  deleted: boolean;
}

export interface KnowledgeBaseDeletedJson {
  name: string;
  deleted: boolean;
}
