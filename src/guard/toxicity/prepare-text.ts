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

/** A-Z → a-z, the rest of ASCII unchanged. */
const ASCII_LOWER = Uint16Array.from({ length: 128 }, (_, code) =>
  code >= 0x41 && code <= 0x5a ? code + 0x20 : code,
);

/** 1 for the ASCII code units that are no space (CLASS_SPACE), "@", "h", "H", "w" or "W". */
const ASCII_PLAIN = Uint8Array.from({ length: 128 }, (_, code) => {
  const lower = ASCII_LOWER[code]!;
  return (CHAR_CLASS[code]! & CLASS_SPACE) === 0 && lower !== 0x40 && lower !== 0x68 && lower !== 0x77
    ? 1
    : 0;
});

/** The code unit at `index`, ASCII lower-cased (the identity on text that is lower case already). */
function lowerAt(units: Uint16Array, index: number): number {
  const code = units[index]!;
  return code < 128 ? ASCII_LOWER[code]! : code;
}

/** End of a URL starting at `index` ("http://", "https://", "www.") in units[from … to), or -1. */
function urlEnd(units: Uint16Array, from: number, to: number, index: number): number {
  const code = lowerAt(units, index);
  if (code !== 0x68 && code !== 0x77) return -1;
  if (index > from && isWordCode(units[index - 1]!)) return -1;
  if (
    !lowerStartsWith(units, to, index, 'http://') &&
    !lowerStartsWith(units, to, index, 'https://') &&
    !lowerStartsWith(units, to, index, 'www.')
  )
    return -1;
  let end = index;
  while (end < to && !isSpaceCode(units[end]!)) end++;
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

/** unitsStartWith of the ASCII lower-cased units (`prefix` is lower case). */
function lowerStartsWith(units: Uint16Array, length: number, index: number, prefix: string): boolean {
  if (index + prefix.length > length) return false;
  for (let offset = 0; offset < prefix.length; offset++) {
    if (lowerAt(units, index + offset) !== prefix.charCodeAt(offset)) return false;
  }
  return true;
}

/** End of an @handle starting at `index` in units[from … to), or -1. */
function handleEnd(units: Uint16Array, from: number, to: number, index: number): number {
  if (units[index] !== 0x40) return -1;
  if (index > from && isWordCode(units[index - 1]!)) return -1;
  let end = index + 1;
  while (end < to && end - index <= 30 && isHandleCode(lowerAt(units, end))) end++;
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
 *
 * Text of tab … "~" only is already NFKC and lower-cases by A-Z alone: its code units are
 * prepared as they are, lower-cased one by one as they are read (prepareRange); other text is
 * normalised and lower-cased first.
 */
export function prepareUnits(text: string): void {
  if (NON_ASCII.test(text)) {
    const source = text.normalize('NFKC').toLowerCase();
    prepareRange(sourceUnits.load(source), 0, source.length);
  } else prepareRange(sourceUnits.load(text), 0, text.length);
}

/** Code units of the last text whose windows were prepared (prepareWindow), and whether it is ASCII. */
const windowUnits = new CodeUnits(4096);
let windowText: string | undefined;
let windowTextAscii = false;
/** windowTextAscii, and no "@", "http" or "www." in any case: no handle or URL can start in it. */
let windowTextPlain = false;

/**
 * prepareUnits of `text.slice(start, end)`, for the scanner's windows of one text: an ASCII
 * text (tab … "~") is tested and copied once, and each window is prepared from its range of
 * that copy (its preparation reads only the window's units and tests positions against the
 * window's bounds, so this is the same as preparing the slice); other texts take prepareUnits
 * of the slice, since NFKC can change lengths.
 */
export function prepareWindow(text: string, start: number, end: number): void {
  loadWindowText(text);
  if (windowTextPlain) preparePlainRange(windowUnits.units, start, end);
  else if (windowTextAscii) prepareRange(windowUnits.units, start, end);
  else prepareUnits(start === 0 && end === text.length ? text : text.slice(start, end));
}

/**
 * The code units of `text` as prepareWindow reads them (copied once per text: the scanner
 * splits the text into windows on them too). Valid until a window of another text is prepared.
 */
export function loadWindowText(text: string): Uint16Array {
  if (text !== windowText) {
    windowText = text;
    const units = windowUnits.load(text);
    classifyWindowText(units, text.length);
  }
  return windowUnits.units;
}

/**
 * Sets windowTextAscii (no unit outside tab … "~": what `!NON_ASCII.test(text)` says) and
 * windowTextPlain (ASCII and no "@", "http" or "www." in any case: `!/@|http|www\./i.test`
 * on ASCII text, where the expression's case-insensitive matching is A-Z = a-z) from the
 * text's code units, in one pass. Why not the two expressions: after the PII part of
 * bench:guard the same `NON_ASCII.test` took 3.8 µs per 2 KB prompt instead of 0.9
 * (docs/guardrails-latency.md, session 6); this loop takes the same time whatever ran before.
 */
function classifyWindowText(units: Uint16Array, length: number): void {
  let cue = false;
  for (let index = 0; index < length; index++) {
    const code = units[index]!;
    if ((code - 0x09) >>> 0 > 0x75) {
      windowTextAscii = false;
      windowTextPlain = false;
      return;
    }
    if (cue) continue;
    const lower = code | 0x20;
    if (code === 0x40) cue = true;
    else if (lower === 0x68 && index + 3 < length)
      cue =
        (units[index + 1]! | 0x20) === 0x74 &&
        (units[index + 2]! | 0x20) === 0x74 &&
        (units[index + 3]! | 0x20) === 0x70;
    else if (lower === 0x77 && index + 3 < length)
      cue =
        (units[index + 1]! | 0x20) === 0x77 &&
        (units[index + 2]! | 0x20) === 0x77 &&
        units[index + 3] === 0x2e;
  }
  windowTextAscii = true;
  windowTextPlain = !cue;
}

/**
 * The preparation proper, of the text held in `units[from … to)` (lower-cased as it is read:
 * ASCII_LOWER, the identity on text that is already lower case), written to `prepared`. Each
 * kept unit is written as it is read. `stretch`: the unit before this one was written as it
 * was (a kept character or a single plain space between two kept characters); `stretchSpace`:
 * it was such a space.
 */
function prepareRange(units: Uint16Array, from: number, to: number): void {
  // A placeholder (" _user_", " _url_") can be longer than what it replaces, by at most 5.
  const length = to - from;
  if (prepared.units.length < 4 * length + 8) prepared.units = new Uint16Array(4 * length + 8);
  const out = prepared.units;
  let written = 0;
  // `space` marks a pending single space before the next kept character.
  let stretch = false;
  let stretchSpace = false;
  let space = false;
  let previousUnit = -1;
  let repeats = 0;
  let index = from;
  while (index < to) {
    const raw = units[index]!;
    if (raw < 128 && ASCII_PLAIN[raw] === 1 && !space) {
      // Most characters: what the general path below does for an ASCII character that is no
      // space, no "@" and no "h" or "w" (so no handle or URL starts here) with no space pending.
      const code = ASCII_LOWER[raw]!;
      if (code === previousUnit) {
        if (++repeats > 2) {
          index++;
          stretch = false;
          stretchSpace = false;
          continue;
        }
      } else {
        previousUnit = code;
        repeats = 1;
      }
      out[written++] = code;
      index++;
      stretch = true;
      stretchSpace = false;
      continue;
    }
    const code = raw < 128 ? ASCII_LOWER[raw]! : raw;
    const kind = CHAR_CLASS[code]!;
    if (code === 0x20 && stretch && index + 1 < to && (CHAR_CLASS[units[index + 1]!]! & CLASS_SPACE) === 0) {
      // A single plain space between two kept characters: kept as it is.
      out[written++] = 0x20;
      index++;
      previousUnit = -1;
      stretchSpace = true;
      continue;
    }
    if ((kind & CLASS_SPACE) !== 0) {
      space = true;
      index++;
      stretch = false;
      stretchSpace = false;
      previousUnit = -1;
      continue;
    }
    const skipTo =
      code === 0x40
        ? handleEnd(units, from, to, index)
        : code === 0x68 || code === 0x77
          ? urlEnd(units, from, to, index)
          : -1;
    if (skipTo > 0) {
      if (written > 0 && !stretchSpace) out[written++] = 0x20;
      for (const placeholder of code === 0x40 ? USER_UNITS : URL_UNITS) out[written++] = placeholder;
      space = true;
      index = skipTo;
      stretch = false;
      stretchSpace = false;
      previousUnit = -1;
      continue;
    }
    // A high surrogate takes the next unit with it, whatever that is (a space too).
    const wide = code >= 0xd800 && code <= 0xdbff && index + 1 < to;
    const second = wide ? lowerAt(units, index + 1) : -1;
    const unit = wide ? code * 0x10000 + second : code;
    const size = wide ? 2 : 1;
    if (unit === previousUnit) {
      if (++repeats > 2) {
        // Third and later repeats of the same character are dropped.
        index += size;
        stretch = false;
        stretchSpace = false;
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
    out[written++] = code;
    if (wide) out[written++] = second;
    index += size;
    stretch = true;
    stretchSpace = second === 0x20;
  }
  prepared.length = written;
}

/** 1 for the code units of CLASS_SPACE below 128, else 0. */
const ASCII_SPACE_FLAG = Uint8Array.from({ length: 128 }, (_, code) =>
  (CHAR_CLASS[code]! & CLASS_SPACE) !== 0 ? 1 : 0,
);

/**
 * prepareRange of ASCII text (tab … "~") in which no handle or URL can start (no "@",
 * "http" or "www.": see windowTextPlain), without branches per character: what is left of
 * prepareRange there is lower-casing, dropping third and later repeats of a character (the
 * count restarts after whitespace) and one space before a kept character that follows
 * whitespace, if anything was written before. prepareRange keeps a single plain space between
 * two kept characters where it stands and defers other whitespace to the next kept character:
 * the next character is kept in both cases (a repeat count restarts after whitespace), so
 * writing every such space when the next kept character comes gives the same units. Why
 * branch-free: whether the next character is a space or a repeat is as good as random to the
 * branch predictor, and those mispredictions were most of the preparation's time.
 */
function preparePlainRange(units: Uint16Array, from: number, to: number): void {
  const length = to - from;
  if (prepared.units.length < 4 * length + 8) prepared.units = new Uint16Array(4 * length + 8);
  const out = prepared.units;
  let written = 0;
  // 1 after whitespace: a space goes before the next kept character. (prepareRange keeps this
  // until a character is kept; the character after whitespace always is, see below.)
  let pending = 0;
  let previous = -1;
  let repeats = 0;
  for (let index = from; index < to; index++) {
    const raw = units[index]!;
    const code = ASCII_LOWER[raw]!;
    const space = ASCII_SPACE_FLAG[raw]!;
    // repeats + 1 after the same character, else 1. (prepareRange forgets the previous
    // character at whitespace; here it is the whitespace itself, which no kept character
    // equals: the count after whitespace is 1 either way, so that character is kept.)
    const same = code === previous ? 1 : 0;
    repeats = (repeats & -same) + 1;
    previous = code;
    const keep = (1 - space) & ((repeats - 3) >>> 31);
    const spaceBefore = keep & pending & ((0 - written) >>> 31);
    out[written] = 0x20;
    written += spaceBefore;
    out[written] = code;
    written += keep;
    pending = space;
  }
  prepared.length = written;
}

const USER_UNITS = [...'_user_'].map((character) => character.charCodeAt(0));
const URL_UNITS = [...'_url_'].map((character) => character.charCodeAt(0));

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
