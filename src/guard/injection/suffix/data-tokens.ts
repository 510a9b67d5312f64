/**
 * A second look at the windows that the window prefilter (gates.ts candidateWindows) lets
 * through: it counts candidate odd events on the raw symbols, but the shape pass masks every
 * symbol of some whitespace-delimited tokens to FLAG_NEUTRAL (shape-pass.ts: a token of more
 * than LONG_TOKEN symbols, one with "://", one whose fourth symbol is "." after a "w", an
 * @mention or #hashtag), so no odd event survives in them. URLs and image links are such
 * tokens, and their capitals and punctuation ("?ixid=eyJhcHBf…&w=1054", "![Image](https://…")
 * are what let most of those texts through: then the shape pass ran over the windows (about
 * 7 µs) to find that no window passes the gate. Here the clusters are counted again without
 * the candidates of those tokens, over the first and last clusters' stretch only; and the
 * tail's candidates likewise (tailWithoutDataTokens, after tailMayPass).
 *
 * Why it is exact: every odd event of the shape pass is a candidate (gates.ts) outside those
 * tokens, so every window that passes the gate holds a cluster of such candidates; and four of
 * them within a window are four candidates within it, whose first cluster starts no earlier
 * than candidateWindows' first one and whose last ends before its windowsTo — the stretch read
 * here. The token rules are the shape pass's (on raw symbols: leet folding only turns digits
 * into letters, which none of the rules' symbols are, and keeps a letter or digit one).
 */

import { candidatePairsOf } from './gates.js';
import type { SuffixDecision, SuffixTailDecision } from './language-model.js';
import { AT, COLON, HASH, LONG_TOKEN, LOWER_W, PERIOD, SLASH } from './shape.js';
import type { ScoringState } from './state.js';
import { CLASS_DIGIT, CLASS_LOWER, CLASS_SPACE, CLASS_UPPER, SYMBOL_SKIP, SYMBOL_SPACE } from './symbols.js';

/**
 * Whether the token's symbol `index` (from 0) makes the shape pass mask the whole token
 * (shape-pass.ts, on raw symbols: see above).
 */
function masksToken(
  classTable: Uint8Array,
  index: number,
  symbol: number,
  previousSymbol: number,
  beforePreviousSymbol: number,
): boolean {
  return (
    index >= LONG_TOKEN ||
    (index === 1 &&
      (previousSymbol === AT || previousSymbol === HASH) &&
      (classTable[symbol]! & (CLASS_LOWER | CLASS_UPPER | CLASS_DIGIT)) !== 0) ||
    (symbol === SLASH && previousSymbol === SLASH && beforePreviousSymbol === COLON) ||
    (symbol === PERIOD && previousSymbol === LOWER_W && index === 3)
  );
}

/** Candidates of the token being read (a token longer than LONG_TOKEN holds none that count). */
const pendingSymbols = new Int32Array(LONG_TOKEN + 2);
const pendingOffsets = new Int32Array(LONG_TOKEN + 2);

/**
 * After candidateWindows returned true: whether a window may still pass with the candidates of
 * masked tokens left out. When true, narrows windowsFrom, windowsTo and the first cluster in
 * the state to the clusters that remain (candidateWindows' contract); when false, no window
 * passes the gate (the state's symbol count is candidateWindows').
 */
