/**
 * The canonical views of all windows of a text from one pass over the whole text, for texts
 * made only of "inert" code units: ASCII up to "~" and the few non-ASCII characters listed
 * below (curly quotes, dashes, bullets, arrows, accented Latin-1 letters…), which are most of
 * what prompts contain.
 *
 * Why: scanning a 2 KB prompt used to lower-case and collapse each of its five overlapping
 * 512-character windows into new strings (about 8 KB of garbage per prompt, which is part of
 * the collector pauses in the input stage's p99: docs/guardrails-latency.md). Here the whole
 * text is lower-cased and collapsed once into one string, and each window's view is a slice of
 * it (no copy).
 *
 * Why it is exact: canonicalisation (canonicalize.ts) of a text of inert units changes nothing
 * but case (and the superscript digits and the no-break space, below), and the case mapping of each inert unit is one
 * fixed unit, whatever its neighbours (no final sigma, nothing that changes length):
 * - invisible characters and combining marks: none is inert, so nothing is removed;
 * - NFKC: every inert character is a starter that NFKC keeps as it is (quick check "yes",
 *   combining class 0) and is not the second half of any composition, so a text of them is
 *   already NFKC (test/unit/guard-normalize-inert.test.ts checks every pair); the superscript
 *   digits (INERT_MAPPED) are starters that NFKC maps to one ASCII digit each, and no
 *   composition involves a digit (test/unit/guard-perf-injection.test.ts checks every pair);
 * - confusables: none is inert (nor any Cyrillic or Greek letter), so nothing is folded.
 * So `canonicalizeKeepSpacing(text.slice(a, b))` is the per-unit map of `text.slice(a, b)`, and
 * collapsing whitespace is local: the collapsed window is the collapsed whole text from the
 * window's first to its last non-whitespace character (a whitespace run inside the window is
 * one space in both; the runs at its edges are dropped in both). Other texts take the
 * per-window path (scan-views.ts).
 */

import { canonicalizeKeepSpacing, isWhitespace } from './canonicalize.js';
import { CodeUnits, LITTLE_ENDIAN } from './code-units.js';

/** The non-ASCII characters treated as inert (see above). */
export const INERT_NON_ASCII =
  '¡¢£¥§©«®°¶»¿×÷' +
  'ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ' +
  '‐‒–—―‖‘’‚‛“”„‟†‡•‰′‵‹›€←↑→↓↔−';

/** Not an inert unit (U+FFFF is a noncharacter, not inert itself). */
const NOT_INERT = 0xffff;

/**
 * Non-ASCII characters whose canonical form is one other unit, whatever their neighbours:
 * the superscript digits, which NFKC maps to the ASCII digits (each is a starter, and no
 * composition involves a digit; test/unit/guard-perf-injection.test.ts checks every pair).
 * Inert for the views, but not for lowerIfInert: their lower case is themselves, not their
 * canonical form.
 */
export const INERT_MAPPED = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/**
 * Non-ASCII whitespace whose canonical form is one ASCII space, whatever its neighbours: the
 * no-break space U+00A0 (common in pasted prompts), which NFKC maps to U+0020 (a starter that
 * is in no composition; test/unit/guard-normalize-inert.test.ts checks every pair with every
 * inert character, and random windows against the per-window path). Whitespace before and
 * after canonicalisation (isWhitespace), so the collapsed views are the same. Inert for the
 * views, not for lowerIfInert (its lower case is itself, not its canonical form).
 */
export const INERT_SPACES = '\u00a0';

/** The lower-case unit of each inert unit that canonicalises to its lower case, NOT_INERT for the others. */
const LOWER_UNIT: Uint16Array = (() => {
  const table = new Uint16Array(65536).fill(NOT_INERT);
  for (let code = 0; code <= 0x7e; code++) table[code] = code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
  for (const character of INERT_NON_ASCII) {
    // Guards the list: one unit that lower-cases to one unit and canonicalises to its lower case.
    const lower = character.toLowerCase();
    if (character.length !== 1 || lower.length !== 1 || canonicalizeKeepSpacing(character) !== lower)
      throw new Error(`not an inert character: ${character}`);
    table[character.charCodeAt(0)] = lower.charCodeAt(0);
  }
  return table;
})();

/** The canonical unit of each inert unit (INERT_MAPPED included), NOT_INERT for the others. */
const CANONICAL_UNIT: Uint16Array = (() => {
  const table = LOWER_UNIT.slice();
  for (const character of INERT_MAPPED) {
    // Guards the list: one unit that canonicalises to one inert unit other than whitespace.
    const canonical = canonicalizeKeepSpacing(character);
    if (
      character.length !== 1 ||
      canonical.length !== 1 ||
      LOWER_UNIT[canonical.charCodeAt(0)] !== canonical.charCodeAt(0) ||
      isWhitespace(canonical.charCodeAt(0))
    )
      throw new Error(`not a mapped inert character: ${character}`);
    table[character.charCodeAt(0)] = canonical.charCodeAt(0);
  }
  for (const character of INERT_SPACES) {
    // Guards the list: one whitespace unit that canonicalises to one ASCII space.
    if (
      character.length !== 1 ||
      !isWhitespace(character.charCodeAt(0)) ||
      canonicalizeKeepSpacing(character) !== ' '
    )
      throw new Error(`not an inert space: ${character}`);
    table[character.charCodeAt(0)] = 0x20;
  }
  return table;
})();

/** 1 for the inert units that are whitespace (isWhitespace), 0 for the others. */
const INERT_WHITESPACE: Uint8Array = Uint8Array.from({ length: 65536 }, (_value, code) =>
  CANONICAL_UNIT[code] !== NOT_INERT && isWhitespace(code) ? 1 : 0,
);

