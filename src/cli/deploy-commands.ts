/**
 * `stackops deploy|rollback|history`: which stack version each environment serves. A deploy
 * or rollback prints the move (`support-bot production: v2 → v3`); history lists every move.
 */
import { type Command, Option } from 'commander';
import { segment } from './api-client.js';
import type { DeploymentEventJson, DeploymentJson, ListResponse } from './api-types.js';
import { addClientOptions, type ClientFlags, createContext, present } from './command-context.js';
import { formatTable, formatTime, formatVersion } from './output.js';
import { parseVersion, parseVersionOrLatest } from './parse-arguments.js';

const DEFAULT_ENVIRONMENT = 'production';

interface EnvironmentOptions extends ClientFlags {
  env: string;
}

export function renderDeployment(deployment: DeploymentJson): string {
  const target = `${deployment.stack} ${deployment.environment}`;
  if (deployment.from_version === deployment.version) return `${target}: already at v${deployment.version}`;
  const from = deployment.from_version === null ? '(none)' : `v${deployment.from_version}`;
  const rollback = deployment.action === 'rollback' ? ' (rollback)' : '';
  return `${target}: ${from} → v${deployment.version}${rollback}`;
}

export function renderHistory(answer: ListResponse<DeploymentEventJson>, stack: string): string {
  if (answer.data.length === 0) return `no deployments of ${stack} yet`;
  return formatTable(
    ['TIME', 'ENVIRONMENT', 'ACTION', 'FROM', 'TO', 'ACTOR'],
    answer.data.map((event) => [
      formatTime(event.created_at),
      event.environment,
      event.action,
      formatVersion(event.from_version),
      formatVersion(event.to_version),
      event.actor ?? '-',
    ]),
  );
}

const environmentOption = () =>
  new Option('-e, --env <environment>', 'environment').default(DEFAULT_ENVIRONMENT);

export function registerDeployCommands(program: Command): void {
  addClientOptions(
    program
      .command('deploy')
      .description('serve a stack version in an environment')
      .argument('<stack>', 'stack name')
      .argument('<version>', 'version number or latest')
      .addOption(environmentOption()),
  ).action(async (stack: string, version: string, options: EnvironmentOptions) => {
    const body = { environment: options.env, version: parseVersionOrLatest(version) };
    const context = createContext(options);
    const answer = await context.client.post<DeploymentJson>(`/api/stacks/${segment(stack)}/deploy`, body);
    present(context, answer, renderDeployment);
  });

  addClientOptions(
    program
      .command('rollback')
      .description('go back to the previously deployed version (or --to a given one)')
      .argument('<stack>', 'stack name')
      .addOption(environmentOption())
      .option('--to <version>', 'version to roll back to (default: the previous one)'),
  ).action(async (stack: string, options: EnvironmentOptions & { to?: string }) => {
    const body = {
      environment: options.env,
      ...(options.to !== undefined ? { version: parseVersion(options.to, '--to') } : {}),
    };
    const context = createContext(options);
    const answer = await context.client.post<DeploymentJson>(`/api/stacks/${segment(stack)}/rollback`, body);
    present(context, answer, renderDeployment);
  });

  addClientOptions(
    program
      .command('history')
      .description('deployments and rollbacks of a stack, newest first')
      .argument('<stack>', 'stack name')
      .option('-e, --env <environment>', 'only this environment (default: all)'),
  ).action(async (stack: string, options: ClientFlags & { env?: string }) => {
    const context = createContext(options);
    const answer = await context.client.get<ListResponse<DeploymentEventJson>>(
      `/api/stacks/${segment(stack)}/history`,
      { environment: options.env },
    );
    present(context, answer, (history) => renderHistory(history, stack));
  });
}
