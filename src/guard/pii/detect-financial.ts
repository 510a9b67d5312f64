/**
 * Payment cards and IBANs. Cards: 13–19 digits, optionally grouped by single spaces or dashes,
 * that pass Luhn AND start with an issuer prefix (IIN) whose network uses that length — the
 * prefix check removes most of the 1-in-10 Luhn passes of random numbers. IBANs: country code,
 * two check digits, the BBAN; the per-country length decides where the IBAN ends (so a
 * following word in capitals is not swallowed) and mod-97 must be 1, in any letter case (a
 * lower-case one needs a mostly-digit BBAN).
 */
import { ibanMod97Valid, luhnValid } from './checksums.js';
import { CARD_CUES } from './context.js';
import { looksLikeCnId } from './detect-national-ids.js';
import { IBAN_LENGTHS } from './iban-lengths.js';
import { labelledAsIdentifier } from './phone-vetoes.js';
import type { Progress } from './progress.js';
import type { PiiCandidate } from './types.js';

/** [first prefix, last prefix (same number of digits), shortest length, longest length]. */
type IinRange = readonly [string, string, number, number];

// Public issuer ranges (ISO/IEC 7812 registrations as published by the networks; the broad
// Maestro ranges 50, 56–59 and 6 are those card-type validators use, and they also cover
// Discover, UnionPay, RuPay, Verve, Elo, Troy and other domestic schemes starting 50 or 6).
// Maestro is the one network that issues 12-digit numbers: only its own IINs (and the broad
// 56–58 block) are accepted at 12, where a random Luhn pass is likeliest.
const IIN_RANGES: readonly IinRange[] = [
  ['4', '4', 13, 13], // Visa (13, 16 or 19 digits; Visa Electron inside)
  ['4', '4', 16, 16],
  ['4', '4', 19, 19],
  ['51', '55', 16, 16], // Mastercard
  ['2221', '2720', 16, 16], // Mastercard 2-series
  ['34', '34', 15, 15], // American Express
  ['37', '37', 15, 15], // American Express
  ['300', '305', 14, 19], // Diners Club Carte Blanche / International
  ['3095', '3095', 14, 19], // Diners Club International
  ['36', '36', 14, 19], // Diners Club International
  ['38', '39', 14, 19], // Diners Club International
  ['3528', '3589', 16, 19], // JCB
  ['3088', '3094', 16, 16], // JCB (ranges registered before 3528–3589)
  ['3096', '3102', 16, 16], // JCB
  ['3112', '3120', 16, 16], // JCB
  ['3158', '3159', 16, 16], // JCB
  ['3337', '3349', 16, 16], // JCB
  ['1800', '1800', 15, 15], // JCB (15-digit legacy range)
  ['2131', '2131', 15, 15], // JCB (15-digit legacy range)
  ['81', '82', 16, 19], // UnionPay / RuPay domestic
  ['2200', '2204', 16, 19], // Mir
  ['50', '50', 13, 19], // Maestro, Elo, Verve, RuPay
  ['56', '59', 13, 19], // Maestro
  ['6', '6', 13, 19], // Discover, UnionPay, Maestro, RuPay, Troy, InstaPayment, Dankort…
  ['9792', '9792', 16, 16], // Troy
  ['1', '1', 15, 15], // UATP
  ['5018', '5018', 12, 12], // Maestro at 12 digits: its registered IINs…
  ['5020', '5020', 12, 12],
  ['5038', '5038', 12, 12],
  ['5893', '5893', 12, 12],
  ['6304', '6304', 12, 12],
  ['6390', '6390', 12, 12],
  ['6759', '6759', 12, 12],
  ['6761', '6763', 12, 12],
  ['0604', '0604', 12, 19], // Maestro (an early IIN that starts with 0)
  ['56', '58', 12, 12], // …and the broad Maestro block
];

export function knownCardPrefix(digits: string): boolean {
  for (const [low, high, shortest, longest] of IIN_RANGES) {
    if (digits.length < shortest || digits.length > longest) continue;
    const prefix = digits.slice(0, low.length);
    if (prefix >= low && prefix <= high) return true;
  }
  return false;
}

// A whole run of digit groups joined by single spaces or dashes. Not after '+': "+4908…" is
// an international phone number whatever its Luhn sum.
const CARD = /(?<![\w+-])\d(?:[ -]?\d){11,}(?![ -]?\d)/g;

