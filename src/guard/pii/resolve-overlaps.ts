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

export function resolveOverlaps(candidates: PiiCandidate[]): PiiCandidate[] {
  if (candidates.length < 2) return candidates;
  const ordered = [...candidates].sort(rank);
  const kept: PiiCandidate[] = [];
  for (const candidate of ordered) {
    let free = true;
    for (const other of kept) {
      if (candidate.start < other.end && other.start < candidate.end) {
        free = false;
        break;
      }
    }
    if (free) kept.push(candidate);
  }
  return kept.sort((left, right) => left.start - right.start);
}
