/**
 * GitOps apply: make the registry match a declarative document. Creates a new version of a
 * prompt, adapter or stack only when its content changed, and deploys only when an
 * environment points elsewhere — so applying the same file twice changes nothing.
 * Everything is validated before anything is written.
 */
import { compileTemplate, formatPath, unknownSectionProblems, ValidationError } from '../core/index.js';
import { describeProblem, type ScannerRegistry } from '../guard/index.js';
import {
  assertLabelName,
  assertName,
  createStackVersion,
  guardPolicyProblems,
  type ModelCatalog,
  pushGuardPolicy,
  pushPrompt,
} from '../registry/index.js';
import type { Store } from '../store/index.js';
import { type ApplyChange, adapterHash, plan, stackComponents, variablesOf } from './apply-plan.js';
import { type DocumentProblem, InvalidDocumentError } from './apply-problems.js';
import { type ApplyDocument, applyDocumentSchema } from './apply-schema.js';
import { assertEnvironment, deploy } from './deployment-service.js';

export type { ApplyChange };
export { InvalidDocumentError };

export function parseApplyDocument(raw: unknown): ApplyDocument {
  const result = applyDocumentSchema.safeParse(raw ?? {});
  const problems: DocumentProblem[] = [
    ...(result.success
      ? []
      : result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }))),
    ...unknownSectionProblems(raw),
  ].map((problem) => ({ ...problem, line: `${problem.path || '(root)'}: ${problem.message}` }));
  if (!result.success || problems.length > 0) throw new InvalidDocumentError(problems);
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
  const seen = (kind: string, key: string, names: unknown[]) => {
    const reported = new Set<unknown>();
    names.forEach((name, index) => {
      // A missing or non-text name is the schema's problem, reported with the entry.
      if (typeof name !== 'string' || names.indexOf(name) === index || reported.has(name)) return;
      reported.add(name);
      const message = `${kind} "${name}" is declared twice`;
      problems.push({ path: `${key}[${index}].name`, message, line: message });
    });
  };
  seen(
    'guard policy',
    'guard_policies',
    document.guard_policies.map((policy) => policy.name),
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
        line: `${typeof raw.name === 'string' ? `${where} (${raw.name})` : where}: ${describeProblem(problem)}`,
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
  for (const [index, deployment] of document.deployments.entries()) {
    check(
      `deployments[${index}]`,
      `deployments[${index}] (${deployment.stack}/${deployment.environment})`,
      () => assertEnvironment(deployment.environment),
    );
  }
  if (problems.length > 0) throw new InvalidDocumentError(problems);
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
