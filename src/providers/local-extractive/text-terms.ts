/**
 * @module providers/local-extractive/text-terms
 *
 * The word handling of the built-in responder: terms (lower-cased letter/digit runs minus a
 * small English stop-word list), FNV-1a hashing, and the documented token estimate.
 */

/** The token estimate used for usage: one token per 4 characters, rounded up (OpenAI's rule of thumb). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its ' +
    'me my no not of on or our she so than that the their them then there these they this those to too was we were what ' +
    'when where which who whom why will with would you your about please tell answer question'
  ).split(' '),
);

const WORD = /[\p{L}\p{N}]+/gu;

/** Lower-cased words without stop words and one-letter words. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const match of text.toLowerCase().matchAll(WORD)) {
    const word = match[0];
    if (word.length > 1 && !STOP_WORDS.has(word)) out.push(word);
  }
  return out;
}

/** Every lower-cased word, stop words included (the fallback for a text made only of them). */
export function allWords(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** 32-bit FNV-1a of a string's UTF-16 code units. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
