/**
 * The markdown syntax the exfiltration scanner reads (CommonMark): blank lines and fences,
 * inline destinations with titles, link reference definitions, and the decoding of backslash
 * escapes and character references in URLs. Every reader stops at a bound and says whether it
 * decided (`ok`, `invalid`), ran out of text (`pending`) or out of allowance (`overlong`).
 */
import type { Fence } from './markup-scan.js';

export const BACKTICK = 0x60;
const TILDE = 0x7e;
export const NEWLINE = 0x0a;
export const BACKSLASH = 0x5c;

export function isAsciiPunctuation(code: number): boolean {
  return (
    (code >= 0x21 && code <= 0x2f) ||
    (code >= 0x3a && code <= 0x40) ||
    (code >= 0x5b && code <= 0x60) ||
    (code >= 0x7b && code <= 0x7e)
  );
}

export function isSpaceOrTab(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

export function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** Whitespace that ends an unbracketed destination (CommonMark: spaces and ASCII controls). */
export function endsDestination(code: number): boolean {
  return code <= 0x20 || code === 0x7f;
}

/** Whether the line starting at `at` is blank (spaces and tabs only) and complete. */
export function blankLineAt(text: string, at: number): boolean {
  let index = at;
  while (index < text.length && isSpaceOrTab(text.charCodeAt(index))) index++;
  return index < text.length && (text.charCodeAt(index) === NEWLINE || text.charCodeAt(index) === 0x0d);
}

/** The fence a line opens (three or more backticks or tildes after up to three spaces). */
export function fenceAt(text: string, at: number): Fence | null {
  let index = at;
  while (index < text.length && index - at < 3 && text.charCodeAt(index) === 0x20) index++;
  const char = text.charCodeAt(index);
  if (char !== BACKTICK && char !== TILDE) return null;
  let length = 0;
  while (text.charCodeAt(index + length) === char) length++;
  return length >= 3 ? { char, length } : null;
}

/**
 * Whether the complete line [at, lineEnd) closes `fence`: at least as many fence characters
 * and nothing after them but blanks.
 */
export function closesFence(text: string, at: number, lineEnd: number, fence: Fence): boolean {
  let index = at;
  while (index < lineEnd && index - at < 3 && text.charCodeAt(index) === 0x20) index++;
  let length = 0;
  while (index < lineEnd && text.charCodeAt(index) === fence.char) {
    index++;
    length++;
  }
  if (length < fence.length) return false;
  while (index < lineEnd && (isSpaceOrTab(text.charCodeAt(index)) || text.charCodeAt(index) === 0x0d))
    index++;
  return index === lineEnd;
}

/** The outcome of reading one construct's tail: decided (`end`), not one, or undecided. */
export type Read =
  | { status: 'ok'; end: number; urls: string[] }
  | { status: 'invalid' }
  | { status: 'pending'; partial?: { end: number; urls: string[] } }
  | { status: 'overlong' };

export const INVALID: Read = { status: 'invalid' };
export const PENDING: Read = { status: 'pending' };
export const OVERLONG: Read = { status: 'overlong' };

/**
 * Undoes character references and (in markdown, not in HTML attributes) backslash escapes, as
 * renderers do in destinations.
 */
export function decodeMarkupUrl(raw: string, escapes = true): string {
  if (!raw.includes('\\') && !raw.includes('&')) return raw;
  let out = '';
  for (let index = 0; index < raw.length; index++) {
    const code = raw.charCodeAt(index);
    if (
      escapes &&
      code === BACKSLASH &&
      index + 1 < raw.length &&
      isAsciiPunctuation(raw.charCodeAt(index + 1))
    ) {
      out += raw[index + 1];
      index++;
      continue;
    }
    if (code === 0x26) {
      const semicolon = raw.indexOf(';', index + 2);
      if (semicolon > 0 && semicolon - index <= 12) {
        const decoded = decodeReference(raw.slice(index + 1, semicolon));
        if (decoded !== null) {
          out += decoded;
          index = semicolon;
          continue;
        }
      }
    }
    out += raw[index];
  }
  return out;
}

const NAMED_REFERENCES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  colon: ':',
  sol: '/',
  bsol: '\\',
  period: '.',
  quest: '?',
  equals: '=',
  num: '#',
  percnt: '%',
  commat: '@',
  plus: '+',
  Tab: '\t',
  NewLine: '\n',
};

function decodeReference(body: string): string | null {
  if (body.startsWith('#')) {
    const hex = body[1] === 'x' || body[1] === 'X';
    const digits = body.slice(hex ? 2 : 1);
    if (digits.length === 0 || digits.length > 7) return null;
    for (const char of digits) if (!/[0-9a-f]/i.test(char) || (!hex && !/[0-9]/.test(char))) return null;
    const point = Number.parseInt(digits, hex ? 16 : 10);
    return point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : '\ufffd';
  }
  return Object.hasOwn(NAMED_REFERENCES, body) ? NAMED_REFERENCES[body]! : null;
}

/**
 * Reads an inline destination and optional title after `(` at `at`, up to `)`. `bound` is the
 * first position past the construct's allowance.
 */
