/**
 * Two more ways to hide words from a filter that a language model still reads without effort:
 *   - url-encoded: a sentence with its spaces and some letters percent-encoded,
 *     "Ignore%20all%20previous%20instructions" or "Ign%6Fre%20all…" (payloads.ts decodes only
 *     runs made wholly of escapes, "%49%67%6E%6F…", so `encodeURIComponent` of an attack went
 *     through); a run of non-space characters with at least three `%XX` escapes, one of them a
 *     space or line break;
 *   - html-entities: character references, "&#73;&#103;&#110;…" or "Ign&#111;re" (≥ 4 numeric
 *     references in the text); the whole text is decoded.
 * Gates: `includes('%')` and `includes('&#')` (≈ 0.5 µs per 2 KB prompt together). Decoded text
 * is kept only when it reads as text (`printableOrNull`).
 *
 * Not here: text written backwards ("FlipAttack", 2024: characters, words or word order
 * flipped, with an instruction to flip them back). A reversed view doubles the classifier's work
 * for every prompt that says "reverse" or "flip" (12 % of the 2 KB bench prompts do) and a
 * gate that spots reversed English ("eht", "uoy") costs 2–3 µs per prompt; see
 * docs/guardrails-injection.md, Session 6.
 */

import { isWhitespace } from './canonicalize.js';
import { printableOrNull } from './payloads.js';
import { overlapsAny } from './payloads-more.js';

export type WebKind = 'url-encoded' | 'html-entities';

export interface WebPayload {
  kind: WebKind;
  text: string;
  start: number;
  end: number;
}

const utf8 = new TextDecoder('utf-8');
const encoder = new TextEncoder();

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/** The percent-decoded run (escapes as UTF-8 bytes, other characters as themselves). */
function decodeUrlRun(run: string): string | null {
  const bytes: number[] = [];
  for (let index = 0; index < run.length; index++) {
    const code = run.charCodeAt(index);
    if (code === 0x25 && index + 2 < run.length) {
      const high = hexValue(run.charCodeAt(index + 1));
      const low = hexValue(run.charCodeAt(index + 2));
      if (high >= 0 && low >= 0) {
        bytes.push(high * 16 + low);
        index += 2;
        continue;
      }
    }
    if (code < 0x80) bytes.push(code);
    else {
      const point = run.codePointAt(index) ?? code;
      for (const byte of encoder.encode(String.fromCodePoint(point))) bytes.push(byte);
      if (point > 0xffff) index++;
    }
  }
  return printableOrNull(utf8.decode(Uint8Array.from(bytes)));
}

/** Runs of non-space characters with ≥ 3 escapes, one of them whitespace (%20, %09, %0A, %0D). */
function urlEncodedRuns(
  text: string,
  covered: ReadonlyArray<readonly [number, number]>,
  out: WebPayload[],
): void {
  let start = 0;
  while (start < text.length) {
    const percent = text.indexOf('%', start);
    if (percent < 0) return;
    // The run around this '%': back and forward to whitespace.
    let from = percent;
    while (from > 0 && !isWhitespace(text.charCodeAt(from - 1))) from--;
    let to = percent;
    let escapes = 0;
    let spaces = 0;
    while (to < text.length && !isWhitespace(text.charCodeAt(to))) {
      if (text.charCodeAt(to) === 0x25) {
        const high = hexValue(text.charCodeAt(to + 1));
        const low = hexValue(text.charCodeAt(to + 2));
        if (high >= 0 && low >= 0) {
          escapes++;
          const byte = high * 16 + low;
          if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) spaces++;
          to += 3;
          continue;
        }
      }
      to++;
    }
    if (escapes >= 3 && spaces >= 1 && !overlapsAny(covered, from, to)) {
      const decoded = decodeUrlRun(text.slice(from, to));
      if (decoded !== null) out.push({ kind: 'url-encoded', text: decoded, start: from, end: to });
    }
    start = to + 1;
  }
}

const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

// Bounded: at most 7 digits, 6 hex digits or 8 letters between '&' and ';' (linear).
const REFERENCE = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,8}));/g;

/**
 * The whole text decoded, when it has ≥ 4 numeric character references; the span runs from the
 * word of the first reference to the word of the last ("Ign&#111;re … y&#111;ur" hides words
 * between and after references, so the text is decoded whole).
 */
function htmlEntities(text: string, out: WebPayload[]): void {
  let numeric = 0;
  let first = -1;
  let last = -1;
  for (let at = text.indexOf('&#'); at >= 0; at = text.indexOf('&#', at + 2)) {
    const semicolon = text.indexOf(';', at + 2);
    if (semicolon < 0 || semicolon - at > 10) continue;
    numeric++;
    if (first < 0) first = at;
    last = semicolon + 1;
  }
  if (numeric < 4) return;
  const decoded = text.replace(REFERENCE, (whole, decimal?: string, hex?: string, name?: string) => {
    if (name !== undefined) return NAMED[name.toLowerCase()] ?? whole;
    const point = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex ?? '', 16);
    return point > 0 && point <= 0x10ffff && !(point >= 0xd800 && point <= 0xdfff)
      ? String.fromCodePoint(point)
      : whole;
  });
  const kept = decoded === text ? null : printableOrNull(decoded);
  if (kept === null) return;
  while (first > 0 && !isWhitespace(text.charCodeAt(first - 1))) first--;
  while (last < text.length && !isWhitespace(text.charCodeAt(last))) last++;
  out.push({ kind: 'html-entities', text: kept, start: first, end: last });
}

/** The web-encoded payloads of `text`, skipping runs inside `covered` (already decoded). */
export function findWebPayloads(
  text: string,
  covered: ReadonlyArray<readonly [number, number]>,
): WebPayload[] {
  const out: WebPayload[] = [];
  if (text.includes('%')) urlEncodedRuns(text, covered, out);
  if (text.includes('&#')) htmlEntities(text, out);
  return out;
}
