/**
 * The SQLite schema as numbered migrations. A migration is never edited once released; a
 * change is a new entry. Applied versions are recorded in the `migrations` table. Tables are
 * STRICT so a wrong type fails loudly instead of being stored as-is.
 */
import type { Migration } from '../migration.js';

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'projects, api keys, audit, traces, spans',
    sql: `
CREATE TABLE projects (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  is_demo INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'developer', 'viewer', 'client')),
  prefix TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  instance_admin INTEGER NOT NULL DEFAULT 0 CHECK (instance_admin IN (0, 1)),
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
) STRICT;
CREATE INDEX api_keys_project ON api_keys (project_id, created_at, id);
CREATE INDEX api_keys_active_instance_admins ON api_keys (instance_admin)
  WHERE instance_admin = 1 AND revoked_at IS NULL;

CREATE TABLE audit_log (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  actor_key_id TEXT,
  action TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  details TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX audit_log_project_newest ON audit_log (project_id, created_at DESC, id DESC);

CREATE TABLE traces (
  project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'error', 'interrupted')),
  model TEXT,
  stack TEXT,
  stack_version INTEGER,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cost REAL NOT NULL DEFAULT 0,
  latency_ms REAL NOT NULL DEFAULT 0,
  ttft_ms REAL,
  api_key_id TEXT,
  attributes TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (project_id, id)
) STRICT;
CREATE INDEX traces_project_newest ON traces (project_id, start_time DESC, id DESC);
CREATE INDEX traces_project_model ON traces (project_id, model, start_time DESC, id DESC);
CREATE INDEX traces_project_status ON traces (project_id, status, start_time DESC, id DESC);
CREATE INDEX traces_project_stack ON traces (project_id, stack, stack_version, start_time DESC, id DESC);

CREATE TABLE trace_parts (
  project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  trace_id TEXT NOT NULL,
  part_key TEXT NOT NULL,
  PRIMARY KEY (project_id, trace_id, part_key)
) STRICT, WITHOUT ROWID;

CREATE TABLE spans (
  project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  trace_id TEXT NOT NULL,
  span_id TEXT NOT NULL,
  parent_span_id TEXT,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('generation', 'retrieval', 'guard', 'cache', 'tool', 'span')),
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'error', 'interrupted')),
  status_message TEXT,
  attributes TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (project_id, trace_id, span_id)
) STRICT;
`,
  },
  {
    version: 2,
    name: 'registry: prompts, adapters, stacks, deployments',
    sql: `
CREATE TABLE prompts (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  latest_version INTEGER NOT NULL CHECK (latest_version > 0),
  created_at INTEGER NOT NULL,
  UNIQUE (project_id, name)
) STRICT;

CREATE TABLE prompt_versions (
  project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  prompt_name TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version > 0),
  messages TEXT NOT NULL,
  variables TEXT NOT NULL,
  params TEXT NOT NULL,
  commit_message TEXT,
  author TEXT,
  content_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (project_id, prompt_name, version),
  FOREIGN KEY (project_id, prompt_name) REFERENCES prompts (project_id, name) ON DELETE CASCADE
) STRICT;

CREATE TABLE prompt_labels (
  project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  prompt_name TEXT NOT NULL,
  label TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (project_id, prompt_name, label),
  FOREIGN KEY (project_id, prompt_name, version)
    REFERENCES prompt_versions (project_id, prompt_name, version) ON DELETE CASCADE
) STRICT;
CREATE INDEX prompt_labels_version ON prompt_labels (project_id, prompt_name, version);

CREATE TABLE adapters (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version > 0),
  base_model TEXT NOT NULL,
  upstream_adapter TEXT NOT NULL,
  metadata TEXT NOT NULL DEFAULT '{}',
  content_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (project_id, name, version)
) STRICT;

CREATE TABLE stacks (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  latest_version INTEGER NOT NULL CHECK (latest_version > 0),
  created_at INTEGER NOT NULL,
  UNIQUE (project_id, name)
) STRICT;

CREATE TABLE stack_versions (
  project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  stack_name TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version > 0),
  spec TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  message TEXT,
  author TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (project_id, stack_name, version),
  FOREIGN KEY (project_id, stack_name) REFERENCES stacks (project_id, name) ON DELETE CASCADE
) STRICT;

CREATE TABLE deployments (
  project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  stack_name TEXT NOT NULL,
  environment TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  updated_by TEXT,
  PRIMARY KEY (project_id, stack_name, environment),
  FOREIGN KEY (project_id, stack_name, version)
    REFERENCES stack_versions (project_id, stack_name, version) ON DELETE CASCADE
) STRICT;
CREATE INDEX deployments_version ON deployments (project_id, stack_name, version);

-- seq (the rowid) orders events written in the same millisecond: a new rowid is always
-- larger than every existing one, so it follows insertion order.
CREATE TABLE deployment_events (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  stack_name TEXT NOT NULL,
  environment TEXT NOT NULL,
  from_version INTEGER,
  to_version INTEGER NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('deploy', 'rollback')),
  actor TEXT,
  created_at INTEGER NOT NULL,
  FOREIGN KEY (project_id, stack_name) REFERENCES stacks (project_id, name) ON DELETE CASCADE
) STRICT;
CREATE INDEX deployment_events_newest ON deployment_events (project_id, stack_name, created_at DESC, seq DESC);
`,
  },
  {
    version: 3,
    name: 'knowledge: bases, documents, snapshots, snapshot documents, chunks',
    sql: `
-- latest_snapshot: the newest READY version (0: none yet). reserved_snapshot: the highest
-- version ever handed out by beginSnapshot; numbers of abandoned snapshots are not reused.
CREATE TABLE knowledge_bases (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  settings TEXT NOT NULL,
  latest_snapshot INTEGER NOT NULL DEFAULT 0 CHECK (latest_snapshot >= 0),
  reserved_snapshot INTEGER NOT NULL DEFAULT 0 CHECK (reserved_snapshot >= latest_snapshot),
  created_at INTEGER NOT NULL,
  UNIQUE (project_id, name)
) STRICT;

-- text is the last column: a listing without text never reads its overflow pages.
CREATE TABLE knowledge_documents (
  project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  base TEXT NOT NULL,
  id TEXT NOT NULL,
  source TEXT NOT NULL,
  title TEXT,
  content_hash TEXT NOT NULL,
  source_updated_at INTEGER,
  updated_at INTEGER NOT NULL,
  metadata TEXT NOT NULL DEFAULT '{}',
  text TEXT NOT NULL,
  PRIMARY KEY (project_id, base, id),
  FOREIGN KEY (project_id, base) REFERENCES knowledge_bases (project_id, name) ON DELETE CASCADE
) STRICT;

CREATE TABLE knowledge_snapshots (
  project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  base TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version > 0),
  status TEXT NOT NULL CHECK (status IN ('building', 'ready')),
  settings TEXT NOT NULL,
  document_count INTEGER NOT NULL DEFAULT 0,
  chunk_count INTEGER NOT NULL DEFAULT 0,
  embedding_dimensions INTEGER,
  created_at INTEGER NOT NULL,
  created_by TEXT,
  PRIMARY KEY (project_id, base, version),
  FOREIGN KEY (project_id, base) REFERENCES knowledge_bases (project_id, name) ON DELETE CASCADE
) STRICT;

CREATE TABLE knowledge_snapshot_documents (
  project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  base TEXT NOT NULL,
  version INTEGER NOT NULL,
  document_id TEXT NOT NULL,
  source TEXT NOT NULL,
  title TEXT,
  content_hash TEXT NOT NULL,
  source_updated_at INTEGER,
  chunk_count INTEGER NOT NULL CHECK (chunk_count >= 0),
  PRIMARY KEY (project_id, base, version, document_id),
  FOREIGN KEY (project_id, base, version)
    REFERENCES knowledge_snapshots (project_id, base, version) ON DELETE CASCADE
) STRICT;

-- A chunk belongs to a document of its snapshot's manifest. embedding: float32 values as
-- little-endian bytes, NULL without embeddings.
CREATE TABLE knowledge_chunks (
  project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  base TEXT NOT NULL,
  version INTEGER NOT NULL,
  document_id TEXT NOT NULL,
  ordinal INTEGER NOT NULL CHECK (ordinal >= 0),
  chunk_id TEXT NOT NULL,
  token_count INTEGER NOT NULL,
  metadata TEXT NOT NULL DEFAULT '{}',
  embedding BLOB,
  text TEXT NOT NULL,
  PRIMARY KEY (project_id, base, version, document_id, ordinal),
  FOREIGN KEY (project_id, base, version, document_id)
    REFERENCES knowledge_snapshot_documents (project_id, base, version, document_id) ON DELETE CASCADE
) STRICT;
`,
  },
  {
    version: 4,
    name: 'guard policies: policies, versions',
    sql: `
CREATE TABLE guard_policies (
  id TEXT PRIMARY KEY,
  project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  latest_version INTEGER NOT NULL CHECK (latest_version > 0),
  created_at INTEGER NOT NULL,
  UNIQUE (project_id, name)
) STRICT;

CREATE TABLE guard_policy_versions (
  project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  policy_name TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version > 0),
  rules TEXT NOT NULL,
  settings TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  message TEXT,
  author TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (project_id, policy_name, version),
  FOREIGN KEY (project_id, policy_name) REFERENCES guard_policies (project_id, name) ON DELETE CASCADE
) STRICT;
`,
  },
  {
    version: 5,
    name: 'traces: index for listing one stack newest first',
    // A stack filter without a version could only walk the project's whole history newest
    // first, filtering row by row (traces_project_stack orders by version before time): a
    // quiet stack's page read every trace of the project. IF NOT EXISTS: safe to re-run.
    sql: `
CREATE INDEX IF NOT EXISTS traces_project_stack_newest ON traces (project_id, stack, start_time DESC, id DESC);
`,
  },
  {
    version: 6,
    name: 'knowledge: snapshot heartbeats and deletion marks',
    // heartbeat_at: the last write of a building snapshot (NULL: created_at), so a crashed
    // build can be told from a slow one. deleted_at: a snapshot (or base) marked deleted is
    // invisible at once; its rows are purged later in bounded batches. purged_at: a purged
    // base's row stays as a tombstone keeping reserved_snapshot, so a base created again under
    // the name never reuses a snapshot number (replicas cache snapshots by name and number).
    sql: `
ALTER TABLE knowledge_snapshots ADD COLUMN heartbeat_at INTEGER;
ALTER TABLE knowledge_snapshots ADD COLUMN deleted_at INTEGER;
ALTER TABLE knowledge_bases ADD COLUMN deleted_at INTEGER;
ALTER TABLE knowledge_bases ADD COLUMN purged_at INTEGER;
CREATE INDEX knowledge_snapshots_deleted ON knowledge_snapshots (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX knowledge_snapshots_building ON knowledge_snapshots (status) WHERE status = 'building';
CREATE INDEX knowledge_bases_deleted ON knowledge_bases (deleted_at) WHERE deleted_at IS NOT NULL AND purged_at IS NULL;
`,
  },
];
