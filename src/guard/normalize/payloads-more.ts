/**
 * More encodings that attackers use to smuggle instructions past filters ("decode this and do
 * what it says"), after the encoding probes of garak (NVIDIA's LLM vulnerability scanner:
 * base2, base32, Morse, Braille, quoted-printable, decimal character codes) and the
 * token-smuggling examples in the literature. payloads.ts covers base64, hex, percent, `\u`
 * escapes and tag characters; this file adds:
 *   - binary: eight-bit groups, "01101001 01100111 …" (≥ 6 bytes),
 *   - base32: RFC 4648 alphabet, upper case, with a digit 2–7 (≥ 16 characters),
 *   - morse: dots and dashes, letters split by spaces, words by " / " or "|" (≥ 6 letters),
 *   - braille: Unicode Braille patterns, grade 1 letters (≥ 4 cells),
 *   - decimal: ASCII codes "105 103 110 …" (≥ 8 codes, 32–126),
 *   - quoted-printable: "=69=67=6E …" (≥ 4 escapes).
 * One census pass counts the characters each needs; a decoder runs only when its count is
 * reached, so ordinary prompts pay one loop. A decoded payload is kept only when it reads as
 * text (`printableOrNull` of payloads.ts, plus a letters-and-spaces test for most kinds, which
 * otherwise turn number lists into noise).
 */

import { isWhitespace } from './canonicalize.js';
import { printableOrNull } from './payloads.js';
import { matchesOf } from './regexp-matches.js';

export type MoreKind = 'binary' | 'base32' | 'morse' | 'braille' | 'decimal' | 'quoted-printable';

export interface MorePayload {
  kind: MoreKind;
  text: string;
  start: number;
  end: number;
}

export const BINARY_RUN = /(?:[01]{8}[ ,]?){6,}/g;
export const BASE32_RUN = /\b[A-Z2-7]{16,}={0,6}/g;
export const MORSE_RUN = /(?:[.\-·•]{1,7}(?: {1,3}|\s*[/|]\s*)){5,}[.\-·•]{1,7}/g;
export const DECIMAL_RUN =
  /(?:\b(?:3[2-9]|[4-9]\d|1[01]\d|12[0-6])\b[ ,;]+){7,}\b(?:3[2-9]|[4-9]\d|1[01]\d|12[0-6])\b/g;
export const QUOTED_PRINTABLE_RUN = /(?:=[0-9A-F]{2}|[A-Za-z ]){0,3}(?:=[0-9A-F]{2}(?:[A-Za-z ]{0,3})){4,}/g;

const MORSE: Readonly<Record<string, string>> = {
  '.-': 'a',
  '-...': 'b',
  '-.-.': 'c',
  '-..': 'd',
  '.': 'e',
  '..-.': 'f',
  '--.': 'g',
  '....': 'h',
  '..': 'i',
  '.---': 'j',
  '-.-': 'k',
  '.-..': 'l',
  '--': 'm',
  '-.': 'n',
  '---': 'o',
  '.--.': 'p',
  '--.-': 'q',
  '.-.': 'r',
  '...': 's',
  '-': 't',
  '..-': 'u',
  '...-': 'v',
  '.--': 'w',
  '-..-': 'x',
  '-.--': 'y',
  '--..': 'z',
  '-----': '0',
  '.----': '1',
  '..---': '2',
  '...--': '3',
  '....-': '4',
  '.....': '5',
  '-....': '6',
  '--...': '7',
  '---..': '8',
  '----.': '9',
  '.-.-.-': '.',
  '--..--': ',',
  '..--..': '?',
  '-.-.--': '!',
  '-..-.': '/',
  '.----.': "'",
};