export function readInlineTail(text: string, at: number, bound: number): Read {
  let index = at;
  const limit = Math.min(text.length, bound);
  const skipBlanks = (): Read | null => {
    let newlines = 0;
    while (index < limit) {
      const code = text.charCodeAt(index);
      if (code === NEWLINE) {
        if (++newlines > 1) return INVALID;
      } else if (!isSpaceOrTab(code) && code !== 0x0d) return null;
      index++;
    }
    return index >= bound ? OVERLONG : PENDING;
  };
  const early = skipBlanks();
  if (early) return early;
  let url = '';
  if (text.charCodeAt(index) === 0x3c) {
    const open = index + 1;
    index = open;
    while (index < limit) {
      const code = text.charCodeAt(index);
      if (code === BACKSLASH) index += 2;
      else if (code === 0x3e) break;
      else if (code === NEWLINE || code === 0x3c) return INVALID;
      else index++;
    }
    if (index >= limit) return index >= bound ? OVERLONG : PENDING;
    url = text.slice(open, index);
    index++;
  } else {
    const open = index;
    let depth = 0;
    while (index < limit) {
      const code = text.charCodeAt(index);
      if (code === BACKSLASH && index + 1 < limit && isAsciiPunctuation(text.charCodeAt(index + 1))) {
        index += 2;
        continue;
      }
      if (endsDestination(code)) break;
      if (code === 0x28) {
        if (++depth > 32) return INVALID;
      } else if (code === 0x29) {
        if (depth === 0) break;
        depth--;
      }
      index++;
    }
    if (index >= limit) return index >= bound ? OVERLONG : PENDING;
    url = text.slice(open, index);
  }
  const beforeTitle = index;
  const afterUrl = skipBlanks();
  if (afterUrl) return afterUrl;
  let code = text.charCodeAt(index);
  if (code !== 0x29) {
    // A title must be separated from the destination by a blank.
    if (index === beforeTitle) return INVALID;
    const close = code === 0x22 ? 0x22 : code === 0x27 ? 0x27 : code === 0x28 ? 0x29 : -1;
    if (close < 0) return INVALID;
    index++;
    while (index < limit) {
      code = text.charCodeAt(index);
      if (code === BACKSLASH) index += 2;
      else if (code === close) break;
      else if (code === NEWLINE && blankLineAt(text, index + 1)) return INVALID;
      else index++;
    }
    if (index >= limit) return index >= bound ? OVERLONG : PENDING;
    index++;
    const afterTitle = skipBlanks();
    if (afterTitle) return afterTitle;
    if (text.charCodeAt(index) !== 0x29) return INVALID;
  }
  return { status: 'ok', end: index + 1, urls: [decodeMarkupUrl(url)] };
}

/**
 * Reads a link reference definition `[label]: destination` at a line start `at`. Its end is the
 * destination's end (a title after it fetches nothing).
 */
export function readDefinition(text: string, at: number, size: number): Read {
  let index = at;
  while (index < text.length && index - at < 3 && text.charCodeAt(index) === 0x20) index++;
  if (index >= text.length) return PENDING;
  if (text.charCodeAt(index) !== 0x5b) return INVALID;
  const bound = index + size;
  const limit = Math.min(text.length, bound);
  index++;
  let nonBlank = false;
  while (index < limit) {
    const code = text.charCodeAt(index);
    if (code === BACKSLASH) {
      index += 2;
      nonBlank = true;
      continue;
    }
    if (code === 0x5b) return INVALID;
    if (code === 0x5d) break;
    if (code === NEWLINE && blankLineAt(text, index + 1)) return INVALID;
    if (code > 0x20) nonBlank = true;
    index++;
  }
  if (index >= limit) return index >= bound ? OVERLONG : PENDING;
  if (!nonBlank || index + 1 - at > 1000) return INVALID;
  index++;
  if (index >= limit) return index >= bound ? OVERLONG : PENDING;
  if (text.charCodeAt(index) !== 0x3a) return INVALID;
  index++;
  let newlines = 0;
  while (index < limit) {
    const code = text.charCodeAt(index);
    if (code === NEWLINE) {
      if (++newlines > 1) return INVALID;
    } else if (!isSpaceOrTab(code) && code !== 0x0d) break;
    index++;
  }
  if (index >= limit) return index >= bound ? OVERLONG : PENDING;
  const open = index;
  if (text.charCodeAt(index) === 0x3c) {
    index++;
    while (index < limit && text.charCodeAt(index) !== 0x3e) {
      if (text.charCodeAt(index) === NEWLINE || text.charCodeAt(index) === 0x3c) return INVALID;
      index++;
    }
    if (index >= limit) return index >= bound ? OVERLONG : PENDING;
    return { status: 'ok', end: index + 1, urls: [decodeMarkupUrl(text.slice(open + 1, index))] };
  }
  while (index < limit && !endsDestination(text.charCodeAt(index))) index++;
  if (index >= bound) return OVERLONG;
  const urls = [decodeMarkupUrl(text.slice(open, index))];
  // At the end of the text: a definition if the text ends here, so reported — and held.
  if (index >= text.length) return { status: 'pending', partial: { end: index, urls } };
  if (index === open) return INVALID;
  return { status: 'ok', end: index, urls };
}
