/**
 * SQLite registry stores: prompts, adapters, stacks and deployments, on the main connection.
 * Every write that reads before it writes (next version number, current deployment) runs in
 * one `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so another process on
 * the same file cannot slip in between the read and the write. Inside one process
 * better-sqlite3 is synchronous, so calls are serialised anyway.
 */
import type { Adapter, DeploymentEvent, PromptVersion, StackVersion } from '../../core/index.js';
import { NotFoundError, newId } from '../../core/index.js';
import { classifyError } from '../classify-error.js';
import { checkExpectedVersion } from '../deployment-check.js';
import {
  ADAPTER_COLUMNS,
  type AdapterRow,
  DEPLOYMENT_COLUMNS,
  DEPLOYMENT_EVENT_COLUMNS,
  type DeploymentEventRow,
  type DeploymentRow,
  groupLabels,
  PROMPT_COLUMNS,
  type PromptLabelRow,
  type PromptRow,
  type PromptVersionRow,
  SELECT_PROMPT_VERSIONS,
  SELECT_STACK_VERSIONS,
  STACK_COLUMNS,
  type StackRow,
  type StackVersionRow,
  toAdapter,
  toDeployment,
  toDeploymentEvent,
  toPrompt,
  toPromptVersion,
  toStack,
  toStackVersion,
} from '../registry-rows.js';
import type {
  AdapterStore,
  CreateAdapterInput,
  CreatePromptVersionInput,
  CreateStackVersionInput,
  PromptStore,
  SetDeploymentInput,
  StackStore,
} from '../store.js';
import { UnchangedVersion } from '../unchanged-version.js';
import type { Prepare, SqliteDatabase } from './connection.js';

interface NextVersion {
  id: string;
  latest_version: number;
}

