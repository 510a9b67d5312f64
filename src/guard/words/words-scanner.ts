/**
 * Custom sensitive-word lists as a guard scanner. Terms are folded (see fold.ts) and compiled
 * once into one Aho–Corasick automaton; a scan folds the text on the fly, walks the automaton
 * once, maps matches back to original offsets, applies word boundaries and keeps the
 * leftmost-longest non-overlapping matches. A term whose first (last) character is a word
 * character of a spaced script needs a boundary before (after) it, unless it sets
 * `wholeWord: false`; CJK terms never do. Matches must start and end on whole original
 * characters (a term "e" does not match inside "é").
 */
import type { Finding, GuardStage, ScanContext, Scanner, ScanResult } from '../scanner.js';
import { AhoCorasick } from './aho-corasick.js';
import { foldCodePoint, foldText, foldUnit, isWordCodePoint } from './fold.js';

export interface SensitiveTerm {
  term: string;
  /** Finding type (default 'SENSITIVE_WORD'). */
  category?: string;
  /** Require word boundaries around Latin-style ends (default true; ignored for CJK ends). */
  wholeWord?: boolean;
  /** Finding score (default 1). */
  score?: number;
}

export interface SensitiveWordsOptions {
  /** Scanner name (default 'words'). */
  name?: string;
  terms: ReadonlyArray<string | SensitiveTerm>;
}

export interface WordMatch {
  start: number;
  end: number;
  /** Index into the terms given. */
  termIndex: number;
}

interface CompiledTerm {
  boundaryBefore: boolean;
  boundaryAfter: boolean;
}

/** The words scanner is synchronous. */
export interface WordsScanner extends Scanner {
  scan(text: string, context?: ScanContext): ScanResult;
}

const STAGES: readonly GuardStage[] = ['input', 'context', 'output'];

// Original offset of each folded code unit; shared between scans (scans never interleave).
let origin: Int32Array = new Int32Array(4096);

export interface WordMatcher {
  readonly termCount: number;
  /** Leftmost-longest, non-overlapping matches with boundaries applied, ordered by start. */
  match(text: string): WordMatch[];
}

export function createWordMatcher(terms: ReadonlyArray<string | SensitiveTerm>): WordMatcher {
  const compiled: CompiledTerm[] = [];
  const folded: string[] = [];
  for (const entry of terms) {
    const term = typeof entry === 'string' ? { term: entry } : entry;
    const key = foldText(term.term.trim());
    const codePoints = [...term.term.trim()];
    const wholeWord = term.wholeWord !== false;
    folded.push(key);
    compiled.push({
      boundaryBefore: wholeWord && codePoints.length > 0 && isWordCodePoint(codePoints[0]!.codePointAt(0)!),
      boundaryAfter:
        wholeWord && codePoints.length > 0 && isWordCodePoint(codePoints.at(-1)!.codePointAt(0)!),
    });
  }
  const automaton = new AhoCorasick(folded);

  function match(text: string): WordMatch[] {
    const found: WordMatch[] = [];
    if (origin.length < text.length * 2 + 16) origin = new Int32Array(text.length * 4 + 16);
    let state = 0;
    let unit = 0;
    let lastWasSpace = false;
    for (let index = 0; index < text.length; ) {
      const code = text.charCodeAt(index);
      const single = code >= 0xd800 && code <= 0xdfff ? -1 : foldUnit(code);
      let width = 1;
      if (single >= 0) {
        // Fast path: one unit in, one unit out.
        if (single === 32) {
          if (lastWasSpace) {
            index++;
            continue;
          }
          lastWasSpace = true;
        } else {
          lastWasSpace = false;
        }
        if (origin.length <= unit) origin = grow(origin, 1);
        origin[unit++] = index;
        state = automaton.next(state, single);
      } else {
        const codePoint = text.codePointAt(index)!;
        width = codePoint > 0xffff ? 2 : 1;
        const piece = foldCodePoint(codePoint);
        const isSpace = piece === ' ';
        if ((isSpace && lastWasSpace) || piece === '') {
          index += width;
          continue;
        }
        lastWasSpace = isSpace;
        if (origin.length < unit + piece.length) origin = grow(origin, piece.length);
        for (let offset = 0; offset < piece.length; offset++) {
          origin[unit++] = index;
          state = automaton.next(state, piece.charCodeAt(offset));
        }
      }
      // Matches may only end on the last unit of an original character.
      let node = automaton.terminal[state] !== -1 ? state : automaton.outputLink[state]!;
      while (node !== -1) {
        const first = unit - automaton.depth[node]!;
        const start = origin[first]!;
        // ...and start on the first unit of one.
        if (first === 0 || origin[first - 1] !== start) {
          for (let term = automaton.terminal[node]!; term !== -1; term = automaton.samePattern[term]!) {
            if (boundariesHold(text, start, index + width, compiled[term]!)) {
              found.push({ start, end: index + width, termIndex: term });
            }
          }
        }
        node = automaton.outputLink[node]!;
      }
      index += width;
    }
    return leftmostLongest(found);
  }

  return { termCount: terms.length, match };
}

function grow(buffer: Int32Array, extra: number): Int32Array {
  const grown = new Int32Array(buffer.length * 2 + extra);
  grown.set(buffer);
  return grown;
}

function boundariesHold(text: string, start: number, end: number, term: CompiledTerm): boolean {
  if (term.boundaryBefore && start > 0) {
    const before = text.codePointAt(start - 1)!;
    // codePointAt on a low surrogate returns the surrogate: step back over the pair.
    const previous =
      before >= 0xdc00 && before <= 0xdfff && start > 1 ? text.codePointAt(start - 2)! : before;
    if (isWordCodePoint(previous)) return false;
  }
  if (term.boundaryAfter && end < text.length && isWordCodePoint(text.codePointAt(end)!)) return false;
  return true;
}

function leftmostLongest(matches: WordMatch[]): WordMatch[] {
  if (matches.length < 2) return matches;
  matches.sort(
    (left, right) => left.start - right.start || right.end - left.end || left.termIndex - right.termIndex,
  );
  const kept: WordMatch[] = [];
  let reached = -1;
  for (const candidate of matches) {
    if (candidate.start < reached) continue;
    kept.push(candidate);
    reached = candidate.end;
  }
  return kept;
}

/**
 * A `Scanner` over a custom term list (thousands of terms are fine: one automaton, one pass).
 * @example
 * const scanner = createSensitiveWordsScanner({ terms: ['project falcon', { term: '机密', category: 'CONFIDENTIAL' }] });
 * scanner.scan('这是机密: Project  Falcon', { stage: 'output' }).findings.map((finding) => finding.type);
 * // ['CONFIDENTIAL', 'SENSITIVE_WORD']
 */
export function createSensitiveWordsScanner(options: SensitiveWordsOptions): WordsScanner {
  const name = options.name ?? 'words';
  const matcher = createWordMatcher(options.terms);
  const terms = options.terms.map((entry) => (typeof entry === 'string' ? { term: entry } : entry));
  return {
    name,
    stages: STAGES,
    scan(text: string): ScanResult {
      const findings: Finding[] = matcher.match(text).map((found) => ({
        scanner: name,
        type: terms[found.termIndex]!.category ?? 'SENSITIVE_WORD',
        score: terms[found.termIndex]!.score ?? 1,
        start: found.start,
        end: found.end,
        value: text.slice(found.start, found.end),
      }));
      let score = 0;
      for (const finding of findings) if (finding.score > score) score = finding.score;
      return { scanner: name, score, findings };
    },
  };
}
