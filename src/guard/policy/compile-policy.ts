/**
 * Turns a stored policy version into the compiled form the gateway runs: rules grouped by
 * stage with their scanner instances resolved. Also the built-in default policy.
 */
import {
  type GuardPolicyVersion,
  type GuardRule,
  type GuardStageName,
  ValidationError,
} from '../../core/index.js';
import { type CompiledPolicy, evaluateStage } from './guard-engine.js';
import { scanLimits } from './policy-schema.js';
import { DEFAULT_SCANNERS, type ScannerRegistry, validateWordsOptions } from './scanner-registry.js';

export function compilePolicy(
  version: Pick<GuardPolicyVersion, 'policyName' | 'version' | 'rules' | 'settings'>,
  registry: ScannerRegistry,
): CompiledPolicy {
  const stages: CompiledPolicy['stages'] = { input: [], context: [], output: [] };
  for (const rule of version.rules) {
    stages[rule.stage].push({ rule, scanner: registry.get(rule.scanner, rule.options ?? {}, rule.stage) });
  }
  const limits = scanLimits(version.settings);
  return {
    name: version.policyName,
    version: version.version,
    holdBackChars: version.settings.hold_back_chars,
    maxScanChars: limits.max_scan_chars,
    oversize: limits.oversize,
    inputRoles: new Set(limits.input_roles),
    stages,
  };
}

/**
 * One thing wrong with a policy document. `path` names the field with bracketed indexes
 * (`rules[2].options.terms[0]`), as the API's `param` does; `label` is how a reader finds a
 * rule — `rules[2] (regex, output)`: a policy may hold several rules of one scanner.
 */
export interface PolicyProblem {
  path: string;
  message: string;
  label?: string;
}

/** One line of an error message: `rules[2] (regex, output): options.patterns[0]…`. */
export function describeProblem(problem: PolicyProblem): string {
  return `${problem.label ?? (problem.path || '(root)')}: ${problem.message}`;
}

/**
 * Every problem of every rule, found by compiling it (unknown scanner, wrong stage, bad
 * options, a type the scanner never reports, a condition that cannot be met). All rules are
 * checked, so a policy with three mistakes is fixed in one round. `indexes` gives each rule's
 * place in the document when only some of its rules could be read; conditions, which look at
 * the other rules, are then left out (`conditions: false`) rather than judged on a part.
 */
export function ruleProblems(
  rules: GuardRule[],
  registry: ScannerRegistry,
  options: { indexes?: number[]; conditions?: boolean } = {},
): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  rules.forEach((rule, position) => {
    const index = options.indexes?.[position] ?? position;
    const where = `rules[${index}]`;
    const report = (error: unknown) => {
      if (!(error instanceof ValidationError)) throw error;
      problems.push({
        path: error.param ? `${where}.${error.param}` : where,
        message: error.message,
        label: `${where} (${rule.scanner}, ${rule.stage})`,
      });
    };
    // Each check is independent of the others, so each reports on its own.
    for (const check of [
      () => checkAction(rule),
      () => checkScanner(rule, registry),
      () => options.conditions !== false && rule.when && validateCondition(rule, rules),
    ]) {
      try {
        check();
      } catch (error) {
        report(error);
      }
    }
  });
  return problems;
}

/** Throws a 400 listing every problem of the rules (the first is the error's `param`). */
export function validateRules(rules: GuardRule[], registry: ScannerRegistry): void {
  const problems = ruleProblems(rules, registry);
  if (problems.length > 0) throw policyProblemsError(problems);
}

/**
 * The API error for a list of problems: every one in the message and in `details`, the first
 * as `param`. One problem reads as it always did (`rules[1] (pii, input): …`).
 */
export function policyProblemsError(problems: PolicyProblem[]): ValidationError {
  return new ValidationError(problems.map(describeProblem).join('; '), {
    // A problem with the whole body names no field: null, as parseInput answers it.
    param: problems[0]?.path || undefined,
    details: problems.map((problem) => ({
      path: problem.path,
      message: problem.message,
      line: describeProblem(problem),
    })),
  });
}

/** What the action and its flags allow at the rule's stage. */
function checkAction(rule: GuardRule): void {
  if (rule.action === 'drop' && rule.stage !== 'context') {
    throw new ValidationError('"drop" applies to retrieved context only', { param: 'action' });
  }
  // Reversible means pseudonymised for the model and restored for the caller: only a
  // redaction of the caller's input can be given back (docs/guardrails.md).
  if (rule.reversible && (rule.stage !== 'input' || rule.action !== 'redact')) {
    throw new ValidationError(
      '"reversible" applies to "redact" at the input stage only (the caller\'s values, restored in the answer)',
      { param: 'reversible' },
    );
  }
  // Only the output stage reads tool-call arguments (docs/guardrails.md).
  if (rule.tool_calls !== undefined && rule.stage !== 'output') {
    throw new ValidationError('"tool_calls" applies to output rules only', { param: 'tool_calls' });
  }
}

