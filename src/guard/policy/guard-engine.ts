/**
 * Runs a compiled guard policy over a text at one stage: every scanner named by the stage's
 * rules runs once, findings at or above a rule's threshold (and of its types) trigger the
 * rule, and the strongest action wins (block > redact/mask > flag). Synchronous scanners stay
 * synchronous — the common case costs no promise — and remote ones are awaited together.
 */
import type { GuardAction, GuardRule, GuardStageName } from '../../core/index.js';
import type { Finding, ScanContext, Scanner, ScanResult } from '../scanner.js';
import { FindingList } from './finding-list.js';
import { applyRedactions, type RedactionSpan } from './redaction.js';

export interface CompiledRule {
  rule: GuardRule;
  scanner: Scanner;
}

export interface CompiledPolicy {
  name: string;
  version: number;
  holdBackChars: number;
  /** The longest text scanned (the policy's `max_scan_chars`). */
  maxScanChars: number;
  /** Longer texts: 'block' without scanning, or 'flag' and scan the first `maxScanChars`. */
  oversize: 'block' | 'flag';
  /** The roles of the caller's messages the input rules judge (the policy's `input_roles`; absent: user). */
  inputRoles?: ReadonlySet<string>;
  stages: Record<GuardStageName, CompiledRule[]>;
}

export interface TriggeredFinding extends Finding {
  /** 'none': seen but below every rule's threshold (or of a type no rule covers). */
  action: GuardAction | 'none';
}

export interface ScannerTiming {
  scanner: string;
  score: number;
  latencyMs: number;
  /** Set when every rule of this scanner waited for a condition (`when`) that was not met. */
  skipped?: true;
  /** Streams, remote scanners: the model calls made for the stream so far, and the characters sent. */
  calls?: number;
  sentChars?: number;
}

export interface GuardVerdict {
  action: 'allow' | 'flag' | 'redact' | 'block';
  flagged: boolean;
  /** Every finding of the stage's scanners, with the action its rule took ('none' below every rule's threshold). */
  findings: TriggeredFinding[];
  /** The text after redaction/masking (unchanged unless action is 'redact'). */
  text: string;
  mapping: Record<string, string>;
  blockedBy: { scanner: string; message: string } | null;
  timings: ScannerTiming[];
  /**
   * When the stage has rules with a condition (`when`): per rule of the stage, whether it was
   * skipped because its condition was not met (null otherwise). The gateway redacts the text
   * parts of a message with the rules the whole message triggered.
   */
  skippedRules?: readonly boolean[] | null;
  /**
   * The earliest `holdFrom` of a scanner whose rule could change the text (not `flag` only):
   * streams hold back from here. Absent when no scanner holds.
   */
  holdFrom?: number;
  /**
   * Streams: the least `judgedTo` of a scanner whose rule could change the text — a remote guard
   * model judges a stream in chunks, and nothing past what it has judged may be released.
   * Absent when every such scanner judged the whole text.
   */
  judgedTo?: number;
}

const RANK: Record<GuardVerdict['action'], number> = { allow: 0, flag: 1, redact: 2, block: 3 };

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * The results of a stage's scanners: `results[i]` is the result of `scanners[i]`. Two arrays
 * rather than a Map: the stage runs on every request, and this is less garbage per call.
 */
interface StageResults {
  scanners: Scanner[];
  results: ScanResult[];
}

function resultOf(stage: StageResults, scanner: Scanner): ScanResult | undefined {
  const index = stage.scanners.indexOf(scanner);
  return index < 0 ? undefined : stage.results[index];
}

