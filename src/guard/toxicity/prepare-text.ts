/**
 * Text preparation for the toxicity model: the same function runs at training and at scan
 * time, so anything it does is part of the model. NFKC folds full-width forms and
 * compatibility characters (common in Chinese input and in filter evasion), case is folded,
 * URLs and @handles become placeholders (they carry no toxicity and would otherwise be
 * memorised), runs of 3+ identical characters shrink to 2 ("fuuuuck" → "fuuck", "!!!!" → "!!"),
 * and whitespace collapses to single spaces. After the two native calls it is one pass that
 * copies unchanged stretches by slicing (regex replaces cost ~10× more on the hot path).
 */

import { CodeUnits } from '../normalize/code-units.js';

/** CJK ideographs, kana and hangul: scripts written without spaces between words. */
export function isCjkCode(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x3040 && code <= 0x30ff) ||
    (code >= 0xac00 && code <= 0xd7af)
  );
}

/** Letters and digits of space-separated scripts (Latin, Greek, Cyrillic…), apostrophe and underscore. */
export function isWordCode(code: number): boolean {
  if (code < 0x80) {
    return (
      (code >= 0x61 && code <= 0x7a) ||
      (code >= 0x41 && code <= 0x5a) ||
      (code >= 0x30 && code <= 0x39) ||
      code === 0x27 ||
      code === 0x5f
    );
  }
  return code >= 0xc0 && code < 0x2000 && code !== 0xd7 && code !== 0xf7;
}

export const CLASS_WORD = 1;
export const CLASS_CJK = 2;
export const CLASS_SPACE = 4;
/** Letters (word characters that are not digits, apostrophes or underscores). */
export const CLASS_LETTER = 8;

/** Character class flags of every UTF-16 code unit, built once (64 KB): table lookups, not range tests. */
export const CHAR_CLASS: Uint8Array = (() => {
  const table = new Uint8Array(65536);
  for (let code = 0; code < 65536; code++) {
    let flags = 0;
    if (isCjkCode(code)) flags |= CLASS_CJK;
    else if (isWordCode(code)) {
      flags |= CLASS_WORD;
      if (!(code >= 0x30 && code <= 0x39) && code !== 0x27 && code !== 0x5f) flags |= CLASS_LETTER;
    }
    if (isSpaceCode(code)) flags |= CLASS_SPACE;
    table[code] = flags;
  }
  return table;
})();

function isSpaceCode(code: number): boolean {
  return (
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0xa0 ||
    code === 0x3000 ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0xfeff ||
    (code >= 0x2000 && code <= 0x200a)
  );
}

function isHandleCode(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x5f;
}

/** End of a URL starting at `index` ("http://", "https://", "www."), or -1. */
function urlEnd(units: Uint16Array, length: number, index: number): number {
  const code = units[index]!;
  if (code !== 0x68 && code !== 0x77) return -1;
  if (index > 0 && isWordCode(units[index - 1]!)) return -1;
  if (
    !unitsStartWith(units, length, index, 'http://') &&
    !unitsStartWith(units, length, index, 'https://') &&
    !unitsStartWith(units, length, index, 'www.')
  )
    return -1;
  let end = index;
  while (end < length && !isSpaceCode(units[end]!)) end++;
  return end;
}

/** `startsWith(prefix, index)` of the text held in `units[0 … length)`. */
export function unitsStartWith(units: Uint16Array, length: number, index: number, prefix: string): boolean {
  if (index + prefix.length > length) return false;
  for (let offset = 0; offset < prefix.length; offset++) {
    if (units[index + offset] !== prefix.charCodeAt(offset)) return false;
  }
  return true;
}

/** End of an @handle starting at `index`, or -1. */
function handleEnd(units: Uint16Array, length: number, index: number): number {
  if (units[index] !== 0x40) return -1;
  if (index > 0 && isWordCode(units[index - 1]!)) return -1;
  let end = index + 1;
  while (end < length && end - index <= 30 && isHandleCode(units[end]!)) end++;
  return end === index + 1 ? -1 : end;
}

const NON_ASCII = /[^\t-~]/;
/** Code units of the text being prepared (see CodeUnits: charCodeAt loads go megamorphic). */
const sourceUnits = new CodeUnits(1024);

/**
 * The output of {@link prepareUnits}: the prepared text is `units[0 … length)`. One reused
 * buffer (the scanners are synchronous): valid until the next call.
 */
export const prepared: { units: Uint16Array; length: number } = { units: new Uint16Array(1024), length: 0 };

/** The prepared text as a string (see prepareUnits). */
export function prepareText(text: string): string {
  prepareUnits(text);
  return unitsToString(prepared.units, prepared.length);
}

/** `units[0 … length)` as a string, lone surrogates kept. */
export function unitsToString(units: Uint16Array, length: number): string {
  let out = '';
  // Chunks: fromCharCode takes one argument per code unit.
  for (let from = 0; from < length; from += 4096) {
    out += String.fromCharCode.apply(
      null,
      units.subarray(from, Math.min(length, from + 4096)) as unknown as number[],
    );
  }
  return out;
}

