/**
 * Variant views of an already canonical text, each produced only when it differs: leetspeak
 * folded ("1gn0r3 4ll pr3v10u5" → "ignore all previous"), spaced-out letters joined
 * ("i g n o r e" → "ignore", "i.g.n.o.r.e" → "ignore"), and ROT13 (only when the text itself
 * mentions rot13, since rotating every text would double the work for nothing).
 */

import { CodeUnits } from './code-units.js';

export { decipherIfSubstituted } from './substitution-cipher.js';

// Digit/symbol → letter. 1 folds to i (not l): "1gn0r3", "pr3v10u5", "1nstruct10ns".
const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '@': 'a',
  $: 's',
  '|': 'l',
  '!': 'i',
  '+': 't',
};

// The characters LEET folds. Symbols count as letters only inside a token ("h!dden", "ru|es"),
// never at its edge, so a sentence-final "!" is not folded.
const LEET_CHARACTER = new Uint8Array(128);
for (const character of '01345789@$|!+') LEET_CHARACTER[character.charCodeAt(0)] = 1;

const isAsciiLetter = (code: number): boolean => code >= 0x61 && code <= 0x7a;
const isAsciiAlphanumeric = (code: number): boolean => isAsciiLetter(code) || (code >= 0x30 && code <= 0x39);

/** LEET by code unit: the letter's unit, 0 for units LEET does not fold. */
const LEET_UNIT = new Uint16Array(128);
for (const [character, letter] of Object.entries(LEET))
  LEET_UNIT[character.charCodeAt(0)] = letter.charCodeAt(0);

/** The text being folded, folded in place (see foldTokens). */
const foldUnits = new CodeUnits(1024);

/**
 * Folds leetspeak tokens by hand (a replace with a callback per token cost more than the rest
 * of normalisation). The tokens are the matches of the global expression
 * `(?:[a-z0-9@$]|[|!+](?=[a-z0-9]))*[a-z](?:[a-z0-9@$]|[|!+](?=[a-z0-9]))*`, that is the
 * maximal runs of token characters ([a-z0-9@$], or | ! + before a letter or digit) that hold
 * a letter. Long tokens are hashes, ids or encoded blobs, and one letter among digits is a
 * version or a unit ("v1", "5g"): neither is leetspeak, so a token is folded only when it is at
 * most 24 long, has two letters and a leet character. Returns null when no token changed.
 * The text is folded in a copy of its code units and decoded once: the string built a unit at
 * a time (`out += …` per character of a folded token) took 4 µs of a 512-character window with
 * a few folded tokens ("num1", "2020s"), and about a third of the prompts fold some window.
 */
function foldTokens(text: string): string | null {
  const length = text.length;
  const units = foldUnits.load(text);
  let changed = false;
  let start = -1;
  let letters = 0;
  let leet = false;
  for (let index = 0; index <= length; index++) {
    const code = index < length ? units[index]! : -1;
    const symbol = code === 0x7c || code === 0x21 || code === 0x2b;
    const tokenCharacter =
      isAsciiAlphanumeric(code) ||
      code === 0x40 ||
      code === 0x24 ||
      (symbol && index + 1 < length && isAsciiAlphanumeric(units[index + 1]!));
    if (tokenCharacter) {
      if (start < 0) start = index;
      if (isAsciiLetter(code)) letters++;
      else if (LEET_CHARACTER[code] === 1) leet = true;
      continue;
    }
    if (start >= 0 && leet && letters >= 2 && index - start <= 24) {
      // Token characters are ASCII; the leet ones fold (and the token has one).
      for (let position = start; position < index; position++) {
        const letter = LEET_UNIT[units[position]!]!;
        if (letter !== 0) units[position] = letter;
      }
      changed = true;
    }
    start = -1;
    letters = 0;
    leet = false;
  }
  return changed ? foldUnits.decode(length) : null;
}

/** The gate: a letter next to a leet character somewhere (/[a-z][01345789@$|!+]|[01345789@$|!+][a-z]/). */
function looksLeet(text: string): boolean {
  let previousLetter = false;
  let previousLeet = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const letter = code >= 0x61 && code <= 0x7a;
    const leet = code < 128 && LEET_CHARACTER[code] === 1;
    if ((letter && previousLeet) || (leet && previousLetter)) return true;
    previousLetter = letter;
    previousLeet = leet;
  }
  return false;
}

