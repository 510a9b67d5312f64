/**
 * The hot path of the adversarial-suffix detector. One pass over the text's code units: each
 * becomes a symbol (a 64 K table read), its cost −log2 P under the character n-gram model
 * (hashed-table reads, highest order first) and a few shape flags (case switch inside a word,
 * a bracket, two different punctuation marks in a row, a capital right after punctuation).
 * Runs that look like data — URLs, base64, hex digests, UUIDs — are masked to a neutral cost
 * when they end, so their randomness is not mistaken for an attack. A second pass slides a
 * window of `decision.window` symbols over these arrays, keeping running sums, and scores
 * each window that shows enough odd shape events with a small logistic regression over the
 * window's mean cost and shape rates. The text's score is the best window's,
 * sigmoid(logit − threshold), so 0.5 is the decision point chosen on validation data; the
 * span is the run of consecutive windows above the threshold around the best one (or the best
 * window itself when below). Buffers are allocated once per scorer and grown on demand.
 */

import { CodeUnits } from '../../normalize/code-units.js';
import { COST_UNITS, FEATURE_NAMES, type SuffixModel, TAIL_FEATURE_NAMES } from './language-model.js';
import {
  AT,
  BACKSLASH,
  CAPITAL_OPENERS,
  CARET,
  CLOSE_SQUARE,
  COLON,
  DATA_PUNCTUATION,
  DOLLAR,
  EVALUATION_STRIDE,
  FLAG_BITS,
  FLAG_BRACKET,
  FLAG_CASE_SWITCH,
  FLAG_DIGIT,
  FLAG_LETTER,
  FLAG_MIXED_PUNCTUATION,
  FLAG_NEUTRAL,
  FLAG_PUNCTUATION,
  FLAG_PUNCTUATION_UPPER,
  FLAG_SPACE,
  FLAG_SURPRISE,
  FLAG_UPPER,
  HASH,
  HEX_LETTERS,
  isDataRun,
  LONG_TOKEN,
  LOWER_W,
  MAX_CLASS,
  MAX_COST_BITS,
  MAX_MATH,
  MAX_NEUTRAL_SHARE,
  MIN_LETTER_SHARE,
  MIN_SYMBOLS,
  NEUTRAL_COST_BITS,
  ODD_FLAGS,
  OPEN_SQUARE,
  ORDINARY_PAIRS,
  PACK_0,
  PACK_1,
  PACK_2,
  PERIOD,
  QUANTIFIERS,
  SLASH,
  SPECIAL,
  SUM_COST,
  SUM_COUNT,
  SUM_LETTER_COST,
  SUM_ODD,
  SURPRISE_BITS,
  UNDERSCORE,
} from './shape.js';
import {
  CLASS_BRACKET,
  CLASS_DIGIT,
  CLASS_LOWER,
  CLASS_NEUTRAL,
  CLASS_PUNCTUATION,
  CLASS_SPACE,
  CLASS_UPPER,
  classTableOf,
  LEET,
  SYMBOL_BACKOFF,
  SYMBOL_SKIP,
  symbolTableOf,
} from './symbols.js';

export { FEATURE_NAMES, TAIL_FEATURE_NAMES };
export const FEATURE_COUNT = FEATURE_NAMES.length;
export const TAIL_FEATURE_COUNT = TAIL_FEATURE_NAMES.length;
/** Brackets and quotes are counted over at most this many symbols of the last line. */
const LINE_SCAN = 256;

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

function isLetterCode(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code >= 0xc0;
}

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

/** gatedRanges' counts per flag value: odd event 1, neutral 1 << 8, letter 1 << 16. */
const GATE_PACK = Int32Array.from(
  { length: 1 << FLAG_BITS },
  (_value, flag) =>
    ((flag & ODD_FLAGS) !== 0 ? 1 : 0) |
    ((flag & FLAG_NEUTRAL) !== 0 ? 1 << 8 : 0) |
    ((flag & FLAG_LETTER) !== 0 ? 1 << 16 : 0),
);

