/**
 * The plan of an apply: what it would create, leave unchanged or deploy, with every reference
 * resolved and nothing written — `--dry-run`'s answer, and the check `apply` runs before its
 * first write. Every reference that does not resolve is reported, not the first only.
 */
import { contentHash, type ErrorCode, NotFoundError, type PromptVariableSpec } from '../core/index.js';
import { guardPolicyDocumentSchema, policySettings } from '../guard/index.js';
import {
  createStackVersion,
  type ModelCatalog,
  type PendingComponent,
  parseRef,
  promptContentHash,
} from '../registry/index.js';
import type { Store } from '../store/index.js';
import { collectProblem, type DocumentProblem, InvalidDocumentError } from './apply-problems.js';
import type { ApplyDocument } from './apply-schema.js';

export interface ApplyChange {
  kind: 'guard_policy' | 'prompt' | 'adapter' | 'stack' | 'deployment';
  name: string;
  action: 'created' | 'unchanged' | 'deployed';
  version?: number;
  detail?: string;
}

export function variablesOf(
  variables: ApplyDocument['prompts'][number]['variables'],
): Record<string, PromptVariableSpec> {
  const out: Record<string, PromptVariableSpec> = {};
  for (const [name, spec] of Object.entries(variables)) {
    const entry: PromptVariableSpec = { required: spec.required ?? spec.default === undefined };
    if (spec.default !== undefined) entry.default = spec.default;
    if (spec.description !== undefined) entry.description = spec.description;
    out[name] = entry;
  }
  return out;
}

/** An adapter's content hash. Apply and plan share it: a dry run must promise only what apply does. */
export function adapterHash(adapter: ApplyDocument['adapters'][number]): string {
  return contentHash({
    baseModel: adapter.base_model,
    upstreamAdapter: adapter.upstream_adapter,
    metadata: adapter.metadata,
  });
}

/** A stack's components as createStackVersion takes them, shared by apply and plan for the same reason. */
export function stackComponents(stack: ApplyDocument['stacks'][number]) {
  return {
    name: stack.name,
    model: stack.model,
    adapter: stack.adapter ?? null,
    prompt: stack.prompt ?? null,
    knowledge: stack.knowledge ?? null,
    guard: stack.guard ?? null,
    retrieval: stack.retrieval ?? null,
    params: stack.params,
  };
}

/** The latest version of a named, versioned entry (prompt, guard policy), or null when there is none. */
async function latestVersion<Version>(
  entries: {
    get(projectId: string, name: string): Promise<{ latestVersion: number } | null>;
    getVersion(projectId: string, name: string, version: number): Promise<Version | null>;
  },
  projectId: string,
  name: string,
): Promise<Version | null> {
  const entry = await entries.get(projectId, name);
  return entry ? entries.getVersion(projectId, name, entry.latestVersion) : null;
}

/** A true plan: what an apply would create, leave unchanged or deploy — nothing is written. */
export async function plan(
  store: Store,
  projectId: string,
  catalog: ModelCatalog,
  document: ApplyDocument,
): Promise<ApplyChange[]> {
  const changes: ApplyChange[] = [];
  /** Component → the new version this apply creates of it, with its content hash. */
  const changed = new Map<string, { version: number; contentHash: string }>();
  const planVersion = (
    kind: ApplyChange['kind'],
    name: string,
    hash: string,
    latest: { version: number; contentHash: string } | null,
  ) => {
    const same = latest?.contentHash === hash;
    if (!same) changed.set(`${kind}:${name}`, { version: (latest?.version ?? 0) + 1, contentHash: hash });
    changes.push({
      kind,
      name,
      action: same ? 'unchanged' : 'created',
      version: same ? latest!.version : (latest?.version ?? 0) + 1,
      detail: 'dry run',
    });
  };
  for (const raw of document.guard_policies) {
    const policy = guardPolicyDocumentSchema.parse(raw);
    const hash = contentHash({ rules: policy.rules, settings: policySettings(policy) });
    planVersion(
      'guard_policy',
      policy.name,
      hash,
      await latestVersion(store.guardPolicies, projectId, policy.name),
    );
  }
  for (const prompt of document.prompts) {
    const hash = promptContentHash(prompt.messages, variablesOf(prompt.variables), prompt.params);
    planVersion('prompt', prompt.name, hash, await latestVersion(store.prompts, projectId, prompt.name));
  }
  for (const adapter of document.adapters) {
    const hash = adapterHash(adapter);
    // The adapter store answers its latest version directly.
    planVersion('adapter', adapter.name, hash, await store.adapters.get(projectId, adapter.name));
  }
  const plannedStacks = new Map<string, number>();
  // Every reference that does not resolve is reported, not the first only.
  const problems: Array<DocumentProblem & { code: ErrorCode }> = [];
  for (const [index, stack] of document.stacks.entries()) {
    try {
      const outcome = await planStack(store, projectId, catalog, document, changed, stack);
      plannedStacks.set(stack.name, outcome.version);
      changes.push({
        kind: 'stack',
        name: stack.name,
        action: outcome.created ? 'created' : 'unchanged',
        version: outcome.version,
        detail: 'dry run',
      });
    } catch (error) {
      collectProblem(problems, `stacks[${index}]`, `stacks[${index}] (${stack.name})`, error);
      // Declared all the same, so that its deployment is not reported as a second problem.
      const existing = await store.stacks.get(projectId, stack.name);
      plannedStacks.set(stack.name, (existing?.latestVersion ?? 0) + 1);
    }
  }
  for (const [index, deployment] of document.deployments.entries()) {
    try {
      changes.push(await planDeployment(store, projectId, plannedStacks, deployment));
    } catch (error) {
      const where = `deployments[${index}]`;
      collectProblem(problems, where, `${where} (${deployment.stack}/${deployment.environment})`, error);
    }
  }
  if (problems.length > 0) throw new InvalidDocumentError(problems, problems[0]!.code);
  return changes;
}

