/**
 * Stage: what answers. `model` may name a stack (`support-bot` → the version deployed in the
 * environment from `x-stackops-environment`, default production; `support-bot@7` → that
 * version) or a plain model. Reads the in-memory directory and registry snapshot; only a
 * project's first request or a never-seen pinned version touches the store.
 */
import { AppError } from '../../core/index.js';
import { ATTR } from '../../observe/index.js';
import { deploymentKey, type StackDirectory } from '../../registry/index.js';
import type { RequestContext } from '../context.js';
import type { RegistrySnapshot } from '../registry.js';

export const ENVIRONMENT_HEADER = 'x-stackops-environment';

export async function resolveTarget(
  context: RequestContext,
  registry: RegistrySnapshot,
  directory: StackDirectory,
  kind: 'chat' | 'embedding',
): Promise<void> {
  const requested = context.requestedModel;
  const at = requested.lastIndexOf('@');
  const name = at > 0 ? requested.slice(0, at) : requested;
  const pin = at > 0 ? requested.slice(at + 1) : null;
  if (kind === 'chat') {
    const projectId = context.auth!.projectId;
    const table = directory.table(projectId) ?? (await directory.ensure(projectId));
    if (table.stacks.has(name)) return resolveStack(context, registry, directory, name, pin, table);
  }
  const model = pin === null ? registry.models.get(requested) : undefined;
  if (!model) {
    // Only on the way to a 404, so an embeddings request may read the project's stacks.
    if (kind !== 'chat' && (await directory.ensure(context.auth!.projectId)).stacks.has(name)) {
      throw new AppError(
        'invalid_request',
        `"${name}" is a stack; stacks answer chat completions, not ${kind} requests.`,
        { param: 'model' },
      );
    }
    throw new AppError(
      'model_not_found',
      pin === null ? `The model "${requested}" does not exist.` : `The stack "${name}" does not exist.`,
      { param: 'model' },
    );
  }
  if (model.kind !== kind) {
    throw new AppError('invalid_request', `The model "${model.name}" is an ${model.kind} model.`, {
      param: 'model',
    });
  }
  context.model = model;
}

async function resolveStack(
  context: RequestContext,
  registry: RegistrySnapshot,
  directory: StackDirectory,
  name: string,
  pin: string | null,
  table: NonNullable<ReturnType<StackDirectory['table']>>,
): Promise<void> {
  const projectId = context.auth!.projectId;
  let stack: Awaited<ReturnType<StackDirectory['resolveVersion']>>;
  if (pin !== null) {
    if (!/^[1-9]\d{0,8}$/.test(pin)) {
      throw new AppError(
        'invalid_request',
        `"${context.requestedModel}": pin a stack version with a number, e.g. ${name}@3.`,
        {
          param: 'model',
        },
      );
    }
    stack = await directory.resolveVersion(projectId, name, Number(pin));
    if (!stack)
      throw new AppError('model_not_found', `The stack "${name}" has no version ${pin}.`, { param: 'model' });
  } else {
    const header = context.headers[ENVIRONMENT_HEADER];
    const environment = typeof header === 'string' && header !== '' ? header : 'production';
    stack = table.deployments.get(deploymentKey(name, environment)) ?? null;
    if (!stack) {
      const deployed = table.environments.get(name) ?? [];
      throw new AppError(
        'model_not_found',
        `The stack "${name}" is not deployed in environment "${environment}"${deployed.length ? ` (deployed in: ${deployed.join(', ')})` : ''}.`,
        { param: 'model' },
      );
    }
    context.environment = environment;
  }
  // Never answered unguarded: a stack whose guard policy cannot run is refused. The reason names
  // the operator's configuration (an endpoint, an environment variable): an application's client
  // key is told only that the stack cannot serve; its trace and other keys get the reason.
  if (stack.unavailable !== undefined) {
    context.attributes['stackops.guard.unavailable'] = stack.unavailable;
    const guard = stack.spec.guard;
    throw new AppError(
      'upstream_unavailable',
      context.auth?.role === 'client' && guard
        ? `The stack "${stack.stackName}" cannot serve requests now: its guard policy ${guard.name}@${guard.version} cannot run on this server. Its trace names the reason.`
        : stack.unavailable,
    );
  }
  const model = registry.models.get(stack.spec.model);
  if (!model) {
    throw new AppError(
      'upstream_unavailable',
      `The stack "${name}" uses model "${stack.spec.model}", which is not configured.`,
    );
  }
  context.stack = stack;
  context.model = model;
  context.upstreamModelOverride = stack.adapter?.upstreamAdapter ?? null;
  const attributes = context.attributes;
  attributes[ATTR.stack] = stack.stackName;
  attributes[ATTR.stackVersion] = stack.version;
  attributes[ATTR.stackFingerprint] = stack.fingerprint;
  attributes[ATTR.stackLineage] = stack.lineage;
  if (context.environment) attributes[ATTR.environment] = context.environment;
  if (stack.spec.prompt)
    attributes[ATTR.promptVersion] = `${stack.spec.prompt.name}@${stack.spec.prompt.version}`;
  if (stack.spec.adapter)
    attributes[ATTR.adapter] = `${stack.spec.adapter.name}@${stack.spec.adapter.version}`;
  if (stack.spec.knowledge)
    attributes[ATTR.knowledgeSnapshot] = `${stack.spec.knowledge.name}@${stack.spec.knowledge.snapshot}`;
  if (stack.spec.guard) attributes[ATTR.guardPolicy] = `${stack.spec.guard.name}@${stack.spec.guard.version}`;
}