/**
 * Prepares `text` into `prepared` (code units, not a string). Why: the scan path used to build
 * the prepared string from slices, then copy it into code units for the feature loop: about
 * 8 KB of garbage per 2 KB prompt (a lower-case copy, the pieces, their join), which is part of
 * the collector pauses in the input stage's p99 (docs/guardrails-latency.md). The units are the
 * same as the string's; `prepareText` returns that string.
 */
export function prepareUnits(text: string): void {
  const length = loadLowerCase(text);
  const units = sourceUnits.units;
  // A placeholder (" _user_", " _url_") can be longer than what it replaces, by at most 5.
  if (prepared.units.length < 4 * length + 8) prepared.units = new Uint16Array(4 * length + 8);
  const out = prepared.units;
  let written = 0;
  // `space` marks a pending single space before the next kept character; [copyFrom, index) is
  // a stretch of kept source units not yet copied out.
  let copyFrom = 0;
  let space = false;
  let previousUnit = -1;
  let repeats = 0;
  let index = 0;
  while (index < length) {
    const code = units[index]!;
    const kind = CHAR_CLASS[code]!;
    if (
      code === 0x20 &&
      copyFrom < index &&
      index + 1 < length &&
      (CHAR_CLASS[units[index + 1]!]! & CLASS_SPACE) === 0
    ) {
      // A single plain space between two kept characters: stays in the copied stretch.
      index++;
      previousUnit = -1;
      continue;
    }
    if ((kind & CLASS_SPACE) !== 0) {
      written = copy(units, copyFrom, index, out, written);
      space = true;
      index++;
      copyFrom = index;
      previousUnit = -1;
      continue;
    }
    const skipTo =
      code === 0x40
        ? handleEnd(units, length, index)
        : code === 0x68 || code === 0x77
          ? urlEnd(units, length, index)
          : -1;
    if (skipTo > 0) {
      const spaced = copyFrom < index && units[index - 1] === 0x20;
      written = copy(units, copyFrom, index, out, written);
      if (written > 0 && !spaced) out[written++] = 0x20;
      for (const placeholder of code === 0x40 ? USER_UNITS : URL_UNITS) out[written++] = placeholder;
      space = true;
      index = skipTo;
      copyFrom = index;
      previousUnit = -1;
      continue;
    }
    const wide = code >= 0xd800 && code <= 0xdbff && index + 1 < length;
    const unit = wide ? code * 0x10000 + units[index + 1]! : code;
    const size = wide ? 2 : 1;
    if (unit === previousUnit) {
      if (++repeats > 2) {
        // Third and later repeats of the same character are dropped.
        written = copy(units, copyFrom, index, out, written);
        index += size;
        copyFrom = index;
        continue;
      }
    } else {
      previousUnit = unit;
      repeats = 1;
    }
    if (space) {
      // First character after whitespace (or after a placeholder): emit the single space.
      if (written > 0) out[written++] = 0x20;
      space = false;
    }
    index += size;
  }
  prepared.length = copy(units, copyFrom, length, out, written);
}

const USER_UNITS = [...'_user_'].map((character) => character.charCodeAt(0));
const URL_UNITS = [...'_url_'].map((character) => character.charCodeAt(0));

/** Copies `from[start … end)` to `to` at `at`; returns the new end in `to`. */
function copy(from: Uint16Array, start: number, end: number, to: Uint16Array, at: number): number {
  let write = at;
  for (let index = start; index < end; index++) to[write++] = from[index]!;
  return write;
}

/** A-Z → a-z, the rest of ASCII unchanged. */
const ASCII_LOWER = Uint16Array.from({ length: 128 }, (_, code) =>
  code >= 0x41 && code <= 0x5a ? code + 0x20 : code,
);

/**
 * Loads `text` NFKC-normalised and lower-cased into `sourceUnits`; returns its length. Text of
 * tab … "~" only is already NFKC and lower-cases by A-Z alone: that is done on the copy
 * instead of by a `toLowerCase` string.
 */
function loadLowerCase(text: string): number {
  if (NON_ASCII.test(text)) {
    const source = text.normalize('NFKC').toLowerCase();
    sourceUnits.load(source);
    return source.length;
  }
  const units = sourceUnits.load(text);
  const length = text.length;
  for (let index = 0; index < length; index++) units[index] = ASCII_LOWER[units[index]!]!;
  return length;
}

/** Share of CJK in a text's letters given the counts, in [0, 1]; 0 for no letters. */
export function languageMix(cjk: number, letters: number): number {
  // A CJK character carries about as much as a short word: weigh it ×3 against letters.
  return letters === 0 ? 0 : (cjk * 3) / (cjk * 3 + (letters - cjk));
}

const shareUnits = new CodeUnits(1024);

/** Share of CJK characters among letters (CJK + non-digit word characters), in [0, 1]. */
export function cjkShare(text: string, start = 0, end = text.length): number {
  const units = shareUnits.load(text);
  let cjk = 0;
  let letters = 0;
  // Past the text's end charCodeAt gave NaN, which has no class: those positions add nothing.
  const stop = Math.min(end, text.length);
  for (let index = start; index < stop; index++) {
    const kind = CHAR_CLASS[units[index]!]!;
    if ((kind & CLASS_CJK) !== 0) cjk++;
    if ((kind & (CLASS_CJK | CLASS_LETTER)) !== 0) letters++;
  }
  return languageMix(cjk, letters);
}
