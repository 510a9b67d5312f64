/**
 * The adversarial-suffix detector's scorer: the public SuffixScorer over the passes of the hot
 * path, which share one ScoringState (state.ts). For a text, `score`:
 * 1. runs the prefilters on the raw code units (gates.ts, data-tokens.ts): most texts cannot
 *    pass a gate, and return null here;
 * 2. the shape pass (shape-pass.ts): symbols, offsets and shape flags, data runs masked;
 * 3. the gates (gates.ts): the symbol ranges of the windows that pass the shape gate and of the
 *    tail;
 * 4. the cost pass (costs.ts) over those ranges only: each symbol's cost −log2 P under the
 *    character n-gram model;
 * 5. the window layer (window-layer.ts): the best window logit, and the run of consecutive
 *    windows above the threshold around it; and the tail layer (tail-layer.ts): the logit of
 *    the text's last window, scored with where it sits.
 * The text's score is the higher of sigmoid(logit − threshold) of the two layers, so 0.5 is the
 * decision point chosen on validation data; the span is the window layer's run (or its best
 * window when below the threshold) or the tail window, trimmed to surprises and odd events.
 */

import { CostTable, prepareCosts } from './costs.js';
import { tailWithoutDataTokens, withoutDataTokens } from './data-tokens.js';
import { candidateWindows, findTail, gatedRanges, tailMayPass } from './gates.js';
import { FEATURE_NAMES, type SuffixModel, TAIL_FEATURE_NAMES } from './language-model.js';
import { FLAG_SURPRISE, LINE_SCAN, MIN_SYMBOLS, ODD_FLAGS } from './shape.js';
import { prepareShape, prepareTailShape, prepareWindowShape } from './shape-pass.js';
import { FEATURE_COUNT, ScoringState, TAIL_FEATURE_COUNT } from './state.js';
import { tailFeatures, tailLogit } from './tail-layer.js';
import { featuresOf, passesGate, scanWindows, sumRange } from './window-layer.js';

export { FEATURE_COUNT, FEATURE_NAMES, TAIL_FEATURE_COUNT, TAIL_FEATURE_NAMES };

export interface SuffixVerdict {
  /** sigmoid(logit − threshold): 0.5 is the decision point. */
  score: number;
  /** Suspicious span in the input (UTF-16 offsets, end exclusive). */
  start: number;
  end: number;
}

export interface WindowFeatures {
  features: Float64Array;
  /** The window's span in the text (UTF-16 offsets, end exclusive). */
  start: number;
  end: number;
  /** Passes the shape gate (enough odd events, not mostly neutral). */
  gated: boolean;
}

/** A layer's score: sigmoid(logit − threshold). */
function scoreOf(logit: number, threshold: number): number {
  return 1 / (1 + Math.exp(threshold - logit));
}

export class SuffixScorer {
  private readonly costTable: CostTable;
  private readonly tailWeights: Float64Array | undefined;
  /**
   * Symbols before the text's last non-space symbol that the tail layer reads when no window
   * can pass: the tail window and the head before it, the n-gram context of the head's first
   * cost, and tailFeatures' bracket scan over the last LINE_SCAN symbols.
   */
  private readonly tailReach: number;
  /** Buffers are allocated once per scorer and grown on demand. */
  private readonly state = new ScoringState();

  constructor(readonly model: SuffixModel) {
    this.costTable = new CostTable(model);
    const { window, weights, tail } = model.decision;
    if (window > 127) throw new Error('suffix model window must be below 128');
    if (weights.length !== FEATURE_COUNT)
      throw new Error(`suffix model has ${weights.length} weights, expected ${FEATURE_COUNT}`);
    this.tailWeights = tail === undefined ? undefined : Float64Array.from(tail.weights);
    this.tailReach = Math.max(LINE_SCAN, 2 * (tail?.window ?? 0) + model.order - 1);
    if (tail !== undefined && tail.weights.length !== TAIL_FEATURE_COUNT)
      throw new Error(`suffix model has ${tail.weights.length} tail weights, expected ${TAIL_FEATURE_COUNT}`);
    if (tail !== undefined && (tail.window > 127 || tail.minOddEvents < 1))
      throw new Error('suffix model tail window must be below 128 and need at least one odd event');
  }