function isCard(digits: string): boolean {
  return digits.length >= 12 && digits.length <= 19 && luhnValid(digits) && knownCardPrefix(digits);
}

/**
 * Cards in one run of groups: from every group that may start a card, the longest run of whole
 * groups that is a card; then the longest of those that do not overlap. A card may start after
 * an unrelated number ("order 12 4111 …") only across a space: dashes bind groups into one
 * identifier (an 8-4-4-4-12 id is not a card). Card groups are 3–6 digits (4-4-4-4, 4-6-5,
 * 4-4-4-4-3); a group of 12–19 digits is a card only on its own.
 */
function cardsInRun(raw: string): Array<[number, number]> {
  const groups = raw.split(/[ -]/);
  const found: Array<[number, number]> = [];
  let afterCard = 0;
  let offset = 0;
  for (let first = 0; first < groups.length; offset += groups[first]!.length + 1, first++) {
    if (first > 0 && raw.charAt(offset - 1) !== ' ') continue;
    // A grouped card opens with a group of 3–6 digits ("5-8326-6359-3094" is an id).
    if (groups[first]!.length < 3) continue;
    let digits = '';
    let end = offset;
    let best = -1;
    let bestLast = -1;
    let bestLength = 0;
    for (let last = first; last < groups.length; last++) {
      const size = groups[last]!.length;
      if (size > 6 && last > first) break;
      digits += groups[last];
      if (digits.length > 19) break;
      end += size + (last === first ? 0 : 1);
      if (isCard(digits)) {
        best = end;
        bestLast = last;
        bestLength = digits.length;
      }
      if (size > 6) break;
    }
    if (best < 0) continue;
    // Inside a longer run of groups (a tracking number "9056 4479 2263 3400 2503 47") a card
    // may have more digits after it or before it, not both, unless what precedes is itself a
    // card (a list of cards); what follows must be set apart by a space ("5219-0782-6791-8193-8"
    // is one id); a 12-digit card must be the whole run.
    const more = bestLast < groups.length - 1;
    if ((first > 0 && more && first !== afterCard) || (more && raw.charAt(best) === '-')) continue;
    if (bestLength === 12 && (first > 0 || more)) continue;
    // After other numbers, only whole card groups (3+ digits) say where the card ends.
    if (first > 0 && groups.slice(first, bestLast + 1).some((group) => group.length < 3)) continue;
    found.push([offset, best]);
    afterCard = bestLast + 1;
  }
  if (found.length < 2) return found;
  const chosen: Array<[number, number]> = [];
  for (const span of found.sort(
    (left, right) => right[1] - right[0] - (left[1] - left[0]) || left[0] - right[0],
  )) {
    if (chosen.every(([start, end]) => span[1] <= start || end <= span[0])) chosen.push(span);
  }
  return chosen.sort((left, right) => left[0] - right[0]);
}

// Printed card groupings: 4-4-4-4(-3), Amex 4-6-5, Diners 4-6-4, or bare.
const CARD_LAYOUT =
  /^(?:\d{12,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5})$/;
// Dots are a rare card separator; only the full 4-4-4-4 layout is read with them.
const DOTTED_CARD = /(?<![\w+.-])\d{4}(?:\.\d{4}){3}(?:\.\d{3})?(?![\w-]|\.\d)/g;

function pushCard(out: PiiCandidate[], start: number, end: number, score: number): void {
  out.push({ type: 'CREDIT_CARD', start, end, score, validated: score === 1 });
}

/**
 * Card candidates in text[from, to). Besides checksum-proven cards, a whole run laid out like a
 * card, with an issuer prefix of a matching length, right after a card cue ("card number",
 * "visa", "卡号") is reported at 0.6 even when Luhn fails: a mistyped card number is still one.
 */
