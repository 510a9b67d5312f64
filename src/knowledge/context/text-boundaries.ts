/**
 * Sentence, line and word boundaries inside a span of text, as character offsets, so callers
 * can cut the original string without copying it. Shared by the chunker (ingest) and by
 * context trimming. Sentences end at English `.!?` (plus closing quotes/brackets) followed by
 * whitespace and a word that is not lowercase — so "e.g. this" and "3.14" do not split — and
 * at CJK `。！？；` with no space needed. A blank line always starts a new sentence.
 */

const ENGLISH_TERMINAL = new Set(['.', '!', '?']);
const CJK_TERMINAL = new Set(['。', '！', '？', '；', '｡']);
const CLOSERS = new Set(['"', "'", '”', '’', ')', ']', '»', '」', '』', '）', '》', '】', '〉']);

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

/**
 * Offsets in `(start, end)` where a new sentence begins (its first non-space character).
 * `start` itself is not listed.
 */
export function sentenceStarts(text: string, start = 0, end = text.length): number[] {
  const starts: number[] = [];
  let index = start;
  while (index < end) {
    const char = text[index]!;
    if (ENGLISH_TERMINAL.has(char)) {
      let after = index + 1;
      while (after < end && ENGLISH_TERMINAL.has(text[after]!)) after++;
      while (after < end && CLOSERS.has(text[after]!)) after++;
      if (after < end && isWhitespace(text.charCodeAt(after))) {
        const next = skipWhitespace(text, after, end);
        if (next < end && !isLowercaseLatin(text.charCodeAt(next))) starts.push(next);
        index = next;
        continue;
      }
      index = after;
      continue;
    }
    if (CJK_TERMINAL.has(char)) {
      let after = index + 1;
      while (after < end && (CJK_TERMINAL.has(text[after]!) || CLOSERS.has(text[after]!))) after++;
      const next = skipWhitespace(text, after, end);
      if (next < end) starts.push(next);
      index = next;
      continue;
    }
    if (char === '\n') {
      let after = index + 1;
      while (after < end && (text[after] === ' ' || text[after] === '\t' || text[after] === '\r')) after++;
      if (after < end && text[after] === '\n') {
        const next = skipWhitespace(text, after, end);
        if (next < end) starts.push(next);
        index = next;
        continue;
      }
    }
    index++;
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

const CLAUSE_MARKS = new Set([',', ';', ':', '，', '、', '：']);

/**
 * Offsets in `(start, end)` where a clause begins: after a comma, semicolon or colon (Latin or
 * CJK; a Latin mark needs whitespace after it, so "1,000" and "a:b" do not split).
 */
export function clauseStarts(text: string, start = 0, end = text.length): number[] {
  const starts: number[] = [];
  for (let index = start; index < end - 1; index++) {
    const char = text[index]!;
    if (!CLAUSE_MARKS.has(char)) continue;
    const latin = char.charCodeAt(0) < 0x80;
    if (latin && !isWhitespace(text.charCodeAt(index + 1))) continue;
    const next = skipWhitespace(text, index + 1, end);
    if (next < end) starts.push(next);
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

/** Whether `index` splits a UTF-16 surrogate pair (never cut there). */
export function splitsSurrogatePair(text: string, index: number): boolean {
  if (index <= 0 || index >= text.length) return false;
  const before = text.charCodeAt(index - 1);
  const after = text.charCodeAt(index);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}