  /** The text's verdict, or null when the text is too short or neither layer has a candidate. */
  score(text: string): SuffixVerdict | null {
    const state = this.state;
    const decision = this.model.decision;
    const tail = decision.tail;
    const units = state.codeUnits.load(text);
    // The candidates of tokens the shape pass masks (URLs, long tokens) cannot make a window or
    // the tail pass.
    const windowsMayPass =
      candidateWindows(state, decision, units, text.length) &&
      withoutDataTokens(state, decision, units, text.length);
    const tailMayPassGate =
      tail !== undefined &&
      tailMayPass(state, tail, units, text.length) &&
      tailWithoutDataTokens(state, tail, units, text.length);
    if (!windowsMayPass && !tailMayPassGate) return null;
    // Only the tail can pass: the shape pass over its reach (tail window, head and cost
    // context, the bracket scan of tailFeatures), restarted exactly (prepareTailShape). Windows
    // can: over the windows that may pass, and the tail's reach when it can pass too
    // (prepareWindowShape).
    const count = !windowsMayPass
      ? prepareTailShape(state, units, text.length, this.tailReach)
      : prepareWindowShape(
          state,
          units,
          text.length,
          this.model.order - 1,
          tailMayPassGate ? this.tailReach : -1,
        );
    // Costs only where a gate opens (see gatedRanges); none: score would return null.
    if (count < MIN_SYMBOLS) return null;
    const ranges = windowsMayPass
      ? gatedRanges(state, decision, count, true, state.windowsFrom, state.windowsTo, tailMayPassGate)
      : gatedRanges(state, decision, count, false);
    if (ranges === 0) return null;
    for (let range = 0; range < ranges; range++)
      prepareCosts(this.costTable, state, state.ranges[2 * range]!, state.ranges[2 * range + 1]!);
    scanWindows(state, decision, count);
    const best = state.best;
    const threshold = decision.threshold;
    let spanFirst = state.spanFirst;
    let spanLast = state.spanLast;
    // The tail layer, when the tail passed its gate (gatedRanges).
    let tailScore = 0;
    if (tail !== undefined && state.tailEnd !== 0) {
      tailFeatures(state, text);
      tailScore = scoreOf(tailLogit(state, tail, this.tailWeights!), tail.threshold);
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
    // Trim ordinary text off both ends: the span starts and ends at a surprise or odd event.
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

  /** Every `stride`-th window's features (training and diagnostics; allocates). */
  windows(text: string, stride = 1): WindowFeatures[] {
    const state = this.state;
    const count = this.prepare(text);
    if (count < MIN_SYMBOLS) return [];
    const window = Math.min(this.model.decision.window, count);
    const out: WindowFeatures[] = [];
    for (let first = 0; first + window <= count; first += stride) {
      sumRange(state, first, first + window);
      featuresOf(state, window);
      out.push({
        features: Float64Array.from(state.features),
        start: state.offsets[first]!,
        end: state.offsets[first + window]!,
        gated: passesGate(state, this.model.decision, window),
      });
    }
    return out;
  }

  /** The tail window's features (TAIL_FEATURE_NAMES order), or null when it fails the gate. */
  tail(text: string): WindowFeatures | null {
    const state = this.state;
    const tail = this.model.decision.tail;
    const count = this.prepare(text);
    if (count < MIN_SYMBOLS || tail === undefined || !findTail(state, count, tail)) return null;
    tailFeatures(state, text);
    return {
      features: Float64Array.from(state.tailFeatures),
      start: state.offsets[state.tailFirst]!,
      end: state.offsets[state.tailEnd]!,
      gated: true,
    };
  }

  /** Both passes over the whole text (training paths); returns the symbol count. */
  private prepare(text: string): number {
    const state = this.state;
    const count = prepareShape(state, state.codeUnits.load(text), text.length);
    prepareCosts(this.costTable, state, 0, count);
    return count;
  }
}
