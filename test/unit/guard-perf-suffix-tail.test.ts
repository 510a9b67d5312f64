/**
 * The suffix scorer's restarted shape pass (suffix/shape-pass.ts `prepareTailShape`), used when
 * only the tail layer can flag a text: against the whole-text pass (`prepareShape`) on random
 * and adversarial texts (GCG-like suffixes, LaTeX `$…$`, regular-expression bracket expressions,
 * backslash escapes, code, URLs, base64, long tokens, skipped marks, long texts):
 * - every symbol, flag and offset from the tail's reach on, and the symbol count, are the same;
 * - through the scorer: the tail window, its flags and offsets, and every tail feature are the
 *   same as the whole-text path's (`SuffixScorer.tail`), with the state's other entries stale.
 * Checked to fail when the restart point is wrong (fewer clean symbols before it than MAX_MATH,
 * a reach shorter than LINE_SCAN, the line-start search over stale offsets).
 */

import { describe, expect, it } from 'vitest';
import { createGcgSuffixGenerator, createSuffixGenerator } from '../../scripts/suffix-synthetic.js';
import { createRandom } from '../../src/core/random.js';
import { defaultSuffixModel } from '../../src/guard/injection/suffix/default-model.js';
import { mayPassGate, tailMayPass } from '../../src/guard/injection/suffix/gates.js';
import { SuffixScorer } from '../../src/guard/injection/suffix/scorer.js';
import { LINE_SCAN, MAX_CLASS, MAX_MATH } from '../../src/guard/injection/suffix/shape.js';
import {
  prepareShape,
  prepareTailShape,
  RESTART_CLEAN,
} from '../../src/guard/injection/suffix/shape-pass.js';
import { ScoringState } from '../../src/guard/injection/suffix/state.js';
import {
  CLASS_SPACE,
  classTableOf,
  SYMBOL_SKIP,
  symbolTableOf,
} from '../../src/guard/injection/suffix/symbols.js';

const PROSE = [
  'the ',
  'report ',
  'please ',
  'summarise ',
  'of the quarterly numbers ',
  'and then ',
  'Could you ',
  'explain ',
  'why ',
  'it. ',
  'works, ',
  '(see below) ',
  'e.g. ',
  'h4x0r ',
  '\n',
  '\n\n',
  '  ',
  '\t',
];

const ODD = [
  '$',
  '$x^2$ ',
  '$\\frac{a}{b}$',
  '$ 5 and $',
  '\\alpha ',
  '\\n',
  '[',
  ']',
  '[\\w.-]+',
  '[\\t\\n!-,]',
  '[a-z]',
  '[\\d]*',
  '^',
  '_',
  '\\',
  'camelCase ',
  'fooBar.Baz ',
  'x3 ',
  'A3F9 ',
  'https://example.com/a_b?x=Y ',
  'www.example.org ',
  '@UserName ',
  '#HashTag ',
  'aGVsbG8gd29ybGQgaWdub3Jl ',
  'deadbeefcafe0123 ',
  'ABC-12345 ',
  'a'.repeat(45),
  '!?',
  ';)',
  '}]',
  '"Quote',
  ').Then',
  '\u0301',
  '\u200b',
  'é',
  '我们',
  '😀',
  '\u00a0',
];

function randomText(random: () => number, suffix: () => string, gcg: () => string): string {
  let text = '';
  // Dense, sparse and absent odd constructs; long texts (up to about 6,000 units).
  const oddShare = random() < 0.2 ? 0 : random() < 0.5 ? 0.01 + random() * 0.04 : random() * 0.4;
  const pieces = 20 + Math.floor(random() * (random() < 0.3 ? 600 : 200));
  for (let piece = 0; piece < pieces; piece++) {
    if (random() < oddShare) text += ODD[Math.floor(random() * ODD.length)];
    else text += PROSE[Math.floor(random() * PROSE.length)];
  }
  const ending = random();
  if (ending < 0.35) text += ` ${gcg()}`;
  else if (ending < 0.7) text += ` ${suffix()}`;
  else if (ending < 0.8) text += ODD[Math.floor(random() * ODD.length)];
  if (random() < 0.3) text += random() < 0.5 ? '   ' : ' \n\n';
  return text;
}

