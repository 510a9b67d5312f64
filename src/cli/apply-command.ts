/**
 * `stackops apply -f stackops.yaml [--dry-run]`: send a whole declarative document (guard
 * policies, prompts, adapters, stacks, deployments) to the server, which makes the registry match it and
 * reports one change per object. The server validates the document; the CLI only checks
 * that the file parses to a mapping.
 */
import type { Command } from 'commander';
import type { ApplyJson } from './api-types.js';
import { CliError } from './cli-error.js';
import { addClientOptions, type ClientFlags, createContext, present } from './command-context.js';
import { readDocument } from './document-file.js';
import { countSummary, formatTable } from './output.js';

export function renderApply(answer: ApplyJson, dryRun: boolean): string {
  if (answer.changes.length === 0) return dryRun ? 'dry run: nothing to change' : 'nothing to change';
  const lines = formatTable(
    null,
    answer.changes.map((change) => [
      change.kind,
      change.name,
      change.action,
      change.version === null || change.version === undefined ? '' : `v${change.version}`,
      change.detail ?? '',
    ]),
  );
  const summary = countSummary(answer.changes.map((change) => change.action));
  return `${lines}\n\n${dryRun ? `dry run: ${summary} (nothing was changed)` : summary}`;
}

export function registerApplyCommand(program: Command): void {
  addClientOptions(
    program
      .command('apply')
      .description('make guard policies, prompts, adapters, stacks and deployments match a YAML document')
      .requiredOption('-f, --file <file>', 'the document (YAML or JSON)')
      .option('--dry-run', 'report what would change without changing anything'),
  ).action(async (options: ClientFlags & { file: string; dryRun?: boolean }) => {
    const document = await readDocument(options.file);
    if (typeof document !== 'object' || document === null || Array.isArray(document))
      throw new CliError('file', `${options.file}: expected a mapping (prompts:, stacks:, …) at the top`);
    const dryRun = options.dryRun === true;
    const context = createContext(options);
    const answer = await context.client.post<ApplyJson>('/api/apply', { document, dry_run: dryRun });
    present(context, answer, (applied) => renderApply(applied, dryRun));
  });
}
