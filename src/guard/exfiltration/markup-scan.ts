/**
 * A linear, resumable reader of the markdown and HTML constructs that make a client fetch a
 * URL: inline images `![alt](url "title")`, link reference definitions `[label]: url` (what
 * `![alt][label]` loads), HTML tags with auto-loading attributes (`<img src>`, `<iframe src>`,
 * `srcset`, `poster`…), and — for the `links` option — inline links, `<https://…>` autolinks,
 * `<a href>` and bare URLs. Fenced code blocks and closed code spans are skipped: renderers show
 * their content as text and fetch nothing.
 *
 * Written by hand rather than with a markdown library because a stream needs what no renderer
 * says: where an unfinished construct begins (`holdFrom`), so that the streaming guard holds it
 * back until it closes, and a point up to which everything is decided (`checkpoint`), so that a
 * rescan of a growing answer starts there. Every decision depends only on the text before a
 * bound (`MAX_CONSTRUCT_CHARS` from the construct's start), so a prefix and the whole text agree
 * on every construct that the prefix decides. One pass; brackets are matched with a stack
 * (as CommonMark's delimiter algorithm), destinations and tags are read at most once.
 *
 * Approximations, all towards finding more: indented code blocks and HTML comments are read as
 * text, a code span or construct longer than the bound is read as text/a finding, and link
 * reference definitions are recognised at the start of any line.
 */

/**
 * The longest construct (from `![`, `[` or `<` to its end) decided normally. One not decided
 * within it is reported as overlong: the stream cannot hold text back forever, and a URL this
 * long in a chat answer carries data. Browsers accept far longer URLs (Chrome: 2 MB).
 */
export const MAX_CONSTRUCT_CHARS = 4096;

/**
 * The longest HTML tag or autolink. Shorter than other constructs because an unclosed tag is
 * read up to the end of its paragraph from every `<img` in it: the bound keeps a flood of them
 * to 1 KB of reading each. A longer tag (a `src` holding a large `data:` image) is overlong.
 */
export const MAX_TAG_CHARS = 1024;

export type ConstructKind = 'image' | 'definition' | 'html-image' | 'html-embed' | 'link';

export interface Construct {
  kind: ConstructKind;
  start: number;
  end: number;
  /** The URLs it fetches (decoded as a renderer decodes them); the prefix for overlong ones. */
  urls: string[];
  /** Not decided within MAX_CONSTRUCT_CHARS of its start. */
  overlong: boolean;
}

export interface Fence {
  char: number;
  length: number;
}

/** Where a scan may resume: everything before `position` is decided. */
export interface MarkupCheckpoint {
  position: number;
  fence: Fence | null;
  lineStart: boolean;
}

export interface MarkupScan {
  constructs: Construct[];
  /** Start of the earliest construct that more text could still change; -1 if none. */
  holdFrom: number;
  checkpoint: MarkupCheckpoint;
}

const BACKTICK = 0x60;
const TILDE = 0x7e;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;

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

function isAsciiPunctuation(code: number): boolean {
  return (
    (code >= 0x21 && code <= 0x2f) ||
    (code >= 0x3a && code <= 0x40) ||
    (code >= 0x5b && code <= 0x60) ||
    (code >= 0x7b && code <= 0x7e)
  );
}

