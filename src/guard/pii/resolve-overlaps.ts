/**
 * Overlap resolution. Families run independently, so one span can be claimed twice (a Chinese
 * mobile is also a bare NANP-shaped run; `api_key=sk-…` is both a generic assignment and an
 * OpenAI key) or a short match can sit inside a longer one (a phone inside an email). The rule:
 * a validated span (checksum or structure proven) beats a pattern-only one, then the longer
 * span wins, then the higher score. Selection is greedy in that order, which is optimal enough
 * for the handful of candidates a text yields.
 */
import type { PiiCandidate } from './types.js';

function rank(left: PiiCandidate, right: PiiCandidate): number {
  if (left.validated !== right.validated) return left.validated ? -1 : 1;
  const lengths = right.end - right.start - (left.end - left.start);
  if (lengths !== 0) return lengths;
  if (left.score !== right.score) return right.score - left.score;
  return left.start - right.start;
}

function selectByRank(group: PiiCandidate[], kept: PiiCandidate[]): void {
  const chosen: PiiCandidate[] = [];
  for (const candidate of group.sort(rank)) {
    if (chosen.every((other) => candidate.end <= other.start || other.end <= candidate.start))
      chosen.push(candidate);
  }
  kept.push(...chosen.sort((left, right) => left.start - right.start));
}

export function resolveOverlaps(candidates: PiiCandidate[]): PiiCandidate[] {
  if (candidates.length < 2) return candidates;
  // Most candidates overlap nothing: sweep by start, rank only within groups that overlap.
  candidates.sort((left, right) => left.start - right.start);
  const kept: PiiCandidate[] = [];
  let group: PiiCandidate[] = [candidates[0]!];
  let groupEnd = candidates[0]!.end;
  for (let index = 1; index < candidates.length; index++) {
    const candidate = candidates[index]!;
    if (candidate.start < groupEnd) {
      group.push(candidate);
      if (candidate.end > groupEnd) groupEnd = candidate.end;
      continue;
    }
    if (group.length === 1) kept.push(group[0]!);
    else selectByRank(group, kept);
    group = [candidate];
    groupEnd = candidate.end;
  }
  if (group.length === 1) kept.push(group[0]!);
  else selectByRank(group, kept);
  return kept;
}
