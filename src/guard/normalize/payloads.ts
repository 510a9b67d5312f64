/**
 * Finds encoded payloads in the original text and decodes them: base64 runs (≥ 16 chars,
 * standard or URL-safe alphabet), hex runs (≥ 8 bytes, plain, `\x41` or `0x41` style),
 * percent-encoding, `\u0069` escapes, and Unicode tag characters (invisible ASCII). A decoded
 * payload is kept only when it is mostly printable text, so hashes, keys and binary blobs are
 * ignored. Decoding recurses once (base64 inside hex, and so on). payloads-more.ts adds binary,
 * base32, Morse, Braille, decimal character codes and quoted-printable; payloads-web.ts
 * URL-encoded sentences, HTML character references and reversed text.
 */

import { CodeUnits } from './code-units.js';
import {
  CENSUS_LONGEST_BASE64,
  CENSUS_LONGEST_SPACED_HEX,
  CENSUS_SIZE,
  findMorePayloads,
  type MoreKind,
  overlapsAny,
  takeCensus,
} from './payloads-more.js';
import { findWebPayloads, type WebKind } from './payloads-web.js';
import { matchesOf } from './regexp-matches.js';

export type PayloadKind =
  | 'base64'
  | 'hex'
  | 'percent'
  | 'unicode-escape'
  | 'tags'
  | 'selectors'
  | MoreKind
  | WebKind;

export interface DecodedPayload {
  kind: PayloadKind;
  /** The decoded text. */
  text: string;
  /** UTF-16 span of the encoded run in the scanned text. */
  start: number;
  end: number;
}

export interface PayloadOptions {
  /** Shortest base64 run considered (characters). Default 16. */
  minBase64Length?: number;
  /** At most this many payloads are returned. Default 8. */
  maxPayloads?: number;
  /** Decoded text is cut to this many characters. Default 4096. */
  maxDecodedLength?: number;
}

export const ESCAPED_HEX_RUN = /(?:\\x[0-9a-fA-F]{2}){8,}|(?:0x[0-9a-fA-F]{2}[\s,]*){8,}/g;
export const PERCENT_RUN = /(?:%[0-9a-fA-F]{2}){4,}/g;
export const UNICODE_ESCAPE_RUN = /(?:\\u[0-9a-fA-F]{4}){4,}/g;
export const TAG_RUN = /(?:\uDB40[\uDC00-\uDC7F])+/g;
/**
 * Variation selectors carrying bytes ("emoji smuggling"): VS1–16 (U+FE00–FE0F) stand for bytes
 * 0–15 and VS17–256 (U+E0100–E01EF) for 16–255, eight or more in a row after any character,
 * invisible in most renderers. A single selector (❤️) is ordinary text.
 */
export const SELECTOR_RUN = /(?:[\uFE00-\uFE0F]|\uDB40[\uDD00-\uDDEF]){8,}/g;

const utf8 = new TextDecoder('utf-8');

/**
 * The state of one collect() call, one per nesting depth (0 and 1), reused: a nested call runs
 * while the outer one still needs its own. Methods rather than closures per call: collect runs
 * on every scanned text, and closures (and their context) were a part of its garbage.
 */
class Level {
  /** Code units of the text (the run scanners read one copy; see CodeUnits). */
  readonly units = new CodeUnits(4096);
  /**
   * takeCensus of `units` (payloads-more.ts): the count gates of every run scanner. Made on
   * first use, not here: the two files import each other, and the levels below are built
   * while this file loads, when payloads-more.ts may not have run yet.
   */
  census: Int32Array | null = null;
  /** Spans of the runs decoded at this depth (later kinds skip runs that overlap them). */
  readonly covered: Array<[number, number]> = [];
  found: DecodedPayload[] = [];
  options: PayloadOptions = {};
  offsetStart = 0;
  offsetEnd = 0;

  constructor(readonly depth: number) {}

  add(kind: PayloadKind, decoded: string | null, start: number, end: number): void {
    const maxPayloads = this.options.maxPayloads ?? 8;
    if (decoded === null || this.found.length >= maxPayloads) return;
    // Nested payloads report the span of the outermost encoded run.
    const spanStart = this.depth === 0 ? start : this.offsetStart;
    const spanEnd = this.depth === 0 ? end : this.offsetEnd;
    const value = decoded.slice(0, this.options.maxDecodedLength ?? 4096);
    this.found.push({ kind, text: value, start: spanStart, end: spanEnd });
    this.covered.push([start, end]);
    if (this.depth < 1) collect(value, spanStart, spanEnd, this.options, this.found, this.depth + 1);
  }
}

const LEVELS = [new Level(0), new Level(1)];

/** Decoded payloads, outermost first, at most `maxPayloads`. */
export function findPayloads(text: string, options: PayloadOptions = {}): DecodedPayload[] {
  const found: DecodedPayload[] = [];
  collect(text, 0, text.length, options, found, 0);
  return found;
}

