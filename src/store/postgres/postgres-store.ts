/**
 * The scale-out Postgres Store (node-postgres Pool). Same contract and tenancy rules as the
 * SQLite store; several replicas may share one database (migrations take an advisory lock,
 * trace merges are single upsert statements). `schema` confines every table to one schema.
 */
import type { ApiKey, AuditEntry, Project } from '../../core/index.js';
import { newId } from '../../core/index.js';
import { classifyError } from '../classify-error.js';
import { auditListQuery, postgresPlaceholder, toPage } from '../list-queries.js';
import {
  API_KEY_COLUMNS,
  type ApiKeyRow,
  type AuditRow,
  PROJECT_COLUMNS,
  type ProjectRow,
  toApiKey,
  toAuditEntry,
  toProject,
} from '../rows.js';
import type { ApiKeyStore, AuditStore, ProjectStore, Store } from '../store.js';
import {
  applyMigrations,
  type ConnectionLimits,
  checkSchemaName,
  createPool,
  ensureSchema,
  type Pool,
} from './connection.js';
import { POSTGRES_MIGRATIONS } from './migrations.js';
import { createPostgresGuardPolicyStore } from './postgres-guard-policy-store.js';
import { createPostgresKnowledgeStore } from './postgres-knowledge-store.js';
import {
  createPostgresAdapterStore,
  createPostgresPromptStore,
  createPostgresStackStore,
} from './postgres-registry-store.js';
import { createPostgresTraceStore } from './postgres-trace-store.js';

export interface PostgresStoreOptions {
  connectionString: string;
  /** Schema holding every table (created if missing); default: the server's search_path. */
  schema?: string;
  /** Pool size; default 10. */
  maxConnections?: number;
  /** Connect and query timeouts, keepalive; default: DEFAULT_CONNECTION_LIMITS. */
  limits?: ConnectionLimits;
}

export async function createPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const schema = options.schema === undefined ? undefined : checkSchemaName(options.schema);
  const pool = createPool({
    connectionString: options.connectionString,
    schema,
    max: options.maxConnections ?? 10,
    limits: options.limits,
  });
  try {
    await ensureSchema(pool, schema);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const traces = createPostgresTraceStore(pool);
  let closed: Promise<void> | null = null;
  return {
    dialect: 'postgres',
    projects: createProjectStore(pool),
    apiKeys: createApiKeyStore(pool),
    audit: createAuditStore(pool),
    traces,
    prompts: createPostgresPromptStore(pool),
    adapters: createPostgresAdapterStore(pool),
    stacks: createPostgresStackStore(pool),
    knowledge: createPostgresKnowledgeStore(pool),
    guardPolicies: createPostgresGuardPolicyStore(pool),
    migrate: () => applyMigrations(pool, schema, POSTGRES_MIGRATIONS),
    close: () => {
      // Batches already accepted are committed before the pool goes away (SIGTERM flushes).
      closed ??= traces.drain().then(() => pool.end());
      return closed;
    },
  };
}

function createProjectStore(pool: Pool): ProjectStore {
  const select = `SELECT ${PROJECT_COLUMNS} FROM projects`;
  const one = async (where: string, value: string): Promise<Project | null> => {
    const result = await pool.query<ProjectRow>(`${select} WHERE ${where} = $1`, [value]);
    const row = result.rows[0];
    return row === undefined ? null : toProject(row);
  };
  return {
    async create(input) {
      const project: Project = {
        id: input.id ?? newId('proj'),
        name: input.name,
        isDemo: input.isDemo ?? false,
        createdAt: Date.now(),
      };
      try {
        await pool.query('INSERT INTO projects (id, name, is_demo, created_at) VALUES ($1, $2, $3, $4)', [
          project.id,
          project.name,
          project.isDemo,
          project.createdAt,
        ]);
      } catch (error) {
        throw classifyError(error, { conflict: `project "${input.name}" already exists` });
      }
      return project;
    },
    get: (projectId) => one('id', projectId),
    getByName: (name) => one('name', name),
    async list() {
      const result = await pool.query<ProjectRow>(`${select} ORDER BY name`);
      return result.rows.map(toProject);
    },
    async delete(projectId) {
      // Keys, audit, traces, parts and spans go with it: ON DELETE CASCADE.
      const result = await pool.query('DELETE FROM projects WHERE id = $1', [projectId]);
      return (result.rowCount ?? 0) > 0;
    },
  };
}

