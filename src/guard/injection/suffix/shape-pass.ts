/**
 * The shape pass of the suffix scorer: one pass over the text's code units that writes each
 * symbol (leet folded), its UTF-16 offset and its shape flags (all but FLAG_SURPRISE, which
 * the cost pass adds) to the scoring state, and masks runs that look like data — URLs, long
 * tokens, base64, hex digests, UUIDs, product codes, @mentions, LaTeX, regular-expression
 * bracket expressions — to FLAG_NEUTRAL once they end. The gates (gates.ts) read nothing else,
 * so `score` can tell from this pass alone where the n-gram look-ups (costs.ts) are needed.
 */

import {
  AT,
  BACKSLASH,
  CAPITAL_OPENERS,
  CARET,
  CLOSE_SQUARE,
  COLON,
  DATA_PUNCTUATION,
  DOLLAR,
  FLAG_BRACKET,
  FLAG_CASE_SWITCH,
  FLAG_DIGIT,
  FLAG_LETTER,
  FLAG_MIXED_PUNCTUATION,
  FLAG_NEUTRAL,
  FLAG_PUNCTUATION,
  FLAG_PUNCTUATION_UPPER,
  FLAG_SPACE,
  FLAG_UPPER,
  HASH,
  HEX_LETTERS,
  isDataRun,
  LONG_TOKEN,
  LOWER_W,
  MAX_CLASS,
  MAX_MATH,
  OPEN_SQUARE,
  ORDINARY_PAIRS,
  PERIOD,
  QUANTIFIERS,
  SLASH,
  SPECIAL,
  UNDERSCORE,
} from './shape.js';
import { reserveSymbols, type ScoringState } from './state.js';
import {
  CLASS_BRACKET,
  CLASS_DIGIT,
  CLASS_LOWER,
  CLASS_NEUTRAL,
  CLASS_PUNCTUATION,
  CLASS_SPACE,
  CLASS_UPPER,
  LEET,
  SYMBOL_SKIP,
} from './symbols.js';

/**
 * Fills the symbols, offsets and flags of the text's `length` code units (`codes`); returns the
 * symbol count. `offsets[count]` is `length`.
 */
export function prepareShape(state: ScoringState, codes: Uint16Array, length: number): number {
  return shapePass(state, codes, length, 0, 0);
}

/**
 * The shape pass for a text that only the tail layer can flag (mayPassGate returned false and
 * left the symbol count in the state), or for the tail of a text whose windows took their own
 * pass (prepareWindowShape; candidateWindows left the symbol count): the symbols, flags and offsets from `reach` symbols
 * before the text's last non-space symbol onwards are those of prepareShape (entries before
 * `state.shapeFirst` are stale); returns the symbol count, as prepareShape. The pass restarts
 * at a whitespace unit at least `reach` symbols before the end, with no `$` or `[` among the
 * RESTART_CLEAN symbols before it. Why that is exact: a whitespace ends every data run, token,
 * `\command` and pending quantifier (their masks end before it), and the step at a whitespace
 * reads nothing of the state before it except these (previousClass, previousSymbol and
 * beforePreviousSymbol are only read for punctuation, capitals, leet digits and `/` `.`
 * after the whitespace, which by then see the whitespace itself); what a whole-text pass may
 * still carry is an open `[` (classAt) or `$` (dollarAt) before the restart point, and those
 * lie more than MAX_CLASS / MAX_MATH symbols back, so at the first `]` or `$` after it neither
 * closes (`count - classAt <= MAX_CLASS`, `count - dollarAt <= MAX_MATH` fail) and both
 * passes leave the same state (classAt −1; dollarAt at that `$`, mathSyntax false). Masks
 * only run forward from a start at or after the restart point, or end before it. Texts with
 * no such point take the whole-text pass. Why: 22 of the 500 bench prompts reach the shape
 * pass for their tail alone and paid it over the whole text (27 of their 38 µs).
 */