/** The loaded text's units, canonical case, spacing kept. */
const spacedUnits = new CodeUnits(4096);
/** Position in `whole` of each non-whitespace unit of the loaded text; -1 for whitespace. */
let positions = new Int32Array(4096);
/** The collapsed units before they become `whole` (bytes, and the same memory as units). */
let collapsedBytes = Buffer.alloc(8192);
let collapsedUnits = new Uint16Array(collapsedBytes.buffer, collapsedBytes.byteOffset, 4096);
/** The loaded text canonicalised and collapsed. */
let whole = '';
/** The text of the last loadInertText that returned true (null after one that returned false). */
let loadedText: string | null = null;
/** End of the range found by the last inertWindowRange. */
let rangeEnd = 0;
/** Start of the range of the last inertWindowView (−1 when it was empty). */
let viewStart = -1;

/**
 * Loads `text` when all its units are inert and returns true; returns false (and the views
 * must be built window by window) otherwise.
 */
export function loadInertText(text: string): boolean {
  loadedText = null;
  // `whole` is decoded from the units' bytes as UTF-16LE.
  if (!LITTLE_ENDIAN) return false;
  const length = text.length;
  const units = spacedUnits.load(text);
  if (positions.length < length) positions = new Int32Array(2 * length);
  const map = positions;
  if (collapsedUnits.length < length + 1) {
    // The collapsed text is never longer than the text (+ 1: a scratch unit, see below).
    collapsedBytes = Buffer.alloc(4 * length + 4);
    collapsedUnits = new Uint16Array(collapsedBytes.buffer, collapsedBytes.byteOffset, 2 * length + 2);
  }
  const out = collapsedUnits;
  // Canonical case and collapsed whitespace in one pass, without a branch on the character
  // (where words end is unpredictable: the branching loops took twice as long). A whitespace
  // unit is written at `written` too, as scratch: the next unit overwrites it, and past the
  // end it is not part of the string.
  let written = 0;
  let pendingSpace = 0;
  for (let index = 0; index < length; index++) {
    const canonical = CANONICAL_UNIT[units[index]!]!;
    if (canonical === NOT_INERT) return false;
    units[index] = canonical;
    const space = INERT_WHITESPACE[canonical]!;
    // One space before a non-whitespace unit that follows whitespace (not at the start).
    out[written] = 0x20;
    written += pendingSpace & (space ^ 1);
    out[written] = canonical;
    // −1 for whitespace.
    map[index] = written | -space;
    written += space ^ 1;
    pendingSpace = space & (-written >>> 31);
  }
  // One string for all windows (one-byte when every unit fits in a byte).
  whole = collapsedBytes.toString('utf16le', 0, 2 * written);
  loadedText = text;
  return true;
}

/**
 * The loaded canonical whole text, of which every inertWindowView is a slice, when `text` is
 * the text last loaded (loadInertText returned true for it); otherwise null.
 */
export function inertWholeOf(text: string): string | null {
  return loadedText === text ? whole : null;
}

/**
 * `canonicalizeKeepSpacing(text)` when `text` is the text last loaded (loadInertText returned
 * true for it: the per-unit map of the text, see above), decoded from the loaded units without
 * the NFKC pass; otherwise null.
 */
export function inertSpacedTextOf(text: string): string | null {
  if (loadedText !== text) return null;
  const units = spacedUnits.units;
  return Buffer.from(units.buffer, units.byteOffset, 2 * text.length).toString('utf16le');
}

/**
 * Where `inertWindowView(start, end)` lies in the whole text: returns its start (−1 when the
 * view is empty); its end is inertRangeEnd().
 */
export function inertWindowRange(start: number, end: number): number {
  const map = positions;
  let first = start;
  while (first < end && map[first]! < 0) first++;
  let last = end - 1;
  while (last >= first && map[last]! < 0) last--;
  if (first > last) return -1;
  rangeEnd = map[last]! + 1;
  return map[first]!;
}

/** End of the range of the last inertWindowRange call. */
export function inertRangeEnd(): number {
  return rangeEnd;
}

/**
 * Lower-cases `units[0 … length)` in place when every unit is inert and returns true; returns
 * false at the first unit that is not, or that is INERT_MAPPED (the units before it are
 * lowered). For a text of inert
 * units this is `text.toLowerCase()` unit by unit, which is also its canonical form with
 * spacing kept (see above), so a caller can skip both copies.
 */
export function lowerIfInert(units: Uint16Array, length: number): boolean {
  for (let index = 0; index < length; index++) {
    const lower = LOWER_UNIT[units[index]!]!;
    if (lower === NOT_INERT) return false;
    units[index] = lower;
  }
  return true;
}

/** `canonicalize(text.slice(start, end))` of the loaded text: a slice of the collapsed whole. */
export function inertWindowView(start: number, end: number): string {
  const from = inertWindowRange(start, end);
  viewStart = from;
  return from < 0 ? '' : whole.slice(from, rangeEnd);
}

/**
 * Where the last inertWindowView lies in inertCollapsedUnits() (−1 when it was empty): its code
 * units are `units[start … start + view.length)`.
 */
export function inertViewStart(): number {
  return viewStart;
}

/**
 * The loaded text's collapsed canonical units, of which `whole` was decoded (valid until the
 * next loadInertText).
 */
export function inertCollapsedUnits(): Uint16Array {
  return collapsedUnits;
}

/** The loaded text's canonical units with spacing kept (`units[start … end)` of a window). */
export function inertSpacedUnits(): Uint16Array {
  return spacedUnits.units;
}
