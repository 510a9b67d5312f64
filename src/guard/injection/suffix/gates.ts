/**
 * The shape gates of the suffix scorer, which decide where the costly n-gram pass is needed.
 * Before the shape pass, two cheap prefilters on the raw symbol classes (mayPassGate for the
 * windows, tailMayPass for the tail) prove that most texts cannot pass a gate, so `score`
 * returns null without the shape pass. After it, gatedRanges finds the exact symbol ranges of
 * the windows that pass the gate and of the tail (findTail), which are all `score` computes
 * costs for. The gates read only the shape flags, never costs.
 */

import type { SuffixDecision, SuffixTailDecision } from './language-model.js';
import {
  CAPITAL_OPENERS,
  EVALUATION_STRIDE,
  FLAG_BITS,
  FLAG_LETTER,
  FLAG_NEUTRAL,
  FLAG_SPACE,
  MAX_NEUTRAL_SHARE,
  MIN_LETTER_SHARE,
  MIN_SYMBOLS,
  ODD_FLAGS,
  ORDINARY_PAIRS,
} from './shape.js';
import type { ScoringState } from './state.js';
import {
  CLASS_DIGIT,
  CLASS_LOWER,
  CLASS_PUNCTUATION,
  CLASS_SPACE,
  CLASS_UPPER,
  classTableOf,
  SYMBOL_SKIP,
  SYMBOL_SPACE,
} from './symbols.js';

/**
 * Whether a symbol after another is a candidate odd event, as the prefilters count them: a
 * capital after a lower-case letter or digit, or after punctuation that does not open a
 * capitalised run; or two different punctuation marks that prose does not write together.
 */
function isOddEventCandidate(
  previousClass: number,
  previousSymbol: number,
  characterClass: number,
  symbol: number,
): boolean {
  return (
    ((characterClass & CLASS_UPPER) !== 0 &&
      ((previousClass & (CLASS_LOWER | CLASS_DIGIT)) !== 0 ||
        ((previousClass & CLASS_PUNCTUATION) !== 0 && CAPITAL_OPENERS[previousSymbol] === 0))) ||
    ((characterClass & CLASS_PUNCTUATION) !== 0 &&
      (previousClass & CLASS_PUNCTUATION) !== 0 &&
      symbol !== previousSymbol &&
      ORDINARY_PAIRS[previousSymbol * 256 + symbol] === 0)
  );
}

/**
 * isOddEventCandidate of every pair of symbols, 1 or 0, at previous × 256 + symbol (64 KB,
 * built on first use): the prefilter reads one entry per character instead of testing the
 * classes of both symbols.
 */
let candidatePairs: Uint8Array | undefined;

export function candidatePairsOf(): Uint8Array {
  if (candidatePairs === undefined) {
    const classes = classTableOf();
    const table = new Uint8Array(256 * 256);
    for (let previous = 0; previous < 256; previous++)
      for (let symbol = 0; symbol < 256; symbol++)
        table[previous * 256 + symbol] = isOddEventCandidate(
          classes[previous]!,
          previous,
          classes[symbol]!,
          symbol,
        )
          ? 1
          : 0;
    // The prefilters start as after a space (class CLASS_SPACE), which makes no candidate.
    if (classes[SYMBOL_SPACE] !== CLASS_SPACE) throw new Error('SYMBOL_SPACE must be of CLASS_SPACE');
    candidatePairs = table;
  }
  return candidatePairs;
}

/**
 * A cheap pass that proves most texts cannot pass the shape gate, so the costly pass is
 * skipped. It counts *candidate* odd events on the raw symbol classes, which include every
 * odd event the full pass can find (masking only removes events), over windows of the same
 * number of symbols. False means no window has `minOddEvents` odd events, which is exactly
 * when `score` returns null.
 */
export function mayPassGate(
  state: ScoringState,
  decision: SuffixDecision,
  units: Uint16Array,
  length: number,
): boolean {
  const symbolTable = state.symbolTable;
  const candidates = candidatePairsOf();
  const { window, minOddEvents } = decision;
  const needed = Math.max(1, minOddEvents);
  // Positions of the last `needed` candidates, in a ring.
  const ring = state.candidateRing;
  let seen = 0;
  let position = 0;
  // The text starts as after a space (no candidate at its first symbol).
  let previousSymbol = SYMBOL_SPACE;
  for (let offset = 0; offset < length; offset++) {
    const symbol = symbolTable[units[offset]!]!;
    if (symbol === SYMBOL_SKIP) continue;
    // The full pass's events, except that a digit before a capital may have been read as a
    // leet letter there (so a digit counts here); punctuation is never folded, so the opener
    // and ordinary-pair tables apply exactly (isOddEventCandidate, by table).
    if (candidates[previousSymbol * 256 + symbol] !== 0) {
      ring[seen % needed] = position;
      seen++;
      // The oldest of the latest `needed` candidates is in the slot written next.
      if (seen >= needed && position - ring[seen % needed]! < window) return true;
    }
    previousSymbol = symbol;
    position++;
  }
  state.symbolCount = position;
  return false;
}