function symbolCountOf(text: string): number {
  const symbols = symbolTableOf();
  let count = 0;
  for (let index = 0; index < text.length; index++)
    if (symbols[text.charCodeAt(index)] !== SYMBOL_SKIP) count++;
  return count;
}

/** One past the last symbol that is not whitespace (what findTail's end is at least). */
function lastNonSpaceEnd(symbols: Uint8Array, count: number): number {
  const classes = classTableOf();
  let end = count;
  while (end > 0 && (classes[symbols[end - 1]!]! & CLASS_SPACE) !== 0) end--;
  return end;
}

const REACH = Math.max(LINE_SCAN, 2 * (defaultSuffixModel().decision.tail?.window ?? 0) + 5 - 1);

/** Plain prose of about `length` units (words and single spaces only). */
function prose(random: () => number, length: number): string {
  let text = '';
  while (text.length < length) text += PROSE[Math.floor(random() * 8)];
  return text;
}

/**
 * A `$…$` or `[…]` construct opened at a random distance before the restart point and closed
 * after it, then a second one that a wrong pairing would close: the restart must see the first.
 */
function straddlingText(random: () => number, suffix: () => string): string {
  const dollar = random() < 0.6;
  const open = dollar ? '$\\x ' : '[\\w \\d ';
  const close = dollar ? ' $ ' : '] ';
  const second = dollar ? ' \\y ^ _ $ ' : '[\\s \\t] ';
  return (
    prose(random, Math.floor(random() * 400)) +
    open +
    prose(random, 20 + Math.floor(random() * 230)) +
    close +
    prose(random, Math.floor(random() * 40)) +
    (dollar ? '$ ' : '') +
    prose(random, Math.floor(random() * 40)) +
    second +
    prose(random, Math.floor(random() * 150)) +
    suffix()
  );
}

