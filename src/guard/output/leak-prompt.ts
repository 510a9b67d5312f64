/**
 * What the leak scanner computes over a whole answer: the normalised text (lower-cased,
 * whitespace collapsed, with offsets back), the system-prompt index (rolling hashes of every
 * k-character window, the word and CJK shingles), the longest verbatim copy and the canary.
 * leak-stream.ts computes the same measures over a growing answer.
 */
import { stripCanaryLine } from './canary.js';
import { combine, isSpace, textUnits, type Unit } from './text-units.js';

export interface LeakMeasures {
  /** Spans of the canary in the output, and whether it was only found spelled out or encoded. */
  canary: Array<{ start: number; end: number; spelledOut: boolean }>;
  /** Longest verbatim copy: length in normalised characters and its span in the output. */
  verbatim: { length: number; start: number; end: number; promptShare: number };
  /** Share of the prompt's shingles found in the output, in [0, 1]. */
  overlapRatio: number;
  promptShingles: number;
}

export interface Normalised {
  text: string;
  /** Original offset of each normalised character (length text.length + 1). */
  offsets: Int32Array;
}

/** Lower-cased, whitespace runs collapsed to one space, with an offset map back. */
export function normalise(text: string): Normalised {
  const lower = text.toLowerCase();
  const sameLength = lower.length === text.length;
  const offsets = new Int32Array(text.length + 1);
  let out = '';
  let space = false;
  let count = 0;
  for (let index = 0; index < lower.length; index++) {
    const code = lower.charCodeAt(index);
    if (isSpace(code)) {
      space = count > 0;
      continue;
    }
    const original = sameLength ? index : Math.min(index, text.length - 1);
    if (space) {
      offsets[count++] = original;
      out += ' ';
      space = false;
    }
    offsets[count++] = original;
    out += lower[index];
  }
  offsets[count] = text.length;
  return { text: out, offsets: offsets.subarray(0, count + 1) };
}

export interface PromptIndex {
  text: string;
  /** Rolling hash of every k-character window → first positions (≤ 4). */
  windows: Map<number, number[]>;
  shingles: Set<number>;
}

export const BASE = 0x01000193;

export function power(k: number): number {
  let value = 1;
  for (let step = 0; step < k; step++) value = Math.imul(value, BASE);
  return value;
}

/** The key of the shingle of `n` hashes of `kind` units from `start`. */
export function shingleKey(
  kind: 'word' | 'cjk',
  hashes: readonly number[],
  start: number,
  n: number,
): number {
  let key = kind === 'word' ? 1 : 2;
  for (let offset = 0; offset < n; offset++) key = combine(key, hashes[start + offset]!);
  return key;
}

export function shingles(units: Unit[], wordN: number, cjkN: number): Set<number> {
  const set = new Set<number>();
  for (const [kind, n] of [
    ['word', wordN],
    ['cjk', cjkN],
  ] as const) {
    const hashes = units.filter((unit) => unit.kind === kind).map((unit) => unit.hash);
    for (let start = 0; start + n <= hashes.length; start++) set.add(shingleKey(kind, hashes, start, n));
  }
  return set;
}

export function indexPrompt(prompt: string, k: number, wordN: number, cjkN: number): PromptIndex {
  const text = normalise(stripCanaryLine(prompt)).text;
  const windows = new Map<number, number[]>();
  const top = power(k - 1);
  let hash = 0;
  for (let index = 0; index < text.length; index++) {
    if (index >= k) hash = (hash - Math.imul(text.charCodeAt(index - k), top)) | 0;
    hash = (Math.imul(hash, BASE) + text.charCodeAt(index)) | 0;
    if (index + 1 < k) continue;
    const list = windows.get(hash);
    if (!list) windows.set(hash, [index + 1 - k]);
    else if (list.length < 4) list.push(index + 1 - k);
  }
  return { text, windows, shingles: shingles(textUnits(text), wordN, cjkN) };
}

export function longestCopy(
  output: Normalised,
  prompt: PromptIndex,
  k: number,
): { length: number; at: number } {
  const text = output.text;
  const top = power(k - 1);
  let best = { length: 0, at: 0 };
  let hash = 0;
  let skipUntil = 0;
  for (let index = 0; index < text.length; index++) {
    if (index >= k) hash = (hash - Math.imul(text.charCodeAt(index - k), top)) | 0;
    hash = (Math.imul(hash, BASE) + text.charCodeAt(index)) | 0;
    const start = index + 1 - k;
    if (start < skipUntil || start < 0) continue;
    const positions = prompt.windows.get(hash);
    if (!positions) continue;
    for (const position of positions) {
      const length = commonRun(text, start, prompt.text, position);
      if (length < k) continue;
      if (length > best.length) best = { length, at: start };
      // Greedy tiling: continue after this copy instead of re-walking it from every offset.
      skipUntil = Math.max(skipUntil, start + length - k + 1);
    }
  }
  return best;
}

