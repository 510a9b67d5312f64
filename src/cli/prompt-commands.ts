/**
 * `stackops prompt push|list|show|diff|label`: versioned prompt templates. A push of
 * unchanged content creates no version (the server compares content hashes) and says so.
 */
import type { Command } from 'commander';
import { segment } from './api-client.js';
import type {
  ListResponse,
  PromptDiffJson,
  PromptPushJson,
  PromptSummaryJson,
  PromptVersionJson,
} from './api-types.js';
import { usageError } from './cli-error.js';
import { addClientOptions, type ClientFlags, createContext, present } from './command-context.js';
import { readValidatedDocument } from './document-file.js';
import type { PromptFile } from './file-schemas.js';
import {
  colorizeDiff,
  formatParams,
  formatTable,
  formatTime,
  formatVersionMap,
  shortHash,
} from './output.js';
import { collect, parseNameRef, parseVersion, refSegment } from './parse-arguments.js';

interface PushOptions extends ClientFlags {
  name?: string;
  message?: string;
  label?: string[];
}

/** The POST /api/prompts body for a file and the push flags (`--name` wins over the file). */
export function promptPushBody(file: PromptFile, options: Omit<PushOptions, keyof ClientFlags>) {
  const name = options.name?.trim() || file.name;
  if (!name) throw usageError('the prompt has no name: add "name:" to the file or pass --name');
  const commitMessage = options.message ?? file.message;
  const labels = [...new Set([...(file.labels ?? []), ...(options.label ?? [])])];
  return {
    name,
    messages: file.messages,
    ...(file.variables ? { variables: file.variables } : {}),
    ...(file.params ? { params: file.params } : {}),
    ...(commitMessage ? { commit_message: commitMessage } : {}),
    ...(labels.length > 0 ? { labels } : {}),
  };
}

export function renderPromptPush(answer: PromptPushJson): string {
  const labels = answer.labels && answer.labels.length > 0 ? ` (labels: ${answer.labels.join(', ')})` : '';
  return `${answer.name}@${answer.version} ${answer.created ? 'created' : 'unchanged'}${labels}`;
}

export function renderPromptList(answer: ListResponse<PromptSummaryJson>): string {
  if (answer.data.length === 0) return 'no prompts yet (stackops prompt push <file>)';
  return formatTable(
    ['NAME', 'LATEST', 'LABELS', 'CREATED'],
    answer.data.map((prompt) => [
      prompt.name,
      `v${prompt.latest_version}`,
      formatVersionMap(prompt.labels),
      formatTime(prompt.created_at),
    ]),
  );
}

export function renderPromptVersion(version: PromptVersionJson): string {
  const labels =
    version.labels && version.labels.length > 0 ? `  (labels: ${version.labels.join(', ')})` : '';
  const header = formatTable(null, [
    ['message:', version.commit_message ?? '-'],
    ['author:', version.author ?? '-'],
    ['created:', formatTime(version.created_at)],
    ['hash:', shortHash(version.content_hash)],
  ]);
  const messages = version.messages.map((message) => `[${message.role}]\n${message.content}`).join('\n\n');
  const variables = Object.entries(version.variables ?? {});
  const variableLines =
    variables.length === 0
      ? 'variables: -'
      : `variables:\n${formatTable(
          null,
          variables.map(([name, spec]) => [
            `  ${name}`,
            spec.required ? 'required' : 'optional',
            [
              spec.default === undefined ? '' : `default ${JSON.stringify(spec.default)}`,
              spec.description ?? '',
            ]
              .filter(Boolean)
              .join('  '),
          ]),
        )}`;
  return [
    `${version.name}@${version.version}${labels}`,
    header,
    '',
    messages,
    '',
    variableLines,
    `params: ${formatParams(version.params)}`,
  ].join('\n');
}

export function registerPromptCommands(program: Command): void {
  const prompt = program.command('prompt').description('version prompt templates');

  addClientOptions(
    prompt
      .command('push')
      .description('create a prompt version from a YAML or JSON file (no new version if unchanged)')
      .argument('<file>', 'prompt file: {name?, messages, variables?, params?, message?, labels?}')
      .option('--name <name>', 'prompt name (overrides the file)')
      .option('-m, --message <message>', 'commit message')
      .option('-l, --label <label>', 'point this label at the version (repeatable)', collect),
  ).action(async (file: string, options: PushOptions) => {
    const { promptFileSchema } = await import('./file-schemas.js');
    const body = promptPushBody(await readValidatedDocument(file, promptFileSchema), options);
    const context = createContext(options);
    present(context, await context.client.post<PromptPushJson>('/api/prompts', body), renderPromptPush);
  });

  addClientOptions(prompt.command('list').description('list prompts with their labels')).action(
    async (options: ClientFlags) => {
      const context = createContext(options);
      present(
        context,
        await context.client.get<ListResponse<PromptSummaryJson>>('/api/prompts'),
        renderPromptList,
      );
    },
  );

  addClientOptions(
    prompt
      .command('show')
      .description('show one prompt version (default: latest)')
      .argument('<prompt>', 'NAME, NAME@VERSION or NAME@LABEL'),
  ).action(async (reference: string, options: ClientFlags) => {
    const { name, ref } = parseNameRef(reference, 'prompt');
    const context = createContext(options);
    const path = `/api/prompts/${segment(name)}/versions/${segment(refSegment(ref))}`;
    present(context, await context.client.get<PromptVersionJson>(path), renderPromptVersion);
  });

  addClientOptions(
    prompt
      .command('diff')
      .description('unified diff between two versions of a prompt')
      .argument('<name>', 'prompt name')
      .argument('<from>', 'version, label or latest')
      .argument('<to>', 'version, label or latest'),
  ).action(async (name: string, from: string, to: string, options: ClientFlags) => {
    const context = createContext(options);
    const answer = await context.client.get<PromptDiffJson>(`/api/prompts/${segment(name)}/diff`, {
      from: refSegment(from),
      to: refSegment(to),
    });
    present(context, answer, (diff) =>
      diff.diff.trim() === ''
        ? `no differences between ${name}@${from} and ${name}@${to}`
        : colorizeDiff(diff.diff.replace(/\n$/, ''), context.output.color),
    );
  });

  addClientOptions(
    prompt
      .command('label')
      .description('point a label (production, staging…) at a version, or remove it with --delete')
      .argument('<name>', 'prompt name')
      .argument('<label>', 'label name')
      .argument('[version]', 'version number (not with --delete)')
      .option('--delete', 'remove the label'),
  ).action(
    async (
      name: string,
      label: string,
      version: string | undefined,
      options: ClientFlags & { delete?: boolean },
    ) => {
      const path = `/api/prompts/${segment(name)}/labels/${segment(label)}`;
      if (options.delete) {
        if (version !== undefined) throw usageError('--delete takes no version');
        const context = createContext(options);
        present(context, await context.client.delete<unknown>(path), () => `${name}: label ${label} removed`);
        return;
      }
      if (version === undefined) throw usageError('missing version (or pass --delete to remove the label)');
      const number = parseVersion(version);
      const context = createContext(options);
      // The answer is the prompt with all its labels.
      const answer = await context.client.put<PromptSummaryJson>(path, { version: number });
      present(context, answer, (prompt) => `${name}: ${label} → v${prompt.labels?.[label] ?? number}`);
    },
  );
}
