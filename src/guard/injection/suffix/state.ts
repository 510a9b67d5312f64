/**
 * The working state of one suffix scorer (scorer.ts): the per-symbol arrays that the shape
 * pass (shape-pass.ts) fills, the gates (gates.ts) and the cost pass (costs.ts) read and
 * extend, and the window and tail layers (window-layer.ts, tail-layer.ts) score, plus their
 * small results. One object of one class, allocated once per scorer and passed to every pass,
 * so the passes' property loads stay monomorphic and no call allocates; the symbol arrays grow
 * on demand (reserveSymbols). Synchronous use only: a pass leaves its results here for the next.
 */

import { CodeUnits } from '../../normalize/code-units.js';
import { FEATURE_NAMES, TAIL_FEATURE_NAMES } from './language-model.js';
import { LINE_SCAN, SUM_COUNT } from './shape.js';
import { classTableOf, symbolTableOf } from './symbols.js';

export const FEATURE_COUNT = FEATURE_NAMES.length;
export const TAIL_FEATURE_COUNT = TAIL_FEATURE_NAMES.length;

export class ScoringState {
  /** Code unit → symbol and symbol → CLASS_* (shared tables of symbols.ts). */
  readonly symbolTable = symbolTableOf();
  readonly classTable = classTableOf();
  /**
   * The text's code units: the passes read this copy instead of `text.charCodeAt`, whose
   * loads go megamorphic once the scorer has seen flat, sliced and concatenated strings.
   */
  readonly codeUnits = new CodeUnits(4096);

  // Per symbol of the text (reserveSymbols grows them together).
  /** Cost in bits (costs.ts); stale outside the ranges that `score` computes. */
  costs = new Float32Array(4096);
  /** FLAG_* (shape-pass.ts; FLAG_SURPRISE from costs.ts). */
  flags = new Uint16Array(4096);
  /** The symbols, leet folded, for the n-gram look-ups. */
  symbols = new Uint8Array(4096);
  /** UTF-16 offset of each symbol, and the text's length after the last one. */
  offsets = new Int32Array(4097);

  /** [from, to) symbol ranges that need costs (gatedRanges). */
  ranges = new Int32Array(64);
  /** How many of those ranges are gated windows (the rest is the tail's). */
  gatedWindows = 0;
  /** The text's symbol count, left by mayPassGate when it returns false (it read every unit). */
  symbolCount = 0;
  /**
   * First symbol whose symbol, flags and offset the shape pass wrote for this text: 0 after a
   * whole-text pass, the restart point of prepareTailShape otherwise (entries before it are stale).
   */
  shapeFirst = 0;
  /** Symbol positions of the latest candidate odd events (mayPassGate). */
  readonly candidateRing = new Int32Array(128);
  /** Their code-unit offsets (candidateWindows). */
  readonly candidateOffsets = new Int32Array(128);
  /**
   * Left by candidateWindows when a window may pass (and narrowed by withoutDataTokens,
   * data-tokens.ts): every window that can pass the gate lies in
   * symbols [windowsFrom, windowsTo); the first candidate of the first window that may pass is
   * symbol clusterSymbol at code unit clusterOffset.
   */
  windowsFrom = 0;
  windowsTo = 0;
  clusterSymbol = 0;
  clusterOffset = 0;

  /** Running sums of one window (sumRange): one per flag bit, then SUM_COST, SUM_ODD, SUM_LETTER_COST. */
  readonly sums = new Float64Array(SUM_COUNT);
  /** Window features, FEATURE_NAMES order (featuresOf). */
  readonly features = new Float64Array(FEATURE_COUNT);
  /** Tail features, TAIL_FEATURE_NAMES order (tailFeatures). */
  readonly tailFeatures = new Float64Array(TAIL_FEATURE_COUNT);
  /** Open brackets of the last line (tailFeatures). */
  readonly bracketStack = new Uint16Array(LINE_SCAN);

  /** The tail window (symbol indices, end exclusive) of findTail; tailEnd is 0 when it fails the gate. */
  tailFirst = 0;
  tailEnd = 0;

  // The window layer's result (scanWindows).
  /** Best window logit (−∞ when no window passes the gate) and that window's first symbol. */
  best = Number.NEGATIVE_INFINITY;
  bestFirst = 0;
  /** The strongest run of windows above the threshold, first and last symbol. */
  spanFirst = 0;
  spanLast = 0;
}

/** Room for a text of `length` code units (one symbol each at most, plus the end offset). */
export function reserveSymbols(state: ScoringState, length: number): void {
  if (length + 1 > state.offsets.length) {
    const size = length + 1024;
    state.costs = new Float32Array(size);
    state.flags = new Uint16Array(size);
    state.symbols = new Uint8Array(size);
    state.offsets = new Int32Array(size + 1);
  }
}
