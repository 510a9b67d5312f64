/**
 * The tasks of a text, for the disguised-harm check's task cues (disguised-harm.ts): where one
 * task ends and the next begins, and which stretch a task cue governs. Session 10; a module of
 * its own since session 11.
 */

import { isWhitespace } from '../normalize/canonicalize.js';
import { CodeUnits } from '../normalize/code-units.js';

/**
 * Session 10: where one task of a text ends and the next begins. A task cue of the lexicon
 * ("write a poem", "suppose you", "for a presentation"; disguised-harm-lexicon.ts) governs only
 * its own task and the task right before and after it (taskScope). A new task starts at
 *  - a task verb opening a sentence or a line ("… in five sentences. Categorize the type of
 *    work …"),
 *  - the end of a question ("… what do you want to do? Generate a program …"),
 *  - a blank line.
 * A harmful request in the cue's sentence, in the sentences that go on with its task ("Write a
 * story about a chemist. In it, he explains …"), or in the task right before or after it
 * ("Write a story about a chemist. Explain how he makes meth.") is in its scope; one three
 * questions away in a pack of questions is not. Case plays no part (the views the check reads
 * are lower-cased or read in any case).
 */
const TASK_VERBS =
  'create|write|generate|identify|list|give|find|describe|explain|summari[sz]e|analy[sz]e|classify|categori[sz]e|translate|rewrite|rephrase|paraphrase|compose|convert|suggest|name|provide|edit|calculate|compute|determine|compare|construct|design|evaluate|predict|outline|develop|brainstorm|change|select|choose|rank|sort|formulate|make|tell|propose|estimate|draft|recommend|discuss|define|arrange|organi[sz]e|plan|assess|review|critique|justify|illustrate|show|state|insert|add|delete|remove|replace|correct|complete|fill|count|detect|output|reverse|take|come up|imagine|pretend|suppose|consider|answer|respond|reply';
const boundaryUnits = new CodeUnits(2048);

/**
 * Session 11: the task verbs as a trie over a–z and the space (every spelling: "summari[sz]e"
 * is "summarise" and "summarize"), read in place of the expression `(?:TASK_VERBS)\b` with the
 * flags 'iy' at each sentence start (forty expression calls on a 2 KB pack). Without 'u', 'i'
 * folds only A–Z onto a–z for these letters (no unit above 127 matches an ASCII letter), and
 * `\b` after a verb's last letter needs no A–Z, a–z, 0–9 or _ next: the expression matches where
 * a spelling starts that such a unit (or the end) follows. The session 11 tests compare the two.
 */
const VERB_SPELLINGS = TASK_VERBS.split('|').flatMap((verb) =>
  verb.includes('[sz]') ? [verb.replace('[sz]', 's'), verb.replace('[sz]', 'z')] : [verb],
);
/** Column of each trie edge: a–z, then the space ("come up"). */
const VERB_COLUMNS = 27;
const verbTrie = (() => {
  const next: number[] = [];
  const ends: number[] = [0];
  next.length = VERB_COLUMNS;
  next.fill(0);
  for (const spelling of VERB_SPELLINGS) {
    if (!/^[a-z][a-z ]*$/.test(spelling)) throw new Error(`task verb not in a-z and space: ${spelling}`);
    let node = 0;
    for (const letter of spelling) {
      const column = letter === ' ' ? 26 : letter.charCodeAt(0) - 97;
      if (next[node * VERB_COLUMNS + column] === 0) {
        next[node * VERB_COLUMNS + column] = ends.length;
        ends.push(0);
        for (let index = 0; index < VERB_COLUMNS; index++) next.push(0);
      }
      node = next[node * VERB_COLUMNS + column]!;
    }
    ends[node] = 1;
  }
  return { next: Int32Array.from(next), ends: Uint8Array.from(ends) };
})();

