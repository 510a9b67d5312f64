/**
 * The list of a verdict's findings as the policy engine builds it: one entry per span, type and
 * scanner, in the order first seen, and a later rule that triggers on the same finding replaces
 * the entry in place. Finding an entry by searching the list costs its length: a streamed answer
 * full of e-mail addresses hands the engine thousands of findings at every rescan, which made each
 * rescan quadratic in them (a 50 K answer with 1,381 addresses: 6.9–7.5 s of CPU, 3.1–3.6 s
 * with the index below; bench/guard-stream-findings.ts). Past LINEAR_SEARCH_LIMIT entries the list keeps its indices by
 * start offset; below it, a search is cheaper than building that index, and most verdicts have
 * no finding at all.
 */
import type { Finding } from '../scanner.js';

const LINEAR_SEARCH_LIMIT = 16;

function sameFinding(item: Finding, finding: Finding): boolean {
  return (
    item.start === finding.start &&
    item.end === finding.end &&
    item.type === finding.type &&
    item.scanner === finding.scanner
  );
}

export class FindingList<T extends Finding> {
  readonly entries: T[] = [];
  /** The entries' indices by start offset, each bucket in list order; built past the limit. */
  #positions: Map<number, number[]> | null = null;

  /** The first entry with the span, type and scanner of `finding` (what a search along the list finds), or -1. */
  indexOf(finding: Finding): number {
    const entries = this.entries;
    if (this.#positions === null && entries.length > LINEAR_SEARCH_LIMIT) {
      this.#positions = new Map();
      for (let index = 0; index < entries.length; index++) this.#position(entries[index]!.start, index);
    }
    if (this.#positions === null) {
      for (let index = 0; index < entries.length; index++)
        if (sameFinding(entries[index]!, finding)) return index;
      return -1;
    }
    const bucket = this.#positions.get(finding.start);
    if (bucket) for (const index of bucket) if (sameFinding(entries[index]!, finding)) return index;
    return -1;
  }

  add(entry: T): void {
    this.entries.push(entry);
    if (this.#positions !== null) this.#position(entry.start, this.entries.length - 1);
  }

  /** Replaces entry `index` by one with the same span, type and scanner (the index stays right). */
  replace(index: number, entry: T): void {
    this.entries[index] = entry;
  }

  #position(start: number, index: number): void {
    const bucket = this.#positions!.get(start);
    if (bucket) bucket.push(index);
    else this.#positions!.set(start, [index]);
  }
}
