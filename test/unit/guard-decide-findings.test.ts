/**
 * The policy engine's list of findings, once it is long: past a few findings `decide` looks an
 * entry up by its start offset instead of searching the list for each finding (a streamed answer
 * full of e-mail addresses has thousands at every rescan). The list must be exactly what the
 * search along the list gave — same entries, same order, the same entry replaced when two rules
 * (or two scanners of the same name) report the same span and type — so it is compared here with
 * that algorithm, kept as the reference, on generated policies; and a stream full of e-mail
 * addresses still releases exactly the whole-text redaction.
 */
import { describe, expect, it } from 'vitest';
import type { GuardRule } from '../../src/core/index.js';
import {
  type CompiledPolicy,
  createPiiScanner,
  evaluateStage,
  type Finding,
  type Scanner,
  type ScanResult,
  StreamingOutputGuard,
} from '../../src/guard/index.js';
import type { CompiledRule, GuardVerdict, TriggeredFinding } from '../../src/guard/policy/guard-engine.js';

/** The list as `decide` built it before, searching the list for each triggered finding. */
function referenceFindings(rules: CompiledRule[], results: Map<Scanner, ScanResult>): TriggeredFinding[] {
  const findings: TriggeredFinding[] = [];
  const seen = new Set<Finding>();
  for (const { rule, scanner } of rules) {
    for (const finding of results.get(scanner)!.findings) {
      const applies = finding.score >= rule.threshold && (!rule.types || rule.types.includes(finding.type));
      if (!applies) {
        if (!seen.has(finding)) {
          seen.add(finding);
          findings.push({ ...finding, action: 'none' });
        }
        continue;
      }
      const existing = findings.findIndex(
        (item) =>
          item.start === finding.start &&
          item.end === finding.end &&
          item.type === finding.type &&
          item.scanner === finding.scanner,
      );
      const triggered: TriggeredFinding = { ...finding, action: rule.action };
      if (existing >= 0) findings[existing] = triggered;
      else findings.push(triggered);
      seen.add(finding);
    }
  }
  return findings;
}

/** A small deterministic generator (the cases are the same on every run). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function fixedScanner(name: string, result: ScanResult): Scanner {
  return { name, stages: ['input', 'context', 'output'], scan: () => result };
}

function generatedCase(seed: number): { rules: CompiledRule[]; results: Map<Scanner, ScanResult> } {
  const next = random(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
  const results = new Map<Scanner, ScanResult>();
  // Two scanners named "words" (two rules with different terms are two scanners) can report
  // the same span and type: one list entry, as before.
  const scanners = ['pii', 'words', 'words', 'regex'].map((name) => {
    const findings: Finding[] = [];
    const count = Math.floor(next() * 60);
    for (let index = 0; index < count; index++) {
      if (findings.length > 0 && next() < 0.2) {
        findings.push({ ...pick(findings) }); // the same span and type again, another object
        continue;
      }
      const start = Math.floor(next() * 40);
      findings.push({
        scanner: name,
        type: pick(['EMAIL', 'PHONE', 'word']),
        score: pick([0.2, 0.5, 0.9]),
        start,
        end: start + 1 + Math.floor(next() * 3),
        value: '',
      });
    }
    const result: ScanResult = { scanner: name, score: 0, findings };
    const scanner = fixedScanner(name, result);
    results.set(scanner, result);
    return scanner;
  });
  const rules: CompiledRule[] = [];
  const ruleCount = 1 + Math.floor(next() * 6);
  for (let index = 0; index < ruleCount; index++) {
    const scanner = pick(scanners);
    const rule: GuardRule = {
      scanner: scanner.name,
      stage: 'input',
      action: pick(['flag', 'redact', 'mask', 'block'] as const),
      threshold: pick([0.1, 0.5, 0.8]),
      ...(next() < 0.4 ? { types: [pick(['EMAIL', 'PHONE', 'word'])] } : {}),
    } as GuardRule;
    rules.push({ rule, scanner });
  }
  return { rules, results };
}

function policyOf(input: CompiledRule[], output: CompiledRule[] = []): CompiledPolicy {
  return {
    name: 'findings',
    version: 1,
    holdBackChars: 64,
    maxScanChars: 100_000,
    oversize: 'block',
    stages: { input, context: [], output },
  };
}

describe('the list of findings of a verdict', () => {
  it('is what the search along the list gave, on 400 generated policies (up to 240 findings)', () => {
    let long = 0;
    for (let seed = 1; seed <= 400; seed++) {
      // The scanners return the same finding objects as the reference reads: `seen` is by identity.
      const { rules, results } = generatedCase(seed);
      const verdict = evaluateStage(policyOf(rules), 'input', 'x'.repeat(64)) as GuardVerdict;
      const expected = referenceFindings(rules, results);
      expect(verdict.findings, `seed ${seed}`).toEqual(expected);
      if (expected.length > 16) long++;
    }
    // Most cases must take the map path, not only the short search.
    expect(long).toBeGreaterThan(200);
  });

  it('a stream full of e-mail addresses releases exactly the whole-text redaction', () => {
    let text = '';
    for (let index = 0; text.length < 10_000; index++) text += `Write to user${index}@example.com today. `;
    const rules: CompiledRule[] = [
      {
        rule: { scanner: 'pii', stage: 'output', action: 'redact', threshold: 0.5 } as GuardRule,
        scanner: createPiiScanner(),
      },
    ];
    const compiled = policyOf([], rules);
    const whole = evaluateStage(compiled, 'output', text) as GuardVerdict;
    expect(whole.findings.length).toBeGreaterThan(250);
    const guard = new StreamingOutputGuard(compiled, {});
    let released = '';
    for (let at = 0; at < text.length; at += 12) {
      released += (guard.push(text.slice(at, at + 12)) as { release: string }).release;
    }
    released += (guard.finish() as { release: string }).release;
    expect(released).toBe(whole.text);
  });
});
