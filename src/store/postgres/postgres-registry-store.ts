/**
 * Postgres registry stores: prompts, adapters, stacks and deployments. Version numbers are
 * handed out under a row lock, so concurrent pushes from any number of replicas get distinct
 * numbers with no gap: prompts and stacks reserve the next number with
 * `INSERT … ON CONFLICT DO UPDATE SET latest_version = latest_version + 1` (the parent row stays
 * locked until commit); adapters have no parent row and take a transaction-scoped advisory lock
 * on (project, name). setDeployment locks the stack row, then reads, checks and writes.
 */
import type { Adapter, DeploymentEvent, Prompt, PromptVersion, StackVersion } from '../../core/index.js';
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
  CreatePromptVersionInput,
  CreateStackVersionInput,
  PromptStore,
  StackStore,
} from '../store.js';
import { UnchangedVersion } from '../unchanged-version.js';
import { type Pool, withRetriedTransaction, withTransaction } from './connection.js';

interface NextVersion {
  id: string;
  latest_version: number;
}

/** Creates the parent row or bumps its counter; the row stays locked until the transaction ends. */
const reserveVersion = (table: 'prompts' | 'stacks'): string =>
  `INSERT INTO ${table} AS parent (id, project_id, name, latest_version, created_at) VALUES ($1, $2, $3, 1, $4) ` +
  'ON CONFLICT (project_id, name) DO UPDATE SET latest_version = parent.latest_version + 1 ' +
  'RETURNING id, latest_version';

export function createPostgresPromptStore(pool: Pool): PromptStore {
  const getPrompt = async (projectId: string, name: string): Promise<Prompt | null> => {
    const found = await pool.query<PromptRow>(
      `SELECT ${PROMPT_COLUMNS} FROM prompts WHERE project_id = $1 AND name = $2`,
      [projectId, name],
    );
    const row = found.rows[0];
    if (row === undefined) return null;
    const labels = await pool.query<PromptLabelRow>(
      'SELECT prompt_name, label, version FROM prompt_labels WHERE project_id = $1 AND prompt_name = $2',
      [projectId, name],
    );
    return toPrompt(row, groupLabels(labels.rows).get(name) ?? {});
  };

  const createVersion = async (
    projectId: string,
    input: CreatePromptVersionInput,
    onlyIfChanged: boolean,
  ): Promise<{ version: PromptVersion; created: boolean }> => {
    const now = Date.now();
    try {
      return await withTransaction(pool, async (client) => {
        const reserved = await client.query<NextVersion>(reserveVersion('prompts'), [
          newId('prompt'),
          projectId,
          input.name,
          now,
        ]);
        const parent = reserved.rows[0]!;
        if (onlyIfChanged && parent.latest_version > 1) {
          // The reservation holds the prompt row's lock: a concurrent push of the same content
          // has committed by now, and its version is the one before ours.
          const previous = await client.query<PromptVersionRow>(
            `${SELECT_PROMPT_VERSIONS} WHERE v.project_id = $1 AND v.prompt_name = $2 AND v.version = $3`,
            [projectId, input.name, parent.latest_version - 1],
          );
          const row = previous.rows[0];
          if (row !== undefined && row.content_hash === input.contentHash)
            throw new UnchangedVersion(toPromptVersion(row));
        }
        await client.query(
          'INSERT INTO prompt_versions (project_id, prompt_name, version, messages, variables, params, ' +
            'commit_message, author, content_hash, created_at) ' +
            'VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6::jsonb, $7, $8, $9, $10)',
          [
            projectId,
            input.name,
            parent.latest_version,
            JSON.stringify(input.messages),
            JSON.stringify(input.variables),
            JSON.stringify(input.params),
            input.commitMessage,
            input.author,
            input.contentHash,
            now,
          ],
        );
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
        return { version, created: true };
      });
    } catch (error) {
      // Rolled back: the number reserved for it is given back.
      if (error instanceof UnchangedVersion)
        return { version: error.version as PromptVersion, created: false };
      throw classifyError(error, {
        conflict: `prompt "${input.name}" changed concurrently`,
        missing: `project ${projectId}`,
      });
    }
  };

  return {
    async createVersion(projectId, input) {
      return (await createVersion(projectId, input, false)).version;
    },
    createVersionIfChanged: (projectId, input) => createVersion(projectId, input, true),
    get: getPrompt,
    async list(projectId) {
      const [prompts, labels] = await Promise.all([
        pool.query<PromptRow>(`SELECT ${PROMPT_COLUMNS} FROM prompts WHERE project_id = $1 ORDER BY name`, [
          projectId,
        ]),
        pool.query<PromptLabelRow>(
          'SELECT prompt_name, label, version FROM prompt_labels WHERE project_id = $1',
          [projectId],
        ),
      ]);
      const byPrompt = groupLabels(labels.rows);
      return prompts.rows.map((row) => toPrompt(row, byPrompt.get(row.name) ?? {}));
    },
    async getVersion(projectId, name, version) {
      const result = await pool.query<PromptVersionRow>(
        `${SELECT_PROMPT_VERSIONS} WHERE v.project_id = $1 AND v.prompt_name = $2 AND v.version = $3`,
        [projectId, name, version],
      );
      const row = result.rows[0];
      return row === undefined ? null : toPromptVersion(row);
    },
    async listVersions(projectId, name) {
      const result = await pool.query<PromptVersionRow>(
        `${SELECT_PROMPT_VERSIONS} WHERE v.project_id = $1 AND v.prompt_name = $2 ORDER BY v.version`,
        [projectId, name],
      );
      return result.rows.map(toPromptVersion);
    },
    async setLabel(projectId, name, label, version) {
      // Only an existing version can be labelled: the INSERT … SELECT writes nothing otherwise.
      const written = await pool.query(
        'INSERT INTO prompt_labels (project_id, prompt_name, label, version, updated_at) ' +
          'SELECT project_id, prompt_name, $1, version, $2 FROM prompt_versions ' +
          'WHERE project_id = $3 AND prompt_name = $4 AND version = $5 ' +
          'ON CONFLICT (project_id, prompt_name, label) DO UPDATE SET ' +
          'version = excluded.version, updated_at = excluded.updated_at',
        [label, Date.now(), projectId, name, version],
      );
      const prompt = await getPrompt(projectId, name);
      if (prompt === null) throw new NotFoundError(`prompt "${name}"`);
      if ((written.rowCount ?? 0) === 0) throw new NotFoundError(`version ${version} of prompt "${name}"`);
      return prompt;
    },
    async deleteLabel(projectId, name, label) {
      const result = await pool.query(
        'DELETE FROM prompt_labels WHERE project_id = $1 AND prompt_name = $2 AND label = $3',
        [projectId, name, label],
      );
      return (result.rowCount ?? 0) > 0;
    },
  };
}