/** Grade-1 Braille: dot bits (U+2800 + bits) to letters. */
const BRAILLE = new Map<number, string>();
{
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  // Dots of a–j; k–t add dot 3; u, v, x, y, z add dots 3 and 6; w is j plus dot 6.
  const first = [0x01, 0x03, 0x09, 0x19, 0x11, 0x0b, 0x1b, 0x13, 0x0a, 0x1a];
  for (let index = 0; index < 10; index++) {
    BRAILLE.set(first[index]!, letters[index]!);
    BRAILLE.set(first[index]! | 0x04, letters[index + 10]!);
  }
  const last: Array<[number, string]> = [
    [0x01 | 0x24, 'u'],
    [0x03 | 0x24, 'v'],
    [0x09 | 0x24, 'x'],
    [0x19 | 0x24, 'y'],
    [0x11 | 0x24, 'z'],
    [0x1a | 0x20, 'w'],
  ];
  for (const [bits, letter] of last) BRAILLE.set(bits, letter);
}

const utf8 = new TextDecoder('utf-8');

/**
 * Mostly letters and spaces, with some variety: what a smuggled sentence decodes to, unlike a
 * list of numbers or a run of dots ("e e e e" in Morse).
 */
function wordy(decoded: string | null): string | null {
  if (decoded === null) return null;
  let letters = 0;
  let spaces = 0;
  let seen = 0;
  for (let index = 0; index < decoded.length; index++) {
    const code = decoded.charCodeAt(index) | 0x20;
    if (code >= 0x61 && code <= 0x7a) {
      letters++;
      seen |= 1 << (code - 0x61);
    } else if (code === 0x20) spaces++;
  }
  let distinct = 0;
  for (let bits = seen; bits !== 0; bits &= bits - 1) distinct++;
  return letters / decoded.length >= 0.7 && spaces > 0 && distinct >= 5 ? decoded : null;
}

// Census classes (findMorePayloads): one bit per count, and the characters of a base32 run and
// of a Morse run (MORSE_RUN: . - · • / | and whitespace, \s).
const ZERO_ONE = 1;
const DIGIT = 2;
const DOT_DASH = 4;
const UPPER = 8;
const EQUALS = 16;
const BRAILLE_CELL = 32;
const BASE32_CHARACTER = 64;
const MORSE_CHARACTER = 128;

function censusClass(code: number): number {
  let kind = 0;
  if (code === 0x30 || code === 0x31) kind |= ZERO_ONE;
  // Digits, dots and dashes, capitals, '=' and Braille are counted exclusively, in this order.
  if (code >= 0x30 && code <= 0x39) kind |= DIGIT;
  else if (code === 0x2e || code === 0x2d || code === 0xb7 || code === 0x2022) kind |= DOT_DASH;
  else if (code >= 0x41 && code <= 0x5a) kind |= UPPER;
  else if (code === 0x3d) kind |= EQUALS;
  else if (code >= 0x2800 && code <= 0x28ff) kind |= BRAILLE_CELL;
  if ((code >= 0x41 && code <= 0x5a) || (code >= 0x32 && code <= 0x37)) kind |= BASE32_CHARACTER;
  if (
    code === 0x2e ||
    code === 0x2d ||
    code === 0xb7 ||
    code === 0x2022 ||
    code === 0x2f ||
    code === 0x7c ||
    isWhitespace(code)
  )
    kind |= MORSE_CHARACTER;
  return kind;
}

// Bits above the census classes, for payloads.ts's run scanners (read in the same pass, see
// takeCensus): the base64 alphabet [A-Za-z0-9+/_-], and spaced hex (hex digits, space, colon).
const BASE64_UNIT = 256;
const SPACED_HEX_UNIT = 512;

function unitFlags(code: number): number {
  const character = String.fromCharCode(code);
  let flags = censusClass(code);
  if (code < 128 && /[A-Za-z0-9+/_-]/.test(character)) flags |= BASE64_UNIT;
  if ((code < 128 && /[0-9a-fA-F]/.test(character)) || code === 0x20 || code === 0x3a)
    flags |= SPACED_HEX_UNIT;
  return flags;
}

