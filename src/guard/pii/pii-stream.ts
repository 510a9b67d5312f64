/**
 * PII detection over a growing text (a streamed answer rescanned every few characters) at the
 * cost of the new text plus a bounded look-back, with the same result as scanning the whole
 * text each time.
 *
 * Each family resumes at the offset its previous scan reported (progress.ts): the candidates it
 * found before that are final and kept, the rest is found again. Overlap resolution is global,
 * but it splits: when no candidate starts before an offset S and ends after it, resolving all
 * candidates equals resolving those that start before S, then those that start from S, one
 * after the other (resolve-overlaps.ts sorts by start, stably, and closes a group of
 * overlapping candidates at the first candidate that starts at or after the group's end, so
 * its sweep passes S with no group open, and a sub-list keeps the relative order of the
 * whole). Once every candidate that starts before S is final, its resolution is kept too, and
 * each scan resolves only the candidates from S on — listed in the families' order, as a
 * whole-text scan lists them, because that order decides ties.
 */
import { enabledFamilies, type Family } from './families.js';
import { resolveOverlaps } from './resolve-overlaps.js';
import type { PiiCandidate, PiiDetectOptions } from './types.js';

/**
 * Detection over a whole text: every family from offset 0, then overlap resolution. `families`:
 * enabledFamilies(options), which a scanner with fixed options computes once (a filtered array
 * and a closure per family on every call otherwise).
 */
export function detectWithFamilies(
  text: string,
  options: PiiDetectOptions,
  families: readonly Family[] = enabledFamilies(options),
): PiiCandidate[] {
  const candidates: PiiCandidate[] = [];
  for (let index = 0; index < families.length; index++) families[index]!.scan(text, candidates, 0, options);
  return resolveOverlaps(candidates);
}

interface FamilyState {
  family: Family;
  resume: number;
  /** Final candidates of this family that start at or after `settled`. */
  kept: PiiCandidate[];
}

export class PiiStream {
  readonly #options: PiiDetectOptions;
  readonly #families: FamilyState[];
  /** Every candidate starting before it is final, and none ends after it. */
  #settled = 0;
  /** The resolution of the candidates that start before `settled`. */
  readonly #resolved: PiiCandidate[] = [];

  constructor(options: PiiDetectOptions) {
    this.#options = options;
    this.#families = enabledFamilies(options).map((family) => ({ family, resume: 0, kept: [] }));
  }

  /** The resolved candidates of `text`, which continues the text of the previous call. */
  scan(text: string): PiiCandidate[] {
    const open: PiiCandidate[] = [];
    let unsettled = text.length;
    for (const state of this.#families) {
      const fresh: PiiCandidate[] = [];
      const progress = state.family.scan(text, fresh, state.resume, this.#options);
      open.push(...state.kept, ...fresh);
      for (let index = 0; index < progress.final; index++) state.kept.push(fresh[index]!);
      state.resume = progress.resume;
      unsettled = Math.min(unsettled, progress.resume - state.family.reachBack);
    }
    // Sorts `open` by start (stable) as a side effect, which the split below relies on.
    const resolved = resolveOverlaps(open);
    const result = this.#resolved.length ? this.#resolved.concat(resolved) : resolved;
    if (open.length < 2) open.sort((left, right) => left.start - right.start);
    const settled = splitBefore(open, this.#settled, unsettled);
    if (settled > this.#settled) {
      for (const candidate of resolved) if (candidate.start < settled) this.#resolved.push(candidate);
      for (const state of this.#families) state.kept = state.kept.filter((item) => item.start >= settled);
      this.#settled = settled;
    }
    return result;
  }
}

/**
 * The last offset at or before `bound` that no candidate straddles, given candidates sorted by
 * start that all start at or after `from` (itself such an offset).
 */
function splitBefore(sorted: PiiCandidate[], from: number, bound: number): number {
  let split = from;
  let reach = from;
  for (const candidate of sorted) {
    if (candidate.start >= bound) break;
    if (candidate.start >= reach) split = candidate.start;
    if (candidate.end > reach) reach = candidate.end;
  }
  return reach <= bound ? Math.max(split, bound) : split;
}