export class SuffixScorer {
  private readonly symbolTable = symbolTableOf();
  private readonly classTable = classTableOf();
  private readonly contextMasks: Int32Array;
  private readonly slotMask: number;
  /** Fingerprints and costs interleaved (fingerprint | cost << 8): one read per slot. */
  private readonly table: Uint16Array;
  private readonly weights: Float64Array;
  private costs = new Float32Array(4096);
  private flags = new Uint16Array(4096);
  /** The symbols (leet folded) of the text, for prepareCosts. */
  private symbols = new Uint8Array(4096);
  /** [from, to) symbol ranges that need costs (gatedRanges). */
  private ranges = new Int32Array(64);
  /** How many of those ranges are gated windows (the rest is the tail's). */
  private gatedWindows = 0;
  private offsets = new Int32Array(4097);
  private readonly features = new Float64Array(FEATURE_COUNT);
  /** Running sums of the current window (window training path). */
  private readonly sums = new Float64Array(SUM_COUNT);
  /** Symbol positions of the latest candidate odd events (see mayPassGate). */
  private readonly candidateRing = new Int32Array(128);
  private readonly tailWeights: Float64Array | undefined;
  private readonly tailFeatures = new Float64Array(TAIL_FEATURE_COUNT);
  /** Open brackets of the last line (tailOf). */
  private readonly bracketStack = new Uint16Array(LINE_SCAN);
  /** The tail window of the latest tailOf() call (symbol indices, end exclusive). */
  private tailFirst = 0;
  private tailEnd = 0;
  /**
   * The text's code units: both passes read this copy instead of `text.charCodeAt`, whose
   * loads go megamorphic once the scorer has seen flat, sliced and concatenated strings.
   */
  private readonly codeUnits = new CodeUnits(4096);

  constructor(readonly model: SuffixModel) {
    this.contextMasks = new Int32Array(model.order + 1);
    for (let n = 2; n <= model.order; n++) this.contextMasks[n] = (1 << (7 * (n - 1))) - 1;
    this.slotMask = (1 << model.tableBits) - 2;
    this.table = new Uint16Array(model.fingerprints.length);
    for (let slot = 0; slot < this.table.length; slot++)
      this.table[slot] = model.fingerprints[slot]! | (model.costs[slot]! << 8);
    this.weights = Float64Array.from(model.decision.weights);
    if (model.decision.window > 127) throw new Error('suffix model window must be below 128');
    if (this.weights.length !== FEATURE_COUNT)
      throw new Error(`suffix model has ${this.weights.length} weights, expected ${FEATURE_COUNT}`);
    const tail = model.decision.tail;
    this.tailWeights = tail === undefined ? undefined : Float64Array.from(tail.weights);
    if (tail !== undefined && tail.weights.length !== TAIL_FEATURE_COUNT)
      throw new Error(`suffix model has ${tail.weights.length} tail weights, expected ${TAIL_FEATURE_COUNT}`);
    if (tail !== undefined && (tail.window > 127 || tail.minOddEvents < 1))
      throw new Error('suffix model tail window must be below 128 and need at least one odd event');
  }

