/**
 * The Caesar/Atbash census of the scan views (scan-views.ts, view kind 'cipher'): a window whose
 * letters fit English better under a Caesar shift (ROT13 included) or Atbash than as written is
 * also read deciphered, without a word in the text about the cipher.
 *
 * Cost matters because the census runs on every window of every input (five 512-character
 * windows per 2 KB prompt). Two things keep it to a pass of typed-array reads for ordinary text
 * (docs/guardrails-latency.md, session 9):
 * - inert texts (inert-views.ts) are counted from the collapsed code units the window's view is
 *   a slice of, not through `charCodeAt` on the slice (whose property loads go megamorphic in a
 *   gateway that sees every kind of string);
 * - the fit of the 26 substitutions is computed only when it can pass. By Cauchy–Schwarz no
 *   substitution fits better than ‖English frequencies‖ × ‖letter counts‖ (a substitution only
 *   permutes the counts, which keeps their norm); when that bound is below what a fit must reach,
 *   the answer is null without the 27 × 26 products. Every bench prompt's window and nine in ten
 *   of the equivalence corpus's end there.
 * Both give the same answer as counting the string and computing every fit.
 */

/**
 * English letter frequencies (per mille, a–z). A text of English words correlates with these
 * best as written; the same words under a Caesar shift or Atbash correlate best under the
 * inverse substitution. Other languages in Latin script share the shape (e, a, i, n, o, r, s, t
 * frequent; j, k, q, w, x, z rare) closely enough that they too fit best as written.
 */
const ENGLISH_LETTERS = [
  82, 15, 28, 43, 127, 22, 20, 61, 70, 2, 8, 40, 24, 67, 75, 19, 1, 60, 63, 91, 28, 10, 24, 2, 20, 1,
];
/** ‖ENGLISH_LETTERS‖², for the bound above. */
const ENGLISH_SQUARES = ENGLISH_LETTERS.reduce((sum, value) => sum + value * value, 0);
/** Fewest letters read: a shorter text's census does not say which substitution fits. */
const CIPHER_MIN_LETTERS = 24;
/** Fewest distinct letters: an enciphered sentence of 24 letters has 12–16. */
const CIPHER_MIN_DISTINCT = 10;
/** Windows longer than this are sampled at every CIPHER_STRIDE-th character. */
const CIPHER_SAMPLE_FROM = 512;
const CIPHER_STRIDE = 4;
/**
 * How much better than the text as written a substitution must fit English: on the tune texts as
 * written the ratio is 0.74 at the median and 0.92 at the 99th percentile (above 1.15 only runs
 * of one repeated letter, "k k k …"); enciphered with ROT13, Caesar-3, Caesar-7 or Atbash, 99.9 %
 * of the tune attacks pass 1.15.
 */
const CIPHER_MARGIN = 1.15;
/** How well it must fit at least (per letter; English text ≈ 62, uniform letters ≈ 38). */
const CIPHER_MIN_FIT = 52;
/**
 * The bound's test keeps this relative margin, far above the rounding of its floating-point
 * products (about 1e-16), so that it never says "cannot pass" for a text that passes.
 */
const BOUND_SLACK = 1 - 1e-9;
/**
 * The census's bins: a–z, then one for every other unit (LETTER_BIN), so that the count is one
 * table read and one increment per unit, without a branch on letters (which prose makes
 * unpredictable: the branching loop took about twice as long per window).
 */
const letterBins = new Int32Array(27);
const letterCounts = letterBins.subarray(0, 26);
/** Code unit → its letter's bin (a–z: 0–25), 26 for every other unit. */
const LETTER_BIN = new Uint8Array(65_536).fill(26);
for (let letter = 0; letter < 26; letter++) LETTER_BIN[0x61 + letter] = letter;
/** The counts twice over, so that a shifted index needs no `% 26`. */
const doubledCounts = new Int32Array(52);