/** An A–Z, a–z, 0–9 or _: a word character for \b of an expression without the 'u' flag. */
const isPatternWordUnit = (code: number): boolean =>
  (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || code === 95;

/** Whether a task verb starts at `at` of a text of `length` with these units. */
export function taskVerbAt(units: Uint16Array, length: number, at: number): boolean {
  const { next, ends } = verbTrie;
  let node = 0;
  for (let index = at; index < length; index++) {
    const code = units[index]!;
    if (ends[node] === 1 && !isPatternWordUnit(code)) return true;
    const column =
      code >= 97 && code <= 122 ? code - 97 : code >= 65 && code <= 90 ? code - 65 : code === 32 ? 26 : -1;
    if (column === -1) return false;
    node = next[node * VERB_COLUMNS + column]!;
    if (node === 0) return false;
  }
  return ends[node] === 1;
}

/** A sentence end: . ! ? : ; */
const isSentenceEnd = (code: number): boolean =>
  code === 46 || code === 33 || code === 63 || code === 58 || code === 59;
/** A closing quote or bracket after a sentence end: ' " ) ] */
const isCloser = (code: number): boolean => code === 39 || code === 34 || code === 41 || code === 93;
/** The characters a boundary's blank run follows or holds: a sentence end or a line break. */
const BOUNDARY_MARK = new Uint8Array(128);
for (const mark of '.!?:;\n') BOUNDARY_MARK[mark.charCodeAt(0)] = 1;

/**
 * The task boundaries of `text` (0 first, then ascending): see TASK_VERBS. `units` are the
 * text's code units in any case (the caller's copy, else one is made). Session 11: one pass
 * instead of three regular-expression scans, a sort and a filter (with the verb tests, 14 % of
 * the check's profile on the bench's 2 KB packs with a harm phrase). Every boundary lies at a
 * blank run (JavaScript's `\s`) that follows a sentence end (and an optional closing quote or bracket) or holds a line break
 * — the pass looks only at those, from their sentence end or line break:
 *  - after the run, when a task verb starts there: the matches of `[.!?:;]['")\]]?\s+|\n\s*`
 *    are these runs from their sentence end or first line break to their end (`\s` is greedy,
 *    and a run ends at a non-blank);
 *  - at the run's start when a question mark ends the text before it (`\?(?=\s)`);
 *  - after each blank line in the run: the matches of `\n[ \t]*\n` (all blank) lie inside a run,
 *    one after another from its start.
 * In the run's order these are ascending: no sort, and a boundary found twice (a blank line
 * ending the run before a task verb) is kept once. The session 11 tests
 * (guard-injection-disguised-harm-s11.test.ts) compare it with the three expressions.
 */
export function taskBoundaries(text: string, units: Uint16Array = boundaryUnits.load(text)): number[] {
  const boundaries = [0];
  const length = text.length;
  let index = 0;
  while (index < length) {
    const code = units[index]!;
    if (code >= 128 || BOUNDARY_MARK[code] === 0) {
      index++;
      continue;
    }
    // The blank run this mark starts (a sentence end, maybe a closer, blanks) or is in.
    let runStart = index;
    if (code === 10) while (runStart > 0 && isWhitespace(units[runStart - 1]!)) runStart--;
    else if (index + 1 < length && isWhitespace(units[index + 1]!)) runStart = index + 1;
    else if (index + 2 < length && isCloser(units[index + 1]!) && isWhitespace(units[index + 2]!))
      runStart = index + 2;
    else {
      index++;
      continue;
    }
    let lineBreak = false;
    index = runStart;
    while (index < length && isWhitespace(units[index]!)) {
      if (units[index] === 10) lineBreak = true;
      index++;
    }
    const runEnd = index;
    const before = runStart > 0 ? units[runStart - 1]! : 0;
    if (before === 63) boundaries.push(runStart);
    if (lineBreak)
      for (let at = runStart; at < runEnd; at++) {
        if (units[at] !== 10) continue;
        let next = at + 1;
        while (next < runEnd && (units[next] === 32 || units[next] === 9)) next++;
        if (next < runEnd && units[next] === 10) {
          boundaries.push(next + 1);
          at = next;
        }
      }
    const sentenceStart =
      lineBreak ||
      isSentenceEnd(before) ||
      (isCloser(before) && runStart > 1 && isSentenceEnd(units[runStart - 2]!));
    if (sentenceStart && boundaries[boundaries.length - 1] !== runEnd && taskVerbAt(units, length, runEnd))
      boundaries.push(runEnd);
  }
  return boundaries;
}

/** How many tasks on either side of its own a task cue governs (1: the one before and after). */
export const TASK_NEIGHBOURS = 1;

/** The stretch [from, to) of a text of `length` that a task cue starting at `at` governs. */
export function taskScope(boundaries: number[], at: number, length: number): [number, number] {
  // The cue's own task: the last boundary at or before it (a binary search: a text can hold
  // thousands of cues and boundaries).
  let own = 0;
  let high = boundaries.length - 1;
  while (own < high) {
    const middle = (own + high + 1) >> 1;
    if (boundaries[middle]! <= at) own = middle;
    else high = middle - 1;
  }
  const from = boundaries[Math.max(0, own - TASK_NEIGHBOURS)]!;
  const to = boundaries[own + 1 + TASK_NEIGHBOURS] ?? length;
  return [from, to];
}