/**
 * mayPassGate, reading the whole text: the same answer, and when it is true, where the windows
 * that can pass lie. Every window that passes the gate holds `minOddEvents` odd events, hence as
 * many candidates within fewer than `window` symbols (a cluster); a window holding a cluster of
 * positions p … q starts after q − window and at or before p. So every such window lies in
 * [windowsFrom, windowsTo): from the first cluster's last candidate − window + 1 to the last
 * cluster's first candidate + window (within the text). Leaves those, the first cluster's first
 * candidate (symbol and code unit, for prepareWindowShape's restart) and the symbol count in the
 * state; always the symbol count.
 */
export function candidateWindows(
  state: ScoringState,
  decision: SuffixDecision,
  units: Uint16Array,
  length: number,
): boolean {
  const symbolTable = state.symbolTable;
  const candidates = candidatePairsOf();
  const { window, minOddEvents } = decision;
  const needed = Math.max(1, minOddEvents);
  const ring = state.candidateRing;
  const ringOffsets = state.candidateOffsets;
  let seen = 0;
  let position = 0;
  let clusters = 0;
  let lastClusterFirst = 0;
  let previousSymbol = SYMBOL_SPACE;
  for (let offset = 0; offset < length; offset++) {
    const symbol = symbolTable[units[offset]!]!;
    if (symbol === SYMBOL_SKIP) continue;
    if (candidates[previousSymbol * 256 + symbol] !== 0) {
      ring[seen % needed] = position;
      ringOffsets[seen % needed] = offset;
      seen++;
      const oldest = seen % needed;
      if (seen >= needed && position - ring[oldest]! < window) {
        if (clusters === 0) {
          state.windowsFrom = Math.max(0, position - window + 1);
          state.clusterSymbol = ring[oldest]!;
          state.clusterOffset = ringOffsets[oldest]!;
        }
        clusters++;
        lastClusterFirst = ring[oldest]!;
      }
    }
    previousSymbol = symbol;
    position++;
  }
  state.symbolCount = position;
  if (clusters === 0) return false;
  state.windowsTo = Math.min(position, lastClusterFirst + window);
  return true;
}

/**
 * The tail layer's prefilter, as mayPassGate: counts candidate odd events among the text's
 * last `tail.window` symbols (trailing spaces dropped, as in findTail), reading only those
 * characters. False means the tail cannot pass its gate (or there is no tail layer).
 */
export function tailMayPass(
  state: ScoringState,
  tail: SuffixTailDecision | undefined,
  units: Uint16Array,
  length: number,
): boolean {
  if (tail === undefined) return false;
  const symbolTable = state.symbolTable;
  const classTable = state.classTable;
  // Walk back over trailing spaces and skipped marks, then over `window` symbols and one more
  // (the symbol before the tail decides its first event).
  let offset = length - 1;
  while (offset >= 0) {
    const symbol = symbolTable[units[offset]!]!;
    if (symbol !== SYMBOL_SKIP && (classTable[symbol]! & CLASS_SPACE) === 0) break;
    offset--;
  }
  const last = offset;
  let symbols = 0;
  while (offset >= 0 && symbols <= tail.window) {
    if (symbolTable[units[offset]!]! !== SYMBOL_SKIP) symbols++;
    if (symbols <= tail.window) offset--;
  }
  // `offset` is now the symbol before the tail (or −1); the first counted symbol follows it.
  let previousClass = CLASS_SPACE;
  let previousSymbol = 0;
  let found = 0;
  for (let at = Math.max(0, offset); at <= last; at++) {
    const symbol = symbolTable[units[at]!]!;
    if (symbol === SYMBOL_SKIP) continue;
    const characterClass = classTable[symbol]!;
    const candidate = isOddEventCandidate(previousClass, previousSymbol, characterClass, symbol);
    if (candidate && at !== offset && ++found >= tail.minOddEvents) return true;
    previousClass = characterClass;
    previousSymbol = symbol;
  }
  return false;
}

/** gatedRanges' counts per flag value: odd event 1, neutral 1 << 8, letter 1 << 16. */
const GATE_PACK = Int32Array.from(
  { length: 1 << FLAG_BITS },
  (_value, flag) =>
    ((flag & ODD_FLAGS) !== 0 ? 1 : 0) |
    ((flag & FLAG_NEUTRAL) !== 0 ? 1 << 8 : 0) |
    ((flag & FLAG_LETTER) !== 0 ? 1 << 16 : 0),
);

