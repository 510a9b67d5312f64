/**
 * Reasons a phone-shaped digit string is something else. The shape rules in detect-phones.ts
 * say what a number written by a numbering plan looks like; these say what the same shapes
 * mean in prose: the label right before it (order, invoice, ISBN, 订单号 …), a calendar date, a
 * decimal, a run of years, an ISBN-13. They apply to every pattern-only phone; a `+` country
 * code or a Chinese mobile shape outweighs them (those formats are rarely anything else).
 */
import { digitsOf } from './context.js';

// An identifier label directly before the number: only separators (and "no.", "#", ":") may
// stand between it and the digits, so "order 1234567890" is vetoed but "ordered by phone
// 020 7946 0958" is not.
const ID_LABEL =
  /(?:\b(?:order|invoice|inv|ref|reference|tracking|track|shipment|parcel|consignment|waybill|isbn|issn|doi|account|acct|serial|sku|part|model|ticket|case|claim|po|transaction|txn|trx|confirmation|booking|reservation|policy|member|membership|customer|client|employee|patient|student|license|licence|id|version|ver|build|batch|lot|item|product|receipt|voucher|coupon|pin|otp|routing|swift|iban|bic|sort code|tax|vat|ein|ssn|passport|barcode|ean|upc|imei|mac|port|pid)\b\.?|订单|单号|编号|账号|帐号|卡号|流水号|快递|运单|工号|学号|证件号|身份证号?|发票|序列号|版本)\s*(?:no\.?|nr\.?|num(?:ber)?\.?|#|id|号码?)?\s*[:#=：]?\s*#?\s*$/i;

/** True when an identifier label ends right before `start`. */
export function labelledAsIdentifier(text: string, start: number): boolean {
  return ID_LABEL.test(text.slice(Math.max(0, start - 32), start));
}

const YEAR = /^(?:19|20)\d\d$/;
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
  if (/^\d+\.\d+$/.test(body) || startsWithDate(body)) return true;
  const groups = body.split(/[^\d]+/).filter((group) => group !== '');
  if (groups.filter((group) => YEAR.test(group)).length >= 2) return true;
  return isbn13(digitsOf(body));
}

/** Any reason at all that text[start, end) (without its extension) is not a phone number. */
export function notAPhone(text: string, start: number, body: string): boolean {
  return shapedLikeNonPhone(body) || labelledAsIdentifier(text, start);
}
