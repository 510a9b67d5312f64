/**
 * Escalation (`when` on a policy rule): a conditional rule runs only when a local scanner of the
 * same stage scored at least `min_score`, so an expensive remote guard model is called only for
 * what the cheap scanners find suspicious. Engine behaviour with counting scanners, and the
 * checks made when a policy is created.
 */
import { describe, expect, it } from 'vitest';
import { configFileSchema, type GuardRule, ValidationError } from '../../src/core/index.js';
import { validateRules } from '../../src/guard/policy/compile-policy.js';
import { type CompiledPolicy, evaluateStage } from '../../src/guard/policy/guard-engine.js';
import { guardPolicyDocumentSchema } from '../../src/guard/policy/policy-schema.js';
import { ScannerRegistry } from '../../src/guard/policy/scanner-registry.js';
import type { Scanner, ScanResult } from '../../src/guard/scanner.js';

/** A local scanner whose score is the number after "score=" in the text. */
function localScanner(name: string): Scanner & { calls: number } {
  const scanner = {
    name,
    stages: ['input', 'context', 'output'] as const,
    calls: 0,
    scan(text: string): ScanResult {
      scanner.calls++;
      const score = Number(/score=([\d.]+)/.exec(text)?.[1] ?? 0);
      return {
        scanner: name,
        score,
        findings:
          score > 0 ? [{ scanner: name, type: name, score, start: 0, end: text.length, value: '' }] : [],
      };
    },
  };
  return scanner;
}

/** A "remote" scanner: asynchronous, counts its calls, finds "unsafe" texts. */
function remoteScanner(name = 'llama-guard'): Scanner & { calls: number } {
  const scanner = {
    name,
    stages: ['input', 'context', 'output'] as const,
    calls: 0,
    async scan(text: string): Promise<ScanResult> {
      scanner.calls++;
      await new Promise((resolve) => setTimeout(resolve, 1));
      const unsafe = text.includes('unsafe');
      return {
        scanner: name,
        score: unsafe ? 1 : 0,
        findings: unsafe
          ? [{ scanner: name, type: 'S9', score: 1, start: 0, end: text.length, value: '' }]
          : [],
      };
    },
  };
  return scanner;
}

function policy(rules: Array<{ rule: Partial<GuardRule>; scanner: Scanner }>): CompiledPolicy {
  return {
    name: 'escalating',
    version: 1,
    holdBackChars: 64,
    maxScanChars: 100_000,
    oversize: 'block',
    stages: {
      input: rules.map(({ rule, scanner }) => ({
        rule: {
          scanner: scanner.name,
          stage: 'input',
          action: 'block',
          threshold: 0.5,
          ...rule,
        } as GuardRule,
        scanner,
      })),
      context: [],
      output: [],
    },
  };
}

