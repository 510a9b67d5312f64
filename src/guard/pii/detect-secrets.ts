/**
 * Credentials: vendor key formats with a fixed prefix (OpenAI / Anthropic / StackOps `sk-…`,
 * AWS access key ids, GitHub, Slack, Google, Stripe), JWTs, PEM private-key blocks, and the
 * generic `api_key=…` / `token: …` assignment whose value is random-looking (letters and
 * digits, Shannon entropy above a length-dependent threshold) — a placeholder such as
 * `token: <your-token>` or `password = None` is not a secret.
 */

import { isAsciiWordCode } from '../normalize/canonicalize.js';
import { shannonEntropy } from './checksums.js';
import { frontierProgress, type Progress, trailingRunStart } from './progress.js';
import type { PiiCandidate } from './types.js';

const PREFIXED = new RegExp(
  [
    'sk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\\d\\d-|so-)?[A-Za-z0-9_-]{20,}',
    '(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}',
    'gh[pousr]_[A-Za-z0-9]{36,251}',
    'github_pat_[A-Za-z0-9_]{22,255}',
    'xox[baprs]-[A-Za-z0-9-]{10,250}',
    'AIza[0-9A-Za-z_-]{35}',
    '[rs]k_(?:live|test)_[0-9A-Za-z]{16,247}',
    'eyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*',
  ]
    .map((pattern) => `(?:${pattern})`)
    .join('|')
    .replace(/^/, '(?<![\\w-])(?:')
    .concat(')(?![\\w-])'),
  'g',
);
// Cheap tests before the alternation above runs over the text: literal searches are memchr
// fast, a class-first regex is not.
const AWS_OR_GOOGLE_HINT = /A(?:KIA|SIA|GPA|IDA|ROA|IPA|NPA|NVA|PKA|Iza)/;

function prefixHint(text: string): boolean {
  // 'k-' rather than 'sk-' and '.eyJ' rather than 'eyJ': a rarer first character is faster.
  return (
    text.includes('k-') ||
    text.includes('_') ||
    text.includes('xox') ||
    text.includes('.eyJ') ||
    AWS_OR_GOOGLE_HINT.test(text)
  );
}

const PEM_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----/g;
const PEM_BODY = /[A-Za-z0-9+/=\s:,-]*/y;

