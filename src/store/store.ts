/**
 * The storage contract. One interface per aggregate; every method that touches tenant data
 * takes the project id and scopes its query by it — tenancy is enforced here, not only in
 * routes. Implementations: `sqlite/` (embedded default) and `postgres/`. Both must pass the
 * one contract suite in `test/contract/`.
 */
import type {
  Adapter,
  ApiKey,
  AuditEntry,
  Deployment,
  DeploymentAction,
  DeploymentEvent,
  GuardPolicy,
  GuardPolicySettings,
  GuardPolicyVersion,
  GuardRule,
  KnowledgeBase,
  KnowledgeBaseSettings,
  KnowledgeChunk,
  KnowledgeDocument,
  KnowledgeSnapshot,
  Page,
  Project,
  Prompt,
  PromptMessageTemplate,
  PromptVariableSpec,
  PromptVersion,
  Role,
  SnapshotDocumentEntry,
  SpanRecord,
  Stack,
  StackSpec,
  StackVersion,
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
  /**
   * Retention: deletes up to `limit` (at most 10,000) of the project's traces that started
   * before `before` (epoch ms), oldest first, with their spans and recorded parts, in one
   * transaction; returns how many traces went. Call again until it returns less than `limit`.
   * Safe to run from several replicas at once (Postgres skips rows another one is deleting).
   * ValidationError for a limit out of range.
   */
  deleteOlderThan(projectId: string, before: number, limit: number): Promise<number>;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly projects: ProjectStore;
  readonly apiKeys: ApiKeyStore;
  readonly audit: AuditStore;
  readonly traces: TraceStore;
  readonly prompts: PromptStore;
  readonly adapters: AdapterStore;
  readonly stacks: StackStore;
  readonly knowledge: KnowledgeStore;
  readonly guardPolicies: GuardPolicyStore;
  /** Applies pending migrations; idempotent and safe to run from several replicas. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export interface CreatePromptVersionInput {
  name: string;
  messages: PromptMessageTemplate[];
  variables: Record<string, PromptVariableSpec>;
  params: Record<string, unknown>;
  commitMessage: string | null;
  author: string | null;
  contentHash: string;
}

export interface PromptStore {
  /**
   * Creates the prompt if it does not exist and appends version latest+1, atomically (two
   * concurrent pushes get distinct versions; never a gap, never a duplicate).
   */
  createVersion(projectId: string, input: CreatePromptVersionInput): Promise<PromptVersion>;
  /**
   * createVersion, unless the newest version has the same content hash: then that version,
   * `created: false`, and nothing is written. Checked under the lock that hands out the number,
   * so concurrent pushes of one content (two pipelines applying one file) create one version.
   */
  createVersionIfChanged(
    projectId: string,
    input: CreatePromptVersionInput,
  ): Promise<{ version: PromptVersion; created: boolean }>;
  get(projectId: string, name: string): Promise<Prompt | null>;
  /** By name. */
  list(projectId: string): Promise<Prompt[]>;
  getVersion(projectId: string, name: string, version: number): Promise<PromptVersion | null>;
  /** Oldest first. */
  listVersions(projectId: string, name: string): Promise<PromptVersion[]>;
  /** Points `label` at `version` (creating or moving it). NotFoundError if prompt/version missing. */
  setLabel(projectId: string, name: string, label: string, version: number): Promise<Prompt>;
  /** Returns false when the label did not exist. */
  deleteLabel(projectId: string, name: string, label: string): Promise<boolean>;
}

export interface CreateAdapterInput {
  name: string;
  baseModel: string;
  upstreamAdapter: string;
  metadata: Record<string, unknown>;
  contentHash: string;
}

export interface AdapterStore {
  /** Appends version latest+1 of the named adapter, atomically. */
  create(projectId: string, input: CreateAdapterInput): Promise<Adapter>;
  /** `version` omitted: the newest. */
  get(projectId: string, name: string, version?: number): Promise<Adapter | null>;
  /** Every version of every adapter, by name then version. */
  list(projectId: string): Promise<Adapter[]>;
}

