/**
 * The character n-gram language model of the suffix detector: its JSON file format (written
 * by scripts/train-suffix.ts), the hash that places an n-gram in the table, and decoding.
 *
 * The model is an interpolated absolute-discounting n-gram model over the 101 symbols of
 * ./symbols.ts, stored in back-off form so that scoring needs no counts: for a seen n-gram
 * (context c, symbol x) the table holds cost(x | c) = −log2 P(x | c) of the interpolated
 * model; for a seen context it holds the back-off cost −log2 γ(c); an unseen (c, x) costs
 * cost(γ(c)) + cost(x | c minus its first symbol). Entries live in one hashed table of 2^bits
 * slots, two slots per bucket, each slot a 1-byte fingerprint (0 = empty) and a 1-byte cost in
 * 1/16 bit, so the whole model is 2 × 2^bits bytes plus the unigram costs.
 */

export const SUFFIX_MODEL_FORMAT = 'stackops-suffix-ngram/1';

/** Costs are stored as round(bits × COST_UNITS), 1…255. */
export const COST_UNITS = 16;

/** The window features of the decision layer, in weight order (computed in ./window-layer.ts). */
export const FEATURE_NAMES = [
  'meanCost',
  'surpriseShare',
  'punctuationShare',
  'bracketShare',
  'caseSwitchRate',
  'mixedPunctuationRate',
  'punctuationUpperRate',
  'spaceShare',
  'neutralShare',
  'oddRate',
  'letterCost',
  'letterShare',
  'upperShare',
  'digitShare',
  'meanCostTimesPunctuation',
  'meanCostTimesOdd',
  'letterCostTimesOdd',
  'letterTimesPunctuation',
  'spaceTimesOdd',
] as const;

/**
 * The features of the text's TAIL (its last `window` symbols, trailing spaces dropped; see
 * ./tail-layer.ts): the window's own shape and cost, then where it sits. A GCG suffix is the end of
 * an input that begins as a fluent request on the same line; code and data seldom end in a run
 * of odd tokens after a line of prose. `head` is the part of the last line before the tail
 * window (at most `window` symbols of it). Brackets and quotes are counted over the last line
 * (at most 256 symbols): code closes what it opens, a GCG suffix does not. Tokens are the tail's
 * space-separated runs: a plain word (letters, at most one punctuation mark, no odd event) or a
 * mixed token (letters with two or more punctuation marks or an odd event); a GCG suffix has
 * both, prose has only plain words, code mostly mixed tokens.
 */
export const TAIL_FEATURE_NAMES = [
  'meanCost',
  'surpriseShare',
  'punctuationShare',
  'bracketShare',
  'caseSwitchRate',
  'mixedPunctuationRate',
  'punctuationUpperRate',
  'spaceShare',
  'neutralShare',
  'oddRate',
  'letterCost',
  'letterShare',
  'upperShare',
  'digitShare',
  'meanCostTimesOdd',
  'earlierLineShare',
  'headShare',
  'headCost',
  'headOddRate',
  'headLetterShare',
  'headSpaceShare',
  'costContrast',
  'bracketImbalance',
  'quoteImbalance',
  'plainWordShare',
  'mixedTokenShare',
  'plainTimesMixed',
  'tokenRate',
] as const;

/** The tail layer: a logistic regression over TAIL_FEATURE_NAMES, with its own threshold. */
export interface SuffixTailDecision {
  /** Tail length in symbols (below 128). */
  window: number;
  /** The tail needs at least this many odd events (at least 1). */
  minOddEvents: number;
  /** One weight per feature of TAIL_FEATURE_NAMES. */
  weights: number[];
  bias: number;
  /** Tail logit at which a text counts as carrying a suffix. */
  threshold: number;
}

