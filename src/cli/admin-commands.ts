/**
 * `stackops projects|keys|demo`: tenancy and housekeeping. Secrets (a new key, a new
 * project's admin key) are printed once, as the server returns them once.
 */
import { type Command, Option } from 'commander';
import { segment } from './api-client.js';
import type { CreatedProjectJson, DemoRemoveJson, KeyJson, ListResponse, ProjectJson } from './api-types.js';
import { addClientOptions, type ClientFlags, createContext, present } from './command-context.js';
import { formatTable, formatTime } from './output.js';

const ROLES = ['admin', 'developer', 'viewer', 'client'];

export function renderProjects(answer: ListResponse<ProjectJson>): string {
  if (answer.data.length === 0) return 'no projects';
  return formatTable(
    ['ID', 'NAME', 'DEMO', 'CREATED'],
    answer.data.map((project) => [
      project.id,
      project.name,
      project.is_demo ? 'yes' : '',
      formatTime(project.created_at),
    ]),
  );
}

export function renderCreatedProject(project: CreatedProjectJson): string {
  const lines = [`created project ${project.name} (${project.id})`];
  if (project.admin_key?.secret)
    lines.push(`admin key (shown once, save it now): ${project.admin_key.secret}`);
  return lines.join('\n');
}

export function renderKeys(answer: ListResponse<KeyJson>): string {
  if (answer.data.length === 0) return 'no keys';
  return formatTable(
    ['ID', 'NAME', 'ROLE', 'PREFIX', 'CREATED', 'REVOKED'],
    answer.data.map((key) => [
      key.id,
      key.name,
      key.instance_admin ? `${key.role} (instance)` : key.role,
      key.prefix ? `${key.prefix}…` : '-',
      formatTime(key.created_at),
      key.revoked_at ? formatTime(key.revoked_at) : '',
    ]),
  );
}

export function renderCreatedKey(key: KeyJson): string {
  return [
    `created key ${key.name} (${key.id}, role ${key.role})`,
    `secret (shown once, save it now): ${key.secret ?? '-'}`,
  ].join('\n');
}

export function registerAdminCommands(program: Command): void {
  const projects = program
    .command('projects')
    .description('projects (tenants); creating one needs an instance admin key');
  addClientOptions(projects.command('list').description('list the projects this key can see')).action(
    async (options: ClientFlags) => {
      const context = createContext(options);
      present(context, await context.client.get<ListResponse<ProjectJson>>('/api/projects'), renderProjects);
    },
  );
  addClientOptions(
    projects
      .command('create')
      .description('create a project and its first admin key')
      .argument('<name>', 'project name'),
  ).action(async (name: string, options: ClientFlags) => {
    const context = createContext(options);
    present(
      context,
      await context.client.post<CreatedProjectJson>('/api/projects', { name }),
      renderCreatedProject,
    );
  });

  const keys = program.command('keys').description("API keys of the key's project (needs an admin key)");
  addClientOptions(
    keys
      .command('create')
      .description('create an API key; its secret is shown once')
      .argument('<name>', 'what the key is for')
      .addOption(new Option('-r, --role <role>', 'role (server default: client)').choices(ROLES)),
  ).action(async (name: string, options: ClientFlags & { role?: string }) => {
    const context = createContext(options);
    const body = { name, ...(options.role ? { role: options.role } : {}) };
    present(context, await context.client.post<KeyJson>('/api/keys', body), renderCreatedKey);
  });
  addClientOptions(keys.command('list').description('list API keys (never their secrets)')).action(
    async (options: ClientFlags) => {
      const context = createContext(options);
      present(context, await context.client.get<ListResponse<KeyJson>>('/api/keys'), renderKeys);
    },
  );
  addClientOptions(keys.command('revoke').description('revoke an API key').argument('<id>', 'key id')).action(
    async (id: string, options: ClientFlags) => {
      const context = createContext(options);
      present(
        context,
        await context.client.delete<KeyJson>(`/api/keys/${segment(id)}`),
        (key) => `revoked key ${key.name} (${key.id})`,
      );
    },
  );

  const demo = program.command('demo').description('the demo project seeded on a new data dir');
  addClientOptions(demo.command('remove').description('delete the demo project and everything in it')).action(
    async (options: ClientFlags) => {
      const context = createContext(options);
      present(context, await context.client.delete<DemoRemoveJson>('/api/demo'), (answer) =>
        answer.removed ? `demo project removed (${answer.project_id ?? '-'})` : 'no demo project to remove',
      );
    },
  );
}
