/**
 * SQLite guard policy store, on the main connection. createVersion is one `BEGIN IMMEDIATE`
 * transaction, like prompts: the upsert creates the policy or bumps its counter, and the
 * version row is written under the same write lock, so concurrent pushes (even from another
 * process on the file) get distinct numbers with no gap.
 */
import type { GuardPolicyVersion } from '../../core/index.js';
import { newId } from '../../core/index.js';
import { classifyError } from '../classify-error.js';
import {
  GUARD_POLICY_COLUMNS,
  GUARD_POLICY_VERSION_COLUMNS,
  type GuardPolicyRow,
  type GuardPolicyVersionColumns,
  type GuardPolicyVersionRow,
  guardPolicyVersionColumns,
  storablePolicyVersion,
  toGuardPolicy,
  toGuardPolicyVersion,
} from '../guard-policy-rows.js';
import type { CreateGuardPolicyVersionInput, GuardPolicyStore } from '../store.js';
import type { Prepare, SqliteDatabase } from './connection.js';

interface NextVersion {
  id: string;
  latest_version: number;
}

export function createSqliteGuardPolicyStore(database: SqliteDatabase, prepare: Prepare): GuardPolicyStore {
  const selectVersions = `SELECT ${GUARD_POLICY_VERSION_COLUMNS} FROM guard_policy_versions`;

  const createVersion = database.transaction(
    (
      projectId: string,
      input: CreateGuardPolicyVersionInput,
      columns: GuardPolicyVersionColumns,
      now: number,
    ): GuardPolicyVersion => {
      const parent = prepare<[string, string, string, number], NextVersion>(
        'INSERT INTO guard_policies (id, project_id, name, latest_version, created_at) VALUES (?, ?, ?, 1, ?) ' +
          'ON CONFLICT (project_id, name) DO UPDATE SET latest_version = latest_version + 1 ' +
          'RETURNING id, latest_version',
      ).get(newId('guardpol'), projectId, input.name, now)!;
      prepare(
        'INSERT INTO guard_policy_versions (project_id, policy_name, version, rules, settings, content_hash, ' +
          'message, author, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(
        projectId,
        input.name,
        parent.latest_version,
        columns.rules,
        columns.settings,
        input.contentHash,
        input.message,
        input.author,
        now,
      );
      return {
        projectId,
        policyName: input.name,
        version: parent.latest_version,
        rules: input.rules,
        settings: input.settings,
        contentHash: input.contentHash,
        message: input.message,
        author: input.author,
        createdAt: now,
      };
    },
  );

  return {
    async createVersion(projectId, input) {
      const columns = guardPolicyVersionColumns(input);
      try {
        return createVersion.immediate(projectId, input, columns, Date.now());
      } catch (error) {
        throw classifyError(error, {
          conflict: `guard policy "${input.name}" changed concurrently`,
          missing: `project ${projectId}`,
        });
      }
    },
    async get(projectId, name) {
      const row = prepare<[string, string], GuardPolicyRow>(
        `SELECT ${GUARD_POLICY_COLUMNS} FROM guard_policies WHERE project_id = ? AND name = ?`,
      ).get(projectId, name);
      return row === undefined ? null : toGuardPolicy(row);
    },
    async list(projectId) {
      return prepare<[string], GuardPolicyRow>(
        `SELECT ${GUARD_POLICY_COLUMNS} FROM guard_policies WHERE project_id = ? ORDER BY name`,
      )
        .all(projectId)
        .map(toGuardPolicy);
    },
    async getVersion(projectId, name, version) {
      if (storablePolicyVersion(version) === null) return null;
      const row = prepare<[string, string, number], GuardPolicyVersionRow>(
        `${selectVersions} WHERE project_id = ? AND policy_name = ? AND version = ?`,
      ).get(projectId, name, version);
      return row === undefined ? null : toGuardPolicyVersion(row);
    },
    async listVersions(projectId, name) {
      return prepare<[string, string], GuardPolicyVersionRow>(
        `${selectVersions} WHERE project_id = ? AND policy_name = ? ORDER BY version`,
      )
        .all(projectId, name)
        .map(toGuardPolicyVersion);
    },
  };
}