export function prepareTailShape(
  state: ScoringState,
  codes: Uint16Array,
  length: number,
  reach: number,
): number {
  const symbolTable = state.symbolTable;
  const classTable = state.classTable;
  // Symbols at offsets at or after `offset`, walking back from the end over trailing spaces.
  let fromEnd = 0;
  let offset = length - 1;
  for (; offset >= 0; offset--) {
    const symbol = symbolTable[codes[offset]!]!;
    if (symbol === SYMBOL_SKIP) continue;
    if ((classTable[symbol]! & CLASS_SPACE) === 0) break;
    fromEnd++;
  }
  const needed = fromEnd + reach;
  // The candidate restart unit (−1: none yet) and fromEnd at it.
  let candidate = -1;
  let candidateFromEnd = 0;
  for (; offset >= 0; offset--) {
    const symbol = symbolTable[codes[offset]!]!;
    if (symbol === SYMBOL_SKIP) continue;
    fromEnd++;
    if (candidate >= 0) {
      if (symbol === DOLLAR || symbol === OPEN_SQUARE) candidate = -1;
      else if (fromEnd - candidateFromEnd >= RESTART_CLEAN) break;
    } else if (fromEnd >= needed && (classTable[symbol]! & CLASS_SPACE) !== 0) {
      candidate = offset;
      candidateFromEnd = fromEnd;
    }
  }
  // The text's start is as clean as RESTART_CLEAN symbols without `$` or `[`.
  if (candidate <= 0) return shapePass(state, codes, length, 0, 0);
  return shapePass(state, codes, length, candidate, state.symbolCount - candidateFromEnd);
}

/** Symbols without `$` or `[` that prepareTailShape needs before its restart point. */
export const RESTART_CLEAN = Math.max(MAX_CLASS, MAX_MATH);

/**
 * The shape pass for a text whose windows may pass the gate (candidateWindows returned true and
 * left windowsFrom, windowsTo, the first cluster and the symbol count in the state) but whose
 * tail cannot (tailMayPass false): the symbols, flags and offsets of [windowsFrom − lead,
 * windowsTo) are those of prepareShape (the others are stale); returns the text's symbol count,
 * as prepareShape. When the tail can pass as well (`tailReach` ≥ 0), the pass restarts before
 * both the windows and the tail's reach (as prepareTailShape's restart) and runs to the end. `lead` is the n-gram context the costs of a range read before its start.
 * Only those symbols are read afterwards: gatedRanges sweeps [windowsFrom, windowsTo) and skips
 * the tail, the costs read their ranges and `lead` symbols before, the layers and the span
 * their ranges. The pass restarts as prepareTailShape's does (a whitespace unit with
 * RESTART_CLEAN symbols without `$` or `[` before it), at or before windowsFrom − lead, and stops
 * after the first whitespace unit after windowsTo where no `[` or `$` opened before windowsTo
 * can still close (shapePass). Why that is exact: a flag before windowsTo changes after it is
 * written only by a mask, and every mask covering it is applied by then — data runs, tokens and
 * `\command`s end at that whitespace, a pending quantifier at the next symbol, and a `[` or `$`
 * opened before windowsTo that is still open there closes within MAX_CLASS / MAX_MATH symbols
 * of its opening or never (the pass goes on until it cannot). Why: 50 of the 500 bench prompts
 * pass the window prefilter (a URL, a code snippet, "3x3") and paid the shape pass over all
 * 2,048 characters (38 µs) for windows in a few hundred of them; until session 11 the pass went
 * on a fixed RESTART_CLEAN symbols past windowsTo (about 3 µs).
 * When the tail's reach starts RESTART_CLEAN symbols or more after windowsTo, the tail takes a
 * pass of its own afterwards
 * (prepareTailShape): each pass is exact over what is read of it (the windows' symbols, the
 * tail's reach), the second overwrites only with exact entries, and the symbols between them
 * are read by neither (the tail layer's line search stops at shapeFirst, the tail pass's
 * restart, as after prepareTailShape alone). Why: a code snippet near the start of a prompt
 * that ends in a capitalised name (bench prompts 201 and 366) took the pass from the snippet
 * to the end, 1,800 symbols (27 µs), for the snippet's windows and the tail's 256 symbols.
 */
