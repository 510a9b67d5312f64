/**
 * The Postgres schema as numbered migrations, the same tables as SQLite in Postgres dialect:
 * jsonb for JSON, bigint epoch-ms times and token counts, double precision for cost and
 * latencies. Ids use the "C" collation so keyset order (and the cursor) is byte order, as in
 * SQLite, whatever the database locale. A migration is never edited once released.
 */
import type { Migration } from '../migration.js';

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'projects, api keys, audit, traces, spans',
    sql: `
CREATE TABLE projects (
  id text COLLATE "C" PRIMARY KEY,
  name text COLLATE "C" NOT NULL UNIQUE,
  is_demo boolean NOT NULL DEFAULT false,
  created_at bigint NOT NULL
);

CREATE TABLE api_keys (
  id text COLLATE "C" PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'developer', 'viewer', 'client')),
  prefix text NOT NULL,
  hash text NOT NULL UNIQUE,
  instance_admin boolean NOT NULL DEFAULT false,
  created_at bigint NOT NULL,
  revoked_at bigint
);
CREATE INDEX api_keys_project ON api_keys (project_id, created_at, id);
CREATE INDEX api_keys_active_instance_admins ON api_keys (instance_admin)
  WHERE instance_admin AND revoked_at IS NULL;

CREATE TABLE audit_log (
  id text COLLATE "C" PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  actor_key_id text,
  action text NOT NULL,
  target_type text NOT NULL,
  target_id text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}',
  created_at bigint NOT NULL
);
CREATE INDEX audit_log_project_newest ON audit_log (project_id, created_at DESC, id DESC);

CREATE TABLE traces (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  id text COLLATE "C" NOT NULL,
  name text NOT NULL,
  start_time bigint NOT NULL,
  end_time bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('ok', 'error', 'interrupted')),
  model text,
  stack text,
  stack_version integer,
  input_tokens bigint NOT NULL DEFAULT 0,
  output_tokens bigint NOT NULL DEFAULT 0,
  cost double precision NOT NULL DEFAULT 0,
  latency_ms double precision NOT NULL DEFAULT 0,
  ttft_ms double precision,
  api_key_id text,
  attributes jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (project_id, id)
);
CREATE INDEX traces_project_newest ON traces (project_id, start_time DESC, id DESC);
CREATE INDEX traces_project_model ON traces (project_id, model, start_time DESC, id DESC);
CREATE INDEX traces_project_status ON traces (project_id, status, start_time DESC, id DESC);
CREATE INDEX traces_project_stack ON traces (project_id, stack, stack_version, start_time DESC, id DESC);

CREATE TABLE trace_parts (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  trace_id text NOT NULL,
  part_key text NOT NULL,
  PRIMARY KEY (project_id, trace_id, part_key)
);

CREATE TABLE spans (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  trace_id text NOT NULL,
  span_id text COLLATE "C" NOT NULL,
  parent_span_id text,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('generation', 'retrieval', 'guard', 'cache', 'tool', 'span')),
  start_time bigint NOT NULL,
  end_time bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('ok', 'error', 'interrupted')),
  status_message text,
  attributes jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (project_id, trace_id, span_id)
);
`,
  },
  {
    version: 2,
    name: 'registry: prompts, adapters, stacks, deployments',
    sql: `
CREATE TABLE prompts (
  id text COLLATE "C" PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name text COLLATE "C" NOT NULL,
  latest_version integer NOT NULL CHECK (latest_version > 0),
  created_at bigint NOT NULL,
  UNIQUE (project_id, name)
);

CREATE TABLE prompt_versions (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  prompt_name text COLLATE "C" NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  messages jsonb NOT NULL,
  variables jsonb NOT NULL,
  params jsonb NOT NULL,
  commit_message text,
  author text,
  content_hash text NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (project_id, prompt_name, version),
  FOREIGN KEY (project_id, prompt_name) REFERENCES prompts (project_id, name) ON DELETE CASCADE
);

CREATE TABLE prompt_labels (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  prompt_name text COLLATE "C" NOT NULL,
  label text COLLATE "C" NOT NULL,
  version integer NOT NULL,
  updated_at bigint NOT NULL,
  PRIMARY KEY (project_id, prompt_name, label),
  FOREIGN KEY (project_id, prompt_name, version)
    REFERENCES prompt_versions (project_id, prompt_name, version) ON DELETE CASCADE
);
CREATE INDEX prompt_labels_version ON prompt_labels (project_id, prompt_name, version);

CREATE TABLE adapters (
  id text COLLATE "C" PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name text COLLATE "C" NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  base_model text NOT NULL,
  upstream_adapter text NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}',
  content_hash text NOT NULL,
  created_at bigint NOT NULL,
  UNIQUE (project_id, name, version)
);

CREATE TABLE stacks (
  id text COLLATE "C" PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name text COLLATE "C" NOT NULL,
  latest_version integer NOT NULL CHECK (latest_version > 0),
  created_at bigint NOT NULL,
  UNIQUE (project_id, name)
);

CREATE TABLE stack_versions (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  stack_name text COLLATE "C" NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  spec jsonb NOT NULL,
  fingerprint text NOT NULL,
  message text,
  author text,
  created_at bigint NOT NULL,
  PRIMARY KEY (project_id, stack_name, version),
  FOREIGN KEY (project_id, stack_name) REFERENCES stacks (project_id, name) ON DELETE CASCADE
);

CREATE TABLE deployments (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  stack_name text COLLATE "C" NOT NULL,
  environment text COLLATE "C" NOT NULL,
  version integer NOT NULL,
  updated_at bigint NOT NULL,
  updated_by text,
  PRIMARY KEY (project_id, stack_name, environment),
  FOREIGN KEY (project_id, stack_name, version)
    REFERENCES stack_versions (project_id, stack_name, version) ON DELETE CASCADE
);
CREATE INDEX deployments_version ON deployments (project_id, stack_name, version);

-- seq orders events written in the same millisecond (identity values follow insertion order
-- within the single-writer-per-stack transactions of setDeployment).
CREATE TABLE deployment_events (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id text COLLATE "C" NOT NULL UNIQUE,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  stack_name text COLLATE "C" NOT NULL,
  environment text COLLATE "C" NOT NULL,
  from_version integer,
  to_version integer NOT NULL,
  action text NOT NULL CHECK (action IN ('deploy', 'rollback')),
  actor text,
  created_at bigint NOT NULL,
  FOREIGN KEY (project_id, stack_name) REFERENCES stacks (project_id, name) ON DELETE CASCADE
);
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
  id text COLLATE "C" PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name text COLLATE "C" NOT NULL,
  settings jsonb NOT NULL,
  latest_snapshot integer NOT NULL DEFAULT 0 CHECK (latest_snapshot >= 0),
  reserved_snapshot integer NOT NULL DEFAULT 0 CHECK (reserved_snapshot >= latest_snapshot),
  created_at bigint NOT NULL,
  UNIQUE (project_id, name)
);

-- text is the last column, as in SQLite (large values live out of line in TOAST anyway).
CREATE TABLE knowledge_documents (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  base text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  source text NOT NULL,
  title text,
  content_hash text NOT NULL,
  source_updated_at bigint,
  updated_at bigint NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}',
  text text NOT NULL,
  PRIMARY KEY (project_id, base, id),
  FOREIGN KEY (project_id, base) REFERENCES knowledge_bases (project_id, name) ON DELETE CASCADE
);

CREATE TABLE knowledge_snapshots (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  base text COLLATE "C" NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  status text NOT NULL CHECK (status IN ('building', 'ready')),
  settings jsonb NOT NULL,
  document_count integer NOT NULL DEFAULT 0,
  chunk_count integer NOT NULL DEFAULT 0,
  embedding_dimensions integer,
  created_at bigint NOT NULL,
  created_by text,
  PRIMARY KEY (project_id, base, version),
  FOREIGN KEY (project_id, base) REFERENCES knowledge_bases (project_id, name) ON DELETE CASCADE
);

CREATE TABLE knowledge_snapshot_documents (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  base text COLLATE "C" NOT NULL,
  version integer NOT NULL,
  document_id text COLLATE "C" NOT NULL,
  source text NOT NULL,
  title text,
  content_hash text NOT NULL,
  source_updated_at bigint,
  chunk_count integer NOT NULL CHECK (chunk_count >= 0),
  PRIMARY KEY (project_id, base, version, document_id),
  FOREIGN KEY (project_id, base, version)
    REFERENCES knowledge_snapshots (project_id, base, version) ON DELETE CASCADE
);

-- A chunk belongs to a document of its snapshot's manifest. embedding: float32 values as
-- little-endian bytes, NULL without embeddings.
CREATE TABLE knowledge_chunks (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  base text COLLATE "C" NOT NULL,
  version integer NOT NULL,
  document_id text COLLATE "C" NOT NULL,
  ordinal integer NOT NULL CHECK (ordinal >= 0),
  chunk_id text NOT NULL,
  token_count integer NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}',
  embedding bytea,
  text text NOT NULL,
  PRIMARY KEY (project_id, base, version, document_id, ordinal),
  FOREIGN KEY (project_id, base, version, document_id)
    REFERENCES knowledge_snapshot_documents (project_id, base, version, document_id) ON DELETE CASCADE
);
`,
  },
  {
    version: 4,
    name: 'guard policies: policies, versions',
    sql: `
CREATE TABLE guard_policies (
  id text COLLATE "C" PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name text COLLATE "C" NOT NULL,
  latest_version integer NOT NULL CHECK (latest_version > 0),
  created_at bigint NOT NULL,
  UNIQUE (project_id, name)
);

CREATE TABLE guard_policy_versions (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  policy_name text COLLATE "C" NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  rules jsonb NOT NULL,
  settings jsonb NOT NULL,
  content_hash text NOT NULL,
  message text,
  author text,
  created_at bigint NOT NULL,
  PRIMARY KEY (project_id, policy_name, version),
  FOREIGN KEY (project_id, policy_name) REFERENCES guard_policies (project_id, name) ON DELETE CASCADE
);
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
ALTER TABLE knowledge_snapshots ADD COLUMN heartbeat_at bigint;
ALTER TABLE knowledge_snapshots ADD COLUMN deleted_at bigint;
ALTER TABLE knowledge_bases ADD COLUMN deleted_at bigint;
ALTER TABLE knowledge_bases ADD COLUMN purged_at bigint;
CREATE INDEX knowledge_snapshots_deleted ON knowledge_snapshots (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX knowledge_snapshots_building ON knowledge_snapshots (status) WHERE status = 'building';
CREATE INDEX knowledge_bases_deleted ON knowledge_bases (deleted_at) WHERE deleted_at IS NOT NULL AND purged_at IS NULL;
`,
  },
];
