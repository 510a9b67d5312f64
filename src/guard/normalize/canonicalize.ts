/**
 * Canonical form of a text before detection: invisible characters removed (zero-width, bidi
 * controls, variation selectors, Unicode tag characters, soft hyphen), NFKC (folds fullwidth,
 * mathematical alphanumerics, circled letters, ligatures), leftover combining marks stripped
 * (zalgo), confusable Cyrillic/Greek letters folded to ASCII where scripts are mixed, lower
 * case, whitespace collapsed. The result is a *view* for scanning; offsets into it mean nothing
 * to the caller, which is why scanners report the window of the original text instead.
 */

import { CONFUSABLES, isAsciiLetter, isCyrillicOrGreek } from './confusables.js';

// Zero-width and formatting characters, bidi embeddings/isolates, variation selectors, BOM,
// and the tag block (U+E0000–E007F, as surrogate pairs) used for "invisible" prompt smuggling.
const INVISIBLE =
  /\u00AD|\u034F|\u061C|\u115F|\u1160|\u17B4|\u17B5|[\u180B-\u180E]|[\u200B-\u200F]|[\u202A-\u202E]|[\u2060-\u206F]|\u3164|[\uFE00-\uFE0F]|\uFEFF|\uFFA0|\uDB40[\uDC00-\uDC7F]|\uDB40[\uDD00-\uDDEF]/g;

// Combining marks: a stack of two or more is zalgo decoration and is removed before NFKC
// (which would otherwise compose "i + ◌́" into "í"); single marks that NFKC cannot compose are
// removed after it. Accented letters of real words (é, ü, ñ) compose and stay.
const COMBINING = /[\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F]/g;
const COMBINING_STACK = /[\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F]{2,}/g;

/** Removes invisible and formatting characters. */
export function stripInvisible(text: string): string {
  // Every invisible character is at U+00AD or above: plain ASCII needs no regex pass.
  for (let index = 0; index < text.length; index++) {
    if (text.charCodeAt(index) >= 0xad) return text.replace(INVISIBLE, '');
  }
  return text;
}

/**
 * Folds confusable letters to ASCII. Mixed-script words ("іgnore" with a Cyrillic і) are
 * always folded; whole words in Cyrillic/Greek only when the text is mostly Latin, so that
 * Russian or Greek prose keeps its own letters (and its own rules can match it).
 */
export function foldConfusables(text: string): string {
  let latin = 0;
  let foreign = 0;
  let confusable = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) {
      if (isAsciiLetter(code)) latin++;
      continue;
    }
    if (isCyrillicOrGreek(code)) foreign++;
    if (CONFUSABLES.has(code)) confusable++;
  }
  if (confusable === 0) return text;
  const foldAll = latin >= 3 * foreign;
  return text.replace(/[^\s.,;:!?"'()[\]{}<>/\\|-]+/g, (word) => {
    if (!foldAll && !hasAsciiLetter(word)) return word;
    let out = '';
    for (let index = 0; index < word.length; index++) {
      const code = word.charCodeAt(index);
      out += CONFUSABLES.get(code) ?? word[index];
    }
    return out;
  });
}

function hasAsciiLetter(word: string): boolean {
  for (let index = 0; index < word.length; index++) {
    if (isAsciiLetter(word.charCodeAt(index))) return true;
  }
  return false;
}

/**
 * Canonical form without whitespace collapsing: the spacing-trick detector (variants.ts) needs
 * to see where the double spaces between spaced-out words are.
 */
export function canonicalizeKeepSpacing(text: string): string {
  // Plain ASCII has no invisible characters (all are at U+00AD or above) and is already NFKC:
  // one scan instead of two.
  if (isAscii(text)) return text.toLowerCase();
  let value = stripInvisible(text);
  // NFKC is the expensive step; pure ASCII is already in NFKC.
  if (!isAscii(value)) {
    value = value.replace(COMBINING_STACK, '').normalize('NFKC').replace(COMBINING, '');
    value = foldConfusables(value);
  }
  return value.toLowerCase();
}

/** The canonical view: {@link canonicalizeKeepSpacing} plus collapsed whitespace. */
export function canonicalize(text: string): string {
  return collapseWhitespace(canonicalizeKeepSpacing(text));
}

export function collapseWhitespace(text: string): string {
  // Hand-written: a /\s+/g replace costs more than the rest of canonicalisation together.
  // Stretches whose only whitespace is single inner spaces are already collapsed and are copied
  // in one slice each (a /\s+/ split and join would allocate a string per word); all of the text
  // when it has no other whitespace.
  const length = text.length;
  let out = '';
  let stretchStart = -1;
  let pendingSpace = false;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (!isWhitespace(code)) {
      if (stretchStart < 0) {
        if (pendingSpace) out += ' ';
        pendingSpace = false;
        stretchStart = index;
      }
      continue;
    }
    // A single space between two non-whitespace characters stays inside the stretch.
    if (
      code === 0x20 &&
      stretchStart >= 0 &&
      index + 1 < length &&
      !isWhitespace(text.charCodeAt(index + 1))
    ) {
      continue;
    }
    if (stretchStart >= 0) {
      out += text.slice(stretchStart, index);
      stretchStart = -1;
      pendingSpace = true;
    }
  }
  if (stretchStart === 0) return text;
  if (stretchStart > 0) out += text.slice(stretchStart);
  return out;
}

/** The characters JavaScript's \s matches. */
/** JavaScript's `\w` (without the u flag): ASCII letters, digits and '_'. */
export function isAsciiWordCode(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95
  );
}

/** JavaScript's `\s`: the whitespace of regular expressions and of String#trim. */
export function isWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

// Anything above U+007E. A regular expression rather than a charCodeAt loop: windows are
// sliced from strings of every representation, and after a few thousand varied texts the loop's
// charCodeAt load went megamorphic (isAscii rose from nothing to 2 % of all input scanning).
const NOT_ASCII = /[^\0-~]/;

/** True when every code unit of `text` is ASCII. */
export function isAscii(text: string): boolean {
  return !NOT_ASCII.test(text);
}