/** The letters sampled (every `stride`-th unit) for a text of `length` units. */
function strideOf(length: number): number {
  // Letter frequencies need a few hundred letters, not every one: a long window is sampled at
  // every CIPHER_STRIDE-th character (a 2 KB window still gives ≈ 400 letters).
  return length > CIPHER_SAMPLE_FROM ? CIPHER_STRIDE : 1;
}

/**
 * The text decoded, when a Caesar shift (ROT13 included) or Atbash of it reads like English
 * letter by letter and the text as written does not; otherwise null. One pass counts the
 * letters of `canonical` (lower case; every fourth character of a long window).
 */
export function decipherIfSubstituted(canonical: string): string | null {
  const bins = letterBins;
  bins.fill(0);
  const length = canonical.length;
  const stride = strideOf(length);
  for (let index = 0; index < length; index += stride) bins[LETTER_BIN[canonical.charCodeAt(index)]!]!++;
  return decipherCounted(canonical);
}

/**
 * decipherIfSubstituted(canonical) when `units[from … from + canonical.length)` holds the code
 * units of `canonical` (the collapsed units of an inert text: inert-views.ts).
 */
export function decipherUnitsIfSubstituted(
  canonical: string,
  units: Uint16Array,
  from: number,
): string | null {
  const bins = letterBins;
  bins.fill(0);
  const end = from + canonical.length;
  const stride = strideOf(canonical.length);
  for (let index = from; index < end; index += stride) bins[LETTER_BIN[units[index]!]!]!++;
  return decipherCounted(canonical);
}

/** The decision and decoding of decipherIfSubstituted, from the counts in letterCounts. */
function decipherCounted(canonical: string): string | null {
  const counts = letterCounts;
  let letters = 0;
  let distinct = 0;
  let squares = 0;
  let asWritten = 0;
  for (let letter = 0; letter < 26; letter++) {
    const count = counts[letter]!;
    letters += count;
    // Sentences use many letters; runs of one letter ("k k k …") and hex lists ("0x44, 0x69")
    // fit a shift by accident and decode to nothing.
    distinct += count > 0 ? 1 : 0;
    squares += count * count;
    // fit(0): the text as written.
    asWritten += ENGLISH_LETTERS[letter]! * count;
  }
  if (letters < CIPHER_MIN_LETTERS || distinct < CIPHER_MIN_DISTINCT) return null;
  // A fit must reach both thresholds of the test below; no fit exceeds √(ENGLISH_SQUARES × squares).
  const needed = Math.max(asWritten * CIPHER_MARGIN, CIPHER_MIN_FIT * letters);
  if (ENGLISH_SQUARES * squares < needed * needed * BOUND_SLACK) return null;
  const doubled = doubledCounts;
  doubled.set(counts, 0);
  doubled.set(counts, 26);
  // fit(shift): the plain letter p was written as p + shift.
  let bestFit = 0;
  let bestShift = 0;
  for (let shift = 1; shift < 26; shift++) {
    let fit = 0;
    for (let plain = 0; plain < 26; plain++) fit += ENGLISH_LETTERS[plain]! * doubled[plain + shift]!;
    if (fit > bestFit) {
      bestFit = fit;
      bestShift = shift;
    }
  }
  let atbash = 0;
  for (let plain = 0; plain < 26; plain++) atbash += ENGLISH_LETTERS[plain]! * counts[25 - plain]!;
  const useAtbash = atbash > bestFit;
  const fit = useAtbash ? atbash : bestFit;
  if (fit < asWritten * CIPHER_MARGIN || fit < CIPHER_MIN_FIT * letters) return null;
  let decoded = '';
  for (let index = 0; index < canonical.length; index++) {
    const code = canonical.charCodeAt(index) - 0x61;
    decoded +=
      code >= 0 && code < 26
        ? String.fromCharCode(0x61 + (useAtbash ? 25 - code : (code - bestShift + 26) % 26))
        : canonical[index]!;
  }
  return decoded;
}