function collect(
  text: string,
  offsetStart: number,
  offsetEnd: number,
  options: PayloadOptions,
  found: DecodedPayload[],
  depth: number,
): void {
  const minBase64 = options.minBase64Length ?? 16;
  const level = LEVELS[depth]!;
  level.covered.length = 0;
  level.found = found;
  level.options = options;
  level.offsetStart = offsetStart;
  level.offsetEnd = offsetEnd;
  const covered = level.covered;
  const units = level.units.load(text);
  level.census ??= new Int32Array(CENSUS_SIZE);
  const census = level.census;
  takeCensus(units, text.length, census);

  if (text.includes('\uDB40')) {
    for (const match of matchesOf(TAG_RUN, text)) {
      level.add('tags', decodeTags(match[0]), match.index, match.index + match[0].length);
    }
    for (const match of matchesOf(SELECTOR_RUN, text)) {
      level.add('selectors', decodeSelectors(match[0]), match.index, match.index + match[0].length);
    }
  }
  if (text.includes('\\x') || text.includes('0x')) {
    for (const match of matchesOf(ESCAPED_HEX_RUN, text)) {
      level.add('hex', decodeHex(match[0]), match.index, match.index + match[0].length);
    }
  }
  // The census says when a scanner cannot find a run (most prose): then it does not read the text.
  const hexRuns =
    census[CENSUS_LONGEST_SPACED_HEX]! >= SPACED_HEX_MIN_RUN ? spacedHexRuns(units, text.length) : NO_RUNS;
  // Index loops, not `for (const [start, end] of …)`: destructuring a tuple makes an iterator.
  for (let index = 0; index < hexRuns.length; index++) {
    const start = hexRuns[index]![0];
    const end = hexRuns[index]![1];
    if (!overlapsAny(covered, start, end)) level.add('hex', decodeHex(text.slice(start, end)), start, end);
  }
  if (text.includes('%')) {
    for (const match of matchesOf(PERCENT_RUN, text)) {
      level.add('percent', decodePercent(match[0]), match.index, match.index + match[0].length);
    }
  }
  if (text.includes('\\u')) {
    for (const match of matchesOf(UNICODE_ESCAPE_RUN, text)) {
      const decoded = match[0].replace(/\\u([0-9a-fA-F]{4})/g, (_all, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      );
      level.add('unicode-escape', printableOrNull(decoded), match.index, match.index + match[0].length);
    }
  }
  // Contiguous runs of the base64 alphabet; an all-hex run is tried as hex first.
  const base64Runs =
    census[CENSUS_LONGEST_BASE64]! >= minBase64 ? alphabetRuns(units, text.length, minBase64) : NO_RUNS;
  for (let index = 0; index < base64Runs.length; index++) {
    const start = base64Runs[index]![0];
    const end = base64Runs[index]![1];
    if (overlapsAny(covered, start, end)) continue;
    const run = text.slice(start, end);
    const hex = /^[0-9a-fA-F]+$/.test(run) ? decodeHex(run) : null;
    if (hex !== null) level.add('hex', hex, start, end);
    else level.add('base64', decodeBase64(run), start, end);
  }
  const more = findMorePayloads(text, census, covered);
  for (let index = 0; index < more.length; index++) {
    const payload = more[index]!;
    level.add(payload.kind, payload.text, payload.start, payload.end);
  }
  const web = findWebPayloads(text, covered);
  for (let index = 0; index < web.length; index++) {
    const payload = web[index]!;
    level.add(payload.kind, payload.text, payload.start, payload.end);
  }
  // Nothing kept past the call.
  level.found = [];
  level.options = {};
}

/** Returned for "no runs" (callers only iterate): no array per call. */
const NO_RUNS: ReadonlyArray<readonly [number, number]> = Object.freeze([]);

// Hand-written scanners: the equivalent regular expressions restart inside every word and
// cost about 0.2 ms per 2 KB, more than the whole classifier. Character classes by table.
const BASE64 = 1;
const HEX = 2;
const ALPHABET = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const character = String.fromCharCode(code);
  if (/[A-Za-z0-9+/_-]/.test(character)) ALPHABET[code]! |= BASE64;
  if (/[0-9a-fA-F]/.test(character)) ALPHABET[code]! |= HEX;
}

function isBase64Character(code: number): boolean {
  return code < 128 && (ALPHABET[code]! & BASE64) !== 0;
}

function isHexCharacter(code: number): boolean {
  return code < 128 && (ALPHABET[code]! & HEX) !== 0;
}

/** 1 for the code units of the base64 alphabet (isBase64Character), 0 for the others. */
const BASE64_UNITS = Uint8Array.from({ length: 65_536 }, (_value, code) => (isBase64Character(code) ? 1 : 0));

/**
 * [start, end) of runs of the base64 alphabet (plus trailing '=') at least `minimum` long.
 * The run length is kept without a branch on the character, and the one test per unit ("a run
 * long enough ends here") is a sign test that is almost never true: prose words start and end
 * at unpredictable places, and the branching loop spent half its time on mispredictions
 * (6.1 → 3.1 µs per 2 KB).
 */