/** Decision layer: a logistic regression over window features (see ./window-layer.ts). */
export interface SuffixDecision {
  /** Window length in symbols. */
  window: number;
  /** A window needs at least this many odd events (case switch, bracket, mixed punctuation). */
  minOddEvents: number;
  /** One weight per feature of FEATURE_NAMES. */
  weights: number[];
  bias: number;
  /** Logit at which a text counts as carrying a suffix (score 0.5), chosen on validation. */
  threshold: number;
  /** The tail layer (absent in models trained before it). */
  tail?: SuffixTailDecision;
}

export interface SuffixModelFile {
  format: typeof SUFFIX_MODEL_FORMAT;
  order: number;
  tableBits: number;
  /** Base64: cost of each symbol under the unigram model (ALPHABET_SIZE bytes). */
  unigram: string;
  /** Base64: 2^tableBits fingerprints. */
  fingerprints: string;
  /** Base64: 2^tableBits costs. */
  costs: string;
  /** As SuffixDecision, with the weights keyed by feature name. */
  decision: Omit<SuffixDecision, 'weights' | 'tail'> & {
    weights: Record<string, number>;
    tail?: Omit<SuffixTailDecision, 'weights'> & { weights: Record<string, number> };
  };
  /** Free-form provenance: sources, counts, validation metrics. */
  training: Record<string, unknown>;
}

export interface SuffixLanguageModel {
  order: number;
  tableBits: number;
  unigram: Uint8Array;
  fingerprints: Uint8Array;
  costs: Uint8Array;
}

export interface SuffixModel extends SuffixLanguageModel {
  decision: SuffixDecision;
}

/**
 * 32-bit hash of (order, packed context, symbol). The context packs the previous order − 1
 * symbols, 7 bits each, most recent lowest. Low bits pick the bucket, bits 24–31 the
 * fingerprint, so the two are independent for tables up to 2^24 slots.
 */
export function ngramHash(order: number, context: number, symbol: number): number {
  let hash = Math.imul(context ^ Math.imul(order, 0x27d4eb2f), 0x9e3779b1);
  hash ^= Math.imul(symbol + 0x165667b1, 0x85ebca77);
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d);
  hash ^= hash >>> 12;
  hash = Math.imul(hash, 0x297a2d39);
  hash ^= hash >>> 15;
  return hash >>> 0;
}

/** Fingerprint byte of a hash, never 0 (0 marks an empty slot). */
export function fingerprintOf(hash: number): number {
  return hash >>> 24 || 1;
}

function bytes(base64: string, length: number, what: string): Uint8Array {
  const buffer = Buffer.from(base64, 'base64');
  if (buffer.length !== length)
    throw new Error(`suffix model ${what}: ${buffer.length} bytes, expected ${length}`);
  return Uint8Array.from(buffer);
}

function weightsOf(names: readonly string[], weights: Record<string, number>): number[] {
  return names.map((name) => {
    const weight = weights[name];
    if (typeof weight !== 'number') throw new Error(`suffix model has no weight for ${name}`);
    return weight;
  });
}

export function decodeSuffixModel(file: SuffixModelFile): SuffixModel {
  const slots = 1 << file.tableBits;
  return {
    order: file.order,
    tableBits: file.tableBits,
    unigram: bytes(file.unigram, Buffer.from(file.unigram, 'base64').length, 'unigram'),
    fingerprints: bytes(file.fingerprints, slots, 'fingerprints'),
    costs: bytes(file.costs, slots, 'costs'),
    decision: {
      ...file.decision,
      weights: weightsOf(FEATURE_NAMES, file.decision.weights),
      tail:
        file.decision.tail === undefined
          ? undefined
          : { ...file.decision.tail, weights: weightsOf(TAIL_FEATURE_NAMES, file.decision.tail.weights) },
    },
  };
}

export function isSuffixModelFile(value: unknown): value is SuffixModelFile {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    record.format === SUFFIX_MODEL_FORMAT &&
    typeof record.order === 'number' &&
    typeof record.tableBits === 'number' &&
    typeof record.fingerprints === 'string' &&
    typeof record.costs === 'string' &&
    typeof record.decision === 'object'
  );
}