export function detectCards(text: string, from: number, to: number, out: PiiCandidate[]): void {
  const window = text.slice(from, to);
  CARD.lastIndex = 0;
  for (let match = CARD.exec(window); match !== null; match = CARD.exec(window)) {
    const raw = match[0];
    const start = from + match.index;
    const cards = cardsInRun(raw);
    for (const [spanStart, spanEnd] of cards) {
      // A bare 18-digit run shaped like a CN resident ID is left to that detector.
      const value = raw.slice(spanStart, spanEnd);
      if (value.length === 18 && /^\d+$/.test(value) && looksLikeCnId(value)) continue;
      pushCard(out, start + spanStart, start + spanEnd, 1);
    }
    if (
      cards.length === 0 &&
      CARD_LAYOUT.test(raw) &&
      cardCued(text, start) &&
      !labelledAsIdentifier(text, start)
    ) {
      const digits = raw.replace(/[ -]/g, '');
      if (digits.length >= 13 && knownCardPrefix(digits)) pushCard(out, start, start + raw.length, 0.6);
    }
  }
  if (!window.includes('.')) return;
  DOTTED_CARD.lastIndex = 0;
  for (let match = DOTTED_CARD.exec(window); match !== null; match = DOTTED_CARD.exec(window)) {
    if (isCard(match[0].replace(/\./g, ''))) {
      pushCard(out, from + match.index, from + match.index + match[0].length, 1);
    }
  }
}

/** A card cue in the 32 characters before `start`, with no other digit in between. */
function cardCued(text: string, start: number): boolean {
  let before = text.slice(Math.max(0, start - 32), start);
  const digit = before.search(/\d[^\d]*$/);
  if (digit >= 0) before = before.slice(digit + 1);
  return CARD_CUES.test(before);
}

// Any case: ISO 13616 prints IBANs in upper case, but people type them in lower case too
// ("iban de89 3704 …"); mod-97 is what proves one, and it does not depend on the case.
const IBAN = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,31}/g;

function isAlphanumeric(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * Every attempt of IBAN (and the check after a match) reads at most this many characters from
 * where it starts: 4 + 31 × 2, and one more.
 */
const IBAN_REACH = 70;

/** IBANs from `from` on. */
export function detectIbans(text: string, out: PiiCandidate[], from = 0): Progress {
  const base = out.length;
  // Attempts starting this far from the end have read only text that is already there.
  const settled = text.length - IBAN_REACH;
  IBAN.lastIndex = from;
  for (;;) {
    const searchedFrom = IBAN.lastIndex;
    const match = IBAN.exec(text);
    if (match === null || match.index > settled) {
      const progress = { resume: Math.max(searchedFrom, settled), final: out.length - base };
      if (match !== null) scanIbansFrom(text, match, out);
      return progress;
    }
    checkIban(text, match, out);
  }
}

/** Checks `match` and every later match (not final: the caller has its progress). */
function scanIbansFrom(text: string, first: RegExpExecArray, out: PiiCandidate[]): void {
  for (let match: RegExpExecArray | null = first; match !== null; match = IBAN.exec(text)) {
    checkIban(text, match, out);
  }
}

function mostlyDigits(value: string): boolean {
  let digits = 0;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code >= 48 && code <= 57) digits++;
  }
  return digits * 2 >= value.length;
}

/** Reports `match` when it is an IBAN; then the scan continues after it. */
function checkIban(text: string, match: RegExpExecArray, out: PiiCandidate[]): void {
  const raw = match[0];
  const expected = IBAN_LENGTHS.get(raw.slice(0, 2).toUpperCase());
  if (expected === undefined) return;
  let compact = '';
  let end = 0;
  while (end < raw.length && compact.length < expected) {
    const character = raw[end]!;
    if (character !== ' ') compact += character;
    end++;
  }
  if (compact.length !== expected) return;
  const absoluteEnd = match.index + end;
  // The IBAN must not run on into a longer alphanumeric token.
  if (absoluteEnd < text.length && isAlphanumeric(text.charCodeAt(absoluteEnd))) return;
  const upper = compact.toUpperCase();
  // Not upper case: one string in 97 passes mod-97, so lower-case words of the right length
  // would too now and then ("de96 meetingroomsixteen"); real account numbers are mostly digits
  // (GB and NL bank codes are 4 of 14–18 characters, the most letter-heavy BBANs under half).
  if (upper !== compact && !mostlyDigits(compact.slice(4))) return;
  if (!ibanMod97Valid(upper)) return;
  out.push({ type: 'IBAN', start: match.index, end: absoluteEnd, score: 1, validated: true });
  IBAN.lastIndex = absoluteEnd;
}