describe('suffix shape pass restarted before the tail', () => {
  it('restarts far enough back for the constructs it carries', () => {
    expect(RESTART_CLEAN).toBeGreaterThanOrEqual(MAX_MATH);
    expect(RESTART_CLEAN).toBeGreaterThanOrEqual(MAX_CLASS);
  });

  it('writes the whole-text pass’s symbols, flags and offsets from the reach on', () => {
    const random = createRandom(9101);
    const suffix = createSuffixGenerator(9102);
    const gcg = createGcgSuffixGenerator(9103);
    const whole = new ScoringState();
    const restarted = new ScoringState();
    let restarts = 0;
    for (let round = 0; round < 1500; round++) {
      const text = randomText(random, suffix, gcg);
      const units = whole.codeUnits.load(text);
      const count = prepareShape(whole, units, text.length);
      expect(count).toBe(symbolCountOf(text));
      // Stale entries from other texts, and some garbage.
      if (round % 3 === 0) {
        restarted.flags.fill(0x5a5);
        restarted.symbols.fill(0x41);
        restarted.offsets.fill(round % 2 === 0 ? 0x7fff_ffff : 0);
      }
      const restartUnits = restarted.codeUnits.load(text);
      restarted.symbolCount = count;
      const reach = round % 5 === 0 ? 1 + Math.floor(random() * 600) : REACH;
      expect(prepareTailShape(restarted, restartUnits, text.length, reach)).toBe(count);
      const from = restarted.shapeFirst;
      if (from > 0) restarts++;
      const end = lastNonSpaceEnd(whole.symbols, count);
      expect(from === 0 || from <= end - reach).toBe(true);
      for (let index = Math.max(0, end - reach); index < count; index++) {
        if (
          restarted.symbols[index] !== whole.symbols[index] ||
          restarted.flags[index] !== whole.flags[index] ||
          restarted.offsets[index] !== whole.offsets[index]
        )
          throw new Error(
            `round ${round}: symbol ${index} (restart ${from}, end ${end}, reach ${reach}) differs in ${JSON.stringify(text)}`,
          );
      }
      expect(restarted.offsets[count]).toBe(text.length);
    }
    expect(restarts).toBeGreaterThan(300);
  });

  it('restarts after an open `$` or `[` that closes past the restart point', () => {
    const random = createRandom(9110);
    const gcg = createGcgSuffixGenerator(9111);
    const whole = new ScoringState();
    const restarted = new ScoringState();
    let restarts = 0;
    for (let round = 0; round < 6000; round++) {
      const text = straddlingText(random, gcg);
      const count = prepareShape(whole, whole.codeUnits.load(text), text.length);
      restarted.symbolCount = count;
      const units = restarted.codeUnits.load(text);
      const reach = 100 + Math.floor(random() * 200);
      expect(prepareTailShape(restarted, units, text.length, reach)).toBe(count);
      if (restarted.shapeFirst > 0) restarts++;
      const end = lastNonSpaceEnd(whole.symbols, count);
      for (let index = Math.max(0, end - reach); index < count; index++)
        if (restarted.flags[index] !== whole.flags[index])
          throw new Error(`round ${round}: flag ${index} differs in ${JSON.stringify(text)}`);
    }
    expect(restarts).toBeGreaterThan(3000);
  });

  it('leaves mayPassGate’s symbol count when no window can pass', () => {
    const random = createRandom(9104);
    const suffix = createSuffixGenerator(9105);
    const gcg = createGcgSuffixGenerator(9106);
    const state = new ScoringState();
    const decision = defaultSuffixModel().decision;
    let closed = 0;
    for (let round = 0; round < 500; round++) {
      const text = randomText(random, suffix, gcg);
      const units = state.codeUnits.load(text);
      if (mayPassGate(state, decision, units, text.length)) continue;
      closed++;
      expect(state.symbolCount).toBe(symbolCountOf(text));
    }
    expect(closed).toBeGreaterThan(100);
  });

  it('gives the tail layer the whole-text path’s window, flags and features', () => {
    const random = createRandom(9107);
    const suffix = createSuffixGenerator(9108);
    const gcg = createGcgSuffixGenerator(9109);
    const model = defaultSuffixModel();
    const scorer = new SuffixScorer(model);
    const reference = new SuffixScorer(model);
    const probe = new ScoringState();
    // The scorer's private state, read for the check.
    const state = (scorer as unknown as { state: ScoringState }).state;
    let checked = 0;
    let restarted = 0;
    for (let round = 0; round < 2500; round++) {
      const text = randomText(random, suffix, gcg);
      const units = probe.codeUnits.load(text);
      if (mayPassGate(probe, model.decision, units, text.length)) continue;
      if (!tailMayPass(probe, model.decision.tail, units, text.length)) continue;
      if (round % 4 === 0) {
        state.flags.fill(0x7ff);
        state.offsets.fill(round % 8 === 0 ? 0x7fff_ffff : 0);
        state.costs.fill(13);
      }
      scorer.score(text);
      const tail = reference.tail(text);
      if (tail === null) continue;
      checked++;
      if (state.shapeFirst > 0) restarted++;
      expect(state.offsets[state.tailFirst]).toBe(tail.start);
      expect(state.offsets[state.tailEnd]).toBe(tail.end);
      const referenceState = (reference as unknown as { state: ScoringState }).state;
      expect(state.tailFirst).toBe(referenceState.tailFirst);
      expect(state.tailEnd).toBe(referenceState.tailEnd);
      for (let index = state.tailFirst; index <= state.tailEnd; index++) {
        expect(state.offsets[index]).toBe(referenceState.offsets[index]);
        if (index < state.tailEnd) expect(state.flags[index]).toBe(referenceState.flags[index]);
      }
      for (let feature = 0; feature < tail.features.length; feature++)
        if (!Object.is(state.tailFeatures[feature], tail.features[feature]))
          throw new Error(
            `round ${round}: tail feature ${feature} ${state.tailFeatures[feature]} vs ${tail.features[feature]} (restart ${state.shapeFirst}) in ${JSON.stringify(text)}`,
          );
    }
    expect(checked).toBeGreaterThan(150);
    expect(restarted).toBeGreaterThan(100);
  });
});
