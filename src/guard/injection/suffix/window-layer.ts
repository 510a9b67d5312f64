/**
 * The window layer of the suffix scorer: a window of `decision.window` symbols slides over the
 * scoring state, keeping running counts of the shape flags and sums of the costs, and every
 * EVALUATION_STRIDE-th window (and the last) that passes the shape gate is scored by a logistic
 * regression over its 19 features (FEATURE_NAMES). scanWindows is the hot path, over the gated
 * ranges only, with the features inlined; sumRange, featuresOf and passesGate compute the same
 * features and gate one window at a time for training and diagnostics (a unit test checks that
 * both give the same logit), and the tail layer reuses them.
 */

import type { SuffixDecision } from './language-model.js';
import {
  EVALUATION_STRIDE,
  FLAG_BITS,
  FLAG_LETTER,
  MAX_NEUTRAL_SHARE,
  MIN_LETTER_SHARE,
  ODD_FLAGS,
  PACK_0,
  PACK_1,
  PACK_2,
  SUM_COST,
  SUM_LETTER_COST,
  SUM_ODD,
} from './shape.js';
import type { ScoringState } from './state.js';

/**
 * The window layer over the gated ranges (gatedRanges), after their costs: leaves in the state
 * the best window logit (−∞ when no window passes the gate) and its first symbol, and the
 * strongest run of consecutive windows at or above `decision.threshold` (spanFirst/spanLast).
 */
export function scanWindows(state: ScoringState, decision: SuffixDecision, count: number): void {
  const window = Math.min(decision.window, count);
  const [
    w0 = 0,
    w1 = 0,
    w2 = 0,
    w3 = 0,
    w4 = 0,
    w5 = 0,
    w6 = 0,
    w7 = 0,
    w8 = 0,
    w9 = 0,
    w10 = 0,
    w11 = 0,
    w12 = 0,
    w13 = 0,
    w14 = 0,
    w15 = 0,
    w16 = 0,
    w17 = 0,
    w18 = 0,
  ] = decision.weights;
  const bias = decision.bias;
  const costs = state.costs;
  const flags = state.flags;
  const ranges = state.ranges;
  const minOdd = decision.minOddEvents;
  const maxNeutral = MAX_NEUTRAL_SHARE * window;
  const minLetters = MIN_LETTER_SHARE * window;
  // Twelve window counts packed 7 bits apiece into three integers (a window is < 128).
  let packed0 = 0;
  let packed1 = 0;
  let packed2 = 0;
  let sumCost = 0;
  let letterCost = 0;
  let best = Number.NEGATIVE_INFINITY;
  let bestFirst = 0;
  let runFirst = -1;
  let runBest = Number.NEGATIVE_INFINITY;
  let spanFirst = 0;
  let spanLast = 0;
  const threshold = decision.threshold;
  // Only the gated ranges (gatedRanges): the windows outside them fail the gate, and the sums
  // are exact (multiples of 1/COST_UNITS), so restarting them at a range's start gives every
  // window the same values as one pass over the whole text. Between two ranges lies at least
  // one evaluated window that fails the gate, which ends a run of windows above threshold.
  for (let range = 0; range < state.gatedWindows; range++) {
    const from = ranges[2 * range]!;
    const to = ranges[2 * range + 1]!;
    packed0 = 0;
    packed1 = 0;
    packed2 = 0;
    sumCost = 0;
    letterCost = 0;
    runFirst = -1;
    for (let index = from; index < to; index++) {
      const flag = flags[index]!;
      const cost = costs[index]!;
      packed0 += PACK_0[flag]!;
      packed1 += PACK_1[flag]!;
      packed2 += PACK_2[flag]!;
      sumCost += cost;
      if ((flag & FLAG_LETTER) !== 0) letterCost += cost;
      if (index >= from + window) {
        const leaving = flags[index - window]!;
        const leavingCost = costs[index - window]!;
        packed0 -= PACK_0[leaving]!;
        packed1 -= PACK_1[leaving]!;
        packed2 -= PACK_2[leaving]!;
        sumCost -= leavingCost;
        if ((leaving & FLAG_LETTER) !== 0) letterCost -= leavingCost;
      }
      const first = index - window + 1;
      if (first < from || (first % EVALUATION_STRIDE !== 0 && index !== count - 1)) continue;
      let logit = Number.NEGATIVE_INFINITY;
      if (
        packed2 >>> 21 >= minOdd &&
        ((packed1 >>> 14) & 127) <= maxNeutral &&
        (packed2 & 127) >= minLetters
      ) {
        // featuresOf() inlined (the unit test checks that both agree).
        const punctuation = (packed0 & 127) / window;
        const odd = (packed2 >>> 21) / window;
        const letters = packed2 & 127;
        const letterMean = letters > 0 ? letterCost / letters : 0;
        const space = ((packed1 >>> 7) & 127) / window;
        const meanCost = sumCost / window;
        logit =
          bias +
          w0 * meanCost +
          w1 * (((packed1 >>> 21) & 127) / window) +
          w2 * punctuation +
          w3 * (((packed0 >>> 7) & 127) / window) +
          w4 * (((packed0 >>> 14) & 127) / window) +
          w5 * (((packed0 >>> 21) & 127) / window) +
          w6 * ((packed1 & 127) / window) +
          w7 * space +
          w8 * (((packed1 >>> 14) & 127) / window) +
          w9 * odd +
          w10 * letterMean +
          w11 * (letters / window) +
          w12 * (((packed2 >>> 7) & 127) / window) +
          w13 * (((packed2 >>> 14) & 127) / window) +
          w14 * meanCost * punctuation +
          w15 * meanCost * odd +
          w16 * letterMean * odd +
          w17 * (letters / window) * punctuation +
          w18 * space * odd;
      }
      if (logit > best) {
        best = logit;
        bestFirst = first;
      }
      // Runs of consecutive windows above the threshold: the span of the strongest run.
      if (logit >= threshold) {
        if (runFirst < 0) {
          runFirst = first;
          runBest = logit;
        } else runBest = Math.max(runBest, logit);
        if (runBest >= best) {
          spanFirst = runFirst;
          spanLast = index;
        }
      } else runFirst = -1;
    }
  }
  state.best = best;
  state.bestFirst = bestFirst;
  state.spanFirst = spanFirst;
  state.spanLast = spanLast;
}