export function createPostgresAdapterStore(pool: Pool): AdapterStore {
  const select = `SELECT ${ADAPTER_COLUMNS} FROM adapters`;
  return {
    async create(projectId, input) {
      const now = Date.now();
      try {
        return await withTransaction(pool, async (client): Promise<Adapter> => {
          // No parent row to lock: serialise creates of one (project, name) with an advisory lock.
          await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
            JSON.stringify(['stackops:adapter', projectId, input.name]),
          ]);
          const latest = await client.query<{ latest: number }>(
            'SELECT coalesce(max(version), 0) AS latest FROM adapters WHERE project_id = $1 AND name = $2',
            [projectId, input.name],
          );
          const adapter: Adapter = {
            id: newId('adapter'),
            projectId,
            name: input.name,
            version: latest.rows[0]!.latest + 1,
            baseModel: input.baseModel,
            upstreamAdapter: input.upstreamAdapter,
            metadata: input.metadata,
            contentHash: input.contentHash,
            createdAt: now,
          };
          await client.query(
            'INSERT INTO adapters (id, project_id, name, version, base_model, upstream_adapter, metadata, ' +
              'content_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)',
            [
              adapter.id,
              projectId,
              adapter.name,
              adapter.version,
              adapter.baseModel,
              adapter.upstreamAdapter,
              JSON.stringify(adapter.metadata),
              adapter.contentHash,
              now,
            ],
          );
          return adapter;
        });
      } catch (error) {
        throw classifyError(error, {
          conflict: `adapter "${input.name}" changed concurrently`,
          missing: `project ${projectId}`,
        });
      }
    },
    async get(projectId, name, version) {
      const result =
        version === undefined
          ? await pool.query<AdapterRow>(
              `${select} WHERE project_id = $1 AND name = $2 ORDER BY version DESC LIMIT 1`,
              [projectId, name],
            )
          : await pool.query<AdapterRow>(`${select} WHERE project_id = $1 AND name = $2 AND version = $3`, [
              projectId,
              name,
              version,
            ]);
      const row = result.rows[0];
      return row === undefined ? null : toAdapter(row);
    },
    async list(projectId) {
      const result = await pool.query<AdapterRow>(`${select} WHERE project_id = $1 ORDER BY name, version`, [
        projectId,
      ]);
      return result.rows.map(toAdapter);
    },
  };
}