/**
 * Folds leetspeak inside tokens that contain at least one letter, so numbers ("2024", "v1.5"
 * keeps its digits only when they stand alone) and prices are untouched. Returns null when
 * nothing changed.
 */
export function foldLeetspeak(canonical: string): string | null {
  if (!looksLeet(canonical)) return null;
  return foldTokens(canonical);
}

// Four or more single letters joined by one separator character: "i.g.n.o.r.e", "i-g-n-o-r-e".
const SEPARATED_LETTERS = /(?<![\p{L}\p{N}])(?:[\p{L}\p{N}][._*·/\\|-]){3,}[\p{L}\p{N}](?![\p{L}\p{N}])/gu;

// Separators of spelled-out letters: space . _ * · / \ | -
const SEPARATOR = new Uint8Array(256);
for (const character of ' ._*\u00b7/\\|-') SEPARATOR[character.charCodeAt(0)] = 1;

function isSeparator(code: number): boolean {
  return code < 256 && SEPARATOR[code] === 1;
}

function isWordLike(code: number): boolean {
  if (code < 0x80)
    return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a);
  return code !== 0xb7 && code !== 0xa0;
}

/**
 * Cheap gate (hand-written; the Unicode regular expression it replaces was the slowest step of
 * normalisation): four single characters joined by single separators, like "i g n o" or
 * "i.g.n.o", with no letter or digit right before or after.
 */
function hasSpelledOutRun(text: string): boolean {
  const length = text.length;
  for (let index = 0; index + 6 < length; index++) {
    // The separator test first: it fails on most positions.
    if (!isSeparator(text.charCodeAt(index + 1))) continue;
    if (!isWordLike(text.charCodeAt(index))) continue;
    if (index > 0 && isWordLike(text.charCodeAt(index - 1))) continue;
    if (
      isWordLike(text.charCodeAt(index + 2)) &&
      isSeparator(text.charCodeAt(index + 3)) &&
      isWordLike(text.charCodeAt(index + 4)) &&
      isSeparator(text.charCodeAt(index + 5)) &&
      isWordLike(text.charCodeAt(index + 6)) &&
      (index + 7 >= length || !isWordLike(text.charCodeAt(index + 7)))
    ) {
      return true;
    }
  }
  return false;
}

/**
 * Joins spaced-out letters. Input keeps its original spacing (see canonicalizeKeepSpacing):
 * "i g n o r e  a l l" → "ignore all" — a single space joins letters, a wider gap is a word
 * break. Returns null when no run of four or more single letters was found.
 */
export function joinSpacedLetters(text: string): string | null {
  if (!hasSpelledOutRun(text)) return null;
  let changed = false;
  let value = text.replace(SEPARATED_LETTERS, (run) => {
    changed = true;
    return run.replace(/[._*·/\\|-]/g, '');
  });
  const tokens = value.split(' ');
  // Once the text spells one word out letter by letter, shorter spelled-out words ("a l l")
  // are joined too.
  const minimumRun = hasSpelledOutWord(tokens) ? 2 : 4;
  const out: string[] = [];
  let run: string[] = [];
  const flush = (): void => {
    if (run.length >= minimumRun) {
      out.push(run.join(''));
      changed = true;
    } else out.push(...run);
    run = [];
  };
  for (const token of tokens) {
    if (isSingleLetter(token)) {
      run.push(token);
      continue;
    }
    flush();
    // An empty token is a second space: a word break inside spaced-out text.
    if (token !== '') out.push(token);
  }
  flush();
  if (!changed) return null;
  value = out.join(' ');
  return value.replace(/\s+/g, ' ').trim();
}

function isSingleLetter(token: string): boolean {
  return token.length > 0 && [...token].length === 1 && /[\p{L}\p{N}]/u.test(token);
}

function hasSpelledOutWord(tokens: readonly string[]): boolean {
  let run = 0;
  for (const token of tokens) {
    run = isSingleLetter(token) ? run + 1 : 0;
    if (run >= 4) return true;
  }
  return false;
}

