/**
 * Telephone numbers, all reported as PHONE. Five shapes, each from its numbering plan:
 * - international (E.164): `+` or `00`, country code, 8–15 digits in all, any grouping;
 * - North American (NANP): optional 1 / +1 / 001 / 011 1, then 3-3-4 digits, `(555) 123-4567`,
 *   optional extension;
 * - national with a trunk 0 (UK, most of Europe, Japan, Korea, Chinese landlines): 9–13 digits
 *   grouped;
 * - Chinese mobile: 1[3-9]x xxxx xxxx with optional +86, spaces or dashes, in running text;
 * - other national numbers in ITU-T E.123 notation: grouped digits, area code in parentheses;
 *   without a cue word, eight and nine digits only as a whole spaced run (4-4, 2-2-2-2, 3-3-3)
 *   with no currency, unit or amount word next to it, or as a field of a contact record
 *   (contact-record.ts: "Maria Lopez, 578-6461, 12 High Street", seven digits included);
 *   a two- or three-digit country code in parentheses before a whole national number.
 * A bare digit run (no separator, no `+`) is a phone only as a whole Chinese mobile, trunk-0
 * national or plan-valid NANP number, or next to a cue word ("phone", "电话", or right before
 * it an idiom such as "my number is"), which also admits a seven-digit local number. Every pattern-only match must pass the vetoes of
 * phone-vetoes.ts (identifier labels, dates, decimals, years, ISBNs) and must not be the tail
 * of a longer number.
 */
import { contactRecord, recordShapeRefused, roundRange } from './contact-record.js';
import { digitsOf } from './context.js';
import type { NumericWindow } from './numeric-windows.js';
import { cueRightBefore, isDigit, phoneCued } from './phone-cues.js';
import { labelledAsIdentifier, notAPhone, shapedLikeNonPhone } from './phone-vetoes.js';
import type { PiiCandidate } from './types.js';

