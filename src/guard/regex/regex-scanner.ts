/**
 * Custom patterns as a guard scanner: a policy's own entities (employee numbers, ticket ids,
 * internal host names, project code names with a number…) found by regular expressions, with
 * the same actions as built-in findings (block, redact `[EMPLOYEE_ID]`, mask, flag).
 *
 * Patterns come from policy authors, so they must not be able to stall the event loop: a
 * backtracking engine (V8's RegExp) can take exponential time on a pattern like `(a+)+$` and
 * polynomial time on many innocent-looking ones (`\d+x` searched over a long digit run). They
 * run on RE2JS, a port of RE2 whose matching is linear in the text for every pattern. All of a
 * rule's patterns are first tested together in one pass of RE2's lazy DFA (`RE2Set`: about
 * 4 ns per character on the bench machine however many patterns there are); only the patterns
 * that matched are then run one by one for their spans. The syntax is RE2's
 * (https://github.com/google/re2/wiki/Syntax): no lookaround and no backreferences, which is
 * what makes linear time possible; `\d`, `\w` and `\b` are ASCII, `\p{Han}` and other Unicode
 * classes work, offsets are UTF-16 like every other finding.
 *
 * At the output stage the scan is incremental per stream (regex-stream.ts: the streaming guard
 * rescans the growing answer with one context object): the matches that can no longer change
 * are kept, only the rest is searched again, and the result is the whole-text scan's. It also
 * reports `holdFrom`, where a match may still be open at the end of the text, so that the
 * streaming guard releases no part of an unfinished employee id however long the pattern.
 */
import { RE2JS, RE2Set } from 're2js';
import { ValidationError } from '../../core/index.js';
import type { Finding, GuardStage, ScanContext, Scanner, ScanResult } from '../scanner.js';
import { StreamStates } from '../stream-cache.js';
import { planTracker } from './open-matches.js';
import { type CompiledProgram, isSupported } from './re2-program.js';
import { RegexStream, type StreamPattern } from './regex-stream.js';

export interface RegexPattern {
  /** The finding type, e.g. "EMPLOYEE_ID" (also the redaction placeholder `[EMPLOYEE_ID]`). */
  name: string;
  /** RE2 syntax. */
  pattern: string;
  /** Any of `i` (case-insensitive), `m` (`^`/`$` at line ends), `s` (`.` matches `\n`). */
  flags?: string;
  /** The finding's score, default 1 (a rule's threshold compares against it). */
  score?: number;
  /** Report only this capture group (number or name), e.g. the value after a label. */
  group?: number | string;
}

export interface RegexScannerOptions {
  /** Scanner name (default 'regex'). */
  name?: string;
  patterns: readonly RegexPattern[];
}

export const MAX_PATTERNS = 500;
export const MAX_PATTERN_LENGTH = 4000;
/** Memory for the set's lazy DFA; beyond it RE2 clears its cache or falls back to its NFA (still linear). */
const DFA_MEMORY_BYTES = 4 * 1024 * 1024;
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const FLAGS = /^[ims]{0,3}$/;
const STAGES: readonly GuardStage[] = ['input', 'context', 'output'];
/** Only to explain a compile error: an unescaped `(?=`, `(?!`, `(?<=` or `(?<!`. */
const LOOKAROUND = /(?<!\\)\((?:\?[=!]|\?<[=!])/;
/** Only to explain a compile error: `\1`–`\9` or `\k<name>` after an unescaped backslash. */
const BACKREFERENCE = /(?<!\\)\\(?:[1-9]|k<)/;

export interface RegexScanner extends Scanner {
  /**
   * Without a context, or at the input and context stages: a whole-text scan. At the output
   * stage: incremental over the texts scanned with the same context object (each continuing
   * the one before), same result, plus `holdFrom`.
   */
  scan(text: string, context?: ScanContext): ScanResult;
}

function fail(index: number, field: string, message: string): never {
  throw new ValidationError(`options.patterns[${index}].${field}: ${message}`, {
    param: `options.patterns[${index}].${field}`,
  });
}

/** The pattern with its flags written inline, so that one set can hold patterns with different flags. */
function inlineSource(entry: RegexPattern): string {
  return entry.flags ? `(?${[...new Set(entry.flags)].join('')}:${entry.pattern})` : entry.pattern;
}

function compileOne(entry: RegexPattern, index: number): StreamPattern {
  if (typeof entry !== 'object' || entry === null) fail(index, 'pattern', 'each pattern is {name, pattern}');
  const known = ['name', 'pattern', 'flags', 'score', 'group'];
  for (const key of Object.keys(entry)) {
    if (!known.includes(key)) fail(index, key, `unknown field (a pattern takes: ${known.join(', ')})`);
  }
  if (typeof entry.name !== 'string' || !NAME.test(entry.name)) {
    fail(index, 'name', 'a type name: a letter, then letters, digits or _ (at most 64), e.g. EMPLOYEE_ID');
  }
  if (typeof entry.pattern !== 'string' || entry.pattern.length === 0) {
    fail(index, 'pattern', 'a non-empty regular expression (RE2 syntax)');
  }
  if (entry.pattern.length > MAX_PATTERN_LENGTH) {
    fail(index, 'pattern', `longer than ${MAX_PATTERN_LENGTH} characters`);
  }
  if (entry.flags !== undefined && (typeof entry.flags !== 'string' || !FLAGS.test(entry.flags))) {
    fail(index, 'flags', 'any of i, m, s (e.g. "i")');
  }
  if (
    entry.score !== undefined &&
    (typeof entry.score !== 'number' || !(entry.score > 0) || entry.score > 1)
  ) {
    fail(index, 'score', 'a number in (0, 1]');
  }
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(inlineSource(entry));
  } catch (error) {
    // RE2's own words for these ("invalid named capture", "invalid escape sequence") do not say why.
    const why = LOOKAROUND.test(entry.pattern)
      ? 'lookaround ((?=…), (?!…), (?<=…), (?<!…)) is not supported; '
      : BACKREFERENCE.test(entry.pattern)
        ? 'backreferences (\\1, \\k<name>) are not supported; '
        : '';
    fail(
      index,
      'pattern',
      `${why}${(error as Error).message} (RE2 syntax, which runs in linear time: https://github.com/google/re2/wiki/Syntax)`,
    );
  }
  const group = entry.group ?? 0;
  if (typeof group === 'number') {
    if (!Number.isInteger(group) || group < 0 || group > regex.groupCount()) {
      fail(index, 'group', `the pattern has ${regex.groupCount()} capture group(s)`);
    }
  } else if (typeof group !== 'string' || !(group in regex.namedGroups())) {
    fail(index, 'group', `no capture group named ${JSON.stringify(group)} in the pattern`);
  }
  if (regex.matcher('').find()) {
    fail(index, 'pattern', 'matches the empty string; a guard pattern must match at least one character');
  }
  // The compiled RE2 program that RE2JS runs, walked by the stream scan (open-matches.ts).
  const program = regex.re2().prog as CompiledProgram;
  if (!isSupported(program)) fail(index, 'pattern', 'lookbehind is not supported');
  return {
    name: entry.name,
    score: entry.score ?? 1,
    group,
    regex,
    plan: planTracker(program),
  };
}

