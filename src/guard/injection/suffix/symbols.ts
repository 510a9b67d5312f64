/**
 * The alphabet of the adversarial-suffix language model: every UTF-16 code unit maps to one
 * of 128 symbols through a 64 K lookup table built once, so the hot path is one array read
 * per character. Printable ASCII keeps its identity (case included: GCG suffixes are full of
 * capitalised fragments glued to words); Latin letters with diacritics fold to their ASCII
 * base letter (French, German, Vietnamese… read as Latin text, not as noise); letters of other
 * scripts (CJK, Cyrillic, Arabic, Devanagari…) collapse into one symbol, emoji and other
 * symbols into another. Combining marks and invisible format characters are skipped.
 */

/** Context padding before the first character (never produced by a character). */
export const SYMBOL_START = 0;
export const SYMBOL_SPACE = 1;
export const SYMBOL_NEWLINE = 96;
/** A letter or digit of a non-Latin script. */
export const SYMBOL_OTHER_LETTER = 97;
/** Non-ASCII punctuation without an ASCII equivalent. */
export const SYMBOL_OTHER_PUNCTUATION = 98;
/** Emoji, pictographs, math and currency symbols, private use, unpaired surrogates. */
export const SYMBOL_OTHER_SYMBOL = 99;
/** A Latin letter that has no ASCII base (ß, æ, ø, ð, ı…). */
export const SYMBOL_OTHER_LATIN = 100;
/** Reserved key for back-off weights in the hashed table (never a character). */
export const SYMBOL_BACKOFF = 127;
/** Table value for code units that are skipped (combining marks, zero-width, low surrogates). */
export const SYMBOL_SKIP = 255;
export const ALPHABET_SIZE = 101;

/** Character classes used by the shape features (bit flags per symbol). */
export const CLASS_LOWER = 1;
export const CLASS_UPPER = 2;
export const CLASS_DIGIT = 4;
export const CLASS_PUNCTUATION = 8;
export const CLASS_BRACKET = 16;
export const CLASS_SPACE = 32;
/** Other-script letters and emoji: neither evidence for nor against a suffix. */
export const CLASS_NEUTRAL = 64;

const TYPOGRAPHIC: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u00ab': '"',
  '\u00bb': '"',
  '\u2039': "'",
  '\u203a': "'",
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2026': '.',
  '\u00b7': '.',
  '\u2022': '*',
  '\u00a1': '!',
  '\u00bf': '?',
  '\u3002': '.',
  '\uff0c': ',',
  '\u3001': ',',
};

function symbolOf(code: number): number {
  if (code >= 0x20 && code <= 0x7e) return code - 0x1f;
  if (code === 0x0a || code === 0x0d) return SYMBOL_NEWLINE;
  if (code === 0x09 || code === 0x0b || code === 0x0c) return SYMBOL_SPACE;
  if (code >= 0xdc00 && code <= 0xdfff) return SYMBOL_SKIP;
  // A high surrogate stands for its whole astral character: emoji and symbols mostly.
  if (code >= 0xd800 && code <= 0xdbff) return SYMBOL_OTHER_SYMBOL;
  // The large uniform blocks first (CJK, Hangul, Yi, private use): saves most of the build time.
  if (
    (code >= 0x3400 && code <= 0x9fff) ||
    (code >= 0xa000 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3)
  )
    return SYMBOL_OTHER_LETTER;
  if (code >= 0xe000 && code <= 0xf8ff) return SYMBOL_OTHER_SYMBOL;
  const character = String.fromCharCode(code);
  const typographic = TYPOGRAPHIC[character];
  if (typographic !== undefined) return typographic.charCodeAt(0) - 0x1f;
  if (/[\p{Mn}\p{Me}\p{Cf}]/u.test(character)) return SYMBOL_SKIP;
  if (/[\p{Z}\s]/u.test(character)) return SYMBOL_SPACE;
  if (/\p{Cc}/u.test(character)) return SYMBOL_SKIP;
  if (/\p{Script=Latin}/u.test(character)) {
    const base = character.normalize('NFD').charCodeAt(0);
    if ((base >= 0x41 && base <= 0x5a) || (base >= 0x61 && base <= 0x7a)) return base - 0x1f;
    return SYMBOL_OTHER_LATIN;
  }
  if (/[\p{L}\p{N}\p{Mc}]/u.test(character)) return SYMBOL_OTHER_LETTER;
  if (/\p{P}/u.test(character)) return SYMBOL_OTHER_PUNCTUATION;
  return SYMBOL_OTHER_SYMBOL;
}

function classOf(symbol: number): number {
  if (symbol === SYMBOL_SPACE || symbol === SYMBOL_NEWLINE) return CLASS_SPACE;
  if (symbol === SYMBOL_OTHER_LETTER || symbol === SYMBOL_OTHER_SYMBOL) return CLASS_NEUTRAL;
  if (symbol === SYMBOL_OTHER_LATIN) return CLASS_LOWER;
  if (symbol === SYMBOL_OTHER_PUNCTUATION) return CLASS_PUNCTUATION;
  if (symbol < 2 || symbol > 95) return 0;
  const code = symbol + 0x1f;
  if (code >= 0x61 && code <= 0x7a) return CLASS_LOWER;
  if (code >= 0x41 && code <= 0x5a) return CLASS_UPPER;
  if (code >= 0x30 && code <= 0x39) return CLASS_DIGIT;
  if ('()[]{}<>'.includes(String.fromCharCode(code))) return CLASS_PUNCTUATION | CLASS_BRACKET;
  return CLASS_PUNCTUATION;
}

/**
 * Leetspeak digits inside a word read as the letters they stand for (h4x0r → haxor): symbol →
 * letter symbol, 0 when not a leet digit. Applied when the previous symbol is a letter.
 */
export const LEET = new Uint8Array(256);
for (const [digit, letter] of Object.entries({
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
}))
  LEET[digit.charCodeAt(0) - 0x1f] = letter.charCodeAt(0) - 0x1f;

let symbolTable: Uint8Array | undefined;
let classTable: Uint8Array | undefined;

/** Code unit → symbol (built on first use, about 20 ms). */
export function symbolTableOf(): Uint8Array {
  if (symbolTable === undefined) {
    symbolTable = new Uint8Array(65_536);
    for (let code = 0; code < 65_536; code++) symbolTable[code] = symbolOf(code);
  }
  return symbolTable;
}

/** Symbol → CLASS_* flags. */
export function classTableOf(): Uint8Array {
  if (classTable === undefined) {
    classTable = new Uint8Array(256);
    for (let symbol = 0; symbol < 256; symbol++) classTable[symbol] = classOf(symbol);
  }
  return classTable;
}

/** The symbols of a text, leet digits folded (training side; the scorer does this inline). */
export function toSymbols(text: string): number[] {
  const table = symbolTableOf();
  const classes = classTableOf();
  const out: number[] = [];
  let previousClass = 0;
  for (let index = 0; index < text.length; index++) {
    let symbol = table[text.charCodeAt(index)]!;
    if (symbol === SYMBOL_SKIP) continue;
    let characterClass = classes[symbol]!;
    if (LEET[symbol] !== 0 && (previousClass & (CLASS_LOWER | CLASS_UPPER)) !== 0) {
      symbol = LEET[symbol]!;
      characterClass = CLASS_LOWER;
    }
    out.push(symbol);
    previousClass = characterClass;
  }
  return out;
}
