/**
 * GitOps apply: make the registry match a declarative document. Creates a new version of a
 * prompt, adapter or stack only when its content changed, and deploys only when an
 * environment points elsewhere — so applying the same file twice changes nothing.
 * Everything is validated before anything is written.
 */
import {
  compileTemplate,
  contentHash,
  formatPath,
  NotFoundError,
  type PromptVariableSpec,
  ValidationError,
} from '../core/index.js';
import {
  describeProblem,
  guardPolicyDocumentSchema,
  policySettings,
  type ScannerRegistry,
} from '../guard/index.js';
import {
  assertLabelName,
  assertName,
  createStackVersion,
  guardPolicyProblems,
  type ModelCatalog,
  parseRef,
  promptContentHash,
  pushGuardPolicy,
  pushPrompt,
} from '../registry/index.js';
import type { Store } from '../store/index.js';
import { type ApplyDocument, applyDocumentSchema } from './apply-schema.js';
import { deploy } from './deployment-service.js';

export interface ApplyChange {
  kind: 'guard_policy' | 'prompt' | 'adapter' | 'stack' | 'deployment';
  name: string;
  action: 'created' | 'unchanged' | 'deployed';
  version?: number;
  detail?: string;
}

/** One thing wrong with an apply document: the field (bracketed indexes) and one readable line. */
interface DocumentProblem {
  path: string;
  message: string;
  line: string;
}

/**
 * A document with problems: every one in the message and in `details`, the first as `param`.
 * `lines` keeps them apart for the config loader, which prints one a line at start.
 */
export class InvalidDocumentError extends ValidationError {
  readonly lines: string[];
  constructor(problems: DocumentProblem[]) {
    super(`Invalid document: ${problems.map((problem) => problem.line).join('; ')}`, {
      param: problems[0]?.path,
      details: problems.map((problem) => ({ path: problem.path, message: problem.message })),
    });
    this.name = 'InvalidDocumentError';
    this.lines = problems.map((problem) => problem.line);
  }
}

function documentError(problems: DocumentProblem[]): InvalidDocumentError {
  return new InvalidDocumentError(problems);
}

export function parseApplyDocument(raw: unknown): ApplyDocument {
  const result = applyDocumentSchema.safeParse(raw ?? {});
  if (!result.success)
    throw documentError(
      result.error.issues.map((issue) => {
        const path = formatPath(issue.path);
        return { path, message: issue.message, line: `${path || '(root)'}: ${issue.message}` };
      }),
    );
  return result.data;
}

/** Static checks of the whole document, so a bad entry fails before any write. */
function validate(document: ApplyDocument, catalog: ModelCatalog, scanners: ScannerRegistry): void {
  const problems: DocumentProblem[] = [];
  const check = (path: string, where: string, run: () => void) => {
    try {
      run();
    } catch (error) {
      const param = error instanceof ValidationError && error.param ? `.${error.param}` : '';
      const message = (error as Error).message;
      problems.push({ path: `${path}${param}`, message, line: `${where}: ${message}` });
    }
  };
  const seen = (kind: string, key: string, names: string[]) => {
    const reported = new Set<string>();
    names.forEach((name, index) => {
      if (names.indexOf(name) === index || reported.has(name)) return;
      reported.add(name);
      const message = `${kind} "${name}" is declared twice`;
      problems.push({ path: `${key}[${index}].name`, message, line: message });
    });
  };
  seen(
    'guard policy',
    'guard_policies',
    document.guard_policies.map((policy) => String(policy.name)),
  );
  seen(
    'prompt',
    'prompts',
    document.prompts.map((prompt) => prompt.name),
  );
  seen(
    'adapter',
    'adapters',
    document.adapters.map((adapter) => adapter.name),
  );
  seen(
    'stack',
    'stacks',
    document.stacks.map((stack) => stack.name),
  );
  // Checked like a push, every problem of every policy, so that a bad rule in the last policy
  // stores none of the others and a file with three mistakes is fixed in one round.
  for (const [index, raw] of document.guard_policies.entries()) {
    const where = `guard_policies[${index}]`;
    for (const problem of guardPolicyProblems(raw, scanners).problems)
      problems.push({
        path: `${where}.${problem.path}`,
        message: problem.message,
        line: `${where} (${String(raw.name)}): ${describeProblem(problem)}`,
      });
  }
  for (const [index, prompt] of document.prompts.entries()) {
    check(`prompts[${index}]`, `prompts[${index}] (${prompt.name})`, () => {
      assertName(prompt.name, 'Prompt');
      for (const label of prompt.labels) assertLabelName(label);
      compileTemplate(prompt.messages, variablesOf(prompt.variables));
    });
  }
  for (const [index, adapter] of document.adapters.entries()) {
    check(`adapters[${index}]`, `adapters[${index}] (${adapter.name})`, () => {
      assertName(adapter.name, 'Adapter');
      if (catalog.kindOf(adapter.base_model) !== 'chat')
        throw new ValidationError(`unknown chat model "${adapter.base_model}"`, { param: 'base_model' });
    });
  }
  for (const [index, stack] of document.stacks.entries()) {
    check(`stacks[${index}]`, `stacks[${index}] (${stack.name})`, () => {
      assertName(stack.name, 'Stack');
      if (!catalog.kindOf(stack.model))
        throw new ValidationError(`unknown model "${stack.model}"`, { param: 'model' });
    });
  }
  if (problems.length > 0) throw documentError(problems);
}