/** unitFlags of every UTF-16 code unit (128 KB, built once): census class in the low byte. */
const CENSUS_CLASS = Uint16Array.from({ length: 65_536 }, (_value, code) => unitFlags(code));
const CENSUS_HISTOGRAM = new Int32Array(256);

function decodeBinary(run: string): string | null {
  const bits = run.replace(/[^01]/g, '');
  if (bits.length % 8 !== 0) return null;
  const bytes = new Uint8Array(bits.length / 8);
  for (let index = 0; index < bytes.length; index++)
    bytes[index] = Number.parseInt(bits.slice(index * 8, index * 8 + 8), 2);
  return printableOrNull(utf8.decode(bytes));
}

function decodeBase32(run: string): string | null {
  const body = run.replace(/=+$/, '');
  if (!/[2-7]/.test(body) || !/[A-Z]{3}/.test(body)) return null;
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (let index = 0; index < body.length; index++) {
    const code = body.charCodeAt(index);
    const value = code >= 0x41 && code <= 0x5a ? code - 0x41 : code - 0x32 + 26;
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >> bits) & 0xff);
    }
  }
  return out.length >= 8 ? wordy(printableOrNull(utf8.decode(new Uint8Array(out)))) : null;
}

function decodeMorse(run: string): string | null {
  let out = '';
  for (const word of run.replace(/[·•]/g, '.').split(/\s*[/|]\s*| {3}/)) {
    if (out !== '') out += ' ';
    for (const letter of word.trim().split(/ +/)) {
      const value = MORSE[letter];
      if (value === undefined) return null;
      out += value;
    }
  }
  return wordy(printableOrNull(out));
}

function decodeBraille(text: string): MorePayload[] {
  const found: MorePayload[] = [];
  let start = -1;
  let out = '';
  let cells = 0;
  const flush = (end: number): void => {
    const decoded = cells >= 4 ? wordy(printableOrNull(out.trim())) : null;
    if (decoded !== null) found.push({ kind: 'braille', text: decoded, start, end });
    start = -1;
    out = '';
    cells = 0;
  };
  for (let index = 0; index <= text.length; index++) {
    const code = index < text.length ? text.charCodeAt(index) : 0;
    if (code >= 0x2800 && code <= 0x28ff) {
      if (start < 0) start = index;
      out += BRAILLE.get(code - 0x2800) ?? (code === 0x2800 ? ' ' : '?');
      cells++;
    } else if (start >= 0 && code === 0x20) {
      out += ' ';
    } else if (start >= 0) {
      flush(index);
    }
  }
  return found;
}

function decodeDecimal(run: string): string | null {
  let out = '';
  for (const number of run.split(/[ ,;]+/)) if (number !== '') out += String.fromCharCode(Number(number));
  return wordy(printableOrNull(out));
}

function decodeQuotedPrintable(run: string): string | null {
  const bytes: number[] = [];
  for (let index = 0; index < run.length; index++) {
    if (run[index] === '=' && index + 2 < run.length + 1) {
      bytes.push(Number.parseInt(run.slice(index + 1, index + 3), 16));
      index += 2;
    } else bytes.push(run.charCodeAt(index));
  }
  return wordy(printableOrNull(utf8.decode(new Uint8Array(bytes))));
}

/** Whether [start, end) overlaps one of the spans. */
export function overlapsAny(
  spans: ReadonlyArray<readonly [number, number]>,
  start: number,
  end: number,
): boolean {
  for (const [from, to] of spans) if (start < to && end > from) return true;
  return false;
}

/** Returned for "none found" (callers only iterate): no array per call. */
const NO_PAYLOADS: readonly MorePayload[] = Object.freeze([]);