export interface CreateStackVersionInput {
  name: string;
  spec: StackSpec;
  fingerprint: string;
  message: string | null;
  author: string | null;
}

export interface SetDeploymentInput {
  stackName: string;
  environment: string;
  version: number;
  action: DeploymentAction;
  actor: string | null;
  /**
   * Optimistic concurrency: when given, the write succeeds only if the environment currently
   * points at this version (null = not deployed yet); otherwise ConflictError.
   */
  expectedFromVersion?: number | null;
}

export interface StackStore {
  /** Creates the stack if it does not exist and appends version latest+1, atomically. */
  createVersion(projectId: string, input: CreateStackVersionInput): Promise<StackVersion>;
  /** createVersion, unless the newest version has the same fingerprint (as for prompts). */
  createVersionIfChanged(
    projectId: string,
    input: CreateStackVersionInput,
  ): Promise<{ version: StackVersion; created: boolean }>;
  get(projectId: string, name: string): Promise<Stack | null>;
  /** By name. */
  list(projectId: string): Promise<Stack[]>;
  getVersion(projectId: string, name: string, version: number): Promise<StackVersion | null>;
  /** Oldest first. */
  listVersions(projectId: string, name: string): Promise<StackVersion[]>;
  /**
   * Points an environment at a version and appends the history event, in one transaction.
   * NotFoundError when the stack or version does not exist.
   */
  setDeployment(
    projectId: string,
    input: SetDeploymentInput,
  ): Promise<{ deployment: Deployment; event: DeploymentEvent }>;
  /** Deployments of one stack, or of every stack in the project when `stackName` is omitted. */
  listDeployments(projectId: string, stackName?: string): Promise<Deployment[]>;
  /** Newest first; optionally one environment. */
  history(projectId: string, stackName: string, environment?: string): Promise<DeploymentEvent[]>;
}

export interface UpsertDocumentInput {
  id: string;
  source: string;
  title: string | null;
  text: string;
  metadata: Record<string, unknown>;
  contentHash: string;
  sourceUpdatedAt: number | null;
}

export interface KnowledgeStore {
  /** ConflictError when the name is taken in the project. */
  createBase(
    projectId: string,
    input: { name: string; settings: KnowledgeBaseSettings },
  ): Promise<KnowledgeBase>;
  getBase(projectId: string, name: string): Promise<KnowledgeBase | null>;
  listBases(projectId: string): Promise<KnowledgeBase[]>;
  /**
   * Inserts or replaces documents by id, in one transaction. A document whose contentHash is
   * unchanged is left alone (counted as unchanged). NotFoundError when the base is missing.
   */
  upsertDocuments(
    projectId: string,
    base: string,
    documents: UpsertDocumentInput[],
  ): Promise<{ inserted: number; updated: number; unchanged: number }>;
  /** Returns how many existed. */
  deleteDocuments(projectId: string, base: string, ids: string[]): Promise<number>;
  getDocument(projectId: string, base: string, id: string): Promise<KnowledgeDocument | null>;
  /** Documents by id, paged (cursor = last id); bounded memory for large bases. */
  listDocuments(
    projectId: string,
    base: string,
    options: { limit: number; cursor?: string; withText?: boolean },
  ): Promise<Page<KnowledgeDocument>>;
  countDocuments(projectId: string, base: string): Promise<number>;