function variablesOf(
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
function adapterHash(adapter: ApplyDocument['adapters'][number]): string {
  return contentHash({
    baseModel: adapter.base_model,
    upstreamAdapter: adapter.upstream_adapter,
    metadata: adapter.metadata,
  });
}

/** A stack's components as createStackVersion takes them, shared by apply and plan for the same reason. */
function stackComponents(stack: ApplyDocument['stacks'][number]) {
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

export async function applyDocument(
  store: Store,
  projectId: string,
  catalog: ModelCatalog,
  raw: unknown,
  options: { actor: string | null; dryRun?: boolean; scanners: ScannerRegistry },
): Promise<ApplyChange[]> {
  const document = parseApplyDocument(raw);
  validate(document, catalog, options.scanners);
  // The plan resolves every reference (a pinned version, a deployed stack) without writing,
  // so a bad one fails here rather than after the entries before it were stored.
  const planned = await plan(store, projectId, catalog, document);
  if (options.dryRun) return planned;
  const changes: ApplyChange[] = [];
  for (const policy of document.guard_policies) {
    const { version, created } = await pushGuardPolicy(store, projectId, options.scanners, policy, {
      actor: options.actor,
      onlyIfChanged: true,
    });
    changes.push({
      kind: 'guard_policy',
      name: version.policyName,
      action: created ? 'created' : 'unchanged',
      version: version.version,
    });
  }
  for (const prompt of document.prompts) {
    const { version, created } = await pushPrompt(store, projectId, {
      name: prompt.name,
      messages: prompt.messages,
      variables: variablesOf(prompt.variables),
      params: prompt.params,
      commitMessage: prompt.message ?? 'stackops apply',
      author: options.actor,
      labels: prompt.labels,
      onlyIfChanged: true,
    });
    changes.push({
      kind: 'prompt',
      name: prompt.name,
      action: created ? 'created' : 'unchanged',
      version: version.version,
    });
  }
  for (const adapter of document.adapters) {
    const hash = adapterHash(adapter);
    const latest = await store.adapters.get(projectId, adapter.name);
    if (latest && latest.contentHash === hash) {
      changes.push({ kind: 'adapter', name: adapter.name, action: 'unchanged', version: latest.version });
      continue;
    }
    const created = await store.adapters.create(projectId, {
      name: adapter.name,
      baseModel: adapter.base_model,
      upstreamAdapter: adapter.upstream_adapter,
      metadata: adapter.metadata,
      contentHash: hash,
    });
    changes.push({ kind: 'adapter', name: adapter.name, action: 'created', version: created.version });
  }
  for (const stack of document.stacks) {
    const { version, created } = await createStackVersion(store, projectId, catalog, {
      ...stackComponents(stack),
      message: stack.message ?? 'stackops apply',
      author: options.actor,
      onlyIfChanged: true,
    });
    changes.push({
      kind: 'stack',
      name: stack.name,
      action: created ? 'created' : 'unchanged',
      version: version.version,
      detail: version.fingerprint.slice(0, 12),
    });
  }
  for (const deployment of document.deployments) {
    const stack = await store.stacks.get(projectId, deployment.stack);
    const target = deployment.version === 'latest' ? stack?.latestVersion : deployment.version;
    const current = (await store.stacks.listDeployments(projectId, deployment.stack)).find(
      (item) => item.environment === deployment.environment,
    );
    if (target !== undefined && current?.version === target) {
      changes.push({
        kind: 'deployment',
        name: `${deployment.stack}/${deployment.environment}`,
        action: 'unchanged',
        version: target,
      });
      continue;
    }
    const event = await deploy(
      store,
      projectId,
      deployment.stack,
      deployment.environment,
      deployment.version,
      options.actor,
    );
    changes.push({
      kind: 'deployment',
      name: `${deployment.stack}/${deployment.environment}`,
      action: 'deployed',
      version: event.toVersion,
      detail: event.fromVersion === null ? 'first deployment' : `from v${event.fromVersion}`,
    });
  }
  return changes;
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
async function plan(
  store: Store,
  projectId: string,
  catalog: ModelCatalog,
  document: ApplyDocument,
): Promise<ApplyChange[]> {
  const changes: ApplyChange[] = [];
  /** Component → the new version this apply creates of it. */
  const changed = new Map<string, number>();
  const planVersion = (
    kind: ApplyChange['kind'],
    name: string,
    hash: string,
    latest: { version: number; contentHash: string } | null,
  ) => {
    const same = latest?.contentHash === hash;
    if (!same) changed.set(`${kind}:${name}`, (latest?.version ?? 0) + 1);
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
  for (const stack of document.stacks) {
    // A reference to the version of a component this apply creates (unpinned, or pinned to
    // that very number) makes a new stack version; it cannot be resolved in the store yet.
    // A pin beyond it names a version that will not exist. Other references resolve below.
    const follows = (kind: string, field: string, what: string, reference: string | null | undefined) => {
      if (reference == null) return false;
      const ref = parseRef(reference, field);
      const created = changed.get(`${kind}:${ref.name}`);
      if (created === undefined) return false;
      // A label the document puts on the prompt version it creates (support@production).
      if (typeof ref.selector === 'string')
        return (
          kind === 'prompt' &&
          document.prompts.some(
            (prompt) => prompt.name === ref.name && prompt.labels.includes(ref.selector as string),
          )
        );
      if (ref.selector === null || ref.selector === created) return true;
      if (ref.selector > created)
        throw new NotFoundError(`${what} "${ref.name}" version ${ref.selector}`, { param: field });
      return false;
    };
    const followed = {
      prompt: follows('prompt', 'prompt', 'Prompt', stack.prompt),
      adapter: follows('adapter', 'adapter', 'Adapter', stack.adapter),
      guard: follows('guard_policy', 'guard', 'Guard policy', stack.guard),
    };
    const existing = await store.stacks.get(projectId, stack.name);
    let outcome: { version: number; created: boolean };
    if (followed.prompt || followed.adapter || followed.guard) {
      // Its other references must still resolve (a pinned policy next to a new prompt).
      await createStackVersion(store, projectId, catalog, {
        ...stackComponents(stack),
        ...(followed.prompt ? { prompt: null } : {}),
        ...(followed.adapter ? { adapter: null } : {}),
        ...(followed.guard ? { guard: null } : {}),
        planOnly: true,
      });
      outcome = { version: (existing?.latestVersion ?? 0) + 1, created: true };
    } else {
      const result = await createStackVersion(store, projectId, catalog, {
        ...stackComponents(stack),
        onlyIfChanged: true,
        planOnly: true,
      });
      outcome = { version: result.version.version, created: result.created };
    }
    plannedStacks.set(stack.name, outcome.version);
    changes.push({
      kind: 'stack',
      name: stack.name,
      action: outcome.created ? 'created' : 'unchanged',
      version: outcome.version,
      detail: 'dry run',
    });
  }
  for (const deployment of document.deployments) {
    const stack = await store.stacks.get(projectId, deployment.stack);
    const target =
      deployment.version === 'latest'
        ? (plannedStacks.get(deployment.stack) ?? stack?.latestVersion)
        : deployment.version;
    // What deploy() would refuse, refused before anything is written.
    const newest = plannedStacks.get(deployment.stack) ?? stack?.latestVersion;
    if (newest === undefined) throw new NotFoundError(`Stack "${deployment.stack}"`);
    if (target === undefined || target > newest)
      throw new NotFoundError(`Stack "${deployment.stack}" version ${target}`, { param: 'version' });
    const current = (await store.stacks.listDeployments(projectId, deployment.stack)).find(
      (item) => item.environment === deployment.environment,
    );
    const same = current?.version === target;
    changes.push({
      kind: 'deployment',
      name: `${deployment.stack}/${deployment.environment}`,
      action: same ? 'unchanged' : 'deployed',
      version: target,
      detail: same ? 'dry run' : `dry run: from ${current ? `v${current.version}` : 'nothing'}`,
    });
  }
  return changes;
}