/** The scanner exists at this stage, takes these options and can report the rule's types. */
function checkScanner(rule: GuardRule, registry: ScannerRegistry): void {
  if (rule.scanner === 'words') validateWordsOptions(rule.options ?? {});
  const scanner = registry.get(rule.scanner, rule.options ?? {}, rule.stage);
  const known = scanner.findingTypes;
  const unknown = known && rule.types?.find((type) => !known.includes(type));
  if (unknown)
    throw new ValidationError(
      `types: "${unknown}" is not a type this scanner reports (${known.join(', ')})`,
      {
        param: 'types',
      },
    );
  for (const type of rule.types ?? []) {
    const problem = scanner.findingTypeProblem?.(type);
    if (problem) throw new ValidationError(`types: "${type}": ${problem}`, { param: 'types' });
  }
}

/** The injection scanner's default `minScore` (src/guard/injection/injection-scanner.ts). */
const INJECTION_MIN_SCORE = 0.2;

/**
 * A condition names a local scanner that an unconditional rule of the same stage runs: its
 * score is known before the conditional rule has to decide, without waiting for anything.
 */
function validateCondition(rule: GuardRule, rules: GuardRule[]): void {
  const named = rule.when!.scanner;
  if (named === rule.scanner) {
    throw new ValidationError('when.scanner must name another scanner (a rule cannot wait for itself)', {
      param: 'when.scanner',
    });
  }
  if (named === 'remote') {
    throw new ValidationError(
      'when.scanner must be a local scanner: escalation goes from the cheap local scanners to a remote model, not back',
      { param: 'when.scanner' },
    );
  }
  const runs = rules.filter((other) => other.stage === rule.stage && other.scanner === named && !other.when);
  if (runs.length === 0) {
    throw new ValidationError(
      `when.scanner "${named}" must be the scanner of an unconditional rule at the ${rule.stage} stage of this policy`,
      { param: 'when.scanner' },
    );
  }
  // The injection scanner scores a text 0 unless a window reaches its minScore: a lower
  // condition would silently act as that floor (docs/guardrails.md: it needs minScore).
  const minScore = rule.when!.min_score;
  if (named === 'injection' && minScore > 0) {
    const floor = Math.min(
      ...runs.map((other) => {
        const option = other.options?.minScore;
        return typeof option === 'number' ? option : INJECTION_MIN_SCORE;
      }),
    );
    if (minScore < floor)
      throw new ValidationError(
        `when.min_score ${minScore} is below ${floor}, the weakest score the injection rule at the ${rule.stage} stage reports, so it would act as ${floor}: give that rule options: { minScore: ${minScore} } (or raise min_score)`,
        { param: 'when.min_score' },
      );
  }
}

const DEFAULT_RULES: GuardRule[] = [
  { scanner: 'injection', stage: 'input', action: 'block', threshold: 0.5 },
  { scanner: 'injection', stage: 'context', action: 'drop', threshold: 0.5 },
  { scanner: 'anomaly', stage: 'input', action: 'flag', threshold: 0.5 },
  { scanner: 'pii', stage: 'input', action: 'flag', threshold: 0.5 },
  { scanner: 'toxicity', stage: 'input', action: 'flag', threshold: 0.5 },
  { scanner: 'pii', stage: 'output', action: 'redact', threshold: 0.5 },
  // Flag only: on benign model answers (HaluEval's 4,507) the local toxicity model scores ≥ 0.5
  // on 4.5 % and ≥ 0.85 on 0.13 % (measured 2026-11-30; docs/guardrails-toxicity.md), too many
  // to cut answers off by default. Block with a remote guard model, or pin a policy that
  // accepts that rate.
  { scanner: 'toxicity', stage: 'output', action: 'flag', threshold: 0.5 },
  { scanner: 'leak', stage: 'output', action: 'block', threshold: 0.5 },
  { scanner: 'repetition', stage: 'output', action: 'flag', threshold: 0.5 },
  { scanner: 'refusal', stage: 'output', action: 'flag', threshold: 0.5 },
  // Redact, not flag: a flagged image is still rendered, and rendering is the leak (no click
  // needed). Redaction removes only the image, so the answer survives a false positive; at 0.5
  // an image to a host not allowed is acted on only when its URL carries data (bench:
  // guard-exfiltration reads how many ordinary answers that touches).
  { scanner: 'exfiltration', stage: 'output', action: 'redact', threshold: 0.5 },
];

/** The project's default policy: every built-in scanner that needs no configuration. */
export function defaultPolicy(registry: ScannerRegistry): CompiledPolicy {
  const rules = DEFAULT_RULES.filter((rule) => DEFAULT_SCANNERS.includes(rule.scanner));
  return compilePolicy(
    { policyName: 'default', version: 0, rules, settings: { hold_back_chars: 64 } },
    registry,
  );
}

export function stagesOf(policy: CompiledPolicy): GuardStageName[] {
  return (Object.keys(policy.stages) as GuardStageName[]).filter((stage) => policy.stages[stage].length > 0);
}

/**
 * Decodes the built-in models (injection, adversarial suffix, toxicity) and builds their
 * tables once, at server start, so the first guarded request does not pay ≈ 25 ms for it:
 * runs the default policy on a short text at the input and output stages.
 */
export async function preloadGuardModels(registry: ScannerRegistry): Promise<void> {
  const policy = defaultPolicy(registry);
  await evaluateStage(policy, 'input', 'Warm-up: hello, how are you today?');
  await evaluateStage(policy, 'output', 'Warm-up: I am fine, thank you.');
}
