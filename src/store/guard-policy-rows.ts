/**
 * Row shapes, shared SELECTs, row → record mappers and input checks of the guard policy tables
 * (migration 4), for both dialects. Version rows are keyed by the policy's name, like prompt and
 * stack versions. JSON columns arrive as text from SQLite and already parsed from pg (jsonb).
 */
import type { GuardPolicy, GuardPolicySettings, GuardPolicyVersion, GuardRule } from '../core/index.js';
import { checkText, jsonColumn, storableVersion } from './knowledge-rows.js';
import type { CreateGuardPolicyVersionInput } from './store.js';

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

/** The columns of a new version, serialised once for either dialect. */
export interface GuardPolicyVersionColumns {
  rules: string;
  settings: string;
}

/**
 * Checks a createVersion input before any write (so a refused push reserves no number) and
 * serialises its JSON columns. Same rules as knowledge content, on both dialects: U+0000 in a
 * text column, or U+0000 / a lone surrogate anywhere in the rules or settings (keys included),
 * is a ValidationError — Postgres could not store them.
 */
export function guardPolicyVersionColumns(input: CreateGuardPolicyVersionInput): GuardPolicyVersionColumns {
  const what = `guard policy "${input.name}"`;
  checkText(input.name, 'guard policy name');
  checkText(input.contentHash, `contentHash of ${what}`);
  if (input.message !== null) checkText(input.message, `message of ${what}`);
  if (input.author !== null) checkText(input.author, `author of ${what}`);
  return {
    rules: jsonColumn(input.rules, `rules of ${what}`),
    settings: jsonColumn(input.settings, `settings of ${what}`),
  };
}

/** A version as the caller asked for it: see `storableVersion` (null: no policy has it). */
export const storablePolicyVersion = (version: number): number | null =>
  storableVersion(version, 'guard policy version');
