/**
 * The custom-pattern scan over a growing text (a streamed answer rescanned every few
 * characters) at the cost of the new text plus what is still open, with the same findings,
 * spans and score as scanning the whole text each time.
 *
 * Why a prefix of the matches is final. RE2 reports leftmost-first matches: search from a
 * position, take the leftmost start that has a match, and among that start's matches the one
 * a backtracking engine would try first; then search again from its end (one character further
 * after an empty match). Let `open` be the earliest start of a thread still running at the end
 * of the text that could still change what RE2 reports for its start (open-matches.ts: a
 * thread that ranks below a match of its own start cannot). For a start before `open`, every
 * thread has ended inside the text or is outranked: whether it has a match, and the one RE2
 * chooses, are the same in the text and in any text that continues it — a better match, or an
 * assertion at the end that the next character could fail, needs a thread that is still
 * running and ranks above. So the matches that start before `open`, found
 * in order, are final; nothing starts between the end of the last of them and `open` (the
 * search found nothing there, and those starts are decided too); and the next search can begin
 * at the later of the two. Each rescan keeps the final findings, searches again from there —
 * after one RE2Set pass over that tail says which patterns occur in it at all — and moves the
 * point on. A pattern that can stay open for long (`.*` under `s`, `[^.]*`) keeps its own
 * point back and is searched again from there, exactly as before.
 */
import type { RE2JS, RE2Set } from 're2js';
import type { Finding, ScanResult } from '../scanner.js';
import { OpenMatchTracker, type TrackerPlan } from './open-matches.js';

export interface StreamPattern {
  name: string;
  score: number;
  group: number | string;
  regex: RE2JS;
  plan: TrackerPlan;
}

interface PatternState {
  tracker: OpenMatchTracker;
  /** Final findings, in match order. */
  kept: Finding[];
  /** Where the next search starts: after the last final match, and not before `open`. */
  resume: number;
}

/** The width RE2JS steps over at `at` after an empty match: a surrogate pair is one step. */
function stepWidth(text: string, at: number): number {
  const unit = text.charCodeAt(at);
  if (unit >= 0xd800 && unit <= 0xdbff && at + 1 < text.length) {
    const low = text.charCodeAt(at + 1);
    if (low >= 0xdc00 && low <= 0xdfff) return 2;
  }
  return 1;
}

export class RegexStream {
  readonly #name: string;
  readonly #patterns: readonly StreamPattern[];
  readonly #set: RE2Set;
  readonly #states: PatternState[];

  constructor(name: string, patterns: readonly StreamPattern[], set: RE2Set) {
    this.#name = name;
    this.#patterns = patterns;
    this.#set = set;
    this.#states = patterns.map((pattern) => ({
      tracker: new OpenMatchTracker(pattern.plan),
      kept: [],
      resume: 0,
    }));
  }

  /** The scan of `text`, which continues the text of the previous call. */
  scan(text: string): ScanResult {
    const states = this.#states;
    let from = text.length;
    for (const state of states) if (state.resume < from) from = state.resume;
    // One DFA pass over the tail says which patterns have a match starting there. The unit
    // before it goes along so that `\b` and `(?m)^` at its first position see what precedes.
    let hits: number[] = [];
    if (from < text.length) hits = this.#set.match(from === 0 ? text : text.slice(from - 1));
    let hitIndex = 0;
    const findings: Finding[] = [];
    let score = 0;
    let contributing = 0;
    let holdFrom = text.length;
    for (let index = 0; index < states.length; index++) {
      const state = states[index]!;
      const pattern = this.#patterns[index]!;
      const open = state.tracker.advance(text);
      if (open < holdFrom) holdFrom = open;
      const before = findings.length;
      for (const finding of state.kept) findings.push(finding);
      if (hits[hitIndex] === index) {
        hitIndex++;
        this.#searchTail(text, pattern, state, open, findings);
      } else if (open > state.resume) {
        state.resume = open;
      }
      if (findings.length > before) {
        contributing++;
        if (pattern.score > score) score = pattern.score;
      }
    }
    if (contributing > 1) findings.sort((left, right) => left.start - right.start || right.end - left.end);
    const result: ScanResult = { scanner: this.#name, score, findings };
    if (holdFrom < text.length) result.holdFrom = holdFrom;
    return result;
  }

  /** Matches from `state.resume` on; those that start before `open` become final. */
  #searchTail(text: string, pattern: StreamPattern, state: PatternState, open: number, out: Finding[]): void {
    const matcher = pattern.regex.matcher(text);
    let settled = true;
    let next = state.resume;
    let found = matcher.find(state.resume);
    while (found) {
      const matchStart = matcher.start();
      const matchEnd = matcher.end();
      if (matchStart >= open) settled = false;
      if (settled) next = matchEnd === matchStart ? matchEnd + stepWidth(text, matchEnd) : matchEnd;
      const start = matcher.start(pattern.group);
      const end = matcher.end(pattern.group);
      // A group that did not take part, or an empty match (`\b`-only), is not a finding.
      if (start >= 0 && end > start) {
        const finding: Finding = {
          scanner: this.#name,
          type: pattern.name,
          score: pattern.score,
          start,
          end,
          value: text.slice(start, end),
        };
        out.push(finding);
        if (settled) state.kept.push(finding);
      }
      found = matcher.find();
    }
    state.resume = Math.max(next, open);
  }
}
