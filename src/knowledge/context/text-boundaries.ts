/**
 * Sentence, line and word boundaries inside a span of text, as character offsets, so callers
 * can cut the original string without copying it. Shared by the chunker (ingest) and by
 * context trimming. Sentences end at English `.!?` (plus closing quotes/brackets) followed by
 * whitespace and a word that is not lowercase — so "e.g. this" and "3.14" do not split — and
 * at CJK `。！？；` with no space needed. A blank line always starts a new sentence.
 */

/** Candidates: sentence punctuation, or a blank line. Scanned with a regex: far faster than a char loop. */
const SENTENCE_CANDIDATE = /[.!?\u3002\uff01\uff1f\uff1b\uff61]|\n[ \t\r]*\n/g;
const CLAUSE_CANDIDATE = /[,;:\uff0c\u3001\uff1a]/g;

function isEnglishTerminal(code: number): boolean {
  return code === 46 || code === 33 || code === 63;
}

function isCjkTerminal(code: number): boolean {
  return code === 0x3002 || code === 0xff01 || code === 0xff1f || code === 0xff1b || code === 0xff61;
}

/** Closing quotes and brackets that may follow a sentence's final punctuation. */
function isCloser(code: number): boolean {
  switch (code) {
    case 34: // "
    case 39: // '
    case 41: // )
    case 93: // ]
    case 0xbb: // »
    case 0x2019: // ’
    case 0x201d: // ”
    case 0x3009: // 〉
    case 0x300b: // 》
    case 0x300d: // 」
    case 0x300f: // 』
    case 0x3011: // 】
    case 0xff09: // ）
      return true;
    default:
      return false;
  }
}

function isWhitespace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x3000;
}

function isLowercaseLatin(code: number): boolean {
  return code >= 97 && code <= 122;
}

function skipWhitespace(text: string, index: number, end: number): number {
  let position = index;
  while (position < end && isWhitespace(text.charCodeAt(position))) position++;
  return position;
}

function hasBlankLine(text: string, from: number, to: number): boolean {
  const first = text.indexOf('\n', from);
  return first >= 0 && first < to && text.indexOf('\n', first + 1) >= 0 && text.indexOf('\n', first + 1) < to;
}

/**
 * Offsets in `(start, end)` where a new sentence begins (its first non-space character).
 * `start` itself is not listed.
 */
export function sentenceStarts(text: string, start = 0, end = text.length): number[] {
  const starts: number[] = [];
  // Search a slice (cheap in V8), so the regex cannot run past `end` looking for a candidate.
  const view = text.slice(start, end);
  const length = view.length;
  const pattern = SENTENCE_CANDIDATE;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(view); match !== null; match = pattern.exec(view)) {
    const code = view.charCodeAt(match.index);
    let after = match.index + 1;
    let next: number;
    if (code === 10) {
      next = skipWhitespace(view, match.index, length);
      if (next < length && next > 0) starts.push(start + next);
    } else if (isEnglishTerminal(code)) {
      while (after < length && isEnglishTerminal(view.charCodeAt(after))) after++;
      while (after < length && isCloser(view.charCodeAt(after))) after++;
      if (after >= length || !isWhitespace(view.charCodeAt(after))) {
        pattern.lastIndex = after;
        continue;
      }
      next = skipWhitespace(view, after, length);
      if (next < length && (!isLowercaseLatin(view.charCodeAt(next)) || hasBlankLine(view, after, next))) {
        starts.push(start + next);
      }
    } else {
      while (after < length && (isCjkTerminal(view.charCodeAt(after)) || isCloser(view.charCodeAt(after))))
        after++;
      next = skipWhitespace(view, after, length);
      if (next < length) starts.push(start + next);
    }
    pattern.lastIndex = Math.max(next, after);
  }
  return starts;
}

/** Offsets in `(start, end)` where a non-blank line begins after a line break. */
export function lineStarts(text: string, start = 0, end = text.length): number[] {
  const starts: number[] = [];
  let newline = text.indexOf('\n', start);
  while (newline >= 0 && newline < end) {
    const next = skipWhitespace(text, newline + 1, end);
    if (next < end) starts.push(next);
    if (next >= end) break;
    newline = text.indexOf('\n', next);
  }
  return starts;
}

/**
 * Offsets in `(start, end)` where a clause begins: after a comma, semicolon or colon (Latin or
 * CJK; a Latin mark needs whitespace after it, so "1,000" and "a:b" do not split).
 */
export function clauseStarts(text: string, start = 0, end = text.length): number[] {
  const starts: number[] = [];
  const view = text.slice(start, end);
  const pattern = CLAUSE_CANDIDATE;
  pattern.lastIndex = 0;
  for (let match = pattern.exec(view); match !== null; match = pattern.exec(view)) {
    const latin = view.charCodeAt(match.index) < 0x80;
    if (latin && !isWhitespace(view.charCodeAt(match.index + 1))) continue;
    const next = skipWhitespace(view, match.index + 1, view.length);
    if (next < view.length) starts.push(start + next);
  }
  return starts;
}

/** Offsets in `(start, end)` where a word begins after whitespace. */
export function wordStarts(text: string, start = 0, end = text.length): number[] {
  const starts: number[] = [];
  for (let index = start + 1; index < end; index++) {
    if (!isWhitespace(text.charCodeAt(index)) && isWhitespace(text.charCodeAt(index - 1))) starts.push(index);
  }
  return starts;
}

/** Start and end of `[start, end)` with surrounding whitespace removed (start === end if blank). */
export function trimSpan(text: string, start: number, end: number): [number, number] {
  let from = start;
  let to = end;
  while (from < to && isWhitespace(text.charCodeAt(from))) from++;
  while (to > from && isWhitespace(text.charCodeAt(to - 1))) to--;
  return [from, to];
}

export { splitsSurrogatePair } from '../../core/index.js';