/** What an apply would do to one stack: the version it creates or finds unchanged. */
async function planStack(
  store: Store,
  projectId: string,
  catalog: ModelCatalog,
  document: ApplyDocument,
  changed: Map<string, { version: number; contentHash: string }>,
  stack: ApplyDocument['stacks'][number],
): Promise<{ version: number; created: boolean }> {
  // A reference to the version of a component this apply creates (unpinned, or pinned to
  // that very number) cannot be resolved in the store yet: the plan takes that version and its
  // content hash as given. Whether the stack gets a new version is then decided as apply
  // decides it, by fingerprint — a policy brought back to the content the stack already pins
  // makes none. A pin beyond it names a version that will not exist. Other references resolve
  // in the store.
  const follows = (
    kind: string,
    field: string,
    what: string,
    reference: string | null | undefined,
  ): PendingComponent | undefined => {
    if (reference == null) return undefined;
    const ref = parseRef(reference, field);
    const created = changed.get(`${kind}:${ref.name}`);
    if (created === undefined) return undefined;
    const pending = { name: ref.name, ...created };
    // A label the document puts on the prompt version it creates (support@production).
    if (typeof ref.selector === 'string')
      return kind === 'prompt' &&
        document.prompts.some(
          (prompt) => prompt.name === ref.name && prompt.labels.includes(ref.selector as string),
        )
        ? pending
        : undefined;
    if (ref.selector === null || ref.selector === created.version) return pending;
    if (ref.selector > created.version)
      throw new NotFoundError(`${what} "${ref.name}" version ${ref.selector}`, { param: field });
    return undefined;
  };
  const pending = {
    prompt: follows('prompt', 'prompt', 'Prompt', stack.prompt),
    adapter: follows('adapter', 'adapter', 'Adapter', stack.adapter),
    guard: follows('guard_policy', 'guard', 'Guard policy', stack.guard),
  };
  const result = await createStackVersion(store, projectId, catalog, {
    ...stackComponents(stack),
    onlyIfChanged: true,
    planOnly: true,
    pending: Object.fromEntries(Object.entries(pending).filter(([, component]) => component !== undefined)),
  });
  return { version: result.version.version, created: result.created };
}

/** What an apply would do to one deployment; refuses what deploy() would refuse. */
async function planDeployment(
  store: Store,
  projectId: string,
  plannedStacks: Map<string, number>,
  deployment: ApplyDocument['deployments'][number],
): Promise<ApplyChange> {
  const stack = await store.stacks.get(projectId, deployment.stack);
  const target =
    deployment.version === 'latest'
      ? (plannedStacks.get(deployment.stack) ?? stack?.latestVersion)
      : deployment.version;
  // What deploy() would refuse, refused before anything is written.
  const newest = plannedStacks.get(deployment.stack) ?? stack?.latestVersion;
  if (newest === undefined) throw new NotFoundError(`Stack "${deployment.stack}"`, { param: 'stack' });
  if (target === undefined || target > newest)
    throw new NotFoundError(`Stack "${deployment.stack}" version ${target}`, { param: 'version' });
  const current = (await store.stacks.listDeployments(projectId, deployment.stack)).find(
    (item) => item.environment === deployment.environment,
  );
  const same = current?.version === target;
  return {
    kind: 'deployment',
    name: `${deployment.stack}/${deployment.environment}`,
    action: same ? 'unchanged' : 'deployed',
    version: target,
    detail: same ? 'dry run' : `dry run: from ${current ? `v${current.version}` : 'nothing'}`,
  };
}
