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
function urlEnd(text: string, index: number): number {
  const code = text.charCodeAt(index);
  if (code !== 0x68 && code !== 0x77) return -1;
  if (index > 0 && isWordCode(text.charCodeAt(index - 1))) return -1;
  if (
    !text.startsWith('http://', index) &&
    !text.startsWith('https://', index) &&
    !text.startsWith('www.', index)
  )
    return -1;
  let end = index;
  while (end < text.length && !isSpaceCode(text.charCodeAt(end))) end++;
  return end;
}

/** End of an @handle starting at `index`, or -1. */
function handleEnd(text: string, index: number): number {
  if (text.charCodeAt(index) !== 0x40) return -1;
  if (index > 0 && isWordCode(text.charCodeAt(index - 1))) return -1;
  let end = index + 1;
  while (end < text.length && end - index <= 30 && isHandleCode(text.charCodeAt(end))) end++;
  return end === index + 1 ? -1 : end;
}

const NON_ASCII = /[^\t-~]/;
/** Code units of the text being prepared (see CodeUnits: charCodeAt loads go megamorphic). */
const sourceUnits = new CodeUnits(1024);

export function prepareText(text: string): string {
  // NFKC leaves printable ASCII (and tab/newline) unchanged: skip the ICU call for it.
  const source = (NON_ASCII.test(text) ? text.normalize('NFKC') : text).toLowerCase();
  const length = source.length;
  const units = sourceUnits.load(source);
  // Pieces are joined once at the end; `space` marks a pending single space before the next character.
  const pieces: string[] = [];
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
      if (copyFrom < index) pieces.push(source.slice(copyFrom, index));
      space = true;
      index++;
      copyFrom = index;
      previousUnit = -1;
      continue;
    }
    const skipTo =
      code === 0x40 ? handleEnd(source, index) : code === 0x68 || code === 0x77 ? urlEnd(source, index) : -1;
    if (skipTo > 0) {
      const spaced = copyFrom < index && units[index - 1] === 0x20;
      if (copyFrom < index) pieces.push(source.slice(copyFrom, index));
      if (pieces.length > 0 && !spaced) pieces.push(' ');
      pieces.push(code === 0x40 ? '_user_' : '_url_');
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
        if (copyFrom < index) pieces.push(source.slice(copyFrom, index));
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
      if (pieces.length > 0) pieces.push(' ');
      space = false;
    }
    index += size;
  }
  if (pieces.length === 0) return copyFrom === 0 ? source : source.slice(copyFrom);
  if (copyFrom < length) pieces.push(source.slice(copyFrom, length));
  return pieces.join('');
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
