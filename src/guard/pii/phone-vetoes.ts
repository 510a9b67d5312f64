/**
 * Reasons a phone-shaped digit string is something else. The shape rules in detect-phones.ts
 * say what a number written by a numbering plan looks like; these say what the same shapes
 * mean in prose: the label right before it (order, invoice, ISBN, 订单号 …), a calendar date, a
 * decimal, a run of years, an ISBN-13. They apply to every pattern-only phone; a `+` country
 * code or a Chinese mobile shape outweighs them (those formats are rarely anything else).
 */
import { digitsOf } from './context.js';

// Identifier labels: when one of these words stands right before a number (only separators,
// "no." / "number" / "#" / "id" and ":" between), the number is that identifier, not a phone:
// "order 1234567890" is vetoed, "ordered by phone 020 7946 0958" is not.
const ID_LABELS = new Set(
  (
    'order invoice inv ref reference tracking track shipment parcel consignment waybill isbn issn doi ' +
    'account acct serial sku part model ticket case claim po transaction txn trx confirmation booking ' +
    'reservation policy member membership customer client employee patient student license licence id ' +
    'version ver build batch lot item product receipt voucher coupon pin otp routing swift iban bic sort ' +
    'tax vat ein ssn passport barcode ean upc imei'
  ).split(' '),
);
const NUMBER_WORDS = new Set(['no', 'nr', 'num', 'number', 'id']);
const CJK_LABEL =
  /(?:订单|单号|编号|账号|帐号|卡号|流水号|快递|运单|工号|学号|证件号|身份证|发票|序列号|版本)(?:号码?)?$/;

/** True when an identifier label ends right before `start`. */
export function labelledAsIdentifier(text: string, start: number): boolean {
  const floor = Math.max(0, start - 32);
  let index = skipSeparators(text, start, floor);
  let word = wordBefore(text, index, floor);
  if (word === '') return CJK_LABEL.test(text.slice(floor, index));
  if (NUMBER_WORDS.has(word) && !ID_LABELS.has(word)) {
    index = skipSeparators(text, index - word.length, floor);
    word = wordBefore(text, index, floor);
    if (word === '') return CJK_LABEL.test(text.slice(floor, index));
  }
  // "invoice. 574.015.0612": a full stop after a whole word ends its sentence; only an
  // abbreviation ("No.", "Ref.", "Inv.") carries a label across one.
  const stop = /^\.\s/.test(text.slice(index, index + 2)) && !ABBREVIATIONS.has(word);
  return ID_LABELS.has(word) && !stop;
}

const ABBREVIATIONS = new Set(['no', 'nr', 'num', 'ref', 'inv', 'acct', 'ver', 'txn', 'trx', 'po', 'id']);

function skipSeparators(text: string, index: number, floor: number): number {
  while (index > floor && ' \t\n:#=：.'.includes(text.charAt(index - 1))) index--;
  return index;
}

/** The ASCII word ending at `index`, lower-cased ('' when the character there is not a letter). */
function wordBefore(text: string, index: number, floor: number): string {
  let start = index;
  while (start > floor && /[A-Za-z]/.test(text.charAt(start - 1))) start--;
  return text.slice(start, index).toLowerCase();
}

const DAY_MONTH_YEAR = /^(\d{1,2})([./-])(\d{1,2})\2(\d{2}|\d{4})(?!\d|[./-]\d)/;
const YEAR_MONTH_DAY = /^((?:19|20)\d\d)([./-])(\d{1,2})\2(\d{1,2})(?!\d|[./-]\d)/;

/**
 * The text starts with a calendar date: d/m/y or m/d/y (day ≤ 31, one of the first two ≤ 12)
 * or y-m-d, and no further group of the same kind follows — "07-72-21-13-01" (French pairs)
 * and "12.05.2023.1" are no dates.
 */
export function startsWithDate(value: string): boolean {
  const dayFirst = DAY_MONTH_YEAR.exec(value);
  if (dayFirst) {
    const first = Number(dayFirst[1]);
    const second = Number(dayFirst[3]);
    return first >= 1 && second >= 1 && first <= 31 && second <= 31 && (first <= 12 || second <= 12);
  }
  const yearFirst = YEAR_MONTH_DAY.exec(value);
  if (yearFirst) {
    const month = Number(yearFirst[3]);
    const day = Number(yearFirst[4]);
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
  }
  return false;
}

function isbn13(digits: string): boolean {
  if (digits.length !== 13 || !(digits.startsWith('978') || digits.startsWith('979'))) return false;
  let sum = 0;
  for (let index = 0; index < 13; index++) sum += (digits.charCodeAt(index) - 48) * (index % 2 === 0 ? 1 : 3);
  return sum % 10 === 0;
}

/**
 * Shape reasons alone (no context): a decimal ("486.42457381"), a date, two or more years
 * ("2004-2006 2010"), or a valid ISBN-13.
 */
export function shapedLikeNonPhone(body: string): boolean {
  if (DECIMAL.test(body) || startsWithDate(body)) return true;
  YEARS.lastIndex = 0;
  if (YEARS.test(body) && YEARS.test(body)) return true;
  return body.includes('97') && isbn13(digitsOf(body));
}

const DECIMAL = /^\d+\.\d+$/;
// A whole group that is a year; two of them when a second test (which continues after the
// first match) succeeds too.
const YEARS = /(?<!\d)(?:19|20)\d\d(?!\d)/g;

/** Any reason at all that text[start, end) (without its extension) is not a phone number. */
export function notAPhone(text: string, start: number, body: string): boolean {
  return shapedLikeNonPhone(body) || labelledAsIdentifier(text, start);
}
