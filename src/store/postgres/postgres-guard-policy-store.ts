/**
 * Postgres guard policy store. createVersion reserves the next number like prompts and stacks:
 * `INSERT … ON CONFLICT (project_id, name) DO UPDATE SET latest_version = latest_version + 1
 * RETURNING` creates the policy or bumps its counter and keeps the row locked until commit, so
 * concurrent pushes from any number of replicas get distinct numbers with no gap.
 */
import type { GuardPolicyVersion } from '../../core/index.js';
import { newId } from '../../core/index.js';
import { classifyError } from '../classify-error.js';
import {
  GUARD_POLICY_COLUMNS,
  GUARD_POLICY_VERSION_COLUMNS,
  type GuardPolicyRow,
  type GuardPolicyVersionRow,
  guardPolicyVersionColumns,
  storablePolicyVersion,
  toGuardPolicy,
  toGuardPolicyVersion,
} from '../guard-policy-rows.js';
import type { GuardPolicyStore } from '../store.js';
import { type Pool, withTransaction } from './connection.js';

interface NextVersion {
  id: string;
  latest_version: number;
}

export function createPostgresGuardPolicyStore(pool: Pool): GuardPolicyStore {
  const selectVersions = `SELECT ${GUARD_POLICY_VERSION_COLUMNS} FROM guard_policy_versions`;
  return {
    async createVersion(projectId, input) {
      const columns = guardPolicyVersionColumns(input);
      const now = Date.now();
      try {
        return await withTransaction(pool, async (client): Promise<GuardPolicyVersion> => {
          const reserved = await client.query<NextVersion>(
            'INSERT INTO guard_policies AS parent (id, project_id, name, latest_version, created_at) ' +
              'VALUES ($1, $2, $3, 1, $4) ' +
              'ON CONFLICT (project_id, name) DO UPDATE SET latest_version = parent.latest_version + 1 ' +
              'RETURNING id, latest_version',
            [newId('guardpol'), projectId, input.name, now],
          );
          const parent = reserved.rows[0]!;
          await client.query(
            'INSERT INTO guard_policy_versions (project_id, policy_name, version, rules, settings, ' +
              'content_hash, message, author, created_at) ' +
              'VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, $9)',
            [
              projectId,
              input.name,
              parent.latest_version,
              columns.rules,
              columns.settings,
              input.contentHash,
              input.message,
              input.author,
              now,
            ],
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
        });
      } catch (error) {
        throw classifyError(error, {
          conflict: `guard policy "${input.name}" changed concurrently`,
          missing: `project ${projectId}`,
        });
      }
    },
    async get(projectId, name) {
      const result = await pool.query<GuardPolicyRow>(
        `SELECT ${GUARD_POLICY_COLUMNS} FROM guard_policies WHERE project_id = $1 AND name = $2`,
        [projectId, name],
      );
      const row = result.rows[0];
      return row === undefined ? null : toGuardPolicy(row);
    },
    async list(projectId) {
      const result = await pool.query<GuardPolicyRow>(
        `SELECT ${GUARD_POLICY_COLUMNS} FROM guard_policies WHERE project_id = $1 ORDER BY name`,
        [projectId],
      );
      return result.rows.map(toGuardPolicy);
    },
    async getVersion(projectId, name, version) {
      if (storablePolicyVersion(version) === null) return null;
      const result = await pool.query<GuardPolicyVersionRow>(
        `${selectVersions} WHERE project_id = $1 AND policy_name = $2 AND version = $3`,
        [projectId, name, version],
      );
      const row = result.rows[0];
      return row === undefined ? null : toGuardPolicyVersion(row);
    },
    async listVersions(projectId, name) {
      const result = await pool.query<GuardPolicyVersionRow>(
        `${selectVersions} WHERE project_id = $1 AND policy_name = $2 ORDER BY version`,
        [projectId, name],
      );
      return result.rows.map(toGuardPolicyVersion);
    },
  };
}