/**
 * Compiles a rule's patterns (throws a ValidationError naming the pattern at fault) into a
 * `Scanner`.
 * @example
 * const scanner = createRegexScanner({ patterns: [{ name: 'EMPLOYEE_ID', pattern: 'EMP-\\d{6}' }] });
 * scanner.scan('Ask EMP-004211 about it').findings;
 * // [{ scanner: 'regex', type: 'EMPLOYEE_ID', score: 1, start: 4, end: 14, value: 'EMP-004211' }]
 */
export function createRegexScanner(options: RegexScannerOptions): RegexScanner {
  const name = options.name ?? 'regex';
  const entries = options.patterns;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new ValidationError(
      'the regex scanner needs options.patterns: a non-empty list of {name, pattern}',
      {
        param: 'options.patterns',
      },
    );
  }
  if (entries.length > MAX_PATTERNS) {
    throw new ValidationError(`options.patterns: at most ${MAX_PATTERNS} patterns per rule`, {
      param: 'options.patterns',
    });
  }
  const compiled = entries.map(compileOne);
  const set = new RE2Set(RE2Set.UNANCHORED, 0, DFA_MEMORY_BYTES);
  try {
    for (const entry of entries) set.add(inlineSource(entry));
    set.compile();
  } catch (error) {
    throw new ValidationError(`options.patterns: ${(error as Error).message}`, { param: 'options.patterns' });
  }

  const streams = new StreamStates(() => new RegexStream(name, compiled, set));

  return {
    name,
    stages: STAGES,
    findingTypes: entries.map((entry) => entry.name),
    scan(text: string, context?: ScanContext): ScanResult {
      if (context?.stage === 'output') {
        const result = streams.get(context, text).scan(text);
        streams.seen(context, text);
        return result;
      }
      // One DFA pass says which patterns occur at all; most texts match none.
      const hits = set.match(text);
      if (hits.length === 0) return { scanner: name, score: 0, findings: [] };
      const findings: Finding[] = [];
      let score = 0;
      for (const index of hits) {
        const pattern = compiled[index]!;
        const matcher = pattern.regex.matcher(text);
        while (matcher.find()) {
          const start = matcher.start(pattern.group);
          const end = matcher.end(pattern.group);
          // A group that did not take part, or an empty match (`\b`-only), is not a finding.
          if (start < 0 || end <= start) continue;
          findings.push({
            scanner: name,
            type: pattern.name,
            score: pattern.score,
            start,
            end,
            value: text.slice(start, end),
          });
          if (pattern.score > score) score = pattern.score;
        }
      }
      if (hits.length > 1) findings.sort((left, right) => left.start - right.start || right.end - left.end);
      return { scanner: name, score, findings };
    },
  };
}