// Assignments are found from their ':' / '=' (rare in prose) backwards to the key name.
const KEY_BEFORE =
  /(?:api[_-]?key|apikey|key|secret(?:[_-]?key)?|access[_-]?token|auth[_-]?token|refresh[_-]?token|token|passw(?:or)?d|pwd)["']?\s*$/i;
// Bounded: an unbounded value class would rescan the rest of the text from every '='.
const VALUE_AFTER = /\s*(?:>\s*)?["']?([A-Za-z0-9_\-+/=.~!@#$%^&*]{8,512})/y;
const BEARER_VALUE = /\s+([A-Za-z0-9._~+/-]{16,512}=*)/y;

function randomLooking(value: string, password: boolean): boolean {
  if (/^[A-Za-z]+$/.test(value) && !password) return false;
  const hasDigit = /\d/.test(value);
  const hasLetter = /[A-Za-z]/.test(value);
  if (password) return value.length >= 8 && hasLetter && (hasDigit || /[^A-Za-z0-9]/.test(value));
  if (value.length < 16 || !hasDigit || !hasLetter) return false;
  // Random strings of n symbols score close to log2(n) bits; prose and placeholders far less.
  return shannonEntropy(value) >= Math.min(3.5, 0.8 * Math.log2(value.length));
}

function jwtHeaderValid(token: string): boolean {
  try {
    const header: unknown = JSON.parse(
      Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString(),
    );
    return typeof header === 'object' && header !== null && 'alg' in header;
  } catch {
    return false;
  }
}

/** All secret shapes of the text, in the order the scanner lists them. */
export function detectSecrets(text: string, out: PiiCandidate[]): void {
  detectPrefixed(text, out);
  detectPem(text, out);
  detectAssignments(text, ':', out);
  detectAssignments(text, '=', out);
  detectBearer(text, out);
  detectProseCredentials(text, out);
}

/** A prefixed key and everything its pattern reads lie in one run of [A-Za-z0-9_.-]. */
function isKeyRunCharacter(code: number): boolean {
  return isAsciiWordCode(code) || code === 45 || code === 46;
}

/** Vendor keys and JWTs from `from` on. */
export function detectPrefixed(text: string, out: PiiCandidate[], from = 0): Progress {
  const base = out.length;
  const frontier = trailingRunStart(text, from, isKeyRunCharacter);
  if (!prefixHint(from === 0 ? text : text.slice(from))) return { resume: frontier, final: 0 };
  PREFIXED.lastIndex = from;
  for (let match = PREFIXED.exec(text); match !== null; match = PREFIXED.exec(text)) {
    const value = match[0];
    const end = match.index + value.length;
    if (value.startsWith('eyJ')) {
      const valid = jwtHeaderValid(value);
      out.push({ type: 'SECRET', start: match.index, end, score: valid ? 0.95 : 0.8, validated: valid });
    } else if (!value.startsWith('sk-') || (/\d/.test(value) && /[A-Za-z]/.test(value.slice(3)))) {
      out.push({ type: 'SECRET', start: match.index, end, score: 0.9, validated: false });
    }
  }
  return frontierProgress(out, base, frontier);
}

/** A BEGIN line being written: '-----BEGIN ', capitals, digits, spaces, dashes. */
function isPemMarkerCharacter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 32 || code === 45;
}

/**
 * PEM private-key blocks from `from` on. A block without its END line is not final: the END
 * line may still come, and then the block runs to it.
 */
export function detectPem(text: string, out: PiiCandidate[], from = 0): Progress {
  const base = out.length;
  let pending: Progress | null = null;
  let next = from;
  if (text.indexOf('-----BEGIN ', from) !== -1) {
    // Where each label's END marker was last found (-1: none after that point), so that many
    // BEGIN lines without an END do not each search the rest of the text.
    const endSearch = new Map<string, { from: number; at: number }>();
    PEM_BEGIN.lastIndex = from;
    for (let match = PEM_BEGIN.exec(text); match !== null; match = PEM_BEGIN.exec(text)) {
      const endMarker = `-----END ${match[1]}-----`;
      const afterBegin = match.index + match[0].length;
      let known = endSearch.get(endMarker);
      if (known === undefined || (known.at !== -1 && known.at < afterBegin)) {
        known = { from: afterBegin, at: text.indexOf(endMarker, afterBegin) };
        endSearch.set(endMarker, known);
      }
      let end: number;
      if (known.at !== -1) {
        end = known.at + endMarker.length;
      } else {
        // A truncated block: take the base64 body that follows.
        pending ??= { resume: match.index, final: out.length - base };
        PEM_BODY.lastIndex = afterBegin;
        PEM_BODY.exec(text);
        end = PEM_BODY.lastIndex;
        while (end > afterBegin && /\s/.test(text.charAt(end - 1))) end--;
      }
      out.push({ type: 'SECRET', start: match.index, end, score: 1, validated: true });
      next = Math.max(end, afterBegin);
      PEM_BEGIN.lastIndex = next;
    }
  }
  // Past the last block, a BEGIN line can only be forming in the run that ends the text.
  return (
    pending ?? {
      resume: Math.max(next, trailingRunStart(text, from, isPemMarkerCharacter)),
      final: out.length - base,
    }
  );
}

/** The last letter of a key name in KEY_BEFORE, found by skipping quotes and spaces back. */
function endsLikeKeyName(text: string, separator: number): boolean {
  let index = separator - 1;
  while (index >= 0 && /["'\s]/.test(text.charAt(index))) index--;
  const last = text.charCodeAt(index) | 32;
  return last === 121 || last === 116 || last === 110 || last === 100; // y t n d
}

function pushValue(out: PiiCandidate[], start: number, raw: string, password: boolean): void {
  // Sentence punctuation glued to the value.
  const value = raw.replace(/(?<![.,;!])[.,;!]+$/, '');
  if (randomLooking(value, password)) {
    out.push({ type: 'SECRET', start, end: start + value.length, score: 0.7, validated: false });
  }
}

/** Past the last character VALUE_AFTER can read from `separator` (the bounded value included). */
function valueReach(text: string, separator: number): number {
  let index = separator + 1;
  while (index < text.length && /\s/.test(text.charAt(index))) index++;
  if (text.charAt(index) === '>') index++;
  while (index < text.length && /\s/.test(text.charAt(index))) index++;
  if (text.charAt(index) === '"' || text.charAt(index) === "'") index++;
  const limit = index + 512;
  while (index < limit && index < text.length && VALUE_CHARACTER.test(text.charAt(index))) index++;
  return index + 1;
}

const VALUE_CHARACTER = /[A-Za-z0-9_\-+/=.~!@#$%^&*]/;

/** `key: value` / `key = value` assignments from `from` on (separators inside a value belong to it). */
export function detectAssignments(
  text: string,
  separator: ':' | '=',
  out: PiiCandidate[],
  from = 0,
): Progress {
  const base = out.length;
  let pending: Progress | null = null;
  let next = from;
  for (let at = text.indexOf(separator, next); at !== -1; at = text.indexOf(separator, next)) {
    next = at + 1;
    if (!endsLikeKeyName(text, at)) continue;
    const key = KEY_BEFORE.exec(text.slice(Math.max(0, at - 40), at));
    if (key === null) continue;
    if (pending === null && valueReach(text, at) > text.length)
      pending = { resume: at, final: out.length - base };
    VALUE_AFTER.lastIndex = at + 1;
    const value = VALUE_AFTER.exec(text);
    if (value === null) continue;
    const raw = value[1]!;
    const name = key[0].toLowerCase();
    pushValue(
      out,
      VALUE_AFTER.lastIndex - raw.length,
      raw,
      name.startsWith('pass') || name.startsWith('pwd'),
    );
    next = VALUE_AFTER.lastIndex;
  }
  return pending ?? { resume: next, final: out.length - base };
}

/**
 * A credential named in prose, with no `:` or `=`: "the AWS secret access key is wJalr…",
 * "token 9f8e7d…", "my password is Summer2024!". The cue is one of the words secret, key,
 * token, password, passphrase, passcode — lower-case, capitalised or upper-case, a whole word —
 * optionally followed by `is` / `was` / `reads`, then one to three spaces and an optional quote
 * (never `:` or `=`: that is an assignment). The value starts with a letter or digit and must
 * look random as in an assignment, more strictly for a password (letters and a digit, ≥ 8
 * characters: in prose "password is case-sensitive" follows); anything else needs ≥ 16
 * characters with letters, digits and a high entropy, so "the token limit is 4096" or "the
 * secret to success" is not a secret.
 *
 * Found from letters inside the cue words (PROSE_NEEDLE, about 3.4 µs per 2 KB; an expression
 * that spells out the cue words with their look-behind costs 8–10 µs, thirteen indexOf 6.5). Bounded: whether a cue word
 * starting at p is a cue depends on at most PROSE_CUE_READ characters from p - 1, and its value
 * reads at most 512 characters.
 */
const PROSE_CUE_WORDS = ['secret', 'key', 'token', 'password', 'passphrase', 'passcode'];
/**
 * A letter run inside each cue word, in the cases allowed: one pass finds every possible cue
 * (no two needles can overlap). Each cue word starts one character before its needle, except
 * `key`, which starts at it.
 */
const PROSE_NEEDLE = /ecret|ECRET|[Kk]ey|KEY|oken|OKEN|ass[wpc]|ASS[WPC]/g;
/** After the cue word: the linking word, spaces, the opening quote, and the value's first character. */
const PROSE_LINK = /(?:\s(?:is|was|reads))?\s{1,3}["'`]?(?=[A-Za-z0-9])/y;
const PROSE_VALUE = /[A-Za-z0-9_\-+/=.~!@#$%^&*]{1,512}/y;
const PROSE_CUE_READ = 24;

/** The cue word starting at `start`, or '' (not a whole word in one of the three cases). */
function proseCueWordAt(text: string, start: number): string {
  if (start > 0 && isAsciiWordCode(text.charCodeAt(start - 1))) return '';
  for (const word of PROSE_CUE_WORDS) {
    const end = start + word.length;
    if (end > text.length || (end < text.length && isAsciiWordCode(text.charCodeAt(end)))) continue;
    const written = text.slice(start, end);
    const lower = written.toLowerCase();
    if (lower !== word) continue;
    if (written === lower || written === written.toUpperCase() || written.slice(1) === lower.slice(1))
      return written;
  }
  return '';
}

/** Credentials named in prose from `from` on (see PROSE_CUE_WORDS). */
export function detectProseCredentials(text: string, out: PiiCandidate[], from = 0): Progress {
  const base = out.length;
  let pending: Progress | null = null;
  let next = from;
  PROSE_NEEDLE.lastIndex = from;
  for (let needle = PROSE_NEEDLE.exec(text); needle !== null; needle = PROSE_NEEDLE.exec(text)) {
    const start = (needle[0].charCodeAt(0) | 32) === 107 ? needle.index : needle.index - 1; // k / K
    // A pushed value is not searched for cues: a credential's characters are not prose.
    if (start < next) continue;
    const word = proseCueWordAt(text, start);
    if (word === '') continue;
    PROSE_LINK.lastIndex = start + word.length;
    if (PROSE_LINK.exec(text) === null) continue;
    const valueStart = PROSE_LINK.lastIndex;
    PROSE_VALUE.lastIndex = valueStart;
    PROSE_VALUE.exec(text);
    const valueEnd = PROSE_VALUE.lastIndex;
    // The value may still be growing, unless it stopped at a character or at its bound.
    if (pending === null && valueEnd >= text.length && valueEnd - valueStart < 512)
      pending = { resume: start, final: out.length - base };
    const before = out.length;
    const value = text.slice(valueStart, valueEnd);
    // In prose a hyphenated word follows "password is" ("case-sensitive"): a digit is required.
    const password = (word.charCodeAt(0) | 32) === 112 && /\d/.test(value);
    pushValue(out, valueStart, value, password);
    if (out.length > before) next = valueEnd;
  }
  // Past the last value, a cue word near the end may still be followed by its value.
  return pending ?? { resume: Math.max(next, text.length - PROSE_CUE_READ), final: out.length - base };
}

/** `Bearer <token>` from `from` on. */
export function detectBearer(text: string, out: PiiCandidate[], from = 0): Progress {
  const base = out.length;
  let pending: Progress | null = null;
  let next = from;
  for (let at = text.indexOf('earer', next); at !== -1; at = text.indexOf('earer', next)) {
    next = at + 1;
    if ((text.charCodeAt(at - 1) | 32) !== 98) continue; // b / B
    BEARER_VALUE.lastIndex = at + 5;
    const value = BEARER_VALUE.exec(text);
    if (pending === null && bearerReach(text, at) > text.length)
      pending = { resume: at, final: out.length - base };
    if (value !== null) pushValue(out, BEARER_VALUE.lastIndex - value[1]!.length, value[1]!, false);
  }
  // 'earer' may be forming in the last four characters.
  return pending ?? { resume: Math.max(next, text.length - 4), final: out.length - base };
}

/** Past the last character BEARER_VALUE can read after 'earer' at `at`. */
function bearerReach(text: string, at: number): number {
  let index = at + 5;
  while (index < text.length && /\s/.test(text.charAt(index))) index++;
  const limit = index + 512;
  while (index < limit && index < text.length && BEARER_CHARACTER.test(text.charAt(index))) index++;
  while (index < text.length && text.charCodeAt(index) === 61) index++;
  return index + 1;
}

const BEARER_CHARACTER = /[A-Za-z0-9._~+/-]/;