/** Fields of a census (see takeCensus), an Int32Array of CENSUS_SIZE entries. */
export const CENSUS_ZERO_ONE = 0;
const CENSUS_DIGITS = 1;
const CENSUS_DOT_DASH = 2;
const CENSUS_UPPER = 3;
const CENSUS_EQUALS = 4;
const CENSUS_BRAILLE = 5;
const CENSUS_LONGEST_BASE32 = 6;
const CENSUS_LONGEST_MORSE = 7;
/** Longest run of the base64 alphabet [A-Za-z0-9+/_-] (payloads.ts's alphabetRuns). */
export const CENSUS_LONGEST_BASE64 = 8;
/**
 * Longest run of hex digits, spaces and colons. A run of spacedHexRuns (payloads.ts), 8 or more
 * hex pairs with one space or colon between them, is such a run of at least 23 units: below
 * that it finds nothing.
 */
export const CENSUS_LONGEST_SPACED_HEX = 9;
export const CENSUS_SIZE = 10;

/**
 * One pass over `units[0 … length)` for every count gate of this file and of payloads.ts's run
 * scanners, written to `out` (see the CENSUS_ fields). Without a branch on the character: one
 * table read, a histogram of the census classes, and runs kept with masks (prose makes branches
 * on these classes unpredictable: the branching loop took 15 µs per 2 KB, this one 5; the base64
 * and spaced-hex scanners, which each read the whole text, ran on every text before the
 * census gated them: 11 µs per 2 KB).
 */
export function takeCensus(units: Uint16Array, length: number, out: Int32Array): void {
  // Longest runs of characters that a base32 match (16 of [A-Z2-7]) or a Morse match (at
  // least 11 of . - · • / | and whitespace) consists of: shorter, and the expression cannot
  // match. Prose has a dozen capitals and periods in every 2 KB, so the counts alone let both
  // expressions run on nearly every prompt (about 10 µs each per 2 KB).
  let base32Run = 0;
  let longestBase32 = 0;
  let morseRun = 0;
  let longestMorse = 0;
  let base64Run = 0;
  let longestBase64 = 0;
  let hexRun = 0;
  let longestHex = 0;
  const histogram = CENSUS_HISTOGRAM.fill(0);
  for (let index = 0; index < length; index++) {
    const flags = CENSUS_CLASS[units[index]!]!;
    histogram[flags & 0xff]!++;
    base32Run = (base32Run + 1) & -((flags >> 6) & 1);
    morseRun = (morseRun + 1) & -((flags >> 7) & 1);
    base64Run = (base64Run + 1) & -((flags >> 8) & 1);
    longestBase32 = Math.max(longestBase32, base32Run);
    longestMorse = Math.max(longestMorse, morseRun);
    longestBase64 = Math.max(longestBase64, base64Run);
    hexRun = (hexRun + 1) & -((flags >> 9) & 1);
    longestHex = Math.max(longestHex, hexRun);
  }
  let zeroOne = 0;
  let dotDash = 0;
  let upper = 0;
  let digits = 0;
  let equals = 0;
  let braille = 0;
  // Every sum runs for every kind present (adding 0 where the bit is off), so no sum is reached
  // by rare texts only (Braille, '='). Such a site has no type feedback when the function is
  // first optimised on the stack; `node --trace-deopt` showed this function's optimised code
  // deoptimising over and over (52 times in 4,000 bench calls, one process of four on a loaded
  // machine, session 11). Same sums.
  for (let kind = 0; kind < 256; kind++) {
    const count = histogram[kind]!;
    if (count === 0) continue;
    zeroOne += (kind & ZERO_ONE) !== 0 ? count : 0;
    digits += (kind & DIGIT) !== 0 ? count : 0;
    dotDash += (kind & DOT_DASH) !== 0 ? count : 0;
    upper += (kind & UPPER) !== 0 ? count : 0;
    equals += (kind & EQUALS) !== 0 ? count : 0;
    braille += (kind & BRAILLE_CELL) !== 0 ? count : 0;
  }
  out[CENSUS_ZERO_ONE] = zeroOne;
  out[CENSUS_DIGITS] = digits;
  out[CENSUS_DOT_DASH] = dotDash;
  out[CENSUS_UPPER] = upper;
  out[CENSUS_EQUALS] = equals;
  out[CENSUS_BRAILLE] = braille;
  out[CENSUS_LONGEST_BASE32] = longestBase32;
  out[CENSUS_LONGEST_MORSE] = longestMorse;
  out[CENSUS_LONGEST_BASE64] = longestBase64;
  out[CENSUS_LONGEST_SPACED_HEX] = longestHex;
}

