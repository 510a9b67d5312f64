/**
 * Row shapes, shared SELECTs and row → record mappers of the guard policy tables (migration 4),
 * for both dialects. Version rows are keyed by the policy's name, like prompt and stack
 * versions. JSON columns arrive as text from SQLite and already parsed from pg (jsonb).
 */
import type { GuardPolicy, GuardPolicySettings, GuardPolicyVersion, GuardRule } from '../core/index.js';

type DbNumber = number | string | bigint;

export interface GuardPolicyRow {
  id: string;
  project_id: string;
  name: string;
  latest_version: DbNumber;
  created_at: DbNumber;
}

export interface GuardPolicyVersionRow {
  project_id: string;
  policy_name: string;
  version: DbNumber;
  rules: unknown;
  settings: unknown;
  content_hash: string;
  message: string | null;
  author: string | null;
  created_at: DbNumber;
}

export const GUARD_POLICY_COLUMNS = 'id, project_id, name, latest_version, created_at';
export const GUARD_POLICY_VERSION_COLUMNS =
  'project_id, policy_name, version, rules, settings, content_hash, message, author, created_at';

const toNumber = (value: DbNumber): number => (typeof value === 'number' ? value : Number(value));
/** Both JSON columns hold an array or an object, never a bare string. */
const fromJson = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

export const toGuardPolicy = (row: GuardPolicyRow): GuardPolicy => ({
  id: row.id,
  projectId: row.project_id,
  name: row.name,
  latestVersion: toNumber(row.latest_version),
  createdAt: toNumber(row.created_at),
});

export const toGuardPolicyVersion = (row: GuardPolicyVersionRow): GuardPolicyVersion => ({
  projectId: row.project_id,
  policyName: row.policy_name,
  version: toNumber(row.version),
  rules: fromJson<GuardRule[]>(row.rules),
  settings: fromJson<GuardPolicySettings>(row.settings),
  contentHash: row.content_hash,
  message: row.message,
  author: row.author,
  createdAt: toNumber(row.created_at),
});