  /** Best window of the text, or null when the text is too short or no window passes the gate. */
  score(text: string): SuffixVerdict | null {
    const units = this.codeUnits.load(text);
    const windowsMayPass = this.mayPassGate(units, text.length);
    if (!windowsMayPass && !this.tailMayPass(units, text.length)) return null;
    const count = this.prepareShape(units, text.length);
    // Costs only where a gate opens (see gatedRanges); none: score would return null.
    if (count < MIN_SYMBOLS) return null;
    const ranges = this.gatedRanges(count, windowsMayPass);
    if (ranges === 0) return null;
    for (let range = 0; range < ranges; range++)
      this.prepareCosts(this.ranges[2 * range]!, this.ranges[2 * range + 1]!);
    const decision = this.model.decision;
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
    ] = this.model.decision.weights;
    const bias = decision.bias;
    const costs = this.costs;
    const flags = this.flags;
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
    for (let range = 0; range < this.gatedWindows; range++) {
      const from = this.ranges[2 * range]!;
      const to = this.ranges[2 * range + 1]!;
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
    // The tail layer: the text's last window, scored with where it sits (see tailOf).
    const tail = decision.tail;
    let tailScore = 0;
    if (tail !== undefined && this.tailOf(text, count)) {
      const tailWeights = this.tailWeights!;
      const tailFeatures = this.tailFeatures;
      let tailLogit = tail.bias;
      for (let feature = 0; feature < TAIL_FEATURE_COUNT; feature++)
        tailLogit += tailWeights[feature]! * tailFeatures[feature]!;
      tailScore = 1 / (1 + Math.exp(tail.threshold - tailLogit));
    }
    if (best === Number.NEGATIVE_INFINITY) {
      if (tail === undefined || this.tailEnd === 0) return null;
    } else if (tailScore <= 1 / (1 + Math.exp(threshold - best))) tailScore = -1;
    if (tailScore >= 0) {
      spanFirst = this.tailFirst;
      spanLast = this.tailEnd - 1;
    } else if (best < threshold) {
      spanFirst = bestFirst;
      spanLast = bestFirst + window - 1;
    }
    // Trim ordinary text off both ends: the span starts and ends at a surprise or odd event.
    const notable = ODD_FLAGS | FLAG_SURPRISE;
    while (spanFirst < spanLast && (flags[spanFirst]! & notable) === 0) spanFirst++;
    while (spanLast > spanFirst && (flags[spanLast]! & notable) === 0) spanLast--;
    return {
      score: tailScore >= 0 ? tailScore : 1 / (1 + Math.exp(threshold - best)),
      start: this.offsets[spanFirst]!,
      end: this.offsets[spanLast + 1]!,
    };
  }

  /** Every `stride`-th window's features (training and diagnostics; allocates). */
  windows(text: string, stride = 1): WindowFeatures[] {
    const count = this.prepare(this.codeUnits.load(text), text.length);
    if (count < MIN_SYMBOLS) return [];
    const window = Math.min(this.model.decision.window, count);
    const out: WindowFeatures[] = [];
    for (let first = 0; first + window <= count; first += stride) {
      this.sums.fill(0);
      for (let index = first; index < first + window; index++) this.add(index, 1);
      this.featuresOf(window);
      out.push({
        features: Float64Array.from(this.features),
        start: this.offsets[first]!,
        end: this.offsets[first + window]!,
        gated: this.gate(window),
      });
    }
    return out;
  }

  /** The tail window's features (TAIL_FEATURE_NAMES order), or null when it fails the gate. */
  tail(text: string): WindowFeatures | null {
    const count = this.prepare(this.codeUnits.load(text), text.length);
    if (count < MIN_SYMBOLS || !this.tailOf(text, count)) return null;
    return {
      features: Float64Array.from(this.tailFeatures),
      start: this.offsets[this.tailFirst]!,
      end: this.offsets[this.tailEnd]!,
      gated: true,
    };
  }

