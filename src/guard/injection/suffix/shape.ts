/**
 * The shape constants and tables of the adversarial-suffix scorer (scorer.ts and its passes):
 * event flags and their packed window counts, the punctuation tables, and the data-run test.
 * Kept apart so the pass files hold only the passes.
 */

/** A character costing more than this many bits is a surprise. */
export const SURPRISE_BITS = 8;
/** Per-character cost cap: one impossible character should not dominate a window. */
export const MAX_COST_BITS = 14;
/** Cost given to masked data runs and other-script letters (about that of English text). */
export const NEUTRAL_COST_BITS = 2;
/**
 * A whitespace-free token this long is data (source maps, minified code, base64 with
 * punctuation, long URLs, regular expressions): GCG suffixes are made of tokens that mostly
 * start with a space, so they rarely glue into one run this long.
 */
export const LONG_TOKEN = 40;
/** Texts with fewer symbols are not scored. */
export const MIN_SYMBOLS = 16;
/**
 * A suffix is made of word pieces: windows with fewer letters than this are punctuation runs
 * (regular expressions, LaTeX spacing, ASCII art) that no character model tells apart.
 */
export const MIN_LETTER_SHARE = 0.4;
/** Windows where more than this share is neutral (other scripts, masked data) are skipped. */
export const MAX_NEUTRAL_SHARE = 0.5;

export const FLAG_PUNCTUATION = 1;
export const FLAG_BRACKET = 2;
export const FLAG_CASE_SWITCH = 4;
export const FLAG_MIXED_PUNCTUATION = 8;
export const FLAG_PUNCTUATION_UPPER = 16;
export const FLAG_SPACE = 32;
export const FLAG_NEUTRAL = 64;
export const FLAG_SURPRISE = 128;
export const FLAG_LETTER = 256;
export const FLAG_UPPER = 512;
export const FLAG_DIGIT = 1024;
/** Number of flag bits, and running sums: one per flag, then cost, odd events, letter cost. */
export const FLAG_BITS = 11;
/**
 * Shape events that make a window a candidate. A bracket alone is not one (prose has
 * "(WHO)", code has "f(x)"); a bracket glued to other punctuation is, as a mixed pair.
 */
export const ODD_FLAGS = FLAG_CASE_SWITCH | FLAG_MIXED_PUNCTUATION | FLAG_PUNCTUATION_UPPER;
export const SUM_COST = FLAG_BITS;
export const SUM_ODD = FLAG_BITS + 1;
export const SUM_LETTER_COST = FLAG_BITS + 2;
export const SUM_COUNT = FLAG_BITS + 3;
/** Window counts packed for the sliding sums: count c sits in integer c >> 2 at bit 7·(c & 3). */
export const PACK_0 = new Int32Array(1 << FLAG_BITS);
export const PACK_1 = new Int32Array(1 << FLAG_BITS);
export const PACK_2 = new Int32Array(1 << FLAG_BITS);
for (let flag = 0; flag < 1 << FLAG_BITS; flag++) {
  const packs = [PACK_0, PACK_1, PACK_2];
  for (let bit = 0; bit < FLAG_BITS; bit++)
    if ((flag >> bit) & 1) packs[bit >> 2]![flag]! += 1 << (7 * (bit & 3));
  // Count 11: odd events.
  if ((flag & ODD_FLAGS) !== 0) PACK_2[flag]! += 1 << 21;
}
/** Windows are scored at every EVALUATION_STRIDE-th start (and at the text's end). */
export const EVALUATION_STRIDE = 4;
/** The tail layer counts brackets and quotes over at most this many symbols of the last line. */
export const LINE_SCAN = 256;

export const SYMBOL_OFFSET = 0x1f;
export const symbolOfAscii = (character: string): number => character.charCodeAt(0) - SYMBOL_OFFSET;
export const SLASH = symbolOfAscii('/');
export const COLON = symbolOfAscii(':');
export const PERIOD = symbolOfAscii('.');
export const LOWER_W = symbolOfAscii('w');
export const AT = symbolOfAscii('@');
export const HASH = symbolOfAscii('#');
/** Characters that may continue a base64 / hex / UUID run besides letters and digits. */
export const DATA_PUNCTUATION = symbolSet('+/=-_');
/** Punctuation after which a capital is ordinary (quotes, opening brackets, sentence marks). */
export const CAPITAL_OPENERS = symbolSet('"\'([{<`#@*_');
export const BACKSLASH = symbolOfAscii('\\');
export const DOLLAR = symbolOfAscii('$');
export const CARET = symbolOfAscii('^');
export const UNDERSCORE = symbolOfAscii('_');
/** Two different punctuation marks in a row that ordinary prose writes: `),` `."` `?!` `:)`. */
export const ORDINARY_PAIRS = new Uint8Array(256 * 256);
for (const [before, after] of [
  [')]}"\'', ',.;:!?'],
  ['.,!?;:', ')]}"\''],
  ['!?', '!?'],
  [':;', '()-'],
  ['-', ')('],
] as const)
  for (const first of before)
    for (const second of after) ORDINARY_PAIRS[symbolOfAscii(first) * 256 + symbolOfAscii(second)] = 1;
/** A `$…$` span this short that contains a backslash, ^ or _ is LaTeX math. */
export const MAX_MATH = 200;
export const OPEN_SQUARE = symbolOfAscii('[');
export const CLOSE_SQUARE = symbolOfAscii(']');
/** Longest regular-expression bracket expression that is masked. */
export const MAX_CLASS = 80;
/** Symbols that open or close LaTeX and regular-expression constructs. */
export const SPECIAL = symbolSet('\\$[]^_');
export const HEX_LETTERS = symbolSet('abcdefABCDEF');
/** Regular-expression quantifiers: after a bracket expression with one escape (`[\w-]+`), code. */
export const QUANTIFIERS = symbolSet('+*?{');

export function symbolSet(characters: string): Uint8Array {
  const set = new Uint8Array(256);
  for (const character of characters) set[symbolOfAscii(character)] = 1;
  return set;
}

/** Whether a finished run of letters, digits and + / = - _ is data rather than words. */
export function isDataRun(
  length: number,
  digits: number,
  switches: number,
  hex: boolean,
  upper: number,
  lower: number,
): boolean {
  return (
    // base64 switches letter case or digit class every other character or so; identifiers and
    // glued word pieces (camelCase, similarlyNow) switch far less often.
    (length >= 16 && switches * 3 >= length) ||
    (length >= 20 && digits > 0) ||
    (length >= 7 && hex && digits >= 2) ||
    // Product codes, part numbers, ticket ids: capitals and digits, no lower case.
    (length >= 5 && digits > 0 && upper > 0 && lower === 0) ||
    (length >= 6 && digits === length)
  );
}
