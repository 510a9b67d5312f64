/**
 * Guard policies: validate rules against the built-in scanners, push immutable versions
 * (only when changed, if asked), resolve `name@version`.
 */
import {
  contentHash,
  type GuardPolicyVersion,
  NotFoundError,
  parseInput,
  ValidationError,
} from '../core/index.js';
import {
  type GuardPolicyDocument,
  guardPolicyDocumentSchema,
  policySettings,
  type ScannerRegistry,
  validateRules,
} from '../guard/index.js';
import type { Store } from '../store/index.js';
import { assertName } from './stack-service.js';

/**
 * Every check a parsed policy must pass before it is stored — its name, and that each rule
 * compiles against the scanners — so that `stackops apply` can run them on every policy of a
 * document before it writes any of them.
 */
export function checkGuardPolicy(document: GuardPolicyDocument, scanners: ScannerRegistry): void {
  assertName(document.name, 'Guard policy');
  document.rules.forEach((rule, index) => {
    // Named like validateRules names a rule: a policy may hold several rules of one scanner.
    const where = `rules[${index}]`;
    const named = `${where} (${rule.scanner}, ${rule.stage})`;
    if (rule.action === 'drop' && rule.stage !== 'context') {
      throw new ValidationError(`${named}: "drop" applies to retrieved context only`, {
        param: `${where}.action`,
      });
    }
    // Reversible means pseudonymised for the model and restored for the caller: only a
    // redaction of the caller's input can be given back (docs/guardrails.md).
    if (rule.reversible && (rule.stage !== 'input' || rule.action !== 'redact')) {
      throw new ValidationError(
        `${named}: "reversible" applies to "redact" at the input stage only (the caller's values, restored in the answer)`,
        { param: `${where}.reversible` },
      );
    }
    // Only the output stage reads tool-call arguments (docs/guardrails.md).
    if (rule.tool_calls !== undefined && rule.stage !== 'output') {
      throw new ValidationError(`${named}: "tool_calls" applies to output rules only`, {
        param: `${where}.tool_calls`,
      });
    }
  });
  validateRules(document.rules, scanners);
}

export async function pushGuardPolicy(
  store: Store,
  projectId: string,
  scanners: ScannerRegistry,
  raw: unknown,
  options: { actor: string | null; onlyIfChanged?: boolean },
): Promise<{ version: GuardPolicyVersion; created: boolean }> {
  const document = parseInput(guardPolicyDocumentSchema, raw, 'guard policy');
  checkGuardPolicy(document, scanners);
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
