/**
 * The HTML the exfiltration scanner reads: tags whose attributes a browser fetches without a
 * click (`<img src>`, `<iframe src>`, `srcset`, `poster`…), and for links `<a href>`,
 * `<https://…>` autolinks and bare URLs (GFM's extended autolinks).
 */
import type { ConstructKind } from './markup-scan.js';
import {
  blankLineAt,
  decodeMarkupUrl,
  INVALID,
  isAsciiLetter,
  NEWLINE,
  OVERLONG,
  PENDING,
  type Read,
} from './markup-syntax.js';

/**
 * The longest HTML tag or autolink. Shorter than other constructs because an unclosed tag is
 * read up to the end of its paragraph from every `<img` in it: the bound keeps a flood of them
 * to 1 KB of reading each. A longer tag (a `src` holding a large `data:` image) is overlong.
 */
export const MAX_TAG_CHARS = 1024;

/** Tags whose attributes a browser fetches without a click, with those attributes. */
const AUTOLOAD_ATTRIBUTES: Record<string, readonly string[]> = {
  img: ['src', 'srcset', 'lowsrc', 'dynsrc'],
  image: ['src', 'href', 'xlink:href'],
  picture: [],
  source: ['src', 'srcset'],
  video: ['src', 'poster'],
  audio: ['src'],
  track: ['src'],
  input: ['src'],
  iframe: ['src'],
  frame: ['src'],
  embed: ['src'],
  object: ['data'],
  script: ['src'],
  link: ['href'],
  body: ['background'],
  table: ['background'],
  td: ['background'],
  th: ['background'],
};
const LINK_ATTRIBUTES: readonly string[] = ['href'];
const TAG_NAMES = [...Object.keys(AUTOLOAD_ATTRIBUTES), 'a'];

/** The URLs of a `srcset` value: the first word of each comma-separated candidate. */
function srcsetUrls(value: string): string[] {
  const urls: string[] = [];
  for (const candidate of value.split(',')) {
    const word = candidate.trim().split(/\s/)[0];
    if (word) urls.push(word);
  }
  return urls;
}

/**
 * Reads an HTML tag's attributes after its name (at `at`) up to `>`, collecting the values of
 * `attributes`. Quoted values may hold `>`.
 */
function readTag(text: string, at: number, bound: number, attributes: readonly string[]): Read {
  let index = at;
  const limit = Math.min(text.length, bound);
  const urls: string[] = [];
  while (index < limit) {
    const code = text.charCodeAt(index);
    if (code === 0x3e) return { status: 'ok', end: index + 1, urls };
    if (code === NEWLINE && blankLineAt(text, index + 1)) return INVALID;
    if (code <= 0x20 || code === 0x2f) {
      index++;
      continue;
    }
    const nameStart = index;
    while (index < limit) {
      const next = text.charCodeAt(index);
      if (next <= 0x20 || next === 0x3d || next === 0x3e || next === 0x2f) break;
      index++;
    }
    const name = text.slice(nameStart, index).toLowerCase();
    while (index < limit && text.charCodeAt(index) <= 0x20) index++;
    if (index >= limit) break;
    if (text.charCodeAt(index) !== 0x3d) continue;
    index++;
    while (index < limit && text.charCodeAt(index) <= 0x20) index++;
    if (index >= limit) break;
    const quote = text.charCodeAt(index);
    let value: string;
    if (quote === 0x22 || quote === 0x27) {
      let close = index + 1;
      while (close < limit && text.charCodeAt(close) !== quote) close++;
      if (close >= limit) {
        index = limit;
        break;
      }
      value = text.slice(index + 1, close);
      index = close + 1;
    } else {
      const valueStart = index;
      while (index < limit && text.charCodeAt(index) > 0x20 && text.charCodeAt(index) !== 0x3e) index++;
      value = text.slice(valueStart, index);
    }
    if (attributes.includes(name)) {
      const decoded = decodeMarkupUrl(value, false);
      if (name === 'srcset') urls.push(...srcsetUrls(decoded));
      else urls.push(decoded.trim());
    }
  }
  return index >= bound ? OVERLONG : PENDING;
}

