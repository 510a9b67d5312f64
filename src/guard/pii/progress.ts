/**
 * Bookkeeping for scanning a growing text (a streamed answer) family by family. Each detector
 * family scans from a `from` offset and reports its Progress: the offset to resume at next
 * time, and how many of the candidates it pushed are final — found exactly so, and no other
 * candidate starting before `resume`, whatever text is appended later. A family proves that in
 * one of two ways:
 * - a frontier: its candidates and everything its scan reads lie inside one run of characters
 *   of a class (an email of [A-Za-z0-9._%+@-], a key token of [\w.-]); a run that ended before
 *   the text did is finished, so only the run that touches the end of the text is unsettled;
 * - a bounded reach: a regex scan whose attempts read at most a fixed number of characters past
 *   their start (or past a match's end) is final up to where that reach stays inside the text.
 */
import type { PiiCandidate } from './types.js';

export interface Progress {
  /** Where the next scan resumes; no candidate that is not yet final starts before it. */
  resume: number;
  /** How many of the candidates pushed by this scan are final (they come first). */
  final: number;
}

/** Start of the run of `member` characters that ends `text` (its length if the last is not one), not below `floor`. */
export function trailingRunStart(text: string, floor: number, member: (code: number) => boolean): number {
  let start = text.length;
  while (start > floor && member(text.charCodeAt(start - 1))) start--;
  return start;
}

/** Progress of a frontier family: its candidates from `base` on that start before `frontier` are final. */
export function frontierProgress(out: PiiCandidate[], base: number, frontier: number): Progress {
  let final = base;
  while (final < out.length && out[final]!.start < frontier) final++;
  return { resume: frontier, final: final - base };
}
