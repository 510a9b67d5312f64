/**
 * Phone cue words bound to one number: whether a cue ("phone", "call me at", "电话", an idiom
 * such as "my number is") belongs to the digits at text[start, end) — before them with nothing
 * between that would hand it to another number, or after them as a label. Split from
 * detect-phones.ts, which asks these for every phone candidate.
 */
import { PHONE_CUES, SOFT_PHONE_CUES } from './context.js';

/**
 * A phone cue word (PHONE_CUES) that belongs to this number: in the 32 characters before it,
 * with no other digit and no sentence end between ("Please call 020 7946 0958. Invoice
 * 1329984708" cues only the first), or right before it ("Tel. 0151 …"); or after it as a
 * label ("555-0199 (mobile)", "555-0199, tel"), not as the next sentence's first word.
 */
export function phoneCued(text: string, start: number, end: number): boolean {
  let before = text.slice(Math.max(0, start - 32), start);
  let cut = before.length;
  while (cut > 0 && !isDigit(before.charCodeAt(cut - 1))) cut--;
  before = before.slice(cut);
  if (PHONE_CUES.test(before)) {
    SENTENCE_END.lastIndex = 0;
    let sentence = 0;
    for (let match = SENTENCE_END.exec(before); match !== null; match = SENTENCE_END.exec(before)) {
      sentence = match.index + match[0].length;
    }
    if (sentence === 0 || PHONE_CUES.test(before.slice(sentence)) || CUE_RIGHT_BEFORE.test(before))
      return true;
  }
  // The idioms end at most a few words before the number; a literal search rules most out.
  const tail = before.slice(-28);
  if (SOFT_CUE_WORD.test(tail) && SOFT_CUE_RIGHT_BEFORE.test(tail)) return true;
  const after = /^\s*([,;([/–—-])?\s*/.exec(text.slice(end, end + 20))!;
  const next = text.charCodeAt(end + after[0].length);
  // Without punctuation, only a lower-case word (or a CJK one) continues the same phrase.
  if (after[1] === undefined && next >= 65 && next <= 90) return false;
  return CUE_AT_START.test(text.slice(end + after[0].length, end + 20));
}

const SENTENCE_END = /[.!?。！？](?:\s|$)/g;
const CUE_RIGHT_BEFORE = new RegExp(
  `(?:${PHONE_CUES.source})\\.?\\s*(?:no\\.?|number|#)?\\s*[:：#]?\\s*$`,
  'i',
);
const CUE_AT_START = new RegExp(`^(?:${PHONE_CUES.source})`, 'i');
const SOFT_CUE_WORD = /ring|reach|number/i;
const SOFT_CUE_RIGHT_BEFORE = new RegExp(
  `(?:${SOFT_PHONE_CUES.source})(?:\\s*(?:is|at|on|to|[:：]))?\\s*$`,
  'i',
);

/**
 * A cue word stands right before `start`, with at most a few linking words between ("Phone: ",
 * "call me at ", "my phone number is ", "by phone on "), not any phrase ("call rate is ").
 */
export function cueRightBefore(text: string, start: number): boolean {
  return CUE_LINKED_BEFORE.test(text.slice(Math.max(0, start - 40), start));
}

const CUE_LINKED_BEFORE = new RegExp(
  `(?:${PHONE_CUES.source})\\.?(?:\\s*(?:me|us|at|is|on|number|no\\.?|#|[:：]))*\\s*$`,
  'i',
);

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
