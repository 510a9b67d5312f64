/**
 * The embedded SQLite Store (better-sqlite3, one file). Control-plane reads and writes run on
 * the main connection; trace batches go to the trace-writer worker (see trace-writer.ts), and
 * WAL lets the main connection read while the worker writes. better-sqlite3 is synchronous,
 * but every method is `async` so errors surface as rejections, exactly like Postgres.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ApiKey, AuditEntry, Project } from '../../core/index.js';
import { newId } from '../../core/index.js';
import { classifyError } from '../classify-error.js';
import { auditListQuery, sqlitePlaceholder, toPage } from '../list-queries.js';
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
  createStatementCache,
  DEFAULT_BUSY_TIMEOUT_MS,
  openDatabase,
  type Prepare,
  type SqliteDatabase,
} from './connection.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { createSqliteGuardPolicyStore } from './sqlite-guard-policy-store.js';
import { createSqliteKnowledgeStore } from './sqlite-knowledge-store.js';
import {
  createSqliteAdapterStore,
  createSqlitePromptStore,
  createSqliteStackStore,
} from './sqlite-registry-store.js';
import { createSqliteTraceStore } from './sqlite-trace-store.js';
import { TraceWriter } from './trace-writer.js';

export interface SqliteStoreOptions {
  /** Path of the database file; its directory is created if missing. */
  file: string;
  busyTimeoutMs?: number;
}

export async function createSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  mkdirSync(dirname(options.file), { recursive: true });
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const database = openDatabase(options.file, busyTimeoutMs);
  const prepare = createStatementCache(database);
  const writer = new TraceWriter({ file: options.file, busyTimeoutMs });
  let closed = false;
  return {
    dialect: 'sqlite',
    projects: createProjectStore(prepare),
    apiKeys: createApiKeyStore(prepare),
    audit: createAuditStore(prepare),
    traces: createSqliteTraceStore(database, prepare, writer),
    prompts: createSqlitePromptStore(database, prepare),
    adapters: createSqliteAdapterStore(database, prepare),
    stacks: createSqliteStackStore(database, prepare),
    knowledge: createSqliteKnowledgeStore(database, prepare),
    guardPolicies: createSqliteGuardPolicyStore(database, prepare),
    migrate: async () => migrate(database),
    close: async () => {
      if (closed) return;
      closed = true;
      await writer.close();
      database.close();
    },
  };
}

/** Applies pending migrations in one IMMEDIATE transaction, so concurrent processes serialise. */
function migrate(database: SqliteDatabase): void {
  database
    .transaction(() => {
      database.exec(
        'CREATE TABLE IF NOT EXISTS migrations ' +
          '(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT',
      );
      const applied = new Set(database.prepare<[], number>('SELECT version FROM migrations').pluck().all());
      const record = database.prepare<[number, string, number]>(
        'INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)',
      );
      for (const migration of SQLITE_MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        database.exec(migration.sql);
        record.run(migration.version, migration.name, Date.now());
      }
    })
    .immediate();
}

function createProjectStore(prepare: Prepare): ProjectStore {
  const select = `SELECT ${PROJECT_COLUMNS} FROM projects`;
  return {
    async create(input) {
      const project: Project = {
        id: input.id ?? newId('proj'),
        name: input.name,
        isDemo: input.isDemo ?? false,
        createdAt: Date.now(),
      };
      try {
        prepare('INSERT INTO projects (id, name, is_demo, created_at) VALUES (?, ?, ?, ?)').run(
          project.id,
          project.name,
          project.isDemo ? 1 : 0,
          project.createdAt,
        );
      } catch (error) {
        throw classifyError(error, { conflict: `project "${input.name}" already exists` });
      }
      return project;
    },
    async get(projectId) {
      const row = prepare<[string], ProjectRow>(`${select} WHERE id = ?`).get(projectId);
      return row === undefined ? null : toProject(row);
    },
    async getByName(name) {
      const row = prepare<[string], ProjectRow>(`${select} WHERE name = ?`).get(name);
      return row === undefined ? null : toProject(row);
    },
    async list() {
      return prepare<[], ProjectRow>(`${select} ORDER BY name`).all().map(toProject);
    },
    async delete(projectId) {
      // Keys, audit, traces, parts and spans go with it: ON DELETE CASCADE.
      return prepare('DELETE FROM projects WHERE id = ?').run(projectId).changes > 0;
    },
  };
}

function createApiKeyStore(prepare: Prepare): ApiKeyStore {
  const select = `SELECT ${API_KEY_COLUMNS} FROM api_keys`;
  const getKey = (projectId: string, keyId: string): ApiKey | null => {
    const row = prepare<[string, string], ApiKeyRow>(`${select} WHERE project_id = ? AND id = ?`).get(
      projectId,
      keyId,
    );
    return row === undefined ? null : toApiKey(row);
  };
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
        prepare(
          'INSERT INTO api_keys (id, project_id, name, role, prefix, hash, instance_admin, created_at) ' +
            'VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        ).run(
          key.id,
          key.projectId,
          key.name,
          key.role,
          key.prefix,
          key.hash,
          key.instanceAdmin ? 1 : 0,
          key.createdAt,
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
      const row = prepare<[string], ApiKeyRow>(`${select} WHERE hash = ?`).get(hash);
      return row === undefined ? null : toApiKey(row);
    },
    async list(projectId) {
      return prepare<[string], ApiKeyRow>(`${select} WHERE project_id = ? ORDER BY created_at, id`)
        .all(projectId)
        .map(toApiKey);
    },
    async get(projectId, keyId) {
      return getKey(projectId, keyId);
    },
    async revoke(projectId, keyId) {
      // coalesce keeps the first revocation time: revoking twice is a no-op.
      prepare('UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE project_id = ? AND id = ?').run(
        Date.now(),
        projectId,
        keyId,
      );
      return getKey(projectId, keyId);
    },
    async countActiveInstanceAdmins() {
      return prepare<[], number>(
        'SELECT count(*) FROM api_keys WHERE instance_admin = 1 AND revoked_at IS NULL',
      )
        .pluck()
        .get()!;
    },
  };
}

function createAuditStore(prepare: Prepare): AuditStore {
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
        prepare(
          'INSERT INTO audit_log (id, project_id, actor_key_id, action, target_type, target_id, details, created_at) ' +
            'VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        ).run(
          entry.id,
          entry.projectId,
          entry.actorKeyId,
          entry.action,
          entry.targetType,
          entry.targetId,
          JSON.stringify(entry.details),
          entry.createdAt,
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
      const query = auditListQuery(projectId, options, sqlitePlaceholder);
      const rows = prepare<unknown[], AuditRow>(query.sql).all(...query.params);
      return toPage(rows, query.limit, toAuditEntry, (entry) => ({ time: entry.createdAt, id: entry.id }));
    },
  };
}