/** Whether `text` from `at` to its end could still become one of `words`. */
function couldBecome(text: string, at: number, words: readonly string[]): boolean {
  const tail = text.slice(at).toLowerCase();
  return words.some((word) => word.startsWith(tail));
}

const URL_PREFIXES = ['http://', 'https://', 'www.'];

/** Reads an HTML tag or autolink at `<`; null when it is neither one that fetches nor a link. */
export function readHtml(
  text: string,
  at: number,
  links: boolean,
): { kind: ConstructKind; read: Read } | null {
  let index = at + 1;
  while (
    index < text.length &&
    (isAsciiLetter(text.charCodeAt(index)) || (index > at + 1 && isDigit(text, index)))
  )
    index++;
  const name = text.slice(at + 1, index).toLowerCase();
  if (index >= text.length) {
    const candidates = links ? [...TAG_NAMES, 'http', 'https'] : TAG_NAMES;
    return name === '' || couldBecome(text, at + 1, candidates)
      ? { kind: 'html-image', read: PENDING }
      : null;
  }
  const bound = at + MAX_TAG_CHARS;
  if (links && text.charCodeAt(index) === 0x3a && (name === 'http' || name === 'https')) {
    // An autolink: no blanks, no `<`, up to `>`.
    const limit = Math.min(text.length, bound);
    let end = index;
    while (
      end < limit &&
      text.charCodeAt(end) > 0x20 &&
      text.charCodeAt(end) !== 0x3c &&
      text.charCodeAt(end) !== 0x3e
    )
      end++;
    if (end >= limit) return { kind: 'link', read: end >= bound ? OVERLONG : PENDING };
    if (text.charCodeAt(end) !== 0x3e) return null;
    return { kind: 'link', read: { status: 'ok', end: end + 1, urls: [text.slice(at + 1, end)] } };
  }
  const next = text.charCodeAt(index);
  if (!(next <= 0x20 || next === 0x3e || next === 0x2f)) return null;
  // Own keys only: the model writes the tag name (`<constructor …>` is no prototype lookup).
  const attributes = Object.hasOwn(AUTOLOAD_ATTRIBUTES, name)
    ? AUTOLOAD_ATTRIBUTES[name]!
    : links && name === 'a'
      ? LINK_ATTRIBUTES
      : null;
  if (!attributes) return null;
  const kind: ConstructKind =
    name === 'a' ? 'link' : name === 'img' || name === 'image' ? 'html-image' : 'html-embed';
  return { kind, read: readTag(text, index, bound, attributes) };
}

function isDigit(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 0x30 && code <= 0x39;
}

/**
 * A bare URL (GFM's extended autolink) at `at`: `http://`, `https://` or `www.` after a
 * non-word character, up to a blank or `<`, without trailing punctuation.
 */
export function readBareUrl(text: string, at: number, size: number): Read | 'pending' | null {
  if (at > 0 && /[\p{L}\p{N}_]/u.test(text[at - 1]!)) return null;
  const head = text.slice(at, at + 8).toLowerCase();
  const prefix = URL_PREFIXES.find((candidate) => head.startsWith(candidate));
  if (!prefix) return text.length - at < 8 && couldBecome(text, at, URL_PREFIXES) ? 'pending' : null;
  const bound = at + size;
  const limit = Math.min(text.length, bound);
  let end = at + prefix.length;
  while (end < limit && text.charCodeAt(end) > 0x20 && text.charCodeAt(end) !== 0x3c) end++;
  if (end >= bound) return OVERLONG;
  const open = end >= text.length;
  while (end > at + prefix.length && /[?!.,:*_~'")\]]/.test(text[end - 1]!)) end--;
  if (end === at + prefix.length) return open ? 'pending' : null;
  const read: Read = { status: 'ok', end, urls: [text.slice(at, end)] };
  // At the end of the text: a link if the text ends here, so reported — and held.
  return open ? { status: 'pending', partial: read } : read;
}