/**
 * After the shape pass: the symbol ranges whose costs `score` needs, written to `ranges` as
 * [from, to) pairs, the first `gatedWindows` of them for the window layer; returns how many
 * (0: no window passes the shape gate and the tail fails the tail layer's gate, so `score`
 * returns null). Also leaves the tail window in tailFirst/tailEnd (findTail; tailEnd 0 when it
 * fails). A range is the union of consecutive gated windows, plus, when the tail passes its
 * gate, the tail window and the head before it (tail-layer.ts). Costs elsewhere are stale, and
 * that changes no result: every cost is a multiple of 1/COST_UNITS (at most MAX_COST_BITS), so
 * the window layer's running sums are exact and a window's sum depends only on its own
 * positions; the windows that fail the gate are never scored; and a span (trimmed on
 * FLAG_SURPRISE) lies inside gated windows or the tail. Why: 2 KB prompts with camel-case
 * names, "3x3" or code pass the prefilters (mayPassGate) and then took the whole n-gram pass
 * (about 150 µs) for the few windows that pass the gate, or none.
 */
export function gatedRanges(
  state: ScoringState,
  decision: SuffixDecision,
  count: number,
  windowsMayPass: boolean,
  windowsFrom = 0,
  windowsTo = count,
  tailMayPass = true,
): number {
  // At most one range per evaluated window, plus the tail's.
  if (state.ranges.length < 2 * (Math.ceil(count / EVALUATION_STRIDE) + 2))
    state.ranges = new Int32Array(2 * (Math.ceil(count / EVALUATION_STRIDE) + 2));
  const flags = state.flags;
  const ranges = state.ranges;
  const window = Math.min(decision.window, count);
  const minOdd = decision.minOddEvents;
  const maxNeutral = MAX_NEUTRAL_SHARE * window;
  const minLetters = MIN_LETTER_SHARE * window;
  let found = 0;
  // The window's odd, neutral and letter counts packed 8 bits apiece (GATE_PACK): no branch
  // on the flags, which prose makes unpredictable.
  let packed = 0;
  // The windows and the gate as in scanWindows (none can pass when mayPassGate said so), within
  // [windowsFrom, windowsTo) (candidateWindows: the windows outside cannot pass, and their flags
  // may be stale).
  const scanned = windowsMayPass ? windowsTo : 0;
  for (let index = windowsFrom; index < scanned; index++) {
    packed += GATE_PACK[flags[index]!]!;
    if (index - window >= windowsFrom) packed -= GATE_PACK[flags[index - window]!]!;
    const first = index - window + 1;
    if (first < windowsFrom || (first % EVALUATION_STRIDE !== 0 && index !== count - 1)) continue;
    if ((packed & 255) < minOdd || ((packed >> 8) & 255) > maxNeutral || packed >> 16 < minLetters) continue;
    // Windows come in order of their start: extend the last range or open one.
    if (found > 0 && first <= ranges[2 * found - 1]!) ranges[2 * found - 1] = index + 1;
    else {
      ranges[2 * found] = first;
      ranges[2 * found + 1] = index + 1;
      found++;
    }
  }
  state.gatedWindows = found;
  // The tail's range may overlap the last one (a few costs computed twice).
  const tail = decision.tail;
  state.tailEnd = 0;
  // tailMayPass false: findTail fails (its prefilter), and the flags of the tail may be stale.
  if (tail === undefined || !tailMayPass || !findTail(state, count, tail)) return found;
  // The head is at most one tail window long, before the tail.
  const first = state.tailFirst;
  const end = state.tailEnd;
  ranges[2 * found] = Math.max(0, first - (end - first));
  ranges[2 * found + 1] = end;
  return found + 1;
}

/**
 * The tail layer's window and gate, after the shape pass: the text's last `tail.window`
 * symbols, trailing spaces and line breaks dropped, left in tailFirst/tailEnd. False (and
 * tailEnd 0) when it is shorter than MIN_SYMBOLS or has fewer than `tail.minOddEvents` odd
 * events. tailMayPass is its prefilter.
 */
export function findTail(state: ScoringState, count: number, tail: SuffixTailDecision): boolean {
  const flags = state.flags;
  state.tailEnd = 0;
  let end = count;
  while (end > 0 && (flags[end - 1]! & FLAG_SPACE) !== 0) end--;
  const window = Math.min(tail.window, end);
  if (window < MIN_SYMBOLS) return false;
  let odd = 0;
  for (let index = end - window; index < end; index++) if ((flags[index]! & ODD_FLAGS) !== 0) odd++;
  if (odd < tail.minOddEvents) return false;
  state.tailFirst = end - window;
  state.tailEnd = end;
  return true;
}
