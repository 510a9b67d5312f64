/**
 * Row shapes, shared SELECTs and row → record mappers of the registry tables (prompts, adapters,
 * stacks, deployments), for both dialects. Version rows are keyed by the parent's name, so
 * reads join the parent only to return its id. JSON columns arrive as text from SQLite and
 * already parsed from pg (jsonb); `fromJson` accepts both.
 */
import type {
  Adapter,
  Deployment,
  DeploymentAction,
  DeploymentEvent,
  Prompt,
  PromptMessageTemplate,
  PromptVariableSpec,
  PromptVersion,
  Stack,
  StackSpec,
  StackVersion,
} from '../core/index.js';

type DbNumber = number | string | bigint;

export interface PromptRow {
  id: string;
  project_id: string;
  name: string;
  latest_version: DbNumber;
  created_at: DbNumber;
}

export interface PromptLabelRow {
  prompt_name: string;
  label: string;
  version: DbNumber;
}

export interface PromptVersionRow {
  project_id: string;
  prompt_id: string;
  prompt_name: string;
  version: DbNumber;
  messages: unknown;
  variables: unknown;
  params: unknown;
  commit_message: string | null;
  author: string | null;
  content_hash: string;
  created_at: DbNumber;
}

export interface AdapterRow {
  id: string;
  project_id: string;
  name: string;
  version: DbNumber;
  base_model: string;
  upstream_adapter: string;
  metadata: unknown;
  content_hash: string;
  created_at: DbNumber;
}

export interface StackRow {
  id: string;
  project_id: string;
  name: string;
  latest_version: DbNumber;
  created_at: DbNumber;
}

export interface StackVersionRow {
  project_id: string;
  stack_id: string;
  stack_name: string;
  version: DbNumber;
  spec: unknown;
  fingerprint: string;
  message: string | null;
  author: string | null;
  created_at: DbNumber;
}

export interface DeploymentRow {
  project_id: string;
  stack_name: string;
  environment: string;
  version: DbNumber;
  updated_at: DbNumber;
  updated_by: string | null;
}

export interface DeploymentEventRow {
  id: string;
  project_id: string;
  stack_name: string;
  environment: string;
  from_version: DbNumber | null;
  to_version: DbNumber;
  action: string;
  actor: string | null;
  created_at: DbNumber;
}

export const PROMPT_COLUMNS = 'id, project_id, name, latest_version, created_at';
export const STACK_COLUMNS = 'id, project_id, name, latest_version, created_at';
export const ADAPTER_COLUMNS =
  'id, project_id, name, version, base_model, upstream_adapter, metadata, content_hash, created_at';
export const DEPLOYMENT_COLUMNS = 'project_id, stack_name, environment, version, updated_at, updated_by';
export const DEPLOYMENT_EVENT_COLUMNS =
  'id, project_id, stack_name, environment, from_version, to_version, action, actor, created_at';

/** Version rows with their parent's id; callers append `WHERE v.project_id = … AND …`. */
export const SELECT_PROMPT_VERSIONS =
  'SELECT v.project_id, p.id AS prompt_id, v.prompt_name, v.version, v.messages, v.variables, v.params, ' +
  'v.commit_message, v.author, v.content_hash, v.created_at ' +
  'FROM prompt_versions v JOIN prompts p ON p.project_id = v.project_id AND p.name = v.prompt_name';
export const SELECT_STACK_VERSIONS =
  'SELECT v.project_id, s.id AS stack_id, v.stack_name, v.version, v.spec, v.fingerprint, v.message, ' +
  'v.author, v.created_at ' +
  'FROM stack_versions v JOIN stacks s ON s.project_id = v.project_id AND s.name = v.stack_name';

const toNumber = (value: DbNumber): number => (typeof value === 'number' ? value : Number(value));
const toNullableNumber = (value: DbNumber | null): number | null => (value === null ? null : toNumber(value));
/** Every registry JSON column holds an object or an array, never a bare string. */
const fromJson = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

/** label → version for each prompt name, from label rows in any order. */
export function groupLabels(rows: readonly PromptLabelRow[]): Map<string, Record<string, number>> {
  const byPrompt = new Map<string, Record<string, number>>();
  for (const row of rows) {
    let labels = byPrompt.get(row.prompt_name);
    if (labels === undefined) {
      labels = {};
      byPrompt.set(row.prompt_name, labels);
    }
    labels[row.label] = toNumber(row.version);
  }
  return byPrompt;
}

export const toPrompt = (row: PromptRow, labels: Record<string, number>): Prompt => ({
  id: row.id,
  projectId: row.project_id,
  name: row.name,
  latestVersion: toNumber(row.latest_version),
  labels,
  createdAt: toNumber(row.created_at),
});

export const toPromptVersion = (row: PromptVersionRow): PromptVersion => ({
  projectId: row.project_id,
  promptId: row.prompt_id,
  promptName: row.prompt_name,
  version: toNumber(row.version),
  messages: fromJson<PromptMessageTemplate[]>(row.messages),
  variables: fromJson<Record<string, PromptVariableSpec>>(row.variables),
  params: fromJson<Record<string, unknown>>(row.params),
  commitMessage: row.commit_message,
  author: row.author,
  contentHash: row.content_hash,
  createdAt: toNumber(row.created_at),
});

export const toAdapter = (row: AdapterRow): Adapter => ({
  id: row.id,
  projectId: row.project_id,
  name: row.name,
  version: toNumber(row.version),
  baseModel: row.base_model,
  upstreamAdapter: row.upstream_adapter,
  metadata: fromJson<Record<string, unknown>>(row.metadata),
  contentHash: row.content_hash,
  createdAt: toNumber(row.created_at),
});

export const toStack = (row: StackRow): Stack => ({
  id: row.id,
  projectId: row.project_id,
  name: row.name,
  latestVersion: toNumber(row.latest_version),
  createdAt: toNumber(row.created_at),
});

export const toStackVersion = (row: StackVersionRow): StackVersion => ({
  projectId: row.project_id,
  stackId: row.stack_id,
  stackName: row.stack_name,
  version: toNumber(row.version),
  spec: fromJson<StackSpec>(row.spec),
  fingerprint: row.fingerprint,
  message: row.message,
  author: row.author,
  createdAt: toNumber(row.created_at),
});

export const toDeployment = (row: DeploymentRow): Deployment => ({
  projectId: row.project_id,
  stackName: row.stack_name,
  environment: row.environment,
  version: toNumber(row.version),
  updatedAt: toNumber(row.updated_at),
  updatedBy: row.updated_by,
});

export const toDeploymentEvent = (row: DeploymentEventRow): DeploymentEvent => ({
  id: row.id,
  projectId: row.project_id,
  stackName: row.stack_name,
  environment: row.environment,
  fromVersion: toNullableNumber(row.from_version),
  toVersion: toNumber(row.to_version),
  action: row.action as DeploymentAction,
  actor: row.actor,
  createdAt: toNumber(row.created_at),
});