/** variantGates: a letter stands next to a leet character (foldLeetspeak can change the text). */
export const LEET_GATE = 1;
/** variantGates: four single characters joined by separators (joinSpacedLetters can). */
export const SPELLED_GATE = 2;

// ASCII classes for variantGates.
const GATE_LETTER = 1;
const GATE_LEET = 2;
const GATE_SEPARATOR = 4;
const GATE_WORD = 8;
const GATE_CLASS = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  GATE_CLASS[code] =
    (code >= 0x61 && code <= 0x7a ? GATE_LETTER : 0) |
    (LEET_CHARACTER[code] === 1 ? GATE_LEET : 0) |
    (isSeparator(code) ? GATE_SEPARATOR : 0) |
    (isWordLike(code) ? GATE_WORD : 0);
}

// variantGates' spelled-out pattern over nine positions, oldest first: no word character, then
// word, separator, word, separator, word, separator, word, then no word character. Two bits a
// position (word 1, separator 2), the newest in the lowest bits.
const RECENT_MASK = (1 << 18) - 1;
const SPELLED_POSITIONS = [0, 1, 2, 1, 2, 1, 2, 1, 0];
let spelledMask = 0;
let spelledPattern = 0;
for (const [age, expected] of SPELLED_POSITIONS.toReversed().entries()) {
  // A "no word character" position only needs its word bit clear.
  spelledMask |= (expected === 0 ? 1 : 3) << (2 * age);
  spelledPattern |= expected << (2 * age);
}
const SPELLED_MASK = spelledMask;
const SPELLED_PATTERN = spelledPattern;

function gateClass(code: number): number {
  if (code < 128) return GATE_CLASS[code]!;
  return (isSeparator(code) ? GATE_SEPARATOR : 0) | (isWordLike(code) ? GATE_WORD : 0);
}

/**
 * The gates of foldLeetspeak and joinSpacedLetters in one pass over a window's text with its
 * spacing kept (a letter next to a leet character is the same with whitespace collapsed), so
 * the scan views read each window once for both: LEET_GATE | SPELLED_GATE flags.
 */
const gateUnits = new CodeUnits(1024);

export function variantGates(spaced: string): number {
  // Read from one copy (see CodeUnits): window slices come in every string representation.
  return variantGatesOf(gateUnits.load(spaced), 0, spaced.length);
}

/** variantGates of the text held in `units[start … end)`. */
export function variantGatesOf(units: Uint16Array, start: number, end: number): number {
  // Without branches on the characters (prose makes them unpredictable: the branching loop
  // was 4 µs per 512-character window). `leet` collects "a letter after a leet character or a
  // leet character after a letter" as bit 0. `recent` holds the word and separator bits of
  // the last nine positions (two bits each, the newest lowest); a spelled-out run (see
  // hasSpelledOutRun) is a pattern over them, tested once per position, one past the end too
  // (a position that is no word character, as after the text's end).
  let leet = 0;
  let previous = 0;
  let recent = 0;
  let spelled = 0;
  for (let index = start; index <= end; index++) {
    const kind = index < end ? gateClass(units[index]!) : 0;
    leet |= (kind & (previous >> 1)) | ((kind >> 1) & previous);
    recent = ((recent << 2) | ((kind & GATE_WORD) >> 3) | ((kind & GATE_SEPARATOR) >> 1)) & RECENT_MASK;
    spelled |= (recent & SPELLED_MASK) === SPELLED_PATTERN ? 1 : 0;
    previous = kind;
  }
  return ((leet & GATE_LETTER) * LEET_GATE) | (spelled * SPELLED_GATE);
}

/** foldLeetspeak for a text already known to pass its gate (variantGates). */
export function foldLeetTokens(canonical: string): string | null {
  return foldTokens(canonical);
}

const MENTIONS_ROT13 = /\brot[\s_-]?13\b/i;

/** ROT13 of the text when the text mentions rot13; otherwise null. */
export function rot13IfMentioned(canonical: string): string | null {
  if (!MENTIONS_ROT13.test(canonical)) return null;
  return rot13(canonical);
}

export function rot13(text: string): string {
  return text.replace(/[a-zA-Z]/g, (character) => {
    const code = character.charCodeAt(0);
    const base = code >= 0x61 ? 0x61 : 0x41;
    return String.fromCharCode(((code - base + 13) % 26) + base);
  });
}