export function withoutDataTokens(
  state: ScoringState,
  decision: SuffixDecision,
  units: Uint16Array,
  length: number,
): boolean {
  const symbolTable = state.symbolTable;
  const classTable = state.classTable;
  const candidates = candidatePairsOf();
  const window = decision.window;
  const needed = Math.max(1, decision.minOddEvents);
  const ring = state.candidateRing;
  const ringOffsets = state.candidateOffsets;
  const windowsTo = state.windowsTo;
  // Back from the first cluster's first candidate to the first symbol of its token.
  let offset = state.clusterOffset;
  let position = state.clusterSymbol;
  for (let at = offset - 1; at >= 0; at--) {
    const symbol = symbolTable[units[at]!]!;
    if (symbol === SYMBOL_SKIP) continue;
    if ((classTable[symbol]! & CLASS_SPACE) !== 0) break;
    offset = at;
    position--;
  }
  let seen = 0;
  let clusters = 0;
  let lastClusterFirst = 0;
  let pending = 0;
  // Symbols since the token's first (−1 before it), and whether the token is masked.
  let index = -1;
  let masked = false;
  // A token starts after whitespace (or at the text's start): no candidate at its first symbol.
  let previousSymbol = SYMBOL_SPACE;
  let beforePreviousSymbol = SYMBOL_SPACE;
  for (; offset <= length; offset++) {
    const symbol = offset < length ? symbolTable[units[offset]!]! : SYMBOL_SPACE;
    if (symbol === SYMBOL_SKIP) continue;
    if ((classTable[symbol]! & CLASS_SPACE) !== 0) {
      // The token ends: its candidates count unless it is masked, in order.
      for (let at = 0; !masked && at < pending; at++) {
        const candidate = pendingSymbols[at]!;
        ring[seen % needed] = candidate;
        ringOffsets[seen % needed] = pendingOffsets[at]!;
        seen++;
        const oldest = seen % needed;
        if (seen >= needed && candidate - ring[oldest]! < window) {
          if (clusters === 0) {
            state.windowsFrom = Math.max(0, candidate - window + 1);
            state.clusterSymbol = ring[oldest]!;
            state.clusterOffset = ringOffsets[oldest]!;
          }
          clusters++;
          lastClusterFirst = ring[oldest]!;
        }
      }
      pending = 0;
      index = -1;
      masked = false;
      // Every cluster's candidates lie before windowsTo.
      if (position >= windowsTo) break;
    } else {
      index++;
      if (masksToken(classTable, index, symbol, previousSymbol, beforePreviousSymbol)) masked = true;
      if (!masked && candidates[previousSymbol * 256 + symbol] !== 0) {
        pendingSymbols[pending] = position;
        pendingOffsets[pending] = offset;
        pending++;
      }
    }
    beforePreviousSymbol = previousSymbol;
    previousSymbol = symbol;
    position++;
  }
  if (clusters === 0) return false;
  state.windowsTo = Math.min(state.symbolCount, lastClusterFirst + window);
  return true;
}

/**
 * After tailMayPass (gates.ts) returned true: whether the tail may still pass its gate with the
 * candidates of masked tokens left out, that is whether `tail.minOddEvents` candidates outside
 * them lie among the text's last `tail.window` symbols (trailing whitespace dropped, as there).
 * False means findTail fails. Why: a prompt whose last line holds a link ("…a website.
 * https://example.com Research and explain") passed the tail prefilter on the link's ":/", and
 * took the shape pass over the tail's reach (about 6 µs) to find no odd event in it.
 */
export function tailWithoutDataTokens(
  state: ScoringState,
  tail: SuffixTailDecision,
  units: Uint16Array,
  length: number,
): boolean {
  const symbolTable = state.symbolTable;
  const classTable = state.classTable;
  const candidates = candidatePairsOf();
  // The last symbol that is not whitespace, then the tail's first symbol (tailMayPass's walk).
  let last = length - 1;
  while (last >= 0) {
    const symbol = symbolTable[units[last]!]!;
    if (symbol !== SYMBOL_SKIP && (classTable[symbol]! & CLASS_SPACE) === 0) break;
    last--;
  }
  let first = last;
  let symbols = 0;
  for (let at = last; at >= 0; at--) {
    if (symbolTable[units[at]!]! === SYMBOL_SKIP) continue;
    if (++symbols > tail.window) break;
    first = at;
  }
  // Back to the first symbol of the token that holds the tail's first symbol.
  let offset = first;
  for (let at = first - 1; at >= 0; at--) {
    const symbol = symbolTable[units[at]!]!;
    if (symbol === SYMBOL_SKIP) continue;
    if ((classTable[symbol]! & CLASS_SPACE) !== 0) break;
    offset = at;
  }
  let found = 0;
  let pending = 0;
  let index = -1;
  let masked = false;
  let previousSymbol = SYMBOL_SPACE;
  let beforePreviousSymbol = SYMBOL_SPACE;
  // One past `last` reads as whitespace: the last token ends there (as at the text's end).
  for (; offset <= last + 1; offset++) {
    const symbol = offset <= last ? symbolTable[units[offset]!]! : SYMBOL_SPACE;
    if (symbol === SYMBOL_SKIP) continue;
    if ((classTable[symbol]! & CLASS_SPACE) !== 0) {
      if (!masked) found += pending;
      if (found >= tail.minOddEvents) return true;
      pending = 0;
      index = -1;
      masked = false;
    } else {
      index++;
      if (masksToken(classTable, index, symbol, previousSymbol, beforePreviousSymbol)) masked = true;
      // Only the tail's symbols count (the symbol before the tail is context).
      if (!masked && offset >= first && candidates[previousSymbol * 256 + symbol] !== 0) pending++;
    }
    beforePreviousSymbol = previousSymbol;
    previousSymbol = symbol;
  }
  return false;
}
