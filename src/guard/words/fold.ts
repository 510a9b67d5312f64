/**
 * Character folding for word matching. Each code point folds on its own to its compatibility
 * decomposition (NFKD), lower-cased; whitespace folds to one space and default-ignorable code
 * points (zero-width space/joiners, soft hyphen, BOM) fold to nothing, so "Ｂａｄ", "BAD" and
 * "b\u200Bad" all read "bad". Folding per code point keeps a map back to the original offsets,
 * and matching under NFKD is the same equivalence as under NFKC (composed and decomposed
 * forms both decompose alike) — only the automaton's alphabet differs.
 *
 * Word characters decide boundaries: letters, digits, marks and '_' of scripts written with
 * spaces. Han, kana, Hangul and the Southeast Asian scripts written without spaces are not
 * word characters, so CJK terms match inside unsegmented text and a Latin term next to a CJK
 * character is still at a boundary.
 */

const ASCII_FOLD: readonly string[] = Array.from({ length: 128 }, (_, code) => {
  if (code === 9 || code === 10 || code === 11 || code === 12 || code === 13) return ' ';
  return String.fromCharCode(code >= 65 && code <= 90 ? code + 32 : code);
});
const ASCII_WORD: readonly boolean[] = Array.from({ length: 128 }, (_, code) =>
  /[A-Za-z0-9_]/.test(String.fromCharCode(code)),
);

const WHITESPACE = /^\s$/u;
const IGNORABLE = /^\p{Default_Ignorable_Code_Point}$/u;
const WORD = /^[\p{L}\p{N}\p{M}_]$/u;
const UNSPACED_SCRIPT =
  /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Bopomofo}\u30FC]$/u;

const foldCache = new Map<number, string>();
const wordCache = new Map<number, boolean>();

/** Folded form of one code point ('' for ignorables, ' ' for any whitespace). */
export function foldCodePoint(codePoint: number): string {
  if (codePoint < 128) return ASCII_FOLD[codePoint]!;
  let folded = foldCache.get(codePoint);
  if (folded === undefined) {
    const character = String.fromCodePoint(codePoint);
    if (WHITESPACE.test(character)) folded = ' ';
    else if (IGNORABLE.test(character)) folded = '';
    else folded = character.normalize('NFKD').toLowerCase();
    foldCache.set(codePoint, folded);
  }
  return folded;
}

// Fold of each BMP code unit when it is exactly one unit (most are): -2 = not computed yet,
// -1 = folds to zero or several units (use foldCodePoint). Typed array: no hashing per char.
const singleUnit = new Int32Array(65536).fill(-2);

/** The folded code unit of a BMP, non-surrogate `code`, or -1 when its fold is not one unit. */
export function foldUnit(code: number): number {
  let folded = singleUnit[code]!;
  if (folded === -2) {
    const piece = foldCodePoint(code);
    folded = piece.length === 1 ? piece.charCodeAt(0) : -1;
    singleUnit[code] = folded;
  }
  return folded;
}

/** A character that needs a word boundary next to a Latin-style term. */
export function isWordCodePoint(codePoint: number): boolean {
  if (codePoint < 128) return ASCII_WORD[codePoint]!;
  let word = wordCache.get(codePoint);
  if (word === undefined) {
    const character = String.fromCodePoint(codePoint);
    word = WORD.test(character) && !UNSPACED_SCRIPT.test(character);
    wordCache.set(codePoint, word);
  }
  return word;
}

/** Fold a whole string the way the scanner folds text (runs of whitespace become one space). */
export function foldText(text: string): string {
  let out = '';
  let lastWasSpace = false;
  for (const character of text) {
    const folded = foldCodePoint(character.codePointAt(0)!);
    if (folded === ' ') {
      if (lastWasSpace) continue;
      lastWasSpace = true;
    } else if (folded !== '') {
      lastWasSpace = false;
    }
    out += folded;
  }
  return out;
}