export function createPostgresStackStore(pool: Pool): StackStore {
  const createVersion = async (
    projectId: string,
    input: CreateStackVersionInput,
    onlyIfChanged: boolean,
  ): Promise<{ version: StackVersion; created: boolean }> => {
    const now = Date.now();
    try {
      return await withTransaction(pool, async (client) => {
        // The pinned snapshot is locked FOR SHARE until commit: a deletion (which locks it
        // FOR UPDATE, then reads the pins) either waits and sees this version, or ran first
        // and the snapshot is gone here.
        const pinned = input.spec.knowledge;
        if (pinned) {
          const live = await client.query(
            'SELECT 1 FROM knowledge_snapshots WHERE project_id = $1 AND base = $2 AND version = $3 ' +
              "AND status = 'ready' AND deleted_at IS NULL FOR SHARE",
            [projectId, pinned.name, pinned.snapshot],
          );
          if (live.rowCount === 0) {
            throw new NotFoundError(`Snapshot ${pinned.name}@${pinned.snapshot}`, { param: 'knowledge' });
          }
        }
        const reserved = await client.query<NextVersion>(reserveVersion('stacks'), [
          newId('stack'),
          projectId,
          input.name,
          now,
        ]);
        const parent = reserved.rows[0]!;
        if (onlyIfChanged && parent.latest_version > 1) {
          // As for prompts: under the stack row's lock, the version before ours is the newest.
          const previous = await client.query<StackVersionRow>(
            `${SELECT_STACK_VERSIONS} WHERE v.project_id = $1 AND v.stack_name = $2 AND v.version = $3`,
            [projectId, input.name, parent.latest_version - 1],
          );
          const row = previous.rows[0];
          if (row !== undefined && row.fingerprint === input.fingerprint)
            throw new UnchangedVersion(toStackVersion(row));
        }
        await client.query(
          'INSERT INTO stack_versions (project_id, stack_name, version, spec, fingerprint, message, author, ' +
            'created_at) VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)',
          [
            projectId,
            input.name,
            parent.latest_version,
            JSON.stringify(input.spec),
            input.fingerprint,
            input.message,
            input.author,
            now,
          ],
        );
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
        return { version, created: true };
      });
    } catch (error) {
      if (error instanceof UnchangedVersion)
        return { version: error.version as StackVersion, created: false };
      throw classifyError(error, {
        conflict: `stack "${input.name}" changed concurrently`,
        missing: `project ${projectId}`,
      });
    }
  };

  return {
    async createVersion(projectId, input) {
      return (await createVersion(projectId, input, false)).version;
    },
    createVersionIfChanged: (projectId, input) => createVersion(projectId, input, true),
    async get(projectId, name) {
      const result = await pool.query<StackRow>(
        `SELECT ${STACK_COLUMNS} FROM stacks WHERE project_id = $1 AND name = $2`,
        [projectId, name],
      );
      const row = result.rows[0];
      return row === undefined ? null : toStack(row);
    },
    async list(projectId) {
      const result = await pool.query<StackRow>(
        `SELECT ${STACK_COLUMNS} FROM stacks WHERE project_id = $1 ORDER BY name`,
        [projectId],
      );
      return result.rows.map(toStack);
    },
    async getVersion(projectId, name, version) {
      const result = await pool.query<StackVersionRow>(
        `${SELECT_STACK_VERSIONS} WHERE v.project_id = $1 AND v.stack_name = $2 AND v.version = $3`,
        [projectId, name, version],
      );
      const row = result.rows[0];
      return row === undefined ? null : toStackVersion(row);
    },
    async listVersions(projectId, name) {
      const result = await pool.query<StackVersionRow>(
        `${SELECT_STACK_VERSIONS} WHERE v.project_id = $1 AND v.stack_name = $2 ORDER BY v.version`,
        [projectId, name],
      );
      return result.rows.map(toStackVersion);
    },
    async setDeployment(projectId, input) {
      const { stackName, environment } = input;
      try {
        return await withRetriedTransaction(pool, async (client) => {
          // The stack row lock serialises deployments of this stack, including an environment's
          // first one (no deployment row to lock yet). NO KEY UPDATE leaves FK inserts unblocked.
          const stack = await client.query(
            'SELECT 1 FROM stacks WHERE project_id = $1 AND name = $2 FOR NO KEY UPDATE',
            [projectId, stackName],
          );
          if (stack.rowCount === 0) throw new NotFoundError(`stack "${stackName}"`);
          // History is read newest first by time, so the time is taken under the lock, and never
          // earlier than the previous event's (another replica's clock may be behind).
          const latest = await client.query<{ latest: string | null }>(
            'SELECT max(created_at) AS latest FROM deployment_events WHERE project_id = $1 AND stack_name = $2',
            [projectId, stackName],
          );
          const now = Math.max(Date.now(), Number(latest.rows[0]?.latest ?? 0));
          const version = await client.query(
            'SELECT 1 FROM stack_versions WHERE project_id = $1 AND stack_name = $2 AND version = $3',
            [projectId, stackName, input.version],
          );
          if (version.rowCount === 0)
            throw new NotFoundError(`version ${input.version} of stack "${stackName}"`);
          const current = await client.query<{ version: number }>(
            'SELECT version FROM deployments WHERE project_id = $1 AND stack_name = $2 AND environment = $3',
            [projectId, stackName, environment],
          );
          const fromVersion = current.rows[0]?.version ?? null;
          checkExpectedVersion(input, fromVersion);
          const deployment = await client.query<DeploymentRow>(
            'INSERT INTO deployments (project_id, stack_name, environment, version, updated_at, updated_by) ' +
              'VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (project_id, stack_name, environment) DO UPDATE SET ' +
              'version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by ' +
              `RETURNING ${DEPLOYMENT_COLUMNS}`,
            [projectId, stackName, environment, input.version, now, input.actor],
          );
          const event: DeploymentEvent = {
            id: newId('dep'),
            projectId,
            stackName,
            environment,
            fromVersion,
            toVersion: input.version,
            action: input.action,
            actor: input.actor,
            createdAt: now,
          };
          await client.query(
            'INSERT INTO deployment_events (id, project_id, stack_name, environment, from_version, to_version, ' +
              'action, actor, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
            [
              event.id,
              projectId,
              stackName,
              environment,
              fromVersion,
              event.toVersion,
              event.action,
              event.actor,
              now,
            ],
          );
          return { deployment: toDeployment(deployment.rows[0]!), event };
        });
      } catch (error) {
        throw classifyError(error, {
          conflict: `deployment of stack "${stackName}" changed concurrently`,
          missing: `version ${input.version} of stack "${stackName}"`,
        });
      }
    },
    async listDeployments(projectId, stackName) {
      const select = `SELECT ${DEPLOYMENT_COLUMNS} FROM deployments`;
      const result =
        stackName === undefined
          ? await pool.query<DeploymentRow>(
              `${select} WHERE project_id = $1 ORDER BY stack_name, environment`,
              [projectId],
            )
          : await pool.query<DeploymentRow>(
              `${select} WHERE project_id = $1 AND stack_name = $2 ORDER BY environment`,
              [projectId, stackName],
            );
      return result.rows.map(toDeployment);
    },
    async history(projectId, stackName, environment) {
      const select = `SELECT ${DEPLOYMENT_EVENT_COLUMNS} FROM deployment_events WHERE project_id = $1 AND stack_name = $2`;
      const order = 'ORDER BY created_at DESC, seq DESC';
      const result =
        environment === undefined
          ? await pool.query<DeploymentEventRow>(`${select} ${order}`, [projectId, stackName])
          : await pool.query<DeploymentEventRow>(`${select} AND environment = $3 ${order}`, [
              projectId,
              stackName,
              environment,
            ]);
      return result.rows.map(toDeploymentEvent);
    },
  };
}