export function alphabetRuns(
  units: Uint16Array,
  length: number,
  minimum: number,
): ReadonlyArray<readonly [number, number]> {
  let runs: Array<[number, number]> | null = null;
  // A run has at least one unit.
  const least = Math.max(1, minimum);
  let run = 0;
  for (let index = 0; index < length; index++) {
    const inside = BASE64_UNITS[units[index]!]!;
    // Negative when run >= least and the unit is outside the alphabet (inside − 1 = −1).
    if (((least - 1 - run) & (inside - 1)) < 0) {
      let end = index;
      while (end < length && end - index < 2 && units[end] === 0x3d) end++;
      runs ??= [];
      runs.push([index - run, end]);
    }
    run = (run + 1) & -inside;
  }
  if (run >= least) {
    runs ??= [];
    runs.push([length - run, length]);
  }
  return runs ?? NO_RUNS;
}

/** Units in a spaced-hex run of 8 pairs ("69 67 6e 6f 72 65 20 61"): fewer, and there is none. */
export const SPACED_HEX_MIN_RUN = 23;

/** Runs of at least 8 hex pairs separated by one space or colon: "69 67 6e 6f 72 65 …". */
export function spacedHexRuns(units: Uint16Array, length: number): ReadonlyArray<readonly [number, number]> {
  let runs: Array<[number, number]> | null = null;
  // A run starts with a hex pair followed by a separator, so only the positions two before a
  // separator are candidates (the same candidates, in the same order, as trying every index).
  for (let separatorAt = 2; separatorAt < length; separatorAt++) {
    const separator = units[separatorAt]!;
    if (separator !== 0x20 && separator !== 0x3a) continue;
    const index = separatorAt - 2;
    if (
      !isHexCharacter(units[index]!) ||
      !isHexCharacter(units[index + 1]!) ||
      (index > 0 && isBase64Character(units[index - 1]!))
    ) {
      continue;
    }
    let end = index + 2;
    let pairs = 1;
    while (
      end + 2 < length + 1 &&
      (units[end] === 0x20 || units[end] === 0x3a) &&
      isHexCharacter(unitAt(units, length, end + 1)) &&
      isHexCharacter(unitAt(units, length, end + 2)) &&
      !isBase64Character(unitAt(units, length, end + 3))
    ) {
      end += 3;
      pairs++;
    }
    if (pairs >= 8) {
      runs ??= [];
      runs.push([index, end]);
      // The next candidate starts at `end` at the earliest: its separator is at end + 2.
      separatorAt = end + 1;
    }
  }
  return runs ?? NO_RUNS;
}

/**
 * `units[index]`, or −1 past `length` (units beyond it are stale). Past the end, charCodeAt
 * gave NaN, which is neither a hex nor a base64 character; so is −1.
 */
function unitAt(units: Uint16Array, length: number, index: number): number {
  return index < length ? units[index]! : -1;
}

export function decodeBase64(run: string): string | null {
  // Pure letters are ordinary words (or identifiers); real base64 of text mixes case or digits.
  if (/^[a-z]+$/.test(run) || /^[A-Z]+$/.test(run)) return null;
  const bytes = Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length < 8) return null;
  return printableOrNull(utf8.decode(bytes));
}

export function decodeHex(run: string): string | null {
  const digits = run.replace(/\\x|0x/g, '').replace(/[^0-9a-fA-F]/g, '');
  if (digits.length % 2 !== 0 || digits.length < 16) return null;
  return printableOrNull(utf8.decode(Buffer.from(digits, 'hex')));
}

function decodePercent(run: string): string | null {
  try {
    return printableOrNull(decodeURIComponent(run));
  } catch {
    return null;
  }
}

function decodeSelectors(run: string): string | null {
  const bytes = new Uint8Array(run.length);
  let count = 0;
  for (let index = 0; index < run.length; index++) {
    const code = run.charCodeAt(index);
    if (code >= 0xfe00 && code <= 0xfe0f) bytes[count++] = code - 0xfe00;
    // A surrogate pair \uDB40 \uDD00–\uDDEF: U+E0100–E01EF.
    else if (code === 0xdb40) bytes[count++] = run.charCodeAt(++index) - 0xdd00 + 16;
  }
  return printableOrNull(new TextDecoder().decode(bytes.subarray(0, count)));
}

function decodeTags(run: string): string | null {
  let out = '';
  for (let index = 0; index + 1 < run.length; index += 2) {
    const low = run.charCodeAt(index + 1) - 0xdc00;
    if (low >= 0x20 && low <= 0x7e) out += String.fromCharCode(low);
  }
  return out.length >= 2 ? out : null;
}

/**
 * The decoded text when it looks like language: at least 90% printable characters, no
 * replacement characters, and a run of three letters. Otherwise null.
 */
export function printableOrNull(decoded: string): string | null {
  if (decoded.length === 0 || decoded.includes('\uFFFD')) return null;
  let printable = 0;
  for (let index = 0; index < decoded.length; index++) {
    const code = decoded.charCodeAt(index);
    if ((code >= 0x20 && code !== 0x7f && (code < 0x80 || code >= 0xa0)) || code === 0x0a || code === 0x09) {
      printable++;
    }
  }
  if (printable / decoded.length < 0.9) return null;
  return /\p{L}{3}/u.test(decoded) ? decoded : null;
}
