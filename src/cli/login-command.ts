/**
 * `stackops login --url URL --key KEY`: check the key against the server (GET /api/projects)
 * and only then save URL and key, mode 0600, for the other commands. `--key -` reads the key
 * from stdin, which keeps it out of shell history and the process list.
 */
import type { Command } from 'commander';
import { createApiClient } from './api-client.js';
import type { ListResponse, ProjectJson } from './api-types.js';
import { usageError } from './cli-error.js';
import { credentialsPath, resolveLoginConnection, writeCredentials } from './credentials.js';
import { createOutput } from './output.js';

interface LoginOptions {
  url?: string;
  key?: string;
  json?: boolean;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8').trim();
}

export function renderLogin(url: string, path: string, projects: ListResponse<ProjectJson>): string {
  const names = projects.data.map((project) => project.name);
  const scope = names.length === 1 ? `project ${names[0]}` : `instance admin, ${names.length} projects`;
  return `logged in to ${url} (${scope})\ncredentials saved to ${path}`;
}

export function registerLoginCommand(program: Command): void {
  program
    .command('login')
    .description('verify an API key and save it with its URL for the other commands')
    .option('--url <url>', 'StackOps URL (default: $STACKOPS_URL, else http://127.0.0.1:7300)')
    .option('--key <key>', 'API key, or - to read it from stdin (default: $STACKOPS_API_KEY)')
    .option('--json', 'print the raw JSON response of the check')
    .action(async (options: LoginOptions) => {
      const key = options.key === '-' ? await readStdin() : options.key;
      const connection = resolveLoginConnection({ url: options.url, key });
      if (!connection.apiKey) throw usageError('missing --key (or set STACKOPS_API_KEY)');
      const client = createApiClient({ url: connection.url, apiKey: connection.apiKey });
      const projects = await client.get<ListResponse<ProjectJson>>('/api/projects');
      const path = credentialsPath();
      writeCredentials(path, {
        url: connection.url,
        api_key: connection.apiKey,
        saved_at: new Date().toISOString(),
      });
      const output = createOutput();
      if (options.json) output.json(projects);
      else output.print(renderLogin(connection.url, path, projects));
    });
}
