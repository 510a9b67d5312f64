/**
 * Guard policies: validate rules against the built-in scanners, push immutable versions
 * (only when changed, if asked), resolve `name@version`.
 */
import {
  contentHash,
  formatPath,
  type GuardPolicyVersion,
  type GuardRule,
  NotFoundError,
  ValidationError,
} from '../core/index.js';
import {
  type GuardPolicyDocument,
  guardPolicyDocumentSchema,
  guardRuleSchema,
  type PolicyProblem,
  policyProblemsError,
  policySettings,
  ruleProblems,
  type ScannerRegistry,
} from '../guard/index.js';
import type { Store } from '../store/index.js';
import { assertName } from './stack-service.js';

/**
 * Every problem of a raw policy document, in document order: what its schema refuses, its
 * name, and each rule's own checks — also for the rules that parse when a sibling does not,
 * so that a policy with three mistakes is fixed in one round, not three. `document` is set
 * only when there is no problem.
 */
export function guardPolicyProblems(
  raw: unknown,
  scanners: ScannerRegistry,
): { document: GuardPolicyDocument; problems: [] } | { document: null; problems: PolicyProblem[] } {
  const parsed = guardPolicyDocumentSchema.safeParse(raw ?? {});
  const problems: PolicyProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  const name = parsed.success ? parsed.data.name : (raw as { name?: unknown } | null)?.name;
  if (typeof name === 'string' && name !== '') {
    try {
      assertName(name, 'Guard policy');
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push({ path: 'name', message: error.message });
    }
  }
  if (parsed.success) {
    problems.push(...ruleProblems(parsed.data.rules, scanners));
  } else {
    const rawRules = (raw as { rules?: unknown } | null)?.rules;
    const rules: GuardRule[] = [];
    const indexes: number[] = [];
    (Array.isArray(rawRules) ? rawRules : []).forEach((rawRule, index) => {
      const rule = guardRuleSchema.safeParse(rawRule);
      if (rule.success) {
        rules.push(rule.data);
        indexes.push(index);
      }
    });
    // A condition names another rule; with some rules unreadable it cannot be judged fairly.
    const complete = Array.isArray(rawRules) && rules.length === rawRules.length;
    problems.push(...ruleProblems(rules, scanners, { indexes, conditions: complete }));
  }
  if (problems.length > 0 || !parsed.success) return { document: null, problems };
  return { document: parsed.data, problems: [] };
}

export async function pushGuardPolicy(
  store: Store,
  projectId: string,
  scanners: ScannerRegistry,
  raw: unknown,
  options: { actor: string | null; onlyIfChanged?: boolean },
): Promise<{ version: GuardPolicyVersion; created: boolean }> {
  const { document, problems } = guardPolicyProblems(raw, scanners);
  if (!document) throw policyProblemsError(problems);
  const settings = policySettings(document);
  const hash = contentHash({ rules: document.rules, settings });
  if (options.onlyIfChanged) {
    const existing = await store.guardPolicies.get(projectId, document.name);
    if (existing) {
      const latest = await store.guardPolicies.getVersion(projectId, document.name, existing.latestVersion);
      if (latest?.contentHash === hash) return { version: latest, created: false };
    }
  }
  const version = await store.guardPolicies.createVersion(projectId, {
    name: document.name,
    rules: document.rules,
    settings,
    contentHash: hash,
    message: document.message ?? null,
    author: options.actor,
  });
  return { version, created: true };
}

export async function resolveGuardPolicyVersion(
  store: Store,
  projectId: string,
  name: string,
  version: number | null,
): Promise<GuardPolicyVersion> {
  const policy = await store.guardPolicies.get(projectId, name);
  if (!policy) throw new NotFoundError(`Guard policy "${name}"`, { param: 'guard' });
  const found = await store.guardPolicies.getVersion(projectId, name, version ?? policy.latestVersion);
  if (!found) throw new NotFoundError(`Guard policy "${name}" version ${version}`, { param: 'guard' });
  return found;
}