/**
 * Payloads in the encodings above; `census` is takeCensus of the text's code units. `taken` are
 * the spans payloads.ts already decoded (its base64 and hex take precedence): runs overlapping
 * them are skipped.
 */
export function findMorePayloads(
  text: string,
  census: Int32Array,
  taken: ReadonlyArray<readonly [number, number]>,
): readonly MorePayload[] {
  const zeroOne = census[CENSUS_ZERO_ONE]!;
  const digits = census[CENSUS_DIGITS]!;
  const dotDash = census[CENSUS_DOT_DASH]!;
  const upper = census[CENSUS_UPPER]!;
  const equals = census[CENSUS_EQUALS]!;
  const braille = census[CENSUS_BRAILLE]!;
  const longestBase32 = census[CENSUS_LONGEST_BASE32]!;
  const longestMorse = census[CENSUS_LONGEST_MORSE]!;
  // Most texts pass no count gate below: then no array and no closure are made.
  const gated =
    zeroOne >= 48 ||
    (upper >= 12 && longestBase32 >= 16) ||
    (dotDash >= 12 && longestMorse >= 11) ||
    braille >= 4 ||
    digits >= 16 ||
    equals >= 4;
  if (!gated) return NO_PAYLOADS;
  const found: MorePayload[] = [];
  const run = (kind: MoreKind, pattern: RegExp, decode: (value: string) => string | null): void => {
    for (const match of matchesOf(pattern, text)) {
      const start = match.index;
      const end = start + match[0].trimEnd().length;
      if (overlapsAny(taken, start, end)) continue;
      const decoded = decode(match[0]);
      if (decoded !== null) found.push({ kind, text: decoded, start, end });
    }
  };
  if (zeroOne >= 48) run('binary', BINARY_RUN, decodeBinary);
  if (upper >= 12 && longestBase32 >= 16) run('base32', BASE32_RUN, decodeBase32);
  if (dotDash >= 12 && longestMorse >= 11) run('morse', MORSE_RUN, decodeMorse);
  if (braille >= 4)
    for (const payload of decodeBraille(text))
      if (!overlapsAny(taken, payload.start, payload.end)) found.push(payload);
  if (digits >= 16) run('decimal', DECIMAL_RUN, decodeDecimal);
  if (equals >= 4 && hasQuotedPrintableEscapes(text))
    run('quoted-printable', QUOTED_PRINTABLE_RUN, decodeQuotedPrintable);
  return found;
}

/** "=" and two of 0–9 A–F at `index`: one escape of QUOTED_PRINTABLE_RUN. */
function isQuotedPrintableEscape(text: string, index: number): boolean {
  const high = text.charCodeAt(index + 1);
  const low = text.charCodeAt(index + 2);
  return (
    ((high >= 0x30 && high <= 0x39) || (high >= 0x41 && high <= 0x46)) &&
    ((low >= 0x30 && low <= 0x39) || (low >= 0x41 && low <= 0x46))
  );
}

/**
 * Whether the text has the four `=XX` escapes every match of QUOTED_PRINTABLE_RUN holds (its
 * `{4,}` group; escapes cannot overlap, since X is never "="). The expression tries a match at
 * every letter (its optional prefix), 12 µs per 2 KB prompt; the texts with four "=" that reach
 * it are mostly code ("i<=n", "==") without a single escape (32 of the 500 bench prompts).
 */
export function hasQuotedPrintableEscapes(text: string): boolean {
  let escapes = 0;
  for (let index = text.indexOf('='); index >= 0; index = text.indexOf('=', index + 1))
    if (isQuotedPrintableEscape(text, index) && ++escapes >= 4) return true;
  return false;
}