const CN_MOBILE = /(?<![\d+.])(?:(?:\+|00)86[ -]?|\(\+?86\) ?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)/g;
const INTERNATIONAL =
  /(?<![\w+(.\-/])(?:\(\+[1-9]\d{0,3}\)|\+\([1-9]\d{0,3}\)|(?:\+|00)[1-9]\d{0,3})(?:[ .-]?\(0\))?(?:[ .\-/]?(?:\(\d{1,5}\)|\d{1,6})){1,7}(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?(?!\w|[-./]\d)/gi;
const NANP =
  /(?<![\w+.\-/])(?:(?:\+?1|00 ?1|011 ?1)[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-]?)\d{3}[ .-]?\d{4}(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?(?![\w-])/gi;
// Japanese numbers have one-digit groups inside ("07972-7-1492"); the last group never.
const NATIONAL =
  /(?<![\w+.\-/])(?:\(0[1-9]\d{0,3}\)|0[1-9]\d{0,3})(?:[ .\-/]?\d{1,10}){0,3}[ .\-/]?\d{2,10}(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?(?![\w-])/gi;
// A whole bare run in the national trunk-0 shape: 0, a non-zero digit, 10–11 digits in all.
const BARE_NATIONAL = /^0[1-9]\d{8,9}$/;
// A whole bare run of ten digits that the North American plan allows: area code and exchange
// start with 2–9, neither is an N11 service code, and no area code has 9 in the middle (N9X is
// reserved). Unix times (1…) and most zero-padded ids fail it.
const BARE_NANP = /^[2-9](?!11)[0-8]\d[2-9](?!11)\d{6}$/;
// A whole bare run of ten digits in India's mobile plan: 6–9 and nine digits (TRAI's national
// numbering plan gives every mobile number this shape; written without its 0 or +91 more often
// than not). Unix times of this century start with 1 and fail it.
const BARE_IN_MOBILE = /^[6-9]\d{9}$/;
// A seven-digit local number (NXX-XXXX), only right after a phone cue ("call 555-1234"); a
// dotted one reads as a decimal and is vetoed.
// After a cue, a local number of seven digits in any of the usual layouts: bare ("7357963"),
// 3-4 ("555-1234"), 3-2-2 ("393 49 86"), 3-1-3 ("154 9 706"), 2-5 …
const CUED_LOCAL = /^(?:\d{7}|\d{3}\.\d{4}|\d{2,4}(?:[ -]\d{1,5}){1,2})$/;
const DOTTED_LOCAL = /^[2-9]\d{2}\.\d{4}$/;
const RECORD_LOCAL = /^\d{3}[-. ]\d{4}$|^\d{3} \d\d \d\d$/;
// ITU-T E.123 national notation without a trunk 0: an area code (often in parentheses) and
// groups of 2–5 digits, e.g. "(11) 96123-4567", "8 (912) 345-67-89", "912 34 56 78".
const GROUPED =
  /(?<![\w+.\-/(])(?:(?:\d{1,4}[ .-]?)?\(\d{2,5}\)[ .\-/]?|\d{1,5}[ .-])(?:\d{2,5}[ .-]){0,4}\d{2,8}(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?(?![\w-])/gi;
const SSN_SHAPE = /^\d{3}-\d{2}-\d{4}$/;
const EXTENSION = /\s?(?:x|ext\.?|extension)\s?\d{1,6}$/i;
const SEPARATOR = /[ .\-/()]/;

function push(out: PiiCandidate[], start: number, end: number, score: number): void {
  out.push({ type: 'PHONE', start, end, score, validated: false });
}

/** The match continues a longer number across one space ("3667 656112 8669"). */
function gluedBefore(text: string, start: number): boolean {
  return start >= 2 && text.charCodeAt(start - 1) === 32 && isDigit(text.charCodeAt(start - 2));
}

/** Not part of a word, a dashed or dotted identifier, or a path. */
function standsAlone(text: string, start: number, end: number): boolean {
  const before = start > 0 ? text.charAt(start - 1) : ' ';
  const after = text.charAt(end);
  return (
    !/[\w+.\-/]/.test(before) && !/[\w-]/.test(after) && !(after === '.' && isDigit(text.charCodeAt(end + 1)))
  );
}

function gluedAfter(text: string, end: number): boolean {
  return text.charCodeAt(end) === 32 && isDigit(text.charCodeAt(end + 1));
}

/** Phones in one numeric window of the text. */
/**
 * The text of one window's candidates with their cue and veto answers remembered: the shapes
 * overlap, so NANP, national, grouped and cued matches often ask about the same span.
 */
interface PhoneText {
  text: string;
  cued(start: number, end: number): boolean;
  vetoed(start: number, body: string): boolean;
}

function createPhoneText(text: string): PhoneText {
  const cues = new Map<number, boolean>();
  const vetoes = new Map<string, boolean>();
  return {
    text,
    cued(start, end) {
      const key = start * 65536 + end;
      const known = cues.get(key);
      if (known !== undefined) return known;
      const cued = phoneCued(text, start, end);
      cues.set(key, cued);
      return cued;
    },
    vetoed(start, body) {
      const key = `${start}:${body}`;
      const known = vetoes.get(key);
      if (known !== undefined) return known;
      const vetoed = notAPhone(text, start, body);
      vetoes.set(key, vetoed);
      return vetoed;
    },
  };
}

export function detectPhones(text: string, numbers: NumericWindow, out: PiiCandidate[]): void {
  const { from, to, digits } = numbers;
  if (digits < 8) {
    // Seven digits open a window only for a cued local number: check the shape first, since
    // most such windows in prose are something else.
    const run = text.slice(numbers.start, numbers.end);
    if (!CUED_LOCAL.test(run) || !standsAlone(text, numbers.start, numbers.end)) return;
    if (labelledAsIdentifier(text, numbers.start)) return;
    const dotted = run.includes('.');
    if (phoneCued(text, numbers.start, numbers.end)) {
      // "Phone: 599.2541" is NANP's dotted local number, but a dotted run is also a decimal: it
      // needs the cue right before it and an exchange of 2–9; other layouts pass the shape vetoes.
      if (dotted ? !DOTTED_LOCAL.test(run) || !cueRightBefore(text, numbers.start) : shapedLikeNonPhone(run))
        return;
      push(out, numbers.start, numbers.end, 0.7);
      return;
    }
    // In a contact record ("Maria Lopez, 578-6461, 12 High Street") a grouped seven-digit
    // number is a local phone number; seven bare digits are as often a count or an id.
    // Only the local layouts of NANP and its neighbours (3-4, 3.4, 3 2 2): a 4-3 run is also a
    // Portuguese postcode, and records carry addresses.
    if (!RECORD_LOCAL.test(run) || !contactRecord(text, numbers.start, numbers.end)) return;
    if (dotted ? !DOTTED_LOCAL.test(run) : shapedLikeNonPhone(run) || roundRange(run)) return;
    push(out, numbers.start, numbers.end, 0.6);
    return;
  }
  const window = text.slice(from, to);
  const context = createPhoneText(text);
  const cued = context.cued(numbers.start, numbers.end);
  CN_MOBILE.lastIndex = 0;
  for (let match = CN_MOBILE.exec(window); match !== null; match = CN_MOBILE.exec(window)) {
    const start = from + match.index;
    push(out, start, start + match[0].length, match[0].length > 13 || cued ? 0.9 : 0.85);
  }
  // Whatever its grouping, 8–13 digits right after "phone", "call me at", "电话"… is a number
  // to dial (national plans with 8- and 9-digit numbers have no other tell). Without a cue a
  // bare digit run is a phone only in the Chinese mobile shape above, as a whole national
  // number with its trunk 0 ("02071234567") or as a whole NANP number ("4155552671").
  if (cued) detectCued(context, window, from, out, false);
  else if (!numbers.bare) {
    // In a contact record any phone-shaped grouping counts (0.6); the spaced national shapes
    // still apply where the record's vetoes (spaced thousands) refuse one (0.5).
    if (contactRecord(text, numbers.start, numbers.end)) detectCued(context, window, from, out, true);
    if (digits === 8 || digits === 9) detectSpacedNational(context, numbers, out);
  }
  if (numbers.bare) {
    const run = text.slice(numbers.start, numbers.end);
    if (cued || !standsAlone(text, numbers.start, numbers.end)) return;
    const shape = BARE_NATIONAL.test(run) || BARE_NANP.test(run) || BARE_IN_MOBILE.test(run);
    if (shape && !context.vetoed(numbers.start, run)) push(out, numbers.start, numbers.end, 0.6);
    return;
  }
  if (numbers.international) detectInternational(context, window, from, out);
  else if (digits >= 10) detectCountryInParentheses(context, numbers, out);
  // Below nine digits only an international prefix or a cue word makes a phone number.
  if (digits >= 9) {
    detectNanp(context, window, from, out);
    if (window.includes('0')) detectNational(context, window, from, out);
    detectGrouped(context, window, from, out);
  }
}

function detectInternational(context: PhoneText, window: string, from: number, out: PiiCandidate[]): void {
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
    const start = from + match.index;
    // '00' is also how ids and amounts start: it needs a separator and no identifier label.
    if (raw.startsWith('00') && (!SEPARATOR.test(raw) || context.vetoed(start, national))) continue;
    const end = start + raw.length;
    push(out, start, end, context.cued(start, end) ? 0.9 : 0.85);
  }
}

function detectNanp(context: PhoneText, window: string, from: number, out: PiiCandidate[]): void {
  const { text } = context;
  NANP.lastIndex = 0;
  for (let match = NANP.exec(window); match !== null; match = NANP.exec(window)) {
    const raw = match[0];
    const extension = EXTENSION.exec(raw);
    const body = extension ? raw.slice(0, extension.index) : raw;
    const digits = digitsOf(body);
    const national = digits.slice(digits.length - 10);
    const start = from + match.index;
    const end = start + raw.length;
    if (!body.startsWith('(') && gluedBefore(text, start)) continue;
    if (!body.startsWith('+') && context.vetoed(start, body)) continue;
    const cued = context.cued(start, end);
    // The separators must be inside the ten digits: in "1.3730698372" the only one follows
    // the "1" and the run is a decimal number.
    // Without one, ten plan-valid digits with an extension ("5551234567x123") are a phone too.
    const joined = !SEPARATOR.test(nationalPart(body)) && !body.startsWith('+');
    if (joined && !cued && !(extension && BARE_NANP.test(digits))) continue;
    // NANP: area code and exchange start with 2-9; other digits still look like a phone
    // when written in the 3-3-4 shape, only with less confidence.
    const planValid = national.charCodeAt(0) >= 50 && national.charCodeAt(3) >= 50;
    push(out, start, end, (planValid ? 0.8 : 0.65) + (cued ? 0.1 : 0));
  }
}

/**
 * Trunk-0 national numbers: 10–13 digits (German numbers with a direct-dial suffix reach 13),
 * or 9 when the area code is short and set apart ("02-1561464": Israel, Taiwan, Belgium).
 */
function detectNational(context: PhoneText, window: string, from: number, out: PiiCandidate[]): void {
  const { text } = context;
  NATIONAL.lastIndex = 0;
  for (let match = NATIONAL.exec(window); match !== null; match = NATIONAL.exec(window)) {
    const raw = match[0];
    const extension = EXTENSION.exec(raw);
    const body = extension ? raw.slice(0, extension.index) : raw;
    const count = digitsOf(body).length;
    const start = from + match.index;
    const end = start + raw.length;
    if (gluedBefore(text, start) || context.vetoed(start, body)) continue;
    const cued = context.cued(start, end);
    const shortArea = /^\(?0\d{1,2}\)?[ .\-/]/.test(body);
    if (count > 13 || count < (cued || shortArea ? 9 : 10)) continue;
    if (!SEPARATOR.test(raw) && !cued) continue;
    push(out, start, end, cued ? 0.8 : count === 9 ? 0.6 : 0.65);
  }
}

/**
 * Grouped numbers are the weakest shape, so the groups must not read as something else:
 * thousands (1 234 567 890), a list of years (2019 2020 2021), a date, small numbers only, a
 * card or tracking number chunked in fours (7034 7441 0739), or part of a longer number.
 */
function detectGrouped(context: PhoneText, window: string, from: number, out: PiiCandidate[]): void {
  const { text } = context;
  GROUPED.lastIndex = 0;
  for (let match = GROUPED.exec(window); match !== null; match = GROUPED.exec(window)) {
    const raw = match[0];
    const extension = EXTENSION.exec(raw);
    const body = extension ? raw.slice(0, extension.index) : raw;
    const groups = body.split(/[ .\-()/]+/).filter((group) => group !== '');
    const count = groups.reduce((total, group) => total + group.length, 0);
    const parenthesised = body.includes('(');
    if (count < 9 || count > 13) continue;
    // A subscriber number of six or more digits follows only an area code.
    if (groups.length < (parenthesised || areaAndNumber(groups, count) ? 2 : 3)) continue;
    if (groups.length > 2 && groups[groups.length - 1]!.length > 5) continue;
    if (!groups.some((group) => group.length >= 3)) continue;
    // Thousands (1 234 567, 12 345 678 901) are refused, spaced or dotted 3-3-3 included: that
    // is also how Spain, Poland or Czechia write a nine-digit mobile, but without a cue word it
    // cannot be told from an amount. Dashed 3-3-3 is never an amount, so it stays, weak.
    const nine = /^[2-9]\d\d-\d{3}-\d{3}$/.test(body);
    if (
      !nine &&
      groups.slice(1).every((group) => group.length === 3) &&
      groups[0]!.length <= 3 &&
      !parenthesised
    )
      continue;
    if (SSN_SHAPE.test(body)) continue;
    if (!parenthesised) {
      // Dotted runs without a trunk 0 or an area code are versions ("17.20.10.89030"); the
      // dotted phone shapes (3.3.4, 0x.xx.xx.xx.xx) are NANP's and NATIONAL's.
      if (body.includes('.')) continue;
      // A lone leading digit is a trunk or country prefix: 0, 1 (NANP), 7 and 8 (Russia).
      if (groups[0]!.length === 1 && !'0178'.includes(groups[0]!)) continue;
      // Fours are how cards, tracking numbers and ids are chunked (7034 7441 0739, 7-4143-…).
      if (
        groups.slice(groups[0]!.length === 1 ? 1 : 0).every((group) => group.length === 4) &&
        !body.startsWith('0')
      )
        continue;
    }
    const start = from + match.index;
    const end = start + raw.length;
    if (gluedBefore(text, start) || gluedAfter(text, end) || context.vetoed(start, body)) continue;
    push(out, start, end, context.cued(start, end) ? 0.8 : nine ? 0.55 : 0.6);
  }
}

/**
 * Two groups make a phone only as area code and subscriber number of 10–11 digits: 3–5
 * digits, then 5–8 ("2288 319377", "98765 43210"); not a year first ("2019 123456").
 */
function areaAndNumber(groups: string[], count: number): boolean {
  if (groups.length !== 2 || count < 10 || count > 11) return false;
  const [area, number] = groups as [string, string];
  return area.length >= 3 && area.length <= 5 && number.length >= 5 && !/^(?:19|20)\d\d$/.test(area);
}

// Eight- and nine-digit national numbers written with single spaces, as a whole run: 4-4 (Hong
// Kong, Singapore, Denmark), 2-2-2-2 (Denmark, Norway), 3-3-3 (Spain, Poland, Czechia,
// Portugal). Subscriber numbers there start with 2–9. English writes amounts with commas, so
// a spaced run is rarely an amount; when it is, a currency or unit usually stands next to it.
const SPACED_NATIONAL = /^[2-9]\d{3} \d{4}$|^[2-9]\d(?: \d\d){3}$|^[2-9]\d\d \d{3} \d{3}$/;
const AMOUNT_BEFORE =
  /(?:[$€£¥₹]|\b(?:usd|eur|gbp|chf|cad|aud|total|totals|population|about|approximately|approx|around|nearly|almost|roughly|over|under|of|sold|by)\.?)\s*$/i;
const AMOUNT_AFTER =
  /^\s*(?:[$€£¥₹%‰]|(?:usd|eur|euros?|gbp|dollars?|pounds?|yen|yuan|rmb|chf|sek|nok|dkk|kr|pln|zł|czk|kč|people|persons|inhabitants|residents|users|visitors|customers|units|items|copies|tons?|tonnes?|km|m|kg|g|mb|gb|kb|bytes|years?|times|votes|views|words|were|was|are|is|in total|million|billion)(?![a-z]))/i;

function detectSpacedNational(context: PhoneText, numbers: NumericWindow, out: PiiCandidate[]): void {
  const { text } = context;
  const { start, end } = numbers;
  const run = text.slice(start, end);
  if (!SPACED_NATIONAL.test(run) || !standsAlone(text, start, end)) return;
  // 4-4: not a year and another number ("2019 2020", "2019 1234").
  if (run.length === 9 && /^(?:19|20)\d\d /.test(run)) return;
  const before = text.slice(Math.max(0, start - 24), start);
  if (AMOUNT_BEFORE.test(before) || AMOUNT_AFTER.test(text.slice(end, end + 16))) return;
  if (context.vetoed(start, run)) return;
  push(out, start, end, 0.5);
}

const CUED = /(?<![\w+.\-/])[+(]{0,2}\d(?:[ \-./()]{0,2}\d){7,}(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?/gi;

/**
 * 8–13 digits in any grouping after a cue word (score 0.7), or as a field of a contact record
 * (0.6), where a bare run or spaced thousands are counts and ids as often as phones.
 */
function detectCued(
  context: PhoneText,
  window: string,
  from: number,
  out: PiiCandidate[],
  record: boolean,
): void {
  const score = record ? 0.6 : 0.7;
  CUED.lastIndex = 0;
  for (let match = CUED.exec(window); match !== null; match = CUED.exec(window)) {
    const raw = match[0];
    const extension = EXTENSION.exec(raw);
    const body = extension ? raw.slice(0, extension.index) : raw;
    const count = digitsOf(body).length;
    if (count < 8 || count > 13 || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(body)) continue;
    if (record && (count === body.length || recordShapeRefused(body))) continue;
    const start = from + match.index;
    if (!body.startsWith('+') && context.vetoed(start, body)) continue;
    push(out, start, start + raw.length, score);
  }
}

// A country code in parentheses before a whole national number (E.123 shows the code, people
// add the parentheses): "(351) 968057755", "(44) 7911123456". A one-digit code is left out:
// "(1) 23456789" is how list items are numbered.
const COUNTRY_IN_PARENTHESES = /^\([1-9]\d{1,2}\) ?[1-9]\d{7,9}$/;

function detectCountryInParentheses(context: PhoneText, numbers: NumericWindow, out: PiiCandidate[]): void {
  const { text } = context;
  const run = text.slice(numbers.start, numbers.end);
  if (!COUNTRY_IN_PARENTHESES.test(run) || !standsAlone(text, numbers.start, numbers.end)) return;
  if (context.vetoed(numbers.start, run)) return;
  // With a cue word the cued shapes report it (0.7).
  push(out, numbers.start, numbers.end, 0.6);
}

/** A NANP match without its country prefix (1, +1, 001, 011 1 and the separator after it). */
function nationalPart(body: string): string {
  return body.replace(/^(?:\+?1|00 ?1|011 ?1)(?=[ .-]?(?:\(\d{3}\)|\d{3}[ .-]?\d{3}[ .-]?\d{4}$))[ .-]?/, '');
}
