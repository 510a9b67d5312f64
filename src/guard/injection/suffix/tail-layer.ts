/**
 * The tail layer of the suffix scorer. A GCG prompt is a fluent request with the suffix appended
 * at the very end, so the text's last `tail.window` symbols (findTail in gates.ts) are scored
 * by a second logistic regression over 28 features (TAIL_FEATURE_NAMES): the window's own shape
 * and cost (window-layer.ts), where it sits (the share on earlier lines; the head, the part of
 * the same line before it), the balance of brackets and quotes over the last line, and the mix
 * of plain words and mixed tokens.
 */

import type { SuffixTailDecision } from './language-model.js';
import {
  FLAG_LETTER,
  FLAG_PUNCTUATION,
  FLAG_SPACE,
  LINE_SCAN,
  ODD_FLAGS,
  SUM_COST,
  SUM_ODD,
} from './shape.js';
import { type ScoringState, TAIL_FEATURE_COUNT } from './state.js';
import { featuresOf, sumRange } from './window-layer.js';

function isLetterCode(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code >= 0xc0;
}

/**
 * Fills tailFeatures for the tail window that findTail left in the state (it passed the gate)
 * and the head before it, after the costs of both (gatedRanges' tail range). `text` is the
 * text of the state's code units.
 */
export function tailFeatures(state: ScoringState, text: string): void {
  const flags = state.flags;
  const offsets = state.offsets;
  const units = state.codeUnits.units;
  const sums = state.sums;
  const out = state.tailFeatures;
  const first = state.tailFirst;
  const end = state.tailEnd;
  const window = end - first;
  sumRange(state, first, end);
  featuresOf(state, window);
  const features = state.features;
  for (let feature = 0; feature < 14; feature++) out[feature] = features[feature]!;
  const meanCost = features[0]!;
  out[14] = features[15]!;
  // First symbol of the last line: the first one after the last line break before `end`.
  const lastOffset = offsets[end - 1]!;
  const lineBreak = Math.max(text.lastIndexOf('\n', lastOffset), text.lastIndexOf('\r', lastOffset));
  let lineStart = 0;
  if (lineBreak >= 0) {
    // Offsets before shapeFirst are stale (prepareTailShape); from there the search finds the
    // same line start, or shapeFirst when the line starts before it, which is at least
    // LINE_SCAN and two tail windows before `end`: every use below takes the same value.
    lineStart = state.shapeFirst;
    let high = end - 1;
    while (lineStart < high) {
      const middle = (lineStart + high) >>> 1;
      if (offsets[middle]! > lineBreak) high = middle;
      else lineStart = middle + 1;
    }
  }
  out[15] = lineStart > first ? (lineStart - first) / window : 0;
  const headFirst = Math.max(lineStart, first - window);
  const head = Math.max(0, first - headFirst);
  sumRange(state, headFirst, first);
  const headCost = head > 0 ? sums[SUM_COST]! / head : 0;
  out[16] = head / window;
  out[17] = headCost;
  out[18] = head > 0 ? sums[SUM_ODD]! / head : 0;
  out[19] = head > 0 ? sums[8]! / head : 0;
  out[20] = head > 0 ? sums[5]! / head : 0;
  out[21] = head > 0 ? ((meanCost - headCost) * head) / window : 0;
  // Brackets and quotes over the last line: closings without their opening, openings left
  // open, and quote marks left unpaired (an apostrophe between letters is not a quote).
  const stack = state.bracketStack;
  let depth = 0;
  let unmatched = 0;
  let doubleQuotes = 0;
  let singleQuotes = 0;
  let backticks = 0;
  let previous = 0;
  for (let index = Math.max(lineStart, end - LINE_SCAN); index < end; index++) {
    const code = units[offsets[index]!]!;
    if (code === 0x28 || code === 0x5b || code === 0x7b) stack[depth++] = code;
    else if (code === 0x29 || code === 0x5d || code === 0x7d) {
      // ( ) are 0x28 0x29; [ ] and { } are two apart.
      if (depth > 0 && stack[depth - 1] === (code === 0x29 ? 0x28 : code - 2)) depth--;
      else unmatched++;
    } else if (code === 0x22) doubleQuotes++;
    else if (code === 0x60) backticks++;
    else if (code === 0x27) {
      const next = index + 1 < end ? units[offsets[index + 1]!]! : 0;
      if (!(isLetterCode(previous) && isLetterCode(next))) singleQuotes++;
    }
    previous = code;
  }
  out[22] = Math.min(unmatched + depth, 8) / 8;
  out[23] = ((doubleQuotes & 1) + (singleQuotes & 1) + (backticks & 1)) / 3;
  // Space-separated tokens of the tail window.
  let tokens = 0;
  let plain = 0;
  let mixed = 0;
  let letters = 0;
  let marks = 0;
  let odd = false;
  let other = false;
  for (let index = first; index <= end; index++) {
    const flag = index < end ? flags[index]! : FLAG_SPACE;
    if ((flag & FLAG_SPACE) !== 0) {
      if (letters + marks > 0 || other) {
        tokens++;
        if (letters >= 2 && marks <= 1 && !odd && !other) plain++;
        else if (letters > 0 && (marks >= 2 || odd)) mixed++;
      }
      letters = 0;
      marks = 0;
      odd = false;
      other = false;
      continue;
    }
    if ((flag & FLAG_LETTER) !== 0) letters++;
    else if ((flag & FLAG_PUNCTUATION) !== 0) marks++;
    else other = true;
    if ((flag & ODD_FLAGS) !== 0) odd = true;
  }
  const plainShare = tokens > 0 ? plain / tokens : 0;
  const mixedShare = tokens > 0 ? mixed / tokens : 0;
  out[24] = plainShare;
  out[25] = mixedShare;
  out[26] = plainShare * mixedShare;
  out[27] = tokens / window;
}

/** The tail layer's logit of the state's tailFeatures (`weights`: the tail's, as a Float64Array). */
export function tailLogit(state: ScoringState, tail: SuffixTailDecision, weights: Float64Array): number {
  const features = state.tailFeatures;
  let logit = tail.bias;
  for (let feature = 0; feature < TAIL_FEATURE_COUNT; feature++)
    logit += weights[feature]! * features[feature]!;
  return logit;
}