export function createSqlitePromptStore(database: SqliteDatabase, prepare: Prepare): PromptStore {
  const getPrompt = (projectId: string, name: string) => {
    const row = prepare<[string, string], PromptRow>(
      `SELECT ${PROMPT_COLUMNS} FROM prompts WHERE project_id = ? AND name = ?`,
    ).get(projectId, name);
    if (row === undefined) return null;
    const labels = prepare<[string, string], PromptLabelRow>(
      'SELECT prompt_name, label, version FROM prompt_labels WHERE project_id = ? AND prompt_name = ?',
    ).all(projectId, name);
    return toPrompt(row, groupLabels(labels).get(name) ?? {});
  };

  const createVersion = database.transaction(
    (
      projectId: string,
      input: CreatePromptVersionInput,
      now: number,
      onlyIfChanged: boolean,
    ): PromptVersion => {
      // The upsert both creates the prompt and reserves the next number.
      const parent = prepare<[string, string, string, number], NextVersion>(
        'INSERT INTO prompts (id, project_id, name, latest_version, created_at) VALUES (?, ?, ?, 1, ?) ' +
          'ON CONFLICT (project_id, name) DO UPDATE SET latest_version = latest_version + 1 ' +
          'RETURNING id, latest_version',
      ).get(newId('prompt'), projectId, input.name, now)!;
      if (onlyIfChanged && parent.latest_version > 1) {
        const previous = prepare<[string, string, number], PromptVersionRow>(
          `${SELECT_PROMPT_VERSIONS} WHERE v.project_id = ? AND v.prompt_name = ? AND v.version = ?`,
        ).get(projectId, input.name, parent.latest_version - 1);
        // Thrown to roll back the reservation; createVersionIfChanged answers with it.
        if (previous !== undefined && previous.content_hash === input.contentHash)
          throw new UnchangedVersion(toPromptVersion(previous));
      }
      const version: PromptVersion = {
        projectId,
        promptId: parent.id,
        promptName: input.name,
        version: parent.latest_version,
        messages: input.messages,
        variables: input.variables,
        params: input.params,
        commitMessage: input.commitMessage,
        author: input.author,
        contentHash: input.contentHash,
        createdAt: now,
      };
      prepare(
        'INSERT INTO prompt_versions (project_id, prompt_name, version, messages, variables, params, ' +
          'commit_message, author, content_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(
        projectId,
        input.name,
        version.version,
        JSON.stringify(input.messages),
        JSON.stringify(input.variables),
        JSON.stringify(input.params),
        input.commitMessage,
        input.author,
        input.contentHash,
        now,
      );
      return version;
    },
  );

  return {
    async createVersion(projectId, input) {
      try {
        return createVersion.immediate(projectId, input, Date.now(), false);
      } catch (error) {
        throw classifyError(error, {
          conflict: `prompt "${input.name}" changed concurrently`,
          missing: `project ${projectId}`,
        });
      }
    },
    async createVersionIfChanged(projectId, input) {
      try {
        return { version: createVersion.immediate(projectId, input, Date.now(), true), created: true };
      } catch (error) {
        if (error instanceof UnchangedVersion)
          return { version: error.version as PromptVersion, created: false };
        throw classifyError(error, {
          conflict: `prompt "${input.name}" changed concurrently`,
          missing: `project ${projectId}`,
        });
      }
    },
    async get(projectId, name) {
      return getPrompt(projectId, name);
    },
    async list(projectId) {
      const rows = prepare<[string], PromptRow>(
        `SELECT ${PROMPT_COLUMNS} FROM prompts WHERE project_id = ? ORDER BY name`,
      ).all(projectId);
      const labels = groupLabels(
        prepare<[string], PromptLabelRow>(
          'SELECT prompt_name, label, version FROM prompt_labels WHERE project_id = ?',
        ).all(projectId),
      );
      return rows.map((row) => toPrompt(row, labels.get(row.name) ?? {}));
    },
    async getVersion(projectId, name, version) {
      const row = prepare<[string, string, number], PromptVersionRow>(
        `${SELECT_PROMPT_VERSIONS} WHERE v.project_id = ? AND v.prompt_name = ? AND v.version = ?`,
      ).get(projectId, name, version);
      return row === undefined ? null : toPromptVersion(row);
    },
    async listVersions(projectId, name) {
      return prepare<[string, string], PromptVersionRow>(
        `${SELECT_PROMPT_VERSIONS} WHERE v.project_id = ? AND v.prompt_name = ? ORDER BY v.version`,
      )
        .all(projectId, name)
        .map(toPromptVersion);
    },
    async setLabel(projectId, name, label, version) {
      // Only an existing version can be labelled: the INSERT … SELECT writes nothing otherwise.
      const changes = prepare(
        'INSERT INTO prompt_labels (project_id, prompt_name, label, version, updated_at) ' +
          'SELECT project_id, prompt_name, ?, version, ? FROM prompt_versions ' +
          'WHERE project_id = ? AND prompt_name = ? AND version = ? ' +
          'ON CONFLICT (project_id, prompt_name, label) DO UPDATE SET ' +
          'version = excluded.version, updated_at = excluded.updated_at',
      ).run(label, Date.now(), projectId, name, version).changes;
      const prompt = getPrompt(projectId, name);
      if (prompt === null) throw new NotFoundError(`prompt "${name}"`);
      if (changes === 0) throw new NotFoundError(`version ${version} of prompt "${name}"`);
      return prompt;
    },
    async deleteLabel(projectId, name, label) {
      return (
        prepare('DELETE FROM prompt_labels WHERE project_id = ? AND prompt_name = ? AND label = ?').run(
          projectId,
          name,
          label,
        ).changes > 0
      );
    },
  };
}

export function createSqliteAdapterStore(database: SqliteDatabase, prepare: Prepare): AdapterStore {
  const select = `SELECT ${ADAPTER_COLUMNS} FROM adapters`;
  const create = database.transaction(
    (projectId: string, input: CreateAdapterInput, now: number): Adapter => {
      const latest = prepare<[string, string], number>(
        'SELECT coalesce(max(version), 0) FROM adapters WHERE project_id = ? AND name = ?',
      )
        .pluck()
        .get(projectId, input.name)!;
      const adapter: Adapter = {
        id: newId('adapter'),
        projectId,
        name: input.name,
        version: latest + 1,
        baseModel: input.baseModel,
        upstreamAdapter: input.upstreamAdapter,
        metadata: input.metadata,
        contentHash: input.contentHash,
        createdAt: now,
      };
      prepare(
        'INSERT INTO adapters (id, project_id, name, version, base_model, upstream_adapter, metadata, ' +
          'content_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(
        adapter.id,
        projectId,
        adapter.name,
        adapter.version,
        adapter.baseModel,
        adapter.upstreamAdapter,
        JSON.stringify(adapter.metadata),
        adapter.contentHash,
        now,
      );
      return adapter;
    },
  );

  return {
    async create(projectId, input) {
      try {
        return create.immediate(projectId, input, Date.now());
      } catch (error) {
        throw classifyError(error, {
          conflict: `adapter "${input.name}" changed concurrently`,
          missing: `project ${projectId}`,
        });
      }
    },
    async get(projectId, name, version) {
      const row =
        version === undefined
          ? prepare<[string, string], AdapterRow>(
              `${select} WHERE project_id = ? AND name = ? ORDER BY version DESC LIMIT 1`,
            ).get(projectId, name)
          : prepare<[string, string, number], AdapterRow>(
              `${select} WHERE project_id = ? AND name = ? AND version = ?`,
            ).get(projectId, name, version);
      return row === undefined ? null : toAdapter(row);
    },
    async list(projectId) {
      return prepare<[string], AdapterRow>(`${select} WHERE project_id = ? ORDER BY name, version`)
        .all(projectId)
        .map(toAdapter);
    },
  };
}