export function prepareWindowShape(
  state: ScoringState,
  codes: Uint16Array,
  length: number,
  lead: number,
  tailReach = -1,
): number {
  const symbolTable = state.symbolTable;
  const classTable = state.classTable;
  // The restart unit is a whitespace at or before symbol `target`.
  let target = state.windowsFrom - lead;
  let stop = state.windowsTo;
  let separateTail = false;
  if (tailReach >= 0) {
    let end = state.symbolCount;
    for (let offset = length - 1; offset >= 0; offset--) {
      const unit = symbolTable[codes[offset]!]!;
      if (unit === SYMBOL_SKIP) continue;
      if ((classTable[unit]! & CLASS_SPACE) === 0) break;
      end--;
    }
    // The tail can pass too: its reach starts after the windows' pass stops (a pass of its
    // own), or the pass covers it as well, to the end.
    if (end - tailReach > stop + RESTART_CLEAN) separateTail = true;
    else {
      stop = length;
      target = Math.min(target, end - tailReach);
    }
  }
  const count = windowShapePass(state, codes, length, target, stop);
  return separateTail ? prepareTailShape(state, codes, length, tailReach) : count;
}

/**
 * prepareWindowShape's pass: from a restart at or before symbol `target` (see there) up to the
 * first whitespace unit after symbol `stop` where no `[` or `$` opened before `stop` can close.
 */
function windowShapePass(
  state: ScoringState,
  codes: Uint16Array,
  length: number,
  target: number,
  stop: number,
): number {
  const symbolTable = state.symbolTable;
  const classTable = state.classTable;
  if (target <= 0) return shapePass(state, codes, length, 0, 0, stop);
  // Walk back from the first cluster's first candidate, which is at or after windowsFrom.
  let symbol = state.clusterSymbol;
  let candidate = -1;
  let candidateSymbol = 0;
  for (let offset = state.clusterOffset - 1; offset >= 0; offset--) {
    const unit = symbolTable[codes[offset]!]!;
    if (unit === SYMBOL_SKIP) continue;
    symbol--;
    if (candidate >= 0) {
      if (unit === DOLLAR || unit === OPEN_SQUARE) candidate = -1;
      else if (candidateSymbol - symbol >= RESTART_CLEAN) break;
    } else if (symbol <= target && (classTable[unit]! & CLASS_SPACE) !== 0) {
      candidate = offset;
      candidateSymbol = symbol;
    }
  }
  // The text's start is as clean as RESTART_CLEAN symbols without `$` or `[`.
  if (candidate <= 0) return shapePass(state, codes, length, 0, 0, stop);
  return shapePass(state, codes, length, candidate, candidateSymbol, stop);
}

/**
 * The shape pass from code unit `start` on, whose symbol index is `first` (see
 * prepareTailShape), to the end of the text, or up to the first whitespace unit after symbol
 * `stop` where no `[` or `$` opened before `stop` can close (see prepareWindowShape; then it
 * returns the text's symbol count, state.symbolCount).
 */
