/**
 * The suffix scorer's shape pass over the windows that may pass (suffix/shape-pass.ts
 * `prepareWindowShape`, session 9), used when a window may pass the gate but the tail cannot:
 * the pass restarts before the first window that may pass and stops after the last, and
 * gatedRanges sweeps only those windows. Checked against the scorer as it was before (written
 * out below: the whole-text shape pass, every window swept) on random texts whose odd constructs
 * (camel case, code, GCG-like and kinds suffixes, URLs, base64, long tokens) sit in one or more
 * places, with `$…$` and `[…]` constructs and long tokens opened before the windows or closed
 * after them at every distance around the restart and stop margins: the same verdict (score,
 * start, end) for every text, whether the tail can pass too (then the pass also restarts
 * before the tail's reach and runs to the end, or, when the tail's reach starts after the
 * windows' stop margin, the tail takes a pass of its own: session 11) or not; and the same ranges from the sweep of
 * [windowsFrom, windowsTo) as from the sweep of every window.
 */

import { describe, expect, it } from 'vitest';
import { createGcgSuffixGenerator, createSuffixGenerator } from '../../scripts/suffix-synthetic.js';
import { createRandom } from '../../src/core/random.js';
import { CostTable, prepareCosts } from '../../src/guard/injection/suffix/costs.js';
import { defaultSuffixModel } from '../../src/guard/injection/suffix/default-model.js';
import {
  candidateWindows,
  gatedRanges,
  mayPassGate,
  tailMayPass,
} from '../../src/guard/injection/suffix/gates.js';
import { SuffixScorer, type SuffixVerdict } from '../../src/guard/injection/suffix/scorer.js';
import {
  FLAG_SURPRISE,
  MAX_CLASS,
  MAX_MATH,
  MIN_SYMBOLS,
  ODD_FLAGS,
} from '../../src/guard/injection/suffix/shape.js';
import {
  prepareShape,
  prepareTailShape,
  RESTART_CLEAN,
} from '../../src/guard/injection/suffix/shape-pass.js';
import { ScoringState } from '../../src/guard/injection/suffix/state.js';
import { tailFeatures, tailLogit } from '../../src/guard/injection/suffix/tail-layer.js';
import { scanWindows } from '../../src/guard/injection/suffix/window-layer.js';

const model = defaultSuffixModel();

/** SuffixScorer.score as it was before session 9 (whole-text pass, every window swept). */
function referenceScore(text: string): SuffixVerdict | null {
  const state = referenceState;
  const decision = model.decision;
  const tail = decision.tail;
  const units = state.codeUnits.load(text);
  const windowsMayPass = mayPassGate(state, decision, units, text.length);
  if (!windowsMayPass && !tailMayPass(state, tail, units, text.length)) return null;
  const count = windowsMayPass
    ? prepareShape(state, units, text.length)
    : prepareTailShape(state, units, text.length, TAIL_REACH);
  if (count < MIN_SYMBOLS) return null;
  const ranges = gatedRanges(state, decision, count, windowsMayPass);
  if (ranges === 0) return null;
  for (let range = 0; range < ranges; range++)
    prepareCosts(costTable, state, state.ranges[2 * range]!, state.ranges[2 * range + 1]!);
  scanWindows(state, decision, count);
  const best = state.best;
  const threshold = decision.threshold;
  let spanFirst = state.spanFirst;
  let spanLast = state.spanLast;
  let tailScore = 0;
  if (tail !== undefined && state.tailEnd !== 0) {
    tailFeatures(state, text);
    tailScore = scoreOf(tailLogit(state, tail, tailWeights), tail.threshold);
  }
  if (best === Number.NEGATIVE_INFINITY) {
    if (tail === undefined || state.tailEnd === 0) return null;
  } else if (tailScore <= scoreOf(best, threshold)) tailScore = -1;
  if (tailScore >= 0) {
    spanFirst = state.tailFirst;
    spanLast = state.tailEnd - 1;
  } else if (best < threshold) {
    spanFirst = state.bestFirst;
    spanLast = state.bestFirst + Math.min(decision.window, count) - 1;
  }
  const flags = state.flags;
  const notable = ODD_FLAGS | FLAG_SURPRISE;
  while (spanFirst < spanLast && (flags[spanFirst]! & notable) === 0) spanFirst++;
  while (spanLast > spanFirst && (flags[spanLast]! & notable) === 0) spanLast--;
  return {
    score: tailScore >= 0 ? tailScore : scoreOf(best, threshold),
    start: state.offsets[spanFirst]!,
    end: state.offsets[spanLast + 1]!,
  };
}

const referenceState = new ScoringState();
const costTable = new CostTable(model);
const tailWeights = Float64Array.from(model.decision.tail?.weights ?? []);
const TAIL_REACH = Math.max(256, 2 * (model.decision.tail?.window ?? 0) + model.order - 1);

function scoreOf(logit: number, threshold: number): number {
  return 1 / (1 + Math.exp(threshold - logit));
}

