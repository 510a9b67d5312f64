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

import { MAX_TAG_CHARS, readBareUrl, readHtml } from './markup-html.js';
import {
  BACKSLASH,
  BACKTICK,
  blankLineAt,
  closesFence,
  fenceAt,
  isAsciiPunctuation,
  NEWLINE,
  OVERLONG,
  type Read,
  readDefinition,
  readInlineTail,
} from './markup-syntax.js';

/**
 * The longest construct (from `![`, `[` or `<` to its end) decided normally. One not decided
 * within it is reported as overlong: the stream cannot hold text back forever, and a URL this
 * long in a chat answer carries data. Browsers accept far longer URLs (Chrome: 2 MB).
 */
export const MAX_CONSTRUCT_CHARS = 4096;

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

/** Characters that may open or close something; with links, also `h` and `w` (bare URLs). */
const OPENS = /[\n\\`![\]<]/g;
const OPENS_WITH_LINKS = /[\n\\`![\]<hwHW]/g;

interface Opener {
  start: number;
  image: boolean;
}

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
  // The checkpoint, as three variables: it moves at every character that opens something.
  let checkpointAt = index;
  let checkpointFence = fence;
  let checkpointLineStart = lineStart;
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
    if (stack.length === floor && codeOpen < 0) {
      checkpointAt = index;
      checkpointFence = fence;
      checkpointLineStart = lineStart;
    }
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
        const definition = readDefinition(text, index, MAX_CONSTRUCT_CHARS);
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
          const bare = readBareUrl(text, index, MAX_CONSTRUCT_CHARS);
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
        // Characters that open nothing are skipped by a regular expression (V8 runs a
        // character class natively, several times faster than a charCodeAt loop), up to the
        // oldest open opener's bound, where it must be reported overlong.
        {
          const stop = floor < stack.length ? stack[floor]!.start + MAX_CONSTRUCT_CHARS : text.length;
          const opens = links ? OPENS_WITH_LINKS : OPENS;
          opens.lastIndex = index;
          const next = opens.test(text) ? opens.lastIndex - 1 : text.length;
          index = Math.min(next, stop, text.length);
        }
    }
  }
  for (let opener = floor; opener < stack.length; opener++) {
    if (stack[opener]!.image || links) {
      hold = Math.min(hold, stack[opener]!.start);
      break;
    }
  }
  if (index >= text.length && stack.length === floor && codeOpen < 0 && hold === Number.POSITIVE_INFINITY) {
    checkpointAt = text.length;
    checkpointFence = fence;
    checkpointLineStart = lineStart;
  }
  return {
    constructs,
    holdFrom: hold === Number.POSITIVE_INFINITY ? -1 : hold,
    checkpoint: { position: checkpointAt, fence: checkpointFence, lineStart: checkpointLineStart },
  };
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