/** Sets the state's running sums to those of symbols [from, to). */
export function sumRange(state: ScoringState, from: number, to: number): void {
  const sums = state.sums;
  const flags = state.flags;
  const costs = state.costs;
  sums.fill(0);
  for (let index = from; index < to; index++) {
    const flag = flags[index]!;
    const cost = costs[index]!;
    for (let bit = 0; bit < FLAG_BITS; bit++) sums[bit]! += (flag >> bit) & 1;
    sums[SUM_COST]! += cost;
    if ((flag & ODD_FLAGS) !== 0) sums[SUM_ODD]! += 1;
    if ((flag & FLAG_LETTER) !== 0) sums[SUM_LETTER_COST]! += cost;
  }
}

/** The window gate on the running sums of a `window`-symbol window (as scanWindows'). */
export function passesGate(state: ScoringState, decision: SuffixDecision, window: number): boolean {
  const sums = state.sums;
  return (
    sums[SUM_ODD]! >= decision.minOddEvents &&
    sums[6]! <= MAX_NEUTRAL_SHARE * window &&
    sums[8]! >= MIN_LETTER_SHARE * window
  );
}

/** The features (FEATURE_NAMES order) of a `window`-symbol window from the running sums. */
export function featuresOf(state: ScoringState, window: number): void {
  const sums = state.sums;
  const out = state.features;
  const meanCost = sums[SUM_COST]! / window;
  const punctuation = sums[0]! / window;
  const odd = sums[SUM_ODD]! / window;
  const letters = sums[8]!;
  const letterCost = letters > 0 ? sums[SUM_LETTER_COST]! / letters : 0;
  out[0] = meanCost;
  out[1] = sums[7]! / window;
  out[2] = punctuation;
  out[3] = sums[1]! / window;
  out[4] = sums[2]! / window;
  out[5] = sums[3]! / window;
  out[6] = sums[4]! / window;
  out[7] = sums[5]! / window;
  out[8] = sums[6]! / window;
  out[9] = odd;
  out[10] = letterCost;
  out[11] = letters / window;
  out[12] = sums[9]! / window;
  out[13] = sums[10]! / window;
  out[14] = meanCost * punctuation;
  out[15] = meanCost * odd;
  out[16] = letterCost * odd;
  out[17] = (letters / window) * punctuation;
  out[18] = (sums[5]! / window) * odd;
}