function decide(
  text: string,
  rules: CompiledRule[],
  stage: StageResults,
  timings: ScannerTiming[],
  skippedRules: boolean[] | null = null,
  pseudonyms?: ScanContext['pseudonyms'],
): GuardVerdict {
  let action: GuardVerdict['action'] = 'allow';
  let blockedBy: GuardVerdict['blockedBy'] = null;
  const spans: RedactionSpan[] = [];
  // The findings, and those already listed; created with the first finding (most texts have
  // none). Indexed loops below: no iterator objects per call.
  let list: FindingList<TriggeredFinding> | null = null;
  let seen: Set<Finding> | null = null;
  let holdFrom = Number.POSITIVE_INFINITY;
  let judgedTo = Number.POSITIVE_INFINITY;
  for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) {
    const { rule, scanner } = rules[ruleIndex]!;
    if (skippedRules?.[ruleIndex]) continue;
    const result = resultOf(stage, scanner);
    if (!result) continue;
    if (result.holdFrom !== undefined && rule.action !== 'flag' && result.holdFrom < holdFrom) {
      holdFrom = result.holdFrom;
    }
    if (result.judgedTo !== undefined && rule.action !== 'flag' && result.judgedTo < judgedTo) {
      judgedTo = result.judgedTo;
    }
    const scanned = result.findings;
    for (let findingIndex = 0; findingIndex < scanned.length; findingIndex++) {
      const finding = scanned[findingIndex]!;
      seen ??= new Set<Finding>();
      list ??= new FindingList<TriggeredFinding>();
      const applies = finding.score >= rule.threshold && (!rule.types || rule.types.includes(finding.type));
      if (!applies) {
        if (!seen.has(finding)) {
          seen.add(finding);
          list.add({ ...finding, action: 'none' });
        }
        continue;
      }
      const ruleAction: GuardVerdict['action'] =
        rule.action === 'block' || rule.action === 'drop'
          ? 'block'
          : rule.action === 'flag'
            ? 'flag'
            : 'redact';
      const existing = list.indexOf(finding);
      const triggered: TriggeredFinding = { ...finding, action: rule.action };
      if (existing >= 0) list.replace(existing, triggered);
      else list.add(triggered);
      seen.add(finding);
      if (RANK[ruleAction] > RANK[action]) action = ruleAction;
      if (ruleAction === 'block' && !blockedBy) {
        blockedBy = {
          scanner: scanner.name,
          message: rule.message ?? `Blocked by the ${scanner.name} guard (${finding.type}).`,
        };
      }
      if (ruleAction === 'redact') {
        spans.push({
          start: finding.start,
          end: finding.end,
          type: finding.type.toUpperCase(),
          mode: rule.action === 'mask' ? 'mask' : 'redact',
          reversible: rule.reversible === true,
        });
      }
    }
  }
  let redacted = text;
  let mapping: Record<string, string> = {};
  if (action === 'redact') ({ text: redacted, mapping } = applyRedactions(text, spans, pseudonyms));
  const verdict: GuardVerdict = {
    action,
    flagged: action !== 'allow',
    findings: list?.entries ?? [],
    text: redacted,
    mapping,
    blockedBy,
    timings,
    skippedRules,
  };
  if (holdFrom !== Number.POSITIVE_INFINITY) verdict.holdFrom = holdFrom;
  if (judgedTo < text.length) verdict.judgedTo = judgedTo;
  return verdict;
}

/** Evaluates one stage. Returns synchronously when every scanner is synchronous. */
export function evaluateStage(
  policy: CompiledPolicy,
  stage: GuardStageName,
  text: string,
  context: Omit<ScanContext, 'stage'> = {},
): GuardVerdict | Promise<GuardVerdict> {
  return evaluateWithContext(policy, text, limitSystemPrompt(policy, { ...context, stage }));
}

/**
 * Cuts a fresh scan context's system prompt to the policy's `max_scan_chars`: it is a text the
 * scanners read too (the leak scanner indexes it, the injection scanner profiles it), a caller
 * may send one of megabytes, and indexing a 5 MB one held the event loop for about 7 s. Only
 * its head is compared with, as `oversize: flag` does with a long text.
 */
export function limitSystemPrompt<T extends { systemPrompt?: string }>(
  policy: CompiledPolicy,
  context: T,
): T {
  const prompt = context.systemPrompt;
  if (prompt !== undefined && prompt.length > policy.maxScanChars)
    context.systemPrompt = prompt.slice(0, policy.maxScanChars);
  return context;
}

/**
 * Evaluates the stage of `scanContext`. Scanners key their stream caches (toxicity windows,
 * the repetition tracker) by the context object, so a caller rescanning a growing text — the
 * streaming guard — passes the same object every time.
 */
export function evaluateWithContext(
  policy: CompiledPolicy,
  text: string,
  scanContext: ScanContext,
): GuardVerdict | Promise<GuardVerdict> {
  if (text.length > policy.maxScanChars) return evaluateOversize(policy, text, scanContext);
  return scanStage(policy, text, scanContext);
}

/**
 * A text longer than the policy's `max_scan_chars`: every local scanner is linear in the text,
 * so without a cap one large message holds the event loop for seconds. 'block' refuses it
 * without scanning; 'flag' scans the first `max_scan_chars` characters (the rest is not
 * scanned: the policy's author chose availability) and adds an `oversize` finding.
 */
function evaluateOversize(
  policy: CompiledPolicy,
  text: string,
  scanContext: ScanContext,
): GuardVerdict | Promise<GuardVerdict> {
  const limit = policy.maxScanChars;
  // The scanned head will grow no more: a scanner judging the stream in chunks (a remote guard
  // model) judges the rest of it now rather than at the end of the stream.
  if (scanContext.stream) scanContext.stream.final = true;
  const oversize: TriggeredFinding = {
    scanner: 'guard',
    type: 'oversize',
    score: 1,
    start: limit,
    end: text.length,
    value: '',
    action: policy.oversize,
  };
  const timing: ScannerTiming = { scanner: 'guard', score: 1, latencyMs: 0 };
  if (policy.oversize === 'block') {
    return {
      action: 'block',
      flagged: true,
      findings: [oversize],
      text,
      mapping: {},
      blockedBy: {
        scanner: 'guard',
        message: `The text is ${text.length} characters long; this guard policy scans at most ${limit} (max_scan_chars).`,
      },
      timings: [timing],
    };
  }
  const withHead = (verdict: GuardVerdict): GuardVerdict => ({
    ...verdict,
    action: verdict.action === 'allow' ? 'flag' : verdict.action,
    flagged: true,
    findings: [...verdict.findings, oversize],
    // Redactions apply to the scanned head; the unscanned rest follows unchanged.
    text: verdict.action === 'redact' ? verdict.text + text.slice(limit) : text,
    timings: [...verdict.timings, timing],
  });
  const outcome = scanStage(policy, text.slice(0, limit), scanContext);
  return isPromise(outcome) ? outcome.then(withHead) : withHead(outcome);
}