const PROSE = [
  'the ',
  'report ',
  'please ',
  'summarise ',
  'of the numbers ',
  'and then ',
  'why ',
  'it. ',
  '\n',
];
const ODD = [
  'camelCase ',
  'fooBar.Baz ',
  'x3 ',
  'iPhone McDonald ',
  'for(i=0;i<=n;i++){ ',
  'if(i%2==0){\n',
  '[4RSNK4][4Q4] ',
  'https://docs.google.com/d/1H8SOqhJQA1 ',
  '@UserName ',
  'aGVsbG8gd29ybGQgaWdub3Jl ',
  '$x^2$ ',
  '[\\w.-]+ ',
  '\\alpha ',
  '"Quote").Then ',
  '!?;) ',
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function prose(random: () => number, length: number): string {
  let text = '';
  while (text.length < length) text += pick(random, PROSE);
  return text;
}

/** A `$…$`, `[…]` or long token opened at `before` units and closed `after` units later. */
function straddling(random: () => number): string {
  const kind = random();
  const inner = prose(random, Math.floor(random() * 260)).replace(/ /g, kind < 0.2 ? '' : ' ');
  if (kind < 0.2) return `${inner.slice(0, 300)} `;
  if (kind < 0.6) return `$\\x ${inner} $ `;
  return `[\\w ${inner}] `;
}

function randomText(random: () => number, suffix: () => string, gcg: () => string): string {
  const parts: string[] = [];
  const places = 1 + Math.floor(random() * 3);
  for (let place = 0; place < places; place++) {
    parts.push(prose(random, Math.floor(random() * 900)));
    if (random() < 0.4) parts.push(straddling(random));
    const odd = random();
    if (odd < 0.2) parts.push(`${gcg()} `);
    else if (odd < 0.35) parts.push(`${suffix()} `);
    else for (let count = 1 + Math.floor(random() * 6); count > 0; count--) parts.push(pick(random, ODD));
    if (random() < 0.4) parts.push(straddling(random));
    // A token that starts in the last windows and ends past the stop margin (masked at its end).
    if (random() < 0.25) {
      const unit = pick(random, ['ab', 'x9', 'Qz', 'k']);
      parts.push(`${unit.repeat(Math.floor((150 + random() * 300) / unit.length))} `);
    }
    // Around the stop margin: a construct opened just before or after RESTART_CLEAN symbols.
    if (random() < 0.3)
      parts.push(prose(random, RESTART_CLEAN - 40 + Math.floor(random() * 80)), straddling(random));
  }
  // Most texts end in plain prose, so the tail cannot pass; the others end in odd constructs,
  // a suffix, or odd constructs a little before the end.
  const ending = random();
  if (ending < 0.7) parts.push(prose(random, 100 + Math.floor(random() * 900)));
  else if (ending < 0.8) parts.push(`${suffix()} `);
  else if (ending < 0.9) parts.push(pick(random, ODD), prose(random, Math.floor(random() * 200)));
  return parts.join('');
}

describe('suffix shape pass over the windows that may pass (session 9)', () => {
  it('gives the verdict of the whole-text pass', () => {
    const random = createRandom(0x5e5510d);
    const suffix = createSuffixGenerator(0x5e5510e);
    const gcg = createGcgSuffixGenerator(0x5e5510f);
    const scorer = new SuffixScorer(model);
    const probe = new ScoringState();
    let windowPath = 0;
    let withTail = 0;
    let separateTail = 0;
    let skipped = 0;
    let flagged = 0;
    let verdicts = 0;
    for (let index = 0; index < 4000; index++) {
      const text = randomText(random, suffix, gcg);
      const expected = referenceScore(text);
      expect(scorer.score(text), text).toEqual(expected);
      if (expected !== null) verdicts++;
      if (expected !== null && expected.score >= 0.5) flagged++;
      const units = probe.codeUnits.load(text);
      const windows = candidateWindows(probe, model.decision, units, text.length);
      if (windows && tailMayPass(probe, model.decision.tail, units, text.length)) {
        withTail++;
        // The tail's reach starts after the windows' stop margin: the tail takes its own pass.
        if (probe.symbolCount - TAIL_REACH > probe.windowsTo + RESTART_CLEAN + 20) separateTail++;
      } else if (windows) {
        windowPath++;
        // Symbols the pass did not read: before the windows and after the stop margin.
        if (probe.windowsFrom > 300 || probe.symbolCount - probe.windowsTo > RESTART_CLEAN + 100) skipped++;
      }
    }
    expect(windowPath).toBeGreaterThan(1500);
    expect(withTail).toBeGreaterThan(300);
    expect(separateTail).toBeGreaterThan(20);
    expect(skipped).toBeGreaterThan(1000);
    expect(verdicts).toBeGreaterThan(1000);
    expect(flagged).toBeGreaterThan(300);
  });

  it('gives the verdict of the whole-text pass when the tail takes its own pass (session 11)', () => {
    const random = createRandom(0x5e55113);
    const suffix = createSuffixGenerator(0x5e55114);
    const gcg = createGcgSuffixGenerator(0x5e55115);
    const scorer = new SuffixScorer(model);
    const probe = new ScoringState();
    let separateTail = 0;
    let flagged = 0;
    for (let index = 0; index < 3000; index++) {
      // Odd constructs early, prose of any length, then an ending the tail gate may pass, with
      // `$…$`, `[…]` and long tokens straddling the windows' stop and the tail's restart.
      const parts = [prose(random, Math.floor(random() * 600))];
      if (random() < 0.3) parts.push(straddling(random));
      if (random() < 0.2) parts.push(`${gcg()} `);
      else for (let count = 1 + Math.floor(random() * 6); count > 0; count--) parts.push(pick(random, ODD));
      if (random() < 0.4) parts.push(straddling(random));
      parts.push(prose(random, Math.floor(random() * 1400)));
      if (random() < 0.5)
        parts.push(straddling(random), prose(random, TAIL_REACH - 80 + Math.floor(random() * 160)));
      const ending = random();
      if (ending < 0.3) parts.push(suffix());
      else if (ending < 0.5) parts.push(gcg());
      else if (ending < 0.8) parts.push(pick(random, ODD), pick(random, ODD));
      else parts.push(pick(random, ODD), prose(random, Math.floor(random() * 120)));
      const text = parts.join('');
      const expected = referenceScore(text);
      expect(scorer.score(text), text).toEqual(expected);
      if (expected !== null && expected.score >= 0.5) flagged++;
      const units = probe.codeUnits.load(text);
      if (
        candidateWindows(probe, model.decision, units, text.length) &&
        tailMayPass(probe, model.decision.tail, units, text.length) &&
        probe.symbolCount - TAIL_REACH > probe.windowsTo + RESTART_CLEAN + 20
      )
        separateTail++;
    }
    expect(separateTail).toBeGreaterThan(300);
    expect(flagged).toBeGreaterThan(300);
  });

  it('stops only where no `[` or `$` opened before windowsTo can close (session 11)', () => {
    // Odd constructs, then right after them a `[` with two escapes or a `$` with math syntax
    // whose closing comes at every distance around MAX_CLASS / MAX_MATH, after whitespace; the
    // closing masks the construct, which lies in the windows that may pass.
    const random = createRandom(0x5e55116);
    const scorer = new SuffixScorer(model);
    let differs = 0;
    let checked = 0;
    for (let round = 0; round < 1500; round++) {
      const dollar = random() < 0.5;
      const reach = (dollar ? MAX_MATH : MAX_CLASS) - 4 + Math.floor(random() * 9);
      const open = dollar ? '$\\x^' : '[\\w\\d';
      const close = dollar ? '$' : pick(random, [']', ']+']);
      // The closing symbol `reach` symbols after the opening one, a whitespace just before it.
      let filler = '';
      while (filler.length < reach - open.length - 1) filler += pick(random, ['a', 'b', ' ', 'x', 'e']);
      filler = `${filler.slice(0, reach - open.length - 1)} `;
      const odd = Array.from({ length: 3 + Math.floor(random() * 4) }, () => pick(random, ODD)).join('');
      const text = `${prose(random, Math.floor(random() * 400))}${odd}${open}${filler}${close} ${prose(random, 300 + Math.floor(random() * 500))}`;
      const expected = referenceScore(text);
      const actual = scorer.score(text);
      expect(actual, text).toEqual(expected);
      checked++;
      // Not vacuous: the closing's mask moves the verdict (the scorer without it would differ).
      const unclosed = referenceScore(text.replace(`${filler}${close} `, `${filler}  `));
      if (JSON.stringify(unclosed) !== JSON.stringify(expected)) differs++;
    }
    expect(checked).toBe(1500);
    expect(differs).toBeGreaterThan(200);
  });

  it('finds every window that passes the gate inside [windowsFrom, windowsTo)', () => {
    const random = createRandom(0x5e55110);
    const suffix = createSuffixGenerator(0x5e55111);
    const gcg = createGcgSuffixGenerator(0x5e55112);
    const state = new ScoringState();
    let gated = 0;
    for (let index = 0; index < 2000; index++) {
      const text = randomText(random, suffix, gcg);
      const units = state.codeUnits.load(text);
      const may = candidateWindows(state, model.decision, units, text.length);
      expect(may).toBe(mayPassGate(new ScoringState(), model.decision, units, text.length));
      const { windowsFrom, windowsTo, symbolCount } = state;
      const count = prepareShape(state, units, text.length);
      expect(symbolCount).toBe(count);
      // Every window of the whole sweep that passes lies in the range, the same ranges result.
      const all = gatedRanges(state, model.decision, count, true, 0, count, false);
      const whole = Array.from(state.ranges.subarray(0, 2 * all));
      if (!may) {
        expect(all).toBe(0);
        continue;
      }
      const some = gatedRanges(state, model.decision, count, true, windowsFrom, windowsTo, false);
      expect(Array.from(state.ranges.subarray(0, 2 * some))).toEqual(whole);
      gated += all;
    }
    expect(gated).toBeGreaterThan(500);
  });
});