function createApiKeyStore(pool: Pool): ApiKeyStore {
  const select = `SELECT ${API_KEY_COLUMNS} FROM api_keys`;
  const first = (rows: ApiKeyRow[]): ApiKey | null => (rows[0] === undefined ? null : toApiKey(rows[0]));
  return {
    async create(input) {
      const key: ApiKey = {
        id: newId('key'),
        projectId: input.projectId,
        name: input.name,
        role: input.role,
        prefix: input.prefix,
        hash: input.hash,
        instanceAdmin: input.instanceAdmin ?? false,
        createdAt: Date.now(),
        revokedAt: null,
      };
      try {
        await pool.query(
          'INSERT INTO api_keys (id, project_id, name, role, prefix, hash, instance_admin, created_at) ' +
            'VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
          [key.id, key.projectId, key.name, key.role, key.prefix, key.hash, key.instanceAdmin, key.createdAt],
        );
      } catch (error) {
        throw classifyError(error, {
          conflict: 'an API key with this hash exists',
          missing: `project ${input.projectId}`,
        });
      }
      return key;
    },
    async findByHash(hash) {
      return first((await pool.query<ApiKeyRow>(`${select} WHERE hash = $1`, [hash])).rows);
    },
    async list(projectId) {
      const result = await pool.query<ApiKeyRow>(`${select} WHERE project_id = $1 ORDER BY created_at, id`, [
        projectId,
      ]);
      return result.rows.map(toApiKey);
    },
    async get(projectId, keyId) {
      return first(
        (await pool.query<ApiKeyRow>(`${select} WHERE project_id = $1 AND id = $2`, [projectId, keyId])).rows,
      );
    },
    async revoke(projectId, keyId) {
      // coalesce keeps the first revocation time: revoking twice is a no-op.
      const result = await pool.query<ApiKeyRow>(
        'UPDATE api_keys SET revoked_at = coalesce(revoked_at, $1) WHERE project_id = $2 AND id = $3 ' +
          `RETURNING ${API_KEY_COLUMNS}`,
        [Date.now(), projectId, keyId],
      );
      return first(result.rows);
    },
    async countActiveInstanceAdmins() {
      const result = await pool.query<{ count: number }>(
        'SELECT count(*)::integer AS count FROM api_keys WHERE instance_admin AND revoked_at IS NULL',
      );
      return result.rows[0]?.count ?? 0;
    },
  };
}

function createAuditStore(pool: Pool): AuditStore {
  return {
    async append(input) {
      const entry: AuditEntry = {
        id: newId('aud'),
        projectId: input.projectId,
        actorKeyId: input.actorKeyId,
        action: input.action,
        targetType: input.targetType,
        targetId: input.targetId,
        details: input.details ?? {},
        createdAt: Date.now(),
      };
      try {
        await pool.query(
          'INSERT INTO audit_log (id, project_id, actor_key_id, action, target_type, target_id, details, created_at) ' +
            'VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)',
          [
            entry.id,
            entry.projectId,
            entry.actorKeyId,
            entry.action,
            entry.targetType,
            entry.targetId,
            JSON.stringify(entry.details),
            entry.createdAt,
          ],
        );
      } catch (error) {
        throw classifyError(error, {
          conflict: 'duplicate audit entry id',
          missing: `project ${input.projectId}`,
        });
      }
      return entry;
    },
    async list(projectId, options) {
      const query = auditListQuery(projectId, options, postgresPlaceholder);
      const result = await pool.query<AuditRow>(query.sql, query.params);
      return toPage(result.rows, query.limit, toAuditEntry, (entry) => ({
        time: entry.createdAt,
        id: entry.id,
      }));
    },
  };
}