  /**
   * Fills tailFeatures for the last `window` symbols of the text (trailing spaces and line
   * breaks dropped) and the part of the same line before them (the head). True when the tail
   * has at least `tail.minOddEvents` odd events, the gate of the tail layer; tailEnd is 0 when
   * not. tailMayPass is its prefilter.
   */
  private tailOf(text: string, count: number): boolean {
    const flags = this.flags;
    const offsets = this.offsets;
    const sums = this.sums;
    const out = this.tailFeatures;
    this.tailEnd = 0;
    let end = count;
    while (end > 0 && (flags[end - 1]! & FLAG_SPACE) !== 0) end--;
    const tail = this.model.decision.tail;
    if (tail === undefined) return false;
    const window = Math.min(tail.window, end);
    if (window < MIN_SYMBOLS) return false;
    const first = end - window;
    sums.fill(0);
    for (let index = first; index < end; index++) this.add(index, 1);
    if (sums[SUM_ODD]! < tail.minOddEvents) return false;
    this.tailFirst = first;
    this.tailEnd = end;
    this.featuresOf(window);
    const features = this.features;
    for (let feature = 0; feature < 14; feature++) out[feature] = features[feature]!;
    const meanCost = features[0]!;
    out[14] = features[15]!;
    // First symbol of the last line: the first one after the last line break before `end`.
    const lastOffset = offsets[end - 1]!;
    const lineBreak = Math.max(text.lastIndexOf('\n', lastOffset), text.lastIndexOf('\r', lastOffset));
    let lineStart = 0;
    if (lineBreak >= 0) {
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
    sums.fill(0);
    for (let index = headFirst; index < first; index++) this.add(index, 1);
    const headCost = head > 0 ? sums[SUM_COST]! / head : 0;
    out[16] = head / window;
    out[17] = headCost;
    out[18] = head > 0 ? sums[SUM_ODD]! / head : 0;
    out[19] = head > 0 ? sums[8]! / head : 0;
    out[20] = head > 0 ? sums[5]! / head : 0;
    out[21] = head > 0 ? ((meanCost - headCost) * head) / window : 0;
    // Brackets and quotes over the last line: closings without their opening, openings left
    // open, and quote marks left unpaired (an apostrophe between letters is not a quote).
    const stack = this.bracketStack;
    let depth = 0;
    let unmatched = 0;
    let doubleQuotes = 0;
    let singleQuotes = 0;
    let backticks = 0;
    let previous = 0;
    for (let index = Math.max(lineStart, end - LINE_SCAN); index < end; index++) {
      const code = text.charCodeAt(offsets[index]!);
      if (code === 0x28 || code === 0x5b || code === 0x7b) stack[depth++] = code;
      else if (code === 0x29 || code === 0x5d || code === 0x7d) {
        // ( ) are 0x28 0x29; [ ] and { } are two apart.
        if (depth > 0 && stack[depth - 1] === (code === 0x29 ? 0x28 : code - 2)) depth--;
        else unmatched++;
      } else if (code === 0x22) doubleQuotes++;
      else if (code === 0x60) backticks++;
      else if (code === 0x27) {
        const next = index + 1 < end ? text.charCodeAt(offsets[index + 1]!) : 0;
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
    return true;
  }

  /** Adds (sign 1) or removes (sign −1) one position from the window's running sums. */
  private add(index: number, sign: number): void {
    const sums = this.sums;
    const flag = this.flags[index]!;
    const cost = this.costs[index]!;
    for (let bit = 0; bit < FLAG_BITS; bit++) sums[bit]! += sign * ((flag >> bit) & 1);
    sums[SUM_COST]! += sign * cost;
    if ((flag & ODD_FLAGS) !== 0) sums[SUM_ODD]! += sign;
    if ((flag & FLAG_LETTER) !== 0) sums[SUM_LETTER_COST]! += sign * cost;
  }

  private gate(window: number): boolean {
    return (
      this.sums[SUM_ODD]! >= this.model.decision.minOddEvents &&
      this.sums[6]! <= MAX_NEUTRAL_SHARE * window &&
      this.sums[8]! >= MIN_LETTER_SHARE * window
    );
  }

  /** The window's features (FEATURE_NAMES order) from the running sums. */
  private featuresOf(window: number): void {
    const sums = this.sums;
    const out = this.features;
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

  /**
   * A cheap pass that proves most texts cannot pass the shape gate, so the costly pass is
   * skipped. It counts *candidate* odd events on the raw symbol classes, which include every
   * odd event the full pass can find (masking only removes events), over windows of the same
   * number of symbols. False means no window has `minOddEvents` odd events, which is exactly
   * when `score` returns null.
   */
  private mayPassGate(units: Uint16Array, length: number): boolean {
    const symbolTable = this.symbolTable;
    const classTable = this.classTable;
    const { window, minOddEvents } = this.model.decision;
    const needed = Math.max(1, minOddEvents);
    // Positions of the last `needed` candidates, in a ring.
    const ring = this.candidateRing;
    let seen = 0;
    let position = 0;
    let previousClass = CLASS_SPACE;
    let previousSymbol = 0;
    for (let offset = 0; offset < length; offset++) {
      const symbol = symbolTable[units[offset]!]!;
      if (symbol === SYMBOL_SKIP) continue;
      const characterClass = classTable[symbol]!;
      // The full pass's events, except that a digit before a capital may have been read as a
      // leet letter there (so a digit counts here); punctuation is never folded, so the opener
      // and ordinary-pair tables apply exactly.
      const candidate = isOddEventCandidate(previousClass, previousSymbol, characterClass, symbol);
      if (candidate) {
        ring[seen % needed] = position;
        seen++;
        // The oldest of the latest `needed` candidates is in the slot written next.
        if (seen >= needed && position - ring[seen % needed]! < window) return true;
      }
      previousClass = characterClass;
      previousSymbol = symbol;
      position++;
    }
    return false;
  }

  /**
   * The tail layer's prefilter, as mayPassGate: counts candidate odd events among the text's
   * last `tail.window` symbols (trailing spaces dropped, as in tailOf), reading only those
   * characters. False means the tail cannot pass its gate.
   */
  private tailMayPass(units: Uint16Array, length: number): boolean {
    const tail = this.model.decision.tail;
    if (tail === undefined) return false;
    const symbolTable = this.symbolTable;
    const classTable = this.classTable;
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

  /** Fills costs/flags/offsets for the text's symbols; returns the symbol count. */
  private prepare(codes: Uint16Array, length: number): number {
    const count = this.prepareShape(codes, length);
    this.prepareCosts(0, count);
    return count;
  }

  /**
   * The first half of prepare: symbols, offsets and flags (all but FLAG_SURPRISE), data runs
   * masked. The shape gates read nothing else, so `score` can tell from this alone that no
   * window can pass them and skip the n-gram look-ups, most of prepare's time.
   */
  private prepareShape(codes: Uint16Array, length: number): number {
    if (length + 1 > this.offsets.length) {
      const size = length + 1024;
      this.costs = new Float32Array(size);
      this.flags = new Uint16Array(size);
      this.symbols = new Uint8Array(size);
      this.offsets = new Int32Array(size + 1);
    }
    const symbolTable = this.symbolTable;
    const classTable = this.classTable;
    const symbols = this.symbols;
    const flags = this.flags;
    const offsets = this.offsets;
    let count = 0;
    let previousClass = CLASS_SPACE;
    let previousSymbol = 0;
    let beforePreviousSymbol = 0;
    // Data run (letters, digits, + / = - _) and whitespace-delimited token state.
    let runStart = 0;
    let runLength = 0;
    let runDigits = 0;
    let runSwitches = 0;
    let runHex = true;
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
    for (let offset = 0; offset <= length; offset++) {
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
          if (HEX_LETTERS[letter] === 0) runHex = false;
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
        if (isDataRun(runLength, runDigits, runSwitches, runHex, runUpper, runLower))
          this.mask(runStart, count);
        runLength = 0;
      }
      // A backslash escape or command (\n, \x20, \uFFFF, \frac) ends at its first non-alphanumeric.
      if (commandAt >= 0 && (rawClass & (CLASS_LOWER | CLASS_UPPER | CLASS_DIGIT)) === 0) {
        if (count - commandAt > 1) this.mask(commandAt, count);
        commandAt = -1;
      }
      if ((characterClass & CLASS_SPACE) !== 0) {
        if (tokenIsData) this.mask(tokenStart, count);
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
          runHex = true;
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
          if (HEX_LETTERS[rawSymbol] === 0) runHex = false;
        }
      }
      let closesMath = false;
      // A bracket expression with escapes inside ([\t\n!-,] in a regular expression) is code.
      let closesClass = false;
      if (quantifiedClassAt >= 0) {
        if (QUANTIFIERS[symbol] === 1) {
          this.mask(quantifiedClassAt, count);
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
          if (closesClass) this.mask(classAt, count);
          else if (classEscapes === 1 && count - classAt <= MAX_CLASS) quantifiedClassAt = classAt;
          classAt = -1;
        }
        if (symbol === DOLLAR) {
          closesMath = dollarAt >= 0 && mathSyntax && count - dollarAt <= MAX_MATH;
          if (closesMath) this.mask(dollarAt, count);
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
    }
    offsets[count] = length;
    return count;
  }

  /**
   * After prepareShape: the symbol ranges whose costs `score` needs, written to `ranges` as
   * [from, to) pairs; returns how many (0: no window passes the shape gate and the tail fails
   * the tail layer's gate, so `score` returns null). The gates read only flags prepareShape
   * sets. A range is the union of consecutive gated windows, plus, when the tail passes its
   * gate, the tail window and the head before it (tailOf). Costs elsewhere are stale, and that
   * changes no result: every cost is a multiple of 1/COST_UNITS (at most MAX_COST_BITS), so
   * score's running sums are exact and a window's sum depends only on its own positions; the
   * windows that fail the gate are never scored; and a span (trimmed on FLAG_SURPRISE) lies
   * inside gated windows or the tail. Why: 2 KB prompts with camel-case names, "3x3" or code
   * pass the prefilters (mayPassGate) and then took the whole n-gram pass (about 150 µs) for
   * the few windows that pass the gate, or none.
   */
  private gatedRanges(count: number, windowsMayPass: boolean): number {
    // At most one range per evaluated window, plus the tail's.
    if (this.ranges.length < 2 * (Math.ceil(count / EVALUATION_STRIDE) + 2))
      this.ranges = new Int32Array(2 * (Math.ceil(count / EVALUATION_STRIDE) + 2));
    const flags = this.flags;
    const ranges = this.ranges;
    const decision = this.model.decision;
    const window = Math.min(decision.window, count);
    const minOdd = decision.minOddEvents;
    const maxNeutral = MAX_NEUTRAL_SHARE * window;
    const minLetters = MIN_LETTER_SHARE * window;
    let found = 0;
    // The window's odd, neutral and letter counts packed 8 bits apiece (GATE_PACK): no branch
    // on the flags, which prose makes unpredictable.
    let packed = 0;
    // The windows and the gate as in score's loop (none can pass when mayPassGate said so).
    const scanned = windowsMayPass ? count : 0;
    for (let index = 0; index < scanned; index++) {
      packed += GATE_PACK[flags[index]!]!;
      if (index >= window) packed -= GATE_PACK[flags[index - window]!]!;
      const first = index - window + 1;
      if (first < 0 || (first % EVALUATION_STRIDE !== 0 && index !== count - 1)) continue;
      if ((packed & 255) < minOdd || ((packed >> 8) & 255) > maxNeutral || packed >> 16 < minLetters)
        continue;
      // Windows come in order of their start: extend the last range or open one.
      if (found > 0 && first <= ranges[2 * found - 1]!) ranges[2 * found - 1] = index + 1;
      else {
        ranges[2 * found] = first;
        ranges[2 * found + 1] = index + 1;
        found++;
      }
    }
    this.gatedWindows = found;
    // tailOf's gate; its range may overlap the last one (a few costs computed twice).
    const tail = decision.tail;
    if (tail === undefined) return found;
    let end = count;
    while (end > 0 && (flags[end - 1]! & FLAG_SPACE) !== 0) end--;
    const tailWindow = Math.min(tail.window, end);
    if (tailWindow < MIN_SYMBOLS) return found;
    let tailOdd = 0;
    for (let index = end - tailWindow; index < end; index++) if ((flags[index]! & ODD_FLAGS) !== 0) tailOdd++;
    if (tailOdd < tail.minOddEvents) return found;
    // The head is at most one window long, before the tail.
    ranges[2 * found] = Math.max(0, end - 2 * tailWindow);
    ranges[2 * found + 1] = end;
    return found + 1;
  }

  /**
   * The second half of prepare, for symbols [from, to): each symbol's cost −log2 P under the
   * n-gram model (neutral ones, including masked runs, get the neutral cost without a look-up)
   * and FLAG_SURPRISE. Idempotent, so ranges may overlap.
   */
  private prepareCosts(from: number, to: number): void {
    const { unigram, order } = this.model;
    const table = this.table;
    const contextMasks = this.contextMasks;
    const slotMask = this.slotMask;
    const symbols = this.symbols;
    const costs = this.costs;
    const flags = this.flags;
    const contextMask = contextMasks[order]!;
    // The context is the previous order − 1 symbols (zero before the text's start).
    let context = 0;
    for (let index = Math.max(0, from - order + 1); index < from; index++)
      context = ((context << 7) | symbols[index]!) & contextMask;
    for (let index = from; index < to; index++) {
      const symbol = symbols[index]!;
      const flag = flags[index]!;
      if (flag === FLAG_NEUTRAL) costs[index] = NEUTRAL_COST_BITS;
      else {
        // Cost under the n-gram model: highest order first, adding back-off costs on misses.
        let units = -1;
        let backoff = 0;
        for (let n = order; n >= 2; n--) {
          const part = context & contextMasks[n]!;
          // ngramHash (language-model.ts) inlined twice, sharing its first step: calling it was
          // 15 % slower on texts that take this pass (58 → 67 µs per 2 KB).
          let hash = Math.imul(part ^ Math.imul(n, 0x27d4eb2f), 0x9e3779b1);
          let backoffHash = hash;
          hash ^= Math.imul(symbol + 0x165667b1, 0x85ebca77);
          hash ^= hash >>> 15;
          hash = Math.imul(hash, 0x2c1b3c6d);
          hash ^= hash >>> 12;
          hash = Math.imul(hash, 0x297a2d39);
          hash ^= hash >>> 15;
          // One 16-bit read per slot: fingerprint in the low byte, cost in the high byte.
          let slot = hash & slotMask;
          let fingerprint = hash >>> 24 || 1;
          let entry = table[slot]!;
          if ((entry & 255) === fingerprint) {
            units = entry >>> 8;
            break;
          }
          entry = table[slot + 1]!;
          if ((entry & 255) === fingerprint) {
            units = entry >>> 8;
            break;
          }
          backoffHash ^= Math.imul(SYMBOL_BACKOFF + 0x165667b1, 0x85ebca77);
          backoffHash ^= backoffHash >>> 15;
          backoffHash = Math.imul(backoffHash, 0x2c1b3c6d);
          backoffHash ^= backoffHash >>> 12;
          backoffHash = Math.imul(backoffHash, 0x297a2d39);
          backoffHash ^= backoffHash >>> 15;
          slot = backoffHash & slotMask;
          fingerprint = backoffHash >>> 24 || 1;
          entry = table[slot]!;
          if ((entry & 255) === fingerprint) backoff += entry >>> 8;
          else {
            entry = table[slot + 1]!;
            if ((entry & 255) === fingerprint) backoff += entry >>> 8;
          }
        }
        if (units < 0) units = unigram[symbol] ?? 255;
        let cost = (units + backoff) / COST_UNITS;
        if (cost > MAX_COST_BITS) cost = MAX_COST_BITS;
        costs[index] = cost;
        if (cost > SURPRISE_BITS) flags[index] = flag | FLAG_SURPRISE;
      }
      context = ((context << 7) | symbol) & contextMask;
    }
  }

  /** Data runs count as neutral text: no cost surprise, no shape events (prepareCosts gives the cost). */
  private mask(from: number, to: number): void {
    for (let index = from; index < to; index++) {
      this.flags[index] = FLAG_NEUTRAL;
    }
  }
}
