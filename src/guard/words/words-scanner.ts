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
import { StreamStates } from '../stream-cache.js';
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

export interface WordMatcher {
  readonly termCount: number;
  /** Leftmost-longest, non-overlapping matches with boundaries applied, ordered by start. */
  match(text: string): WordMatch[];
  /**
   * `match(text)` for a text that grows (a streamed answer): `progress` carries the automaton
   * between calls, so each call reads only the characters added since the last one. The answer
   * is the same as `match(text)` for every prefix. A fresh `progress` from `newProgress()`.
   */
  matchMore(text: string, progress: WordProgress): WordMatch[];
  newProgress(): WordProgress;
}

/**
 * Where a scan of a growing text stands: the next character to read, the automaton state and
 * folded-unit count after it, the original offset of the last folded units (a ring as long as
 * the longest term, which is all a match can reach back), and every match found so far.
 */
export interface WordProgress {
  index: number;
  unit: number;
  state: number;
  lastWasSpace: boolean;
  origin: Int32Array;
  /** Matches with their boundaries checked; one ending at `index` still waits for what follows. */
  found: WordMatch[];
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
  // The ring of original offsets must hold a whole match and the unit before it.
  let longest = 1;
  for (const key of folded) longest = Math.max(longest, key.length);
  let ringSize = 2;
  while (ringSize < longest + 2) ringSize *= 2;
  const ringMask = ringSize - 1;

  const newProgress = (): WordProgress => ({
    index: 0,
    unit: 0,
    state: 0,
    lastWasSpace: false,
    origin: new Int32Array(ringSize),
    found: [],
  });

  /**
   * Reads `text` from `progress.index` to its end. A growing text's trailing high surrogate
   * waits for its pair (`complete` false); a lone one at the very end of a stream is never read,
   * which can only matter to a term that ends in half a character.
   */
  function advance(text: string, progress: WordProgress, complete: boolean): void {
    const { origin, found } = progress;
    // A match that ended the text read last time had no character after it to check.
    const previousEnd = progress.index;
    if (previousEnd < text.length) {
      for (let position = found.length - 1; position >= 0; position--) {
        const candidate = found[position]!;
        if (candidate.end !== previousEnd) break;
        if (!compiled[candidate.termIndex]!.boundaryAfter || !isWordCodePoint(text.codePointAt(previousEnd)!))
          continue;
        found.splice(position, 1);
      }
    }
    let { unit, state, lastWasSpace } = progress;
    let index = progress.index;
    const length = text.length;
    while (index < length) {
      const code = text.charCodeAt(index);
      // Only the stream's end can cut a surrogate pair: read it whole next time.
      if (!complete && code >= 0xd800 && code <= 0xdbff && index === length - 1) break;
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
        origin[unit & ringMask] = index;
        unit++;
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
        for (let offset = 0; offset < piece.length; offset++) {
          origin[unit & ringMask] = index;
          unit++;
          state = automaton.next(state, piece.charCodeAt(offset));
        }
      }
      // Matches may only end on the last unit of an original character.
      let node = automaton.terminal[state] !== -1 ? state : automaton.outputLink[state]!;
      while (node !== -1) {
        const first = unit - automaton.depth[node]!;
        const start = origin[first & ringMask]!;
        // ...and start on the first unit of one.
        if (first === 0 || origin[(first - 1) & ringMask] !== start) {
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
    progress.index = index;
    progress.unit = unit;
    progress.state = state;
    progress.lastWasSpace = lastWasSpace;
  }

  // One scratch state for whole-text scans (they never interleave): no allocation per scan.
  const scratch = newProgress();

  function match(text: string): WordMatch[] {
    scratch.index = 0;
    scratch.unit = 0;
    scratch.state = 0;
    scratch.lastWasSpace = false;
    scratch.found.length = 0;
    advance(text, scratch, true);
    return scratch.found.length === 0 ? [] : leftmostLongest([...scratch.found]);
  }

  function matchMore(text: string, progress: WordProgress): WordMatch[] {
    advance(text, progress, false);
    return leftmostLongest([...progress.found]);
  }

  return { termCount: terms.length, match, matchMore, newProgress };
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
  // The streaming guard rescans a growing answer with one context: read only what was added.
  const streams = new StreamStates(() => matcher.newProgress());
  return {
    name,
    stages: STAGES,
    findingTypes: [...new Set(terms.map((entry) => entry.category ?? 'SENSITIVE_WORD'))],
    scan(text: string, context?: ScanContext): ScanResult {
      let matches: WordMatch[];
      if (context?.stage === 'output') {
        matches = matcher.matchMore(text, streams.get(context, text));
        streams.seen(context, text);
      } else {
        matches = matcher.match(text);
      }
      const findings: Finding[] = matches.map((found) => ({
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