function isSpaceOrTab(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** Whitespace that ends an unbracketed destination (CommonMark: spaces and ASCII controls). */
function endsDestination(code: number): boolean {
  return code <= 0x20 || code === 0x7f;
}

/** Whether the line starting at `at` is blank (spaces and tabs only) and complete. */
function blankLineAt(text: string, at: number): boolean {
  let index = at;
  while (index < text.length && isSpaceOrTab(text.charCodeAt(index))) index++;
  return index < text.length && (text.charCodeAt(index) === NEWLINE || text.charCodeAt(index) === 0x0d);
}

/** The fence a line opens (three or more backticks or tildes after up to three spaces). */
function fenceAt(text: string, at: number): Fence | null {
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
function closesFence(text: string, at: number, lineEnd: number, fence: Fence): boolean {
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
type Read =
  | { status: 'ok'; end: number; urls: string[] }
  | { status: 'invalid' }
  | { status: 'pending'; partial?: { end: number; urls: string[] } }
  | { status: 'overlong' };

const INVALID: Read = { status: 'invalid' };
const PENDING: Read = { status: 'pending' };
const OVERLONG: Read = { status: 'overlong' };

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
  return NAMED_REFERENCES[body] ?? null;
}

/**
 * Reads an inline destination and optional title after `(` at `at`, up to `)`. `bound` is the
 * first position past the construct's allowance.
 */
function readInlineTail(text: string, at: number, bound: number): Read {
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
function readDefinition(text: string, at: number): Read {
  let index = at;
  while (index < text.length && index - at < 3 && text.charCodeAt(index) === 0x20) index++;
  if (index >= text.length) return PENDING;
  if (text.charCodeAt(index) !== 0x5b) return INVALID;
  const bound = index + MAX_CONSTRUCT_CHARS;
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

interface Opener {
  start: number;
  image: boolean;
}

/** Whether `text` from `at` to its end could still become one of `words`. */
function couldBecome(text: string, at: number, words: readonly string[]): boolean {
  const tail = text.slice(at).toLowerCase();
  return words.some((word) => word.startsWith(tail));
}

const URL_PREFIXES = ['http://', 'https://', 'www.'];

/**
 * Scans `text` from a checkpoint (`{ position: 0, fence: null, lineStart: true }` for the whole
 * text). `links`: report links too.
 */
export function scanMarkup(text: string, from: MarkupCheckpoint, links: boolean): MarkupScan {
  const constructs: Construct[] = [];
  let fence = from.fence;
  let lineStart = from.lineStart;
  let index = from.position;
  let stack: Opener[] = [];
  // The oldest opener still open (older ones were reported overlong): a stack with a floor.
  let floor = 0;
  let codeOpen = -1;
  let hold = Number.POSITIVE_INFINITY;
  let checkpoint: MarkupCheckpoint = { position: index, fence, lineStart };
  // Backtick run lengths with no closer before the position stored (this paragraph).
  const noCloser = new Map<number, number>();

  const report = (kind: ConstructKind, start: number, read: Read, size = MAX_CONSTRUCT_CHARS): void => {
    if (read.status === 'ok') {
      constructs.push({ kind, start, end: read.end, urls: read.urls, overlong: false });
    } else if (read.status === 'overlong') {
      const end = start + size;
      constructs.push({ kind, start, end, urls: [text.slice(start, end)], overlong: true });
    }
    // A construct after a code span opener that may still close could yet turn out to be code.
    if (codeOpen >= 0 && read.status !== 'invalid') hold = Math.min(hold, start);
  };
  const endParagraph = (): void => {
    stack = [];
    floor = 0;
    codeOpen = -1;
    noCloser.clear();
  };

  scan: while (index < text.length) {
    if (stack.length === floor && codeOpen < 0) checkpoint = { position: index, fence, lineStart };
    if (lineStart) {
      const lineEnd = text.indexOf('\n', index);
      if (fence) {
        if (lineEnd < 0) break;
        if (closesFence(text, index, lineEnd, fence)) fence = null;
        index = lineEnd + 1;
        continue;
      }
      if (blankLineAt(text, index)) {
        endParagraph();
        index = lineEnd + 1;
        continue;
      }
      const opened = fenceAt(text, index);
      if (opened) {
        endParagraph();
        fence = opened;
        if (lineEnd < 0) break;
        index = lineEnd + 1;
        continue;
      }
      lineStart = false;
      if (stack.length === floor && codeOpen < 0) {
        const definition = readDefinition(text, index);
        if (definition.status === 'pending') {
          if (definition.partial) report('definition', index, { status: 'ok', ...definition.partial });
          hold = Math.min(hold, index);
          break;
        }
        if (definition.status !== 'invalid') {
          report('definition', index, definition);
          index = definition.status === 'ok' ? definition.end : index + MAX_CONSTRUCT_CHARS;
          continue;
        }
      }
    }
    while (floor < stack.length && index - stack[floor]!.start >= MAX_CONSTRUCT_CHARS) {
      const stale = stack[floor++]!;
      if (!(stale.image || links)) continue;
      report(stale.image ? 'image' : 'link', stale.start, OVERLONG);
      // The openers after it begin inside the reported span: redacted, they can no longer form
      // a construct, and blocked, nothing of them goes out. One finding per span, not per opener.
      floor = stack.length;
    }
    const code = text.charCodeAt(index);
    switch (code) {
      case NEWLINE:
        lineStart = true;
        index++;
        continue;
      case BACKSLASH:
        index += index + 1 < text.length && isAsciiPunctuation(text.charCodeAt(index + 1)) ? 2 : 1;
        continue;
      case BACKTICK: {
        let length = 1;
        while (text.charCodeAt(index + length) === BACKTICK) length++;
        const close = codeSpanEnd(text, index + length, length, index + MAX_CONSTRUCT_CHARS, noCloser);
        if (close > 0) {
          // A closing run that ends the text may still grow into another length.
          if (close >= text.length) hold = Math.min(hold, index);
          index = close;
          continue;
        }
        if (close === -1 && codeOpen < 0) codeOpen = index;
        index += length;
        continue;
      }
      case 0x21: // !
        if (index + 1 >= text.length) {
          hold = Math.min(hold, index);
          break scan;
        }
        if (text.charCodeAt(index + 1) === 0x5b) {
          stack.push({ start: index, image: true });
          index += 2;
          continue;
        }
        index++;
        continue;
      case 0x5b: // [
        stack.push({ start: index, image: false });
        index++;
        continue;
      case 0x5d: {
        // ]
        if (stack.length === floor) {
          index++;
          continue;
        }
        const opener = stack.pop()!;
        const counts = opener.image || links;
        if (index + 1 >= text.length) {
          if (counts) hold = Math.min(hold, opener.start);
          break scan;
        }
        if (text.charCodeAt(index + 1) !== 0x28) {
          index++;
          continue;
        }
        const read = readInlineTail(text, index + 2, opener.start + MAX_CONSTRUCT_CHARS);
        if (read.status === 'pending') {
          if (counts) hold = Math.min(hold, opener.start);
          break scan;
        }
        if (counts) report(opener.image ? 'image' : 'link', opener.start, read);
        if (read.status === 'ok') index = read.end;
        else if (read.status === 'overlong') index = opener.start + MAX_CONSTRUCT_CHARS;
        else index++;
        continue;
      }
      case 0x3c: {
        // <
        const read = readHtml(text, index, links);
        if (read === null) {
          index++;
          continue;
        }
        if (read.read.status === 'pending') {
          hold = Math.min(hold, index);
          break scan;
        }
        report(read.kind, index, read.read, MAX_TAG_CHARS);
        index =
          read.read.status === 'ok'
            ? read.read.end
            : read.read.status === 'overlong'
              ? index + MAX_TAG_CHARS
              : index + 1;
        continue;
      }
      default:
        if (links && (code === 0x68 || code === 0x77 || code === 0x48 || code === 0x57)) {
          const bare = readBareUrl(text, index);
          if (bare === 'pending' || bare?.status === 'pending') {
            if (bare !== 'pending' && bare.partial) report('link', index, { status: 'ok', ...bare.partial });
            hold = Math.min(hold, index);
            break scan;
          }
          if (bare) {
            report('link', index, bare);
            index = bare.status === 'ok' ? bare.end : index + MAX_CONSTRUCT_CHARS;
            continue;
          }
        }
        index++;
    }
  }
  for (let opener = floor; opener < stack.length; opener++) {
    if (stack[opener]!.image || links) {
      hold = Math.min(hold, stack[opener]!.start);
      break;
    }
  }
  if (index >= text.length && stack.length === floor && codeOpen < 0 && hold === Number.POSITIVE_INFINITY) {
    checkpoint = { position: text.length, fence, lineStart };
  }
  return { constructs, holdFrom: hold === Number.POSITIVE_INFINITY ? -1 : hold, checkpoint };
}

/**
 * The end of the code span whose opening run of `length` backticks ends at `from`: the next run
 * of exactly `length` backticks in the paragraph, before `bound`. 0: none (the backticks are
 * literal); -1: none yet, but the paragraph and the allowance go on past the text's end.
 */
function codeSpanEnd(
  text: string,
  from: number,
  length: number,
  bound: number,
  noCloser: Map<number, number>,
): number {
  const known = noCloser.get(length);
  let index = known !== undefined && known > from ? known : from;
  const limit = Math.min(text.length, bound);
  while (index < limit) {
    const code = text.charCodeAt(index);
    if (code === BACKTICK) {
      let run = 1;
      while (text.charCodeAt(index + run) === BACKTICK) run++;
      if (run === length) return index + run;
      // A run that ends the text may still grow into the closer.
      if (index + run >= text.length) return -1;
      index += run;
      continue;
    }
    if (code === NEWLINE && (blankLineAt(text, index + 1) || fenceAt(text, index + 1))) {
      noCloser.set(length, index);
      return 0;
    }
    index++;
  }
  if (index >= bound) {
    noCloser.set(length, index);
    return 0;
  }
  return -1;
}

/** Reads an HTML tag or autolink at `<`; null when it is neither one that fetches nor a link. */
function readHtml(text: string, at: number, links: boolean): { kind: ConstructKind; read: Read } | null {
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
  const attributes = AUTOLOAD_ATTRIBUTES[name] ?? (links && name === 'a' ? LINK_ATTRIBUTES : null);
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
function readBareUrl(text: string, at: number): Read | 'pending' | null {
  if (at > 0 && /[\p{L}\p{N}_]/u.test(text[at - 1]!)) return null;
  const head = text.slice(at, at + 8).toLowerCase();
  const prefix = URL_PREFIXES.find((candidate) => head.startsWith(candidate));
  if (!prefix) return text.length - at < 8 && couldBecome(text, at, URL_PREFIXES) ? 'pending' : null;
  const bound = at + MAX_CONSTRUCT_CHARS;
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
