/**
 * `text.replace(/\b(?:https?:\/\/|www\.)\S+|\S+@\S+\.\w+/g, ' ')` in linear time. The regular
 * expression backtracks cubically on runs such as "a@a@a@…" (4 KB of it took 10 s in the
 * anomaly scanner: a denial of service on every guarded request), because each start tries
 * every '@' and every '.' after it. Its result can be read off the text instead, one run of
 * non-space characters at a time (no match crosses a space, and a run starts at a word
 * boundary as the string does):
 *  - the second alternative can match only from the run's start: a later start needs an '@'
 *    and a '.' further right, which the run's start has too; and when it matches, its greedy
 *    parts take the last '.' followed by a word character (and any '@' at least two characters
 *    before it, one character or more after the start), then the whole word after that '.';
 *    after that match no '.' is followed by a word character, so only the first alternative
 *    can match again;
 *  - the first alternative takes everything to the end of the run, from the first position at
 *    a word boundary that opens "http://", "https://" or "www." with a character after it.
 * `test/unit/guard-output-anomaly.test.ts` compares the two on random strings.
 */
import { isAsciiWordCode, isWhitespace } from '../normalize/canonicalize.js';

/** Whether the first alternative opens at `at` (a word boundary is checked by the caller). */
const URL_PREFIXES = ['http://', 'https://', 'www.'];

function opensUrl(text: string, at: number, end: number): boolean {
  // One array for all calls, read by index (no array or iterator per call).
  for (let index = 0; index < URL_PREFIXES.length; index++) {
    const prefix = URL_PREFIXES[index]!;
    if (at + prefix.length < end && text.startsWith(prefix, at)) return true;
  }
  return false;
}

/** End of the second alternative's match from `start` in the run [start, end), or -1. */
function handleEnd(text: string, start: number, end: number): number {
  let dot = -1;
  for (let index = end - 2; index >= start; index--) {
    if (text.charCodeAt(index) === 0x2e && isAsciiWordCode(text.charCodeAt(index + 1))) {
      dot = index;
      break;
    }
  }
  if (dot < 0) return -1;
  const at = text.lastIndexOf('@', dot - 2);
  if (at < start + 1) return -1;
  let after = dot + 1;
  while (after < end && isAsciiWordCode(text.charCodeAt(after))) after++;
  return after;
}

/** The run [start, end) of non-space characters with its matches replaced. */
function replaceRun(text: string, start: number, end: number): string {
  if (opensUrl(text, start, end)) return ' ';
  let out = '';
  let from = start;
  const handle = handleEnd(text, start, end);
  if (handle >= 0) {
    out = ' ';
    from = handle;
  }
  // The run's start was tried above; later positions need a non-word character before them.
  for (let index = Math.max(from, start + 1); index < end; index++) {
    if (!isAsciiWordCode(text.charCodeAt(index - 1)) && opensUrl(text, index, end)) {
      return `${out}${text.slice(from, index)} `;
    }
  }
  return out + text.slice(from, end);
}

export function replaceUrlsAndHandles(text: string): string {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const start = index;
    if (isWhitespace(text.charCodeAt(index))) {
      while (index < text.length && isWhitespace(text.charCodeAt(index))) index++;
      out += text.slice(start, index);
      continue;
    }
    while (index < text.length && !isWhitespace(text.charCodeAt(index))) index++;
    out += replaceRun(text, start, index);
  }
  return out;
}