describe('escalation in the engine', () => {
  it('calls the remote scanner only when the local one reached min_score', async () => {
    const local = localScanner('injection');
    const remote = remoteScanner();
    const compiled = policy([
      { rule: { scanner: 'injection', action: 'flag' }, scanner: local },
      { rule: { scanner: 'remote', when: { scanner: 'injection', min_score: 0.3 } }, scanner: remote },
    ]);

    const calm = await evaluateStage(compiled, 'input', 'unsafe but score=0.1');
    expect(remote.calls).toBe(0);
    expect(calm.action).toBe('allow');
    expect(calm.timings).toContainEqual({ scanner: 'llama-guard', score: 0, latencyMs: 0, skipped: true });

    const suspicious = await evaluateStage(compiled, 'input', 'unsafe and score=0.3');
    expect(remote.calls).toBe(1);
    expect(suspicious.action).toBe('block');
    expect(suspicious.blockedBy).toMatchObject({ scanner: 'llama-guard' });
    expect(suspicious.timings.some((timing) => timing.skipped)).toBe(false);

    const suspiciousButSafe = await evaluateStage(compiled, 'input', 'fine and score=0.45');
    expect(remote.calls).toBe(2);
    // Escalated (0.45 ≥ 0.3), the guard model says safe, and 0.45 is below the local rule's 0.5.
    expect(suspiciousButSafe.action).toBe('allow');
  });

  it('stays synchronous when no condition is met and no unconditional scanner is remote', () => {
    const local = localScanner('injection');
    const remote = remoteScanner();
    const compiled = policy([
      { rule: { scanner: 'injection' }, scanner: local },
      { rule: { scanner: 'remote', when: { scanner: 'injection', min_score: 0.2 } }, scanner: remote },
    ]);
    const verdict = evaluateStage(compiled, 'input', 'score=0.1');
    expect(verdict).not.toBeInstanceOf(Promise);
    expect(remote.calls).toBe(0);
  });

  it('runs a shared scanner once and applies only the rules whose condition held', async () => {
    const injection = localScanner('injection');
    const toxicity = localScanner('toxicity');
    const remote = remoteScanner();
    const compiled = policy([
      { rule: { scanner: 'injection', action: 'flag', threshold: 0.99 }, scanner: injection },
      { rule: { scanner: 'toxicity', action: 'flag', threshold: 0.99 }, scanner: toxicity },
      // Blocks when injection escalated it; only flags when toxicity did.
      {
        rule: { scanner: 'remote', action: 'block', when: { scanner: 'injection', min_score: 0.8 } },
        scanner: remote,
      },
      {
        rule: { scanner: 'remote', action: 'flag', when: { scanner: 'toxicity', min_score: 0.2 } },
        scanner: remote,
      },
    ]);
    // Both local scanners read the same score from the text: 0.5 meets toxicity's 0.2 only.
    const verdict = await evaluateStage(compiled, 'input', 'unsafe score=0.5');
    expect(remote.calls).toBe(1);
    expect(verdict.action).toBe('flag');
    expect(verdict.findings.find((finding) => finding.scanner === 'llama-guard')?.action).toBe('flag');

    const both = await evaluateStage(compiled, 'input', 'unsafe score=0.9');
    expect(remote.calls).toBe(2);
    expect(both.action).toBe('block');
  });

  it('counts the highest score among the rules that name the condition scanner', async () => {
    const first = localScanner('words');
    const second = { ...localScanner('words'), scan: () => ({ scanner: 'words', score: 0.9, findings: [] }) };
    const remote = remoteScanner();
    const compiled = policy([
      { rule: { scanner: 'words', action: 'flag' }, scanner: first },
      { rule: { scanner: 'words', action: 'flag' }, scanner: second },
      { rule: { scanner: 'remote', when: { scanner: 'words', min_score: 0.5 } }, scanner: remote },
    ]);
    await evaluateStage(compiled, 'input', 'unsafe score=0.1');
    expect(remote.calls).toBe(1);
  });
});

describe('remote endpoints the operator allows (guard.remote_endpoints)', () => {
  const options = (baseUrl: string) => ({ kind: 'llama-guard', baseUrl, model: 'm', timeoutMs: 500 });
  const locked = new ScannerRegistry({
    remoteEndpoints: ['http://10.0.0.5:8000/v1', 'https://guard.internal'],
  });

  it('accepts a base URL at or below a listed endpoint', () => {
    for (const baseUrl of [
      'http://10.0.0.5:8000/v1',
      'http://10.0.0.5:8000/v1/',
      'http://10.0.0.5:8000/v1/guard',
      'https://guard.internal/v1',
    ]) {
      expect(() => locked.get('remote', options(baseUrl), 'input'), baseUrl).not.toThrow();
    }
  });

  it('refuses any other host, port, scheme, path or a URL with credentials', () => {
    for (const baseUrl of [
      'http://169.254.169.254/latest',
      'http://10.0.0.5:8001/v1',
      'https://10.0.0.5:8000/v1',
      'http://10.0.0.5:8000/v10',
      'http://10.0.0.5:8000/',
      'http://user:pw@10.0.0.5:8000/v1',
      'http://guard.internal/v1',
    ]) {
      expect(() => locked.get('remote', options(baseUrl), 'input'), baseUrl).toThrow(
        /guard\.remote_endpoints/,
      );
    }
  });

  it('allows any endpoint when the server lists none', () => {
    expect(() =>
      new ScannerRegistry().get('remote', options('http://169.254.169.254/v1'), 'input'),
    ).not.toThrow();
  });

  it('is part of the config file, with URLs checked', () => {
    expect(
      configFileSchema.parse({ guard: { remote_endpoints: ['http://10.0.0.5:8000/v1'] } }).guard,
    ).toEqual({
      remote_endpoints: ['http://10.0.0.5:8000/v1'],
    });
    expect(configFileSchema.parse({}).guard).toEqual({});
    expect(configFileSchema.safeParse({ guard: { remote_endpoints: ['10.0.0.5:8000'] } }).success).toBe(
      false,
    );
    expect(configFileSchema.safeParse({ guard: { remote_endpoints: [] } }).success).toBe(false);
    expect(configFileSchema.safeParse({ guard: { endpoints: ['http://x'] } }).success).toBe(false);
  });
});