export function findCanary(output: string, canary: string): LeakMeasures['canary'] {
  const found: LeakMeasures['canary'] = [];
  const lower = output.toLowerCase();
  const needle = canary.toLowerCase();
  if (lower.length === output.length) {
    for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
      found.push({ start: at, end: at + needle.length, spelledOut: false });
    }
  }
  if (found.length > 0) return found;
  const encoded = findEncodedCanary(
    output,
    lower.length === output.length ? lower : null,
    encodedCanaryForms(canary),
  );
  if (encoded !== null) return [encoded];
  // Spelled out: compare letters and digits only.
  const positions: number[] = [];
  let squeezed = '';
  for (let index = 0; index < lower.length; index++) {
    const char = lower[index]!;
    if ((char >= '0' && char <= '9') || (char >= 'a' && char <= 'z')) {
      squeezed += char;
      positions.push(index);
    }
  }
  let best: LeakMeasures['canary'][number] | null = null;
  for (const letters of spelledOutNeedles(canary)) {
    const at = squeezed.indexOf(letters);
    if (at < 0) continue;
    const end = positions[at + letters.length - 1]! + 1;
    if (best === null || end < best.end) best = { start: positions[at]!, end, spelledOut: true };
  }
  if (best !== null) found.push(best);
  return found;
}

/**
 * What the spelled-out search compares with the answer's letters and digits: the canary's own
 * ("s o - c a n a r y …", "SO CANARY 1f9c…"), and its hex with separators ("53 4f 2d 43 …",
 * and "0x53, 0x4F, …", whose `0x` before each byte stays among the letters and digits).
 * The one that ends first is reported.
 */
export function spelledOutNeedles(canary: string): string[] {
  const letters = canary.toLowerCase().replace(/[^0-9a-z]/g, '');
  const hex = Buffer.from(canary, 'utf8').toString('hex');
  return [letters, hex, hex.replace(/(..)/g, '0x$1')].filter((needle) => needle.length >= 8);
}

export interface EncodedCanaryForms {
  /** Matched as written (base64 is case-sensitive). */
  exact: string[];
  /** Matched in the lower-cased text (hex). */
  lower: string[];
  /** The longest form. */
  longest: number;
}

/**
 * The canary as a model told to answer "in base64" or "in hex" writes it (an extraction that
 * gets past an output filter that reads only plain text): base64 of its UTF-8 bytes at each of
 * the three alignments it can have inside a longer encoded text — only the characters its own
 * bytes decide, standard and URL-safe alphabets — and hex. Each is at least 32 characters of
 * the canary's 64 random bits, so ordinary answers never contain one.
 */
export function encodedCanaryForms(canary: string): EncodedCanaryForms {
  // A policy's answers share one canary per request: the forms of the last one are kept.
  if (lastForms?.canary === canary) return lastForms.forms;
  const bytes = Buffer.from(canary, 'utf8');
  const exact = new Set<string>();
  for (let skip = 0; skip < 3; skip++) {
    const whole = Math.floor((bytes.length - skip) / 3) * 3;
    if (whole < 12) continue;
    const standard = bytes.subarray(skip, skip + whole).toString('base64');
    exact.add(standard);
    exact.add(standard.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  const lower = bytes.length >= 8 ? [bytes.toString('hex')] : [];
  const all = [...exact, ...lower];
  const forms = {
    exact: [...exact],
    lower,
    longest: all.reduce((max, form) => Math.max(max, form.length), 0),
  };
  lastForms = { canary, forms };
  return forms;
}

let lastForms: { canary: string; forms: EncodedCanaryForms } | null = null;

/**
 * The encoded canary in `text` from `from` on that ends first (the first form in `forms` order
 * among equals), or null. `lower` is the lower-cased text when it has the text's length, else
 * null (then the hex forms are not looked for).
 */
export function findEncodedCanary(
  text: string,
  lower: string | null,
  forms: EncodedCanaryForms,
  from = 0,
): LeakMeasures['canary'][number] | null {
  let best: LeakMeasures['canary'][number] | null = null;
  const consider = (at: number, length: number) => {
    if (at >= 0 && (best === null || at + length < best.end))
      best = { start: at, end: at + length, spelledOut: true };
  };
  for (const form of forms.exact) consider(text.indexOf(form, from), form.length);
  if (lower !== null) for (const form of forms.lower) consider(lower.indexOf(form, from), form.length);
  return best;
}

/** How many characters `text` from `at` and `prompt` from `position` have in common. */
export function commonRun(text: string, at: number, prompt: string, position: number): number {
  let length = 0;
  while (
    at + length < text.length &&
    position + length < prompt.length &&
    text.charCodeAt(at + length) === prompt.charCodeAt(position + length)
  ) {
    length++;
  }
  return length;
}
