/**
 * Telephone numbers, all reported as PHONE. Four shapes, each from its numbering plan:
 * - international (E.164): `+` or `00`, country code, 8–15 digits in all, any grouping;
 * - North American (NANP): optional 1 / +1 / 001 / 011 1, then 3-3-4 digits, `(555) 123-4567`,
 *   optional extension;
 * - national with a trunk 0 (UK, most of Europe, Chinese landlines): 10–12 digits grouped;
 * - Chinese mobile: 1[3-9]x xxxx xxxx with optional +86, spaces or dashes, in running text;
 * - other national numbers in ITU-T E.123 notation: grouped digits, area code in parentheses.
 * Bare digit runs (no separator, no `+`) are too ambiguous outside the Chinese mobile shape
 * and count only next to a cue word ("phone", "电话"). Dates and short numbers never match:
 * every shape needs at least 10 digits (8 after a `+`) and date-shaped groups are refused.
 */
import { digitsOf, hasCue, PHONE_CUES } from './context.js';
import type { NumericWindow } from './numeric-windows.js';
import type { PiiCandidate } from './types.js';

const CN_MOBILE = /(?<![\d+.])(?:(?:\+|00)86[ -]?|\(\+?86\) ?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)/g;
const INTERNATIONAL =
  /(?<![\w+(.\-/])(?:\(\+[1-9]\d{0,3}\)|(?:\+|00)[1-9]\d{0,3})(?:[ .-]?\(0\))?(?:[ .\-/]?(?:\(\d{1,5}\)|\d{1,6})){1,7}(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?(?!\w|[-./]\d)/gi;
const NANP =
  /(?<![\w+.\-/])(?:(?:\+?1|00 ?1|011 ?1)[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-]?)\d{3}[ .-]?\d{4}(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?(?![\w-])/gi;
const NATIONAL =
  /(?<![\w+.\-/])(?:\(0[1-9]\d{0,3}\)|0[1-9]\d{0,3})(?:[ .\-/]?\d{2,8}){1,4}(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?(?![\w-])/gi;
// ITU-T E.123 national notation without a trunk 0: an area code (often in parentheses) and
// groups of 2–5 digits, e.g. "(11) 96123-4567", "8 (912) 345-67-89", "912 34 56 78".
const GROUPED =
  /(?<![\w+.\-/(])(?:(?:\d{1,4}[ .-]?)?\(\d{2,5}\)[ .-]?|\d{1,5}[ .-])(?:\d{2,5}[ .-]){0,4}\d{2,5}(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?(?![\w-])/gi;
const YEAR = /^(?:19|20)\d\d$/;
const SSN_SHAPE = /^\d{3}-\d{2}-\d{4}$/;
const DATE_PREFIX = /^(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2})(?!\d)/;
const EXTENSION = /\s?(?:x|ext\.?|extension)\s?\d{1,6}$/i;
const SEPARATOR = /[ .\-/()]/;

function push(out: PiiCandidate[], start: number, end: number, score: number): void {
  out.push({ type: 'PHONE', start, end, score, validated: false });
}

/** Phones in one numeric window of the text. */
export function detectPhones(text: string, numbers: NumericWindow, out: PiiCandidate[]): void {
  const { from, to, digits } = numbers;
  const window = text.slice(from, to);
  const cued = hasCue(text, from, to, PHONE_CUES);
  CN_MOBILE.lastIndex = 0;
  for (let match = CN_MOBILE.exec(window); match !== null; match = CN_MOBILE.exec(window)) {
    const start = from + match.index;
    push(out, start, start + match[0].length, match[0].length > 13 || cued ? 0.9 : 0.85);
  }
  // Whatever its grouping, 8–13 digits right after "phone", "call me at", "电话"… is a number
  // to dial (national plans with 8- and 9-digit numbers have no other tell). Without a cue a
  // bare digit run is a phone only in the Chinese mobile shape above.
  if (cued) detectCued(window, from, out);
  else if (numbers.bare) return;
  if (numbers.international) detectInternational(text, window, from, out);
  // Below nine digits only an international prefix or a cue word makes a phone number.
  if (digits >= 9) {
    detectNanp(text, window, from, out);
    if (window.includes('0')) detectNational(text, window, from, out);
    detectGrouped(text, window, from, out);
  }
}

function detectInternational(text: string, window: string, from: number, out: PiiCandidate[]): void {
  INTERNATIONAL.lastIndex = 0;
  for (let match = INTERNATIONAL.exec(window); match !== null; match = INTERNATIONAL.exec(window)) {
    let raw = match[0];
    const extension = EXTENSION.exec(raw);
    let national = extension ? raw.slice(0, extension.index) : raw;
    let count = digitsOf(national.replace('(0)', '')).length - (national.startsWith('00') ? 2 : 0);
    // A run longer than E.164 allows has swallowed a following number: drop trailing groups.
    while (count > 15) {
      // Only across a space: a dash or dot binds the run into one longer identifier.
      const cut = national.lastIndexOf(' ');
      if (cut <= 0) break;
      national = national.slice(0, cut);
      raw = national;
      count = digitsOf(national.replace('(0)', '')).length - (national.startsWith('00') ? 2 : 0);
    }
    if (count < 8 || count > 15) continue;
    if (raw.startsWith('00') && !SEPARATOR.test(raw)) continue;
    const start = from + match.index;
    const end = start + raw.length;
    push(out, start, end, hasCue(text, start, end, PHONE_CUES) ? 0.9 : 0.85);
  }
}

function detectNanp(text: string, window: string, from: number, out: PiiCandidate[]): void {
  NANP.lastIndex = 0;
  for (let match = NANP.exec(window); match !== null; match = NANP.exec(window)) {
    const raw = match[0];
    const extension = EXTENSION.exec(raw);
    const body = extension ? raw.slice(0, extension.index) : raw;
    const digits = digitsOf(body);
    const national = digits.slice(digits.length - 10);
    const start = from + match.index;
    const end = start + raw.length;
    const cued = hasCue(text, start, end, PHONE_CUES);
    // The separators must be inside the ten digits: in "1.3730698372" the only one follows
    // the "1" and the run is a decimal number.
    if (!SEPARATOR.test(nationalPart(body)) && !body.startsWith('+') && !cued) continue;
    // NANP: area code and exchange start with 2-9; other digits still look like a phone
    // when written in the 3-3-4 shape, only with less confidence.
    const planValid = national.charCodeAt(0) >= 50 && national.charCodeAt(3) >= 50;
    push(out, start, end, (planValid ? 0.8 : 0.65) + (cued ? 0.1 : 0));
  }
}

function detectNational(text: string, window: string, from: number, out: PiiCandidate[]): void {
  NATIONAL.lastIndex = 0;
  for (let match = NATIONAL.exec(window); match !== null; match = NATIONAL.exec(window)) {
    const raw = match[0];
    if (DATE_PREFIX.test(raw)) continue;
    const extension = EXTENSION.exec(raw);
    const count = digitsOf(extension ? raw.slice(0, extension.index) : raw).length;
    const start = from + match.index;
    const end = start + raw.length;
    const cued = hasCue(text, start, end, PHONE_CUES);
    if (count > 12 || count < (cued ? 9 : 10)) continue;
    if (!SEPARATOR.test(raw) && !cued) continue;
    push(out, start, end, cued ? 0.8 : 0.65);
  }
}

/**
 * Grouped numbers are the weakest shape, so the groups must not read as something else:
 * thousands (1 234 567 890), a list of years (2019 2020 2021), a date, or small numbers only.
 */
function detectGrouped(text: string, window: string, from: number, out: PiiCandidate[]): void {
  GROUPED.lastIndex = 0;
  for (let match = GROUPED.exec(window); match !== null; match = GROUPED.exec(window)) {
    const raw = match[0];
    const extension = EXTENSION.exec(raw);
    const body = extension ? raw.slice(0, extension.index) : raw;
    const groups = body.split(/[ .\-()]+/).filter((group) => group !== '');
    const count = groups.reduce((total, group) => total + group.length, 0);
    if (count < 9 || count > 13 || DATE_PREFIX.test(body)) continue;
    if (groups.length < (body.includes('(') ? 2 : 3) || !groups.some((group) => group.length >= 3)) continue;
    if (groups.slice(1).every((group) => group.length === 3) && groups[0]!.length <= 3 && !body.includes('('))
      continue;
    if (groups.filter((group) => YEAR.test(group)).length >= 2 || SSN_SHAPE.test(body)) continue;
    const start = from + match.index;
    const end = start + raw.length;
    push(out, start, end, hasCue(text, start, end, PHONE_CUES) ? 0.8 : 0.6);
  }
}

const CUED = /(?<![\w+.\-/])[+(]{0,2}\d(?:[ \-./()]{0,2}\d){7,}(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?/gi;

function detectCued(window: string, from: number, out: PiiCandidate[]): void {
  CUED.lastIndex = 0;
  for (let match = CUED.exec(window); match !== null; match = CUED.exec(window)) {
    const raw = match[0];
    const extension = EXTENSION.exec(raw);
    const body = extension ? raw.slice(0, extension.index) : raw;
    const count = digitsOf(body).length;
    if (count < 8 || count > 13 || DATE_PREFIX.test(body) || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(body)) continue;
    const start = from + match.index;
    push(out, start, start + raw.length, 0.7);
  }
}

/** A NANP match without its country prefix (1, +1, 001, 011 1 and the separator after it). */
function nationalPart(body: string): string {
  return body.replace(/^(?:\+?1|00 ?1|011 ?1)(?=[ .-]?(?:\(\d{3}\)|\d{3}[ .-]?\d{3}[ .-]?\d{4}$))[ .-]?/, '');
}
