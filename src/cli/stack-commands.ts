/**
 * `stackops stack create|list|show|diff`: Model Stacks, immutable versions that pin a model,
 * an adapter, a prompt version and parameters. Creating a stack whose content did not change
 * creates no version (the server compares fingerprints) and says so.
 */
import type { Command } from 'commander';
import { segment } from './api-client.js';
import type {
  ListResponse,
  StackCreateJson,
  StackDetailJson,
  StackDiffJson,
  StackSummaryJson,
  StackVersionJson,
} from './api-types.js';
import { usageError } from './cli-error.js';
import { addClientOptions, type ClientFlags, createContext, present } from './command-context.js';
import { readValidatedDocument } from './document-file.js';
import type { StackFile } from './file-schemas.js';
import {
  colorizeDiff,
  formatParams,
  formatRef,
  formatTable,
  formatTime,
  formatValue,
  formatVersionMap,
  shortHash,
} from './output.js';
import {
  collect,
  parseNameRef,
  parseParams,
  parseVersion,
  refSegment,
  versionNumber,
} from './parse-arguments.js';

export interface StackCreateOptions extends ClientFlags {
  file?: string;
  model?: string;
  adapter?: string;
  prompt?: string;
  knowledge?: string;
  guard?: string;
  param?: string[];
  message?: string;
}

export interface StackCreateBody {
  name: string;
  model: string;
  adapter?: string | null;
  prompt?: string | null;
  knowledge?: string | null;
  guard?: string | null;
  retrieval?: Record<string, unknown> | null;
  params?: Record<string, unknown>;
  message?: string;
}

/**
 * The POST /api/stacks body: the file (if any) as the base, the command line on top; params
 * merge key by key. An adapter is pinned by number (`tone@2`); a prompt by number or label.
 */
export function stackCreateBody(
  name: string | undefined,
  file: StackFile,
  options: Omit<StackCreateOptions, keyof ClientFlags | 'file'>,
): StackCreateBody {
  const stackName = name?.trim() || file.name;
  const model = options.model?.trim() || file.model;
  if (!stackName)
    throw usageError('missing stack name: stackops stack create NAME --model M, or -f stack.yaml');
  if (!model) throw usageError(`stack ${stackName} has no model: pass --model or set "model:" in the file`);
  const adapter = options.adapter ?? file.adapter;
  const prompt = options.prompt ?? file.prompt;
  const knowledge = options.knowledge ?? file.knowledge;
  const guard = options.guard ?? file.guard;
  if (adapter) {
    const { ref } = parseNameRef(adapter, 'adapter');
    if (ref !== undefined && ref !== 'latest' && versionNumber(ref) === null)
      throw usageError(`adapter "${adapter}" must be NAME or NAME@VERSION`);
  }
  if (prompt) parseNameRef(prompt, 'prompt');
  const params = { ...file.params, ...parseParams(options.param) };
  const message = options.message ?? file.message;
  return {
    name: stackName,
    model,
    ...(adapter !== undefined ? { adapter } : {}),
    ...(prompt !== undefined ? { prompt } : {}),
    ...(knowledge !== undefined ? { knowledge } : {}),
    ...(guard !== undefined ? { guard } : {}),
    // Retrieval settings are a mapping: from the file only.
    ...(file.retrieval !== undefined ? { retrieval: file.retrieval } : {}),
    ...(Object.keys(params).length > 0 ? { params } : {}),
    ...(message !== undefined ? { message } : {}),
  };
}

export function renderStackCreate(answer: StackCreateJson): string {
  const lineage = answer.lineage ? `\n  ${answer.lineage}` : '';
  return `${answer.name}@${answer.version} ${answer.created ? 'created' : 'unchanged'} (fingerprint ${shortHash(answer.fingerprint)})${lineage}`;
}

export function renderStackList(answer: ListResponse<StackSummaryJson>): string {
  if (answer.data.length === 0) return 'no stacks yet (stackops stack create NAME --model M)';
  return formatTable(
    ['NAME', 'LATEST', 'DEPLOYMENTS'],
    answer.data.map((stack) => [stack.name, `v${stack.latest_version}`, formatVersionMap(stack.deployments)]),
  );
}

/** The environments currently serving each version: { 3: ['production'] }. */
function environmentsByVersion(deployments: Record<string, number> | undefined): Map<number, string[]> {
  const byVersion = new Map<number, string[]>();
  for (const [environment, version] of Object.entries(deployments ?? {}).sort(([a], [b]) =>
    a.localeCompare(b),
  ))
    byVersion.set(version, [...(byVersion.get(version) ?? []), environment]);
  return byVersion;
}

export function renderStackDetail(stack: StackDetailJson): string {
  const deployed = environmentsByVersion(stack.deployments);
  const versions = [...(stack.versions ?? [])].sort((a, b) => b.version - a.version);
  const table = formatTable(
    [
      'VERSION',
      'MODEL',
      'ADAPTER',
      'PROMPT',
      'KNOWLEDGE',
      'GUARD',
      'PARAMS',
      'FINGERPRINT',
      'DEPLOYED',
      'CREATED',
      'MESSAGE',
    ],
    versions.map((version) => [
      `v${version.version}`,
      version.spec.model,
      formatRef(version.spec.adapter),
      formatRef(version.spec.prompt),
      version.spec.knowledge ? `${version.spec.knowledge.name}@${version.spec.knowledge.snapshot}` : '-',
      formatRef(version.spec.guard ?? null),
      formatParams(version.spec.params),
      shortHash(version.fingerprint),
      deployed.get(version.version)?.join(',') ?? '',
      formatTime(version.created_at),
      version.message ?? '',
    ]),
  );
  return [
    `${stack.name}  latest v${stack.latest_version}  deployments: ${formatVersionMap(stack.deployments)}`,
    '',
    table,
  ].join('\n');
}