function scanStage(
  policy: CompiledPolicy,
  text: string,
  scanContext: ScanContext,
): GuardVerdict | Promise<GuardVerdict> {
  const rules = policy.stages[scanContext.stage];
  const stage: StageResults = { scanners: [], results: [] };
  const timings: ScannerTiming[] = [];
  // Remote scanners' results; created with the first one (most stages have none).
  let pending: Array<Promise<void>> | null = null;
  let conditional = false;
  for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) {
    const { rule, scanner } = rules[ruleIndex]!;
    if (rule.when) {
      conditional = true;
      continue;
    }
    const waiting = runScanner(scanner, text, scanContext, stage, timings);
    if (waiting) {
      pending ??= [];
      pending.push(waiting);
    }
  }
  let skippedRules: boolean[] | null = null;
  if (conditional) {
    skippedRules = new Array<boolean>(rules.length).fill(false);
    const waiting = escalate(rules, text, scanContext, stage, timings, skippedRules);
    if (waiting.length > 0) pending = [...(pending ?? []), ...waiting];
  }
  const pseudonyms = scanContext.pseudonyms;
  if (pending === null) return decide(text, rules, stage, timings, skippedRules, pseudonyms);
  return Promise.all(pending).then(() => decide(text, rules, stage, timings, skippedRules, pseudonyms));
}

/**
 * Runs a scanner once per stage (several rules may share it). A remote one's result arrives
 * later: the promise to wait for is returned (null for a local scanner, or one already run).
 */
function runScanner(
  scanner: Scanner,
  text: string,
  scanContext: ScanContext,
  stage: StageResults,
  timings: ScannerTiming[],
): Promise<void> | null {
  if (stage.scanners.includes(scanner)) return null;
  const started = performance.now();
  const outcome = scanner.scan(text, scanContext);
  const slot = stage.scanners.push(scanner) - 1;
  if (isPromise(outcome)) {
    stage.results.push({ scanner: scanner.name, score: 0, findings: [] });
    return outcome.then((result) => {
      stage.results[slot] = result;
      timings.push(timingOf(scanner, result, started));
    });
  }
  stage.results.push(outcome);
  timings.push(timingOf(scanner, outcome, started));
  return null;
}

function timingOf(scanner: Scanner, result: ScanResult, started: number): ScannerTiming {
  const timing: ScannerTiming = {
    scanner: scanner.name,
    score: result.score,
    latencyMs: performance.now() - started,
  };
  if (result.calls !== undefined) {
    timing.calls = result.calls;
    timing.sentChars = result.sentChars ?? 0;
  }
  return timing;
}

/**
 * The rules with a condition (`when`), after every unconditional rule has run: a rule runs when
 * the named scanner — local, so already scanned — scored at least `min_score`; otherwise it is
 * skipped (marked in `skipped`) and its scanner does not run for it (a remote guard model is not
 * called); a scanner all of whose rules were skipped gets a `skipped` timing. Returns the remote
 * results to wait for.
 */
function escalate(
  rules: CompiledRule[],
  text: string,
  scanContext: ScanContext,
  stage: StageResults,
  timings: ScannerTiming[],
  skipped: boolean[],
): Array<Promise<void>> {
  const pending: Array<Promise<void>> = [];
  const waiting: Scanner[] = [];
  for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex++) {
    const { rule, scanner } = rules[ruleIndex]!;
    if (!rule.when) continue;
    // The named scanner's score: the highest over the unconditional rules that name it (two
    // `words` rules with different terms are two scanners).
    let score = 0;
    for (const other of rules) {
      if (other.rule.when || other.rule.scanner !== rule.when.scanner) continue;
      const result = resultOf(stage, other.scanner);
      if (result && result.score > score) score = result.score;
    }
    if (score >= rule.when.min_score) {
      const result = runScanner(scanner, text, scanContext, stage, timings);
      if (result) pending.push(result);
    } else {
      skipped[ruleIndex] = true;
      if (!waiting.includes(scanner)) waiting.push(scanner);
    }
  }
  for (const scanner of waiting) {
    if (!stage.scanners.includes(scanner))
      timings.push({ scanner: scanner.name, score: 0, latencyMs: 0, skipped: true });
  }
  return pending;
}