  /** Reserves version latest+1 in status `building`, atomically. */
  beginSnapshot(
    projectId: string,
    base: string,
    input: { settings: KnowledgeBaseSettings; createdBy: string | null },
  ): Promise<KnowledgeSnapshot>;
  /** Appends documents (manifest entries) and chunks to a building snapshot; call in batches. */
  addSnapshotContent(
    projectId: string,
    base: string,
    version: number,
    content: { documents: SnapshotDocumentEntry[]; chunks: KnowledgeChunk[] },
  ): Promise<void>;
  /** Marks it ready (immutable from now on) with its final counts. */
  finishSnapshot(
    projectId: string,
    base: string,
    version: number,
    totals: { documentCount: number; chunkCount: number; embeddingDimensions: number | null },
  ): Promise<KnowledgeSnapshot>;
  /** Deletes a snapshot that failed while building. */
  abandonSnapshot(projectId: string, base: string, version: number): Promise<void>;
  /** A ready snapshot; `version` omitted = the newest ready one. */
  getSnapshot(projectId: string, base: string, version?: number): Promise<KnowledgeSnapshot | null>;
  /** Ready snapshots, oldest first. */
  listSnapshots(projectId: string, base: string): Promise<KnowledgeSnapshot[]>;
  /** The snapshot's documents (manifest), by id. */
  snapshotDocuments(projectId: string, base: string, version: number): Promise<SnapshotDocumentEntry[]>;
  /** Chunks in (documentId, ordinal) order, paged by an opaque cursor; embeddings included. */
  snapshotChunks(
    projectId: string,
    base: string,
    version: number,
    options: { limit: number; cursor?: string },
  ): Promise<Page<KnowledgeChunk>>;

  /**
   * Marks a ready snapshot deleted: invisible to readers at once; its rows stay until
   * purgeSnapshot. NotFoundError when no such ready snapshot; ConflictError when it is the
   * base's latest, or when stack versions pin it (`details.stack_versions`: [{ stack, version }]).
   */
  deleteSnapshot(projectId: string, base: string, version: number): Promise<void>;
  /**
   * Marks deleted every building snapshot whose last heartbeat (begin or content batch) is
   * older than `before` (epoch ms): a crashed build. Returns the snapshots marked.
   */
  expireStaleBuilds(before: number): Promise<SnapshotRef[]>;
  /** Snapshots marked deleted whose rows are not purged yet, of every project (oldest mark first). */
  listDeletedSnapshots(limit: number): Promise<SnapshotRef[]>;
  /**
   * Deletes at most `batchSize` rows (chunks, then manifest entries, then the snapshot row) of
   * a snapshot marked deleted, in one short transaction. Returns the rows deleted; 0 = gone.
   */
  purgeSnapshot(projectId: string, base: string, version: number, batchSize: number): Promise<number>;
  /**
   * Marks a base and all its snapshots deleted: invisible at once, its name stays taken until
   * purgeBase finishes. NotFoundError when missing; ConflictError when stack versions pin any
   * of its snapshots (`details.stack_versions`).
   */
  deleteBase(projectId: string, name: string): Promise<void>;
  /** Bases marked deleted whose rows are not purged yet, of every project. */
  listDeletedBases(limit: number): Promise<Array<{ projectId: string; base: string }>>;
  /** Deletes at most `batchSize` rows of a base marked deleted (last: the base row); 0 = gone. */
  purgeBase(projectId: string, base: string, batchSize: number): Promise<number>;
}

/** One snapshot of one project's base. */
export interface SnapshotRef {
  projectId: string;
  base: string;
  version: number;
}

export interface CreateGuardPolicyVersionInput {
  name: string;
  rules: GuardRule[];
  settings: GuardPolicySettings;
  contentHash: string;
  message: string | null;
  author: string | null;
}

export interface GuardPolicyStore {
  /** Creates the policy if missing and appends version latest+1, atomically. */
  createVersion(projectId: string, input: CreateGuardPolicyVersionInput): Promise<GuardPolicyVersion>;
  get(projectId: string, name: string): Promise<GuardPolicy | null>;
  /** By name. */
  list(projectId: string): Promise<GuardPolicy[]>;
  getVersion(projectId: string, name: string, version: number): Promise<GuardPolicyVersion | null>;
  /** Oldest first. */
  listVersions(projectId: string, name: string): Promise<GuardPolicyVersion[]>;
}