function shapePass(
  state: ScoringState,
  codes: Uint16Array,
  length: number,
  start: number,
  first: number,
  stop = length,
): number {
  reserveSymbols(state, length);
  state.shapeFirst = first;
  const symbolTable = state.symbolTable;
  const classTable = state.classTable;
  const symbols = state.symbols;
  const flags = state.flags;
  const offsets = state.offsets;
  let count = first;
  let previousClass = CLASS_SPACE;
  let previousSymbol = 0;
  let beforePreviousSymbol = 0;
  // Data run (letters, digits, + / = - _) and whitespace-delimited token state.
  let runStart = 0;
  let runLength = 0;
  let runDigits = 0;
  let runSwitches = 0;
  // 1 while every letter of the run is a hex letter, kept with `&=`: a branch on a–f inside
  // words mispredicts (the whole-text pass took 10 % longer with it).
  let runHex = 1;
  let runClass = 0;
  let runLower = 0;
  let runUpper = 0;
  let tokenStart = 0;
  let tokenIsData = false;
  // LaTeX: the last `$` (−1 when none is open) and whether math syntax followed it; the
  // start of a `\command`.
  let dollarAt = -1;
  let mathSyntax = false;
  let commandAt = -1;
  let classAt = -1;
  let classEscapes = 0;
  // A bracket expression with one escape, masked if a quantifier follows it ([\w.-]+).
  let quantifiedClassAt = -1;
  for (let offset = start; offset <= length; offset++) {
    // Fast path for most of prose: a plain lower-case letter (no leet digit, no special
    // symbol) continuing a lower-case data run. The general step below would only extend the
    // run, test the token's length and flag a letter: the same, without its other tests.
    if (
      previousClass === CLASS_LOWER &&
      runLength > 0 &&
      runClass === CLASS_LOWER &&
      quantifiedClassAt < 0 &&
      offset < length
    ) {
      const letter = symbolTable[codes[offset]!]!;
      if (
        letter !== SYMBOL_SKIP &&
        classTable[letter] === CLASS_LOWER &&
        LEET[letter] === 0 &&
        SPECIAL[letter] === 0
      ) {
        runLength++;
        runLower++;
        runHex &= HEX_LETTERS[letter]!;
        if (count - tokenStart >= LONG_TOKEN) tokenIsData = true;
        symbols[count] = letter;
        flags[count] = FLAG_LETTER;
        offsets[count] = offset;
        count++;
        beforePreviousSymbol = previousSymbol;
        previousSymbol = letter;
        continue;
      }
    }
    const atEnd = offset === length;
    const rawSymbol = atEnd ? 1 : symbolTable[codes[offset]!]!;
    if (rawSymbol === SYMBOL_SKIP) continue;
    let symbol = rawSymbol;
    const rawClass = atEnd ? CLASS_SPACE : classTable[symbol]!;
    let characterClass = rawClass;
    if (LEET[symbol] !== 0 && (previousClass & (CLASS_LOWER | CLASS_UPPER)) !== 0) {
      symbol = LEET[symbol]!;
      characterClass = CLASS_LOWER;
    }
    const isData =
      (rawClass & (CLASS_LOWER | CLASS_UPPER | CLASS_DIGIT)) !== 0 || DATA_PUNCTUATION[symbol] === 1;
    if (!isData && runLength > 0) {
      if (isDataRun(runLength, runDigits, runSwitches, runHex !== 0, runUpper, runLower))
        mask(flags, runStart, count);
      runLength = 0;
    }
    // A backslash escape or command (\n, \x20, \uFFFF, \frac) ends at its first non-alphanumeric.
    if (commandAt >= 0 && (rawClass & (CLASS_LOWER | CLASS_UPPER | CLASS_DIGIT)) === 0) {
      if (count - commandAt > 1) mask(flags, commandAt, count);
      commandAt = -1;
    }
    if ((characterClass & CLASS_SPACE) !== 0) {
      if (tokenIsData) mask(flags, tokenStart, count);
      tokenIsData = false;
      tokenStart = count + 1;
    }
    if (atEnd) break;
    if (isData) {
      const dataClass = rawClass & (CLASS_LOWER | CLASS_UPPER | CLASS_DIGIT);
      if (runLength === 0) {
        runStart = count;
        runDigits = 0;
        runLower = 0;
        runUpper = 0;
        runSwitches = 0;
        runHex = 1;
        runClass = dataClass;
      } else if (dataClass !== 0 && dataClass !== runClass) {
        if (runClass !== 0) runSwitches++;
        runClass = dataClass;
      }
      runLength++;
      if (dataClass === CLASS_DIGIT) runDigits++;
      else {
        if (dataClass === CLASS_LOWER) runLower++;
        else if (dataClass === CLASS_UPPER) runUpper++;
        // Hex letters are tested on the raw symbol (leet folding may have renamed a digit).
        runHex &= HEX_LETTERS[rawSymbol]!;
      }
    }
    let closesMath = false;
    // A bracket expression with escapes inside ([\t\n!-,] in a regular expression) is code.
    let closesClass = false;
    if (quantifiedClassAt >= 0) {
      if (QUANTIFIERS[symbol] === 1) {
        mask(flags, quantifiedClassAt, count);
        closesClass = true;
      }
      quantifiedClassAt = -1;
    }
    if (SPECIAL[symbol] === 1) {
      if (symbol === BACKSLASH) {
        commandAt = count;
        if (classAt >= 0) classEscapes++;
      }
      if (symbol === OPEN_SQUARE) {
        classAt = count;
        classEscapes = 0;
      } else if (symbol === CLOSE_SQUARE && classAt >= 0) {
        closesClass = classEscapes >= 2 && count - classAt <= MAX_CLASS;
        if (closesClass) mask(flags, classAt, count);
        else if (classEscapes === 1 && count - classAt <= MAX_CLASS) quantifiedClassAt = classAt;
        classAt = -1;
      }
      if (symbol === DOLLAR) {
        closesMath = dollarAt >= 0 && mathSyntax && count - dollarAt <= MAX_MATH;
        if (closesMath) mask(flags, dollarAt, count);
        dollarAt = closesMath ? -1 : count;
        mathSyntax = false;
      } else if (dollarAt >= 0 && (symbol === BACKSLASH || symbol === CARET || symbol === UNDERSCORE))
        mathSyntax = true;
    }
    if (
      count - tokenStart >= LONG_TOKEN ||
      // @mentions and #hashtags: handles mix case, digits and underscores by design.
      (count === tokenStart + 1 &&
        (previousSymbol === AT || previousSymbol === HASH) &&
        (characterClass & (CLASS_LOWER | CLASS_UPPER | CLASS_DIGIT)) !== 0) ||
      (symbol === SLASH && previousSymbol === SLASH && beforePreviousSymbol === COLON) ||
      (symbol === PERIOD && previousSymbol === LOWER_W && count - tokenStart === 3)
    )
      tokenIsData = true;
    // FLAG_SURPRISE is added by prepareCosts.
    let flag = 0;
    if ((characterClass & CLASS_NEUTRAL) !== 0 || closesMath || closesClass) flag = FLAG_NEUTRAL;
    else {
      if ((characterClass & CLASS_SPACE) !== 0) flag |= FLAG_SPACE;
      else if ((characterClass & CLASS_PUNCTUATION) !== 0) {
        flag |= FLAG_PUNCTUATION;
        if ((characterClass & CLASS_BRACKET) !== 0) flag |= FLAG_BRACKET;
        if (
          (previousClass & CLASS_PUNCTUATION) !== 0 &&
          symbol !== previousSymbol &&
          ORDINARY_PAIRS[previousSymbol * 256 + symbol] === 0
        )
          flag |= FLAG_MIXED_PUNCTUATION;
      } else if ((characterClass & CLASS_DIGIT) !== 0) flag |= FLAG_DIGIT;
      else if ((characterClass & CLASS_LOWER) !== 0) flag |= FLAG_LETTER;
      else if ((characterClass & CLASS_UPPER) !== 0) {
        flag |= FLAG_LETTER | FLAG_UPPER;
        if ((previousClass & CLASS_LOWER) !== 0) flag |= FLAG_CASE_SWITCH;
        else if ((previousClass & CLASS_PUNCTUATION) !== 0 && CAPITAL_OPENERS[previousSymbol] === 0)
          flag |= FLAG_PUNCTUATION_UPPER;
      }
    }
    symbols[count] = symbol;
    flags[count] = flag;
    offsets[count] = offset;
    count++;
    beforePreviousSymbol = previousSymbol;
    previousSymbol = symbol;
    previousClass = characterClass;
    // Past `stop` at a whitespace, where no `[` or `$` opened before `stop` can still close (its
    // mask would cover symbols before `stop`; a `]` or `$` to come is at `count` or later): every
    // mask before `stop` is applied (prepareWindowShape).
    if (
      count > stop &&
      (characterClass & CLASS_SPACE) !== 0 &&
      (classAt < 0 || classAt >= stop || count - classAt > MAX_CLASS) &&
      (dollarAt < 0 || dollarAt >= stop || count - dollarAt > MAX_MATH)
    ) {
      offsets[count] = offset + 1;
      return state.symbolCount;
    }
  }
  offsets[count] = length;
  return count;
}

/** Data runs count as neutral text: no cost surprise, no shape events (costs.ts gives the cost). */
function mask(flags: Uint16Array, from: number, to: number): void {
  for (let index = from; index < to; index++) {
    flags[index] = FLAG_NEUTRAL;
  }
}