export function renderStackVersion(version: StackVersionJson, name: string): string {
  const { spec } = version;
  const rows: string[][] = [
    ['lineage:', version.lineage ?? '-'],
    ['fingerprint:', version.fingerprint ?? '-'],
    ['model:', spec.model],
    ['adapter:', formatRef(spec.adapter)],
    ['prompt:', formatRef(spec.prompt)],
    ['knowledge:', spec.knowledge ? `${spec.knowledge.name}@${spec.knowledge.snapshot}` : '-'],
    ['guard:', formatRef(spec.guard)],
    ['params:', formatParams(spec.params)],
  ];
  if (spec.retrieval) rows.push(['retrieval:', formatValue(spec.retrieval)]);
  rows.push(
    ['message:', version.message ?? '-'],
    ['author:', version.author ?? '-'],
    ['created:', formatTime(version.created_at)],
  );
  return `${version.name ?? name}@${version.version}\n${formatTable(null, rows)}`;
}

export function renderStackDiff(diff: StackDiffJson, name: string, color: boolean): string {
  const promptDiff = diff.prompt_diff?.replace(/\n$/, '') ?? '';
  if (diff.changes.length === 0 && promptDiff.trim() === '')
    return `no differences between ${name}@${diff.from} and ${name}@${diff.to}`;
  const parts = [
    formatTable(
      ['COMPONENT', `FROM (${diff.from})`, `TO (${diff.to})`],
      diff.changes.map((change) => [change.component, formatValue(change.from), formatValue(change.to)]),
    ),
  ];
  if (promptDiff.trim() !== '') parts.push('', colorizeDiff(promptDiff, color));
  return parts.join('\n');
}

export function registerStackCommands(program: Command): void {
  const stack = program
    .command('stack')
    .description('version Model Stacks (model + adapter + prompt + params)');

  addClientOptions(
    stack
      .command('create')
      .description('create a stack version (no new version if nothing changed)')
      .argument('[name]', 'stack name (or "name:" in the file)')
      .option('-f, --file <file>', 'stack file (YAML or JSON); flags override its fields')
      .option('--model <model>', 'registered model name')
      .option('--adapter <adapter>', 'LoRA adapter: NAME or NAME@VERSION')
      .option('--prompt <prompt>', 'prompt: NAME, NAME@VERSION or NAME@LABEL')
      .option('--knowledge <kb>', 'knowledge snapshot: NAME (newest) or NAME@SNAPSHOT')
      .option('--guard <policy>', 'guard policy: NAME (newest) or NAME@VERSION')
      .option(
        '--param <key=value>',
        'generation parameter, value parsed as JSON if valid (repeatable)',
        collect,
      )
      .option('-m, --message <message>', 'what changed and why'),
  ).action(async (name: string | undefined, options: StackCreateOptions) => {
    const { stackFileSchema } = await import('./file-schemas.js');
    const file = options.file ? await readValidatedDocument(options.file, stackFileSchema) : {};
    const body = stackCreateBody(name, file, options);
    const context = createContext(options);
    present(context, await context.client.post<StackCreateJson>('/api/stacks', body), renderStackCreate);
  });

  addClientOptions(stack.command('list').description('list stacks and what each environment runs')).action(
    async (options: ClientFlags) => {
      const context = createContext(options);
      present(
        context,
        await context.client.get<ListResponse<StackSummaryJson>>('/api/stacks'),
        renderStackList,
      );
    },
  );

  addClientOptions(
    stack
      .command('show')
      .description('show a stack and its versions, or one version in full')
      .argument('<stack>', 'NAME or NAME@VERSION'),
  ).action(async (reference: string, options: ClientFlags) => {
    const { name, ref } = parseNameRef(reference, 'stack');
    const context = createContext(options);
    if (ref === undefined) {
      present(
        context,
        await context.client.get<StackDetailJson>(`/api/stacks/${segment(name)}`),
        renderStackDetail,
      );
      return;
    }
    const path = `/api/stacks/${segment(name)}/versions/${segment(refSegment(ref))}`;
    present(context, await context.client.get<StackVersionJson>(path), (version) =>
      renderStackVersion(version, name),
    );
  });

  addClientOptions(
    stack
      .command('diff')
      .description('component changes between two stack versions, then the prompt diff')
      .argument('<name>', 'stack name')
      .argument('<from>', 'version number')
      .argument('<to>', 'version number'),
  ).action(async (name: string, from: string, to: string, options: ClientFlags) => {
    const query = { from: parseVersion(from, 'from'), to: parseVersion(to, 'to') };
    const context = createContext(options);
    const answer = await context.client.get<StackDiffJson>(`/api/stacks/${segment(name)}/diff`, query);
    present(context, answer, (diff) => renderStackDiff(diff, name, context.output.color));
  });
}