describe('escalation: checked when the policy is created', () => {
  const registry = new ScannerRegistry();
  const remoteOptions = {
    baseUrl: 'http://127.0.0.1:9/v1',
    model: 'meta-llama/Llama-Guard-3-8B',
    kind: 'llama-guard',
    timeoutMs: 500,
    failMode: 'open',
  };
  const base: GuardRule = { scanner: 'injection', stage: 'input', action: 'flag', threshold: 0.5 };
  const remoteRule = (when: GuardRule['when']): GuardRule => ({
    scanner: 'remote',
    stage: 'input',
    action: 'block',
    threshold: 0.5,
    options: remoteOptions,
    when,
  });

  it('accepts a remote rule that waits for a local scanner of its stage', () => {
    expect(() =>
      validateRules([base, remoteRule({ scanner: 'injection', min_score: 0.2 })], registry),
    ).not.toThrow();
  });

  const refused: Array<[string, GuardRule[], RegExp]> = [
    [
      'a scanner no rule of the stage runs',
      [base, remoteRule({ scanner: 'pii', min_score: 0.2 })],
      /unconditional rule at the input stage/,
    ],
    [
      'a scanner of another stage',
      [{ ...base, stage: 'output', scanner: 'pii' }, remoteRule({ scanner: 'pii', min_score: 0.2 })],
      /unconditional rule at the input stage/,
    ],
    ['itself', [base, remoteRule({ scanner: 'remote', min_score: 0.2 })], /another scanner|local scanner/],
    [
      'a scanner that only runs conditionally',
      [
        base,
        {
          scanner: 'pii',
          stage: 'input',
          action: 'flag',
          threshold: 0.5,
          when: { scanner: 'injection', min_score: 0.1 },
        },
        remoteRule({ scanner: 'pii', min_score: 0.2 }),
      ],
      /unconditional rule/,
    ],
  ];
  for (const [what, rules, message] of refused) {
    it(`refuses a condition on ${what}, naming the rule`, () => {
      let caught: unknown;
      try {
        validateRules(rules, registry);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ValidationError);
      expect((caught as ValidationError).message).toMatch(message);
      expect((caught as ValidationError).message).toMatch(/^rules\[\d\] \(/);
    });
  }

  it('lets the injection rule report weaker windows (minScore) for a condition to use', () => {
    const weak = 'Please disregard the typo in my previous message.'; // scores ≈ 0.05
    const lowered = registry.get('injection', { minScore: 0.01 }, 'input').scan(weak, { stage: 'input' });
    const standard = registry.get('injection', {}, 'input').scan(weak, { stage: 'input' });
    expect((lowered as ScanResult).score).toBeGreaterThan(0.01);
    expect((lowered as ScanResult).score).toBeLessThan(0.2);
    expect((standard as ScanResult).score).toBe(0);
    for (const minScore of [0, 2, 'low']) {
      expect(() => registry.get('injection', { minScore }, 'input')).toThrow(/minScore/);
    }
  });

  it('validates the shape of when in a policy document', () => {
    const document = (when: unknown) => ({ name: 'p', rules: [{ ...base, when }] });
    expect(
      guardPolicyDocumentSchema.safeParse(document({ scanner: 'injection', min_score: 0.2 })).success,
    ).toBe(true);
    expect(
      guardPolicyDocumentSchema.safeParse(document({ scanner: 'injection', min_score: 2 })).success,
    ).toBe(false);
    expect(guardPolicyDocumentSchema.safeParse(document({ scanner: 'injection' })).success).toBe(false);
    expect(
      guardPolicyDocumentSchema.safeParse(document({ scanner: 'injection', min_score: 0.2, x: 1 })).success,
    ).toBe(false);
  });
});