export function createSqliteStackStore(database: SqliteDatabase, prepare: Prepare): StackStore {
  const createVersion = database.transaction(
    (
      projectId: string,
      input: CreateStackVersionInput,
      now: number,
      onlyIfChanged: boolean,
    ): StackVersion => {
      // The pinned snapshot is checked again inside the write transaction: a snapshot deleted
      // since the caller resolved it must not end up pinned (deletion checks pins under the
      // same lock).
      const pinned = input.spec.knowledge;
      if (
        pinned &&
        prepare<[string, string, number], number>(
          'SELECT 1 FROM knowledge_snapshots WHERE project_id = ? AND base = ? AND version = ? ' +
            "AND status = 'ready' AND deleted_at IS NULL",
        )
          .pluck()
          .get(projectId, pinned.name, pinned.snapshot) === undefined
      ) {
        throw new NotFoundError(`Snapshot ${pinned.name}@${pinned.snapshot}`, { param: 'knowledge' });
      }
      const parent = prepare<[string, string, string, number], NextVersion>(
        'INSERT INTO stacks (id, project_id, name, latest_version, created_at) VALUES (?, ?, ?, 1, ?) ' +
          'ON CONFLICT (project_id, name) DO UPDATE SET latest_version = latest_version + 1 ' +
          'RETURNING id, latest_version',
      ).get(newId('stack'), projectId, input.name, now)!;
      if (onlyIfChanged && parent.latest_version > 1) {
        const previous = prepare<[string, string, number], StackVersionRow>(
          `${SELECT_STACK_VERSIONS} WHERE v.project_id = ? AND v.stack_name = ? AND v.version = ?`,
        ).get(projectId, input.name, parent.latest_version - 1);
        if (previous !== undefined && previous.fingerprint === input.fingerprint)
          throw new UnchangedVersion(toStackVersion(previous));
      }
      const version: StackVersion = {
        projectId,
        stackId: parent.id,
        stackName: input.name,
        version: parent.latest_version,
        spec: input.spec,
        fingerprint: input.fingerprint,
        message: input.message,
        author: input.author,
        createdAt: now,
      };
      prepare(
        'INSERT INTO stack_versions (project_id, stack_name, version, spec, fingerprint, message, author, ' +
          'created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(
        projectId,
        input.name,
        version.version,
        JSON.stringify(input.spec),
        input.fingerprint,
        input.message,
        input.author,
        now,
      );
      return version;
    },
  );

  const setDeployment = database.transaction(
    (projectId: string, input: SetDeploymentInput, clock: number) => {
      const { stackName, environment } = input;
      const stack = prepare<[string, string], number>(
        'SELECT 1 FROM stacks WHERE project_id = ? AND name = ?',
      )
        .pluck()
        .get(projectId, stackName);
      if (stack === undefined) throw new NotFoundError(`stack "${stackName}"`);
      // History is read newest first by time: an event never gets an earlier time than the one
      // written before it (the clock was read before the write lock was granted).
      const latest = prepare<[string, string], number | null>(
        'SELECT max(created_at) FROM deployment_events WHERE project_id = ? AND stack_name = ?',
      )
        .pluck()
        .get(projectId, stackName);
      const now = Math.max(clock, latest ?? 0);
      const version = prepare<[string, string, number], number>(
        'SELECT 1 FROM stack_versions WHERE project_id = ? AND stack_name = ? AND version = ?',
      )
        .pluck()
        .get(projectId, stackName, input.version);
      if (version === undefined) throw new NotFoundError(`version ${input.version} of stack "${stackName}"`);
      const current =
        prepare<[string, string, string], number>(
          'SELECT version FROM deployments WHERE project_id = ? AND stack_name = ? AND environment = ?',
        )
          .pluck()
          .get(projectId, stackName, environment) ?? null;
      checkExpectedVersion(input, current);
      const deployment = prepare<[string, string, string, number, number, string | null], DeploymentRow>(
        'INSERT INTO deployments (project_id, stack_name, environment, version, updated_at, updated_by) ' +
          'VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (project_id, stack_name, environment) DO UPDATE SET ' +
          'version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by ' +
          `RETURNING ${DEPLOYMENT_COLUMNS}`,
      ).get(projectId, stackName, environment, input.version, now, input.actor)!;
      const event: DeploymentEvent = {
        id: newId('dep'),
        projectId,
        stackName,
        environment,
        fromVersion: current,
        toVersion: input.version,
        action: input.action,
        actor: input.actor,
        createdAt: now,
      };
      prepare(
        'INSERT INTO deployment_events (id, project_id, stack_name, environment, from_version, to_version, ' +
          'action, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(
        event.id,
        projectId,
        stackName,
        environment,
        event.fromVersion,
        event.toVersion,
        event.action,
        event.actor,
        now,
      );
      return { deployment: toDeployment(deployment), event };
    },
  );

  return {
    async createVersion(projectId, input) {
      try {
        return createVersion.immediate(projectId, input, Date.now(), false);
      } catch (error) {
        throw classifyError(error, {
          conflict: `stack "${input.name}" changed concurrently`,
          missing: `project ${projectId}`,
        });
      }
    },
    async createVersionIfChanged(projectId, input) {
      try {
        return { version: createVersion.immediate(projectId, input, Date.now(), true), created: true };
      } catch (error) {
        if (error instanceof UnchangedVersion)
          return { version: error.version as StackVersion, created: false };
        throw classifyError(error, {
          conflict: `stack "${input.name}" changed concurrently`,
          missing: `project ${projectId}`,
        });
      }
    },
    async get(projectId, name) {
      const row = prepare<[string, string], StackRow>(
        `SELECT ${STACK_COLUMNS} FROM stacks WHERE project_id = ? AND name = ?`,
      ).get(projectId, name);
      return row === undefined ? null : toStack(row);
    },
    async list(projectId) {
      return prepare<[string], StackRow>(
        `SELECT ${STACK_COLUMNS} FROM stacks WHERE project_id = ? ORDER BY name`,
      )
        .all(projectId)
        .map(toStack);
    },
    async getVersion(projectId, name, version) {
      const row = prepare<[string, string, number], StackVersionRow>(
        `${SELECT_STACK_VERSIONS} WHERE v.project_id = ? AND v.stack_name = ? AND v.version = ?`,
      ).get(projectId, name, version);
      return row === undefined ? null : toStackVersion(row);
    },
    async listVersions(projectId, name) {
      return prepare<[string, string], StackVersionRow>(
        `${SELECT_STACK_VERSIONS} WHERE v.project_id = ? AND v.stack_name = ? ORDER BY v.version`,
      )
        .all(projectId, name)
        .map(toStackVersion);
    },
    async setDeployment(projectId, input) {
      try {
        return setDeployment.immediate(projectId, input, Date.now());
      } catch (error) {
        throw classifyError(error, {
          conflict: `deployment of stack "${input.stackName}" changed concurrently`,
          missing: `version ${input.version} of stack "${input.stackName}"`,
        });
      }
    },
    async listDeployments(projectId, stackName) {
      const select = `SELECT ${DEPLOYMENT_COLUMNS} FROM deployments`;
      const rows =
        stackName === undefined
          ? prepare<[string], DeploymentRow>(
              `${select} WHERE project_id = ? ORDER BY stack_name, environment`,
            ).all(projectId)
          : prepare<[string, string], DeploymentRow>(
              `${select} WHERE project_id = ? AND stack_name = ? ORDER BY environment`,
            ).all(projectId, stackName);
      return rows.map(toDeployment);
    },
    async history(projectId, stackName, environment) {
      const select = `SELECT ${DEPLOYMENT_EVENT_COLUMNS} FROM deployment_events WHERE project_id = ? AND stack_name = ?`;
      const order = 'ORDER BY created_at DESC, seq DESC';
      const rows =
        environment === undefined
          ? prepare<[string, string], DeploymentEventRow>(`${select} ${order}`).all(projectId, stackName)
          : prepare<[string, string, string], DeploymentEventRow>(
              `${select} AND environment = ? ${order}`,
            ).all(projectId, stackName, environment);
      return rows.map(toDeploymentEvent);
    },
  };
}
