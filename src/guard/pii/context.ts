/**
 * Context words near a candidate. Some formats are too ambiguous on their own (nine bare
 * digits, ten bare digits) and are reported only when a cue word is close by; others gain
 * confidence from one. The windows are small so that a cue belongs to this number, not to the
 * previous sentence.
 */

export const SSN_CUES = /\b(?:ssn|ss#|ss no|social[\s-]*security|soc\.?\s*sec|taxpayer|tin|itin)\b/i;
export const PHONE_CUES =
  /(?:\b(?:phone|tel|telephone|mobile|cell|cellphone|fax|call|calling|contact|whatsapp|sms|text me|dial|ph|mob|hotline)\b|电话|電話|手机|手機|联系|聯繫|致电|热线|座机|传真)/i;
/**
 * Softer phone cues, idioms that name a phone number without the word: "my number is", "new
 * number:", "reach me at", "reach out to", "ring". They count only right before the number,
 * with at most linking words between (detect-phones.ts).
 */
export const SOFT_PHONE_CUES =
  /\b(?:ring(?: me| us)?|reach (?:me|us|him|her|them|out)|(?:my|your|his|her|our|their|new|old|home|work|office|direct) number)\b/i;
export const CARD_CUES =
  /(?:\b(?:card|credit|debit|cc|ccn|pan|visa|master\s?card|amex|american express|discover|maestro|jcb|diners|unionpay|union pay|rupay|mir)\b|卡号|信用卡|银行卡|借记卡)/i;
export const CN_ID_CUES = /(?:身份证|身份證|证件|居民|\bid\b|\bidentity\b|\bid card\b|\bcitizen\b)/i;

/** True when `cues` matches in the `before` chars preceding `start` or the `after` chars after `end`. */
export function hasCue(
  text: string,
  start: number,
  end: number,
  cues: RegExp,
  before = 32,
  after = 16,
): boolean {
  const from = Math.max(start - before, 0);
  if (cues.test(text.slice(from, start))) return true;
  return after > 0 && cues.test(text.slice(end, end + after));
}

/** Digits of a string, separators dropped. */
export function digitsOf(value: string): string {
  let out = '';
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code >= 48 && code <= 57) out += value[index];
  }
  return out;
}
