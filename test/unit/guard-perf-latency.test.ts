/**
 * Session 5 latency rewrites that must not change results (docs/guardrails-latency.md), each
 * checked against a plain reference written here:
 *
 * - The repetition tracker's low-diversity window counts distinct units from the period
 *   detector's links to the previous same unit instead of a counter keyed by hash: its lowest
 *   ratio and span equal a brute-force scan of every 64-unit window, for whole texts and for
 *   texts pushed in chunks with peeks between them.
 *
 * Random inputs from a fixed seed.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import { RepetitionTracker } from '../../src/guard/output/repetition-tracker.js';
import { textUnits } from '../../src/guard/output/text-units.js';

// --- reference: the lowest distinct ratio over every window of 64 word/CJK units -------------

interface Lowest {
  value: number;
  start: number;
  end: number;
}

/** The first window (in reading order) with the lowest distinct ratio, as the tracker keeps it. */
function lowestDiversity(text: string): Lowest {
  const units = textUnits(text).filter((unit) => unit.kind !== 'symbol');
  let lowest: Lowest = { value: 1, start: 0, end: 0 };
  for (let last = 63; last < units.length; last++) {
    const distinct = new Set(units.slice(last - 63, last + 1).map((unit) => unit.hash)).size;
    const ratio = distinct / 64;
    if (ratio < lowest.value)
      lowest = { value: ratio, start: units[last - 63]!.start, end: units[last]!.end };
  }
  return lowest;
}

function lowDiversitySignal(tracker: RepetitionTracker): Lowest | null {
  const signal = tracker.result().signals.find((candidate) => candidate.type === 'low_diversity');
  return signal === undefined ? null : { value: signal.value, start: signal.start, end: signal.end };
}

function expected(text: string): Lowest | null {
  const lowest = lowestDiversity(text);
  return lowest.value <= 0.2 ? lowest : null;
}

/** Words from a vocabulary of 1–24 entries (so some texts loop and some do not). */
function randomText(random: () => number): string {
  const vocabulary = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'Dog', 'ran', '我', '哈', 'x1', "it's"];
  const extra = Array.from({ length: 12 }, (_value, index) => `w${index}q`);
  const words = [...vocabulary, ...extra].slice(0, 1 + Math.floor(random() * 24));
  const separators = [' ', ' ', ' ', '\n', '. ', ', ', '!! ', '  ', '\t', '—'];
  let text = '';
  const count = Math.floor(random() * 300);
  for (let index = 0; index < count; index++) {
    text += words[Math.floor(random() * words.length)];
    text += random() < 0.8 ? ' ' : separators[Math.floor(random() * separators.length)];
    // Repeat a stretch now and then: loops and low-diversity windows.
    if (random() < 0.02) text += text.slice(-Math.floor(random() * 120));
  }
  return text;
}

describe('repetition tracker: distinct units per window from the previous-occurrence links', () => {
  it('finds the lowest-diversity window of a brute-force scan, whole or chunked', () => {
    const random = createRandom(0x5e55105);
    const shared = new RepetitionTracker();
    let flagged = 0;
    for (let round = 0; round < 1500; round++) {
      const text = randomText(random);
      const want = expected(text);
      if (want !== null) flagged++;
      shared.reset();
      shared.push(text);
      expect(lowDiversitySignal(shared)).toEqual(want);
      // The same text in random chunks, peeking between them: each peek counts the trailing
      // word as if the text ended there, which is the whole-text answer for that prefix.
      const chunked = new RepetitionTracker();
      let at = 0;
      while (at < text.length) {
        const next = Math.min(text.length, at + 1 + Math.floor(random() * 40));
        chunked.push(text.slice(at, next));
        at = next;
        if (random() < 0.25) expect(lowDiversitySignal(chunked)).toEqual(expected(text.slice(0, at)));
      }
      chunked.finish();
      expect(lowDiversitySignal(chunked)).toEqual(want);
    }
    // Both outcomes occur often enough for the comparison to mean something.
    expect(flagged).toBeGreaterThan(200);
    expect(flagged).toBeLessThan(1300);
  });
});
