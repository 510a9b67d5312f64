/**
 * One native regex pass that finds the only places where number-shaped PII can be: runs of 7+
 * digits joined by at most two separator characters (space - . / ( )), with an optional
 * leading `+`/`(` and a trailing phone extension, or a dotted quad. Prose numbers (years,
 * amounts, "order 5512") never qualify, so on most texts no number detector runs at all; when
 * one does, it runs on a window of a few dozen characters instead of the whole text.
 *
 * Every number detector's pattern joins digits by at most two such characters, so a match of
 * any of them lies inside one window. Each window keeps one character of context before and
 * two after, which is all the detectors' look-behinds and look-aheads read.
 */
import type { Progress } from './progress.js';

const CLUSTER =
  /[+(]{0,2}\d(?:[ \-./()]{0,2}\d){6,}(?:\s?(?:[xX]|[eE]xt\.?|extension)\s?\d{1,6})?|\d{1,3}(?:\.\d{1,3}){3}/g;

export interface NumericWindow {
  /** Window bounds in the text (context included). */
  from: number;
  to: number;
  /** The cluster itself: text[start, end). */
  start: number;
  end: number;
  /** Digits in the cluster. */
  digits: number;
  /** '.' characters in the cluster (IPv4 needs three). */
  dots: number;
  /** The cluster starts with '+' or '00' (international phone prefix). */
  international: boolean;
  /** The cluster is digits only (no separator, prefix or extension). */
  bare: boolean;
}

export function findNumericWindows(text: string): NumericWindow[] {
  return numericWindowsFrom(text, 0).windows;
}

/**
 * An attempt of CLUSTER that fails reads at most 21 characters (two prefix characters, six
 * digits joined by up to two separators each, one more separator pair); a match reads at most
 * 19 characters past its end (a separator pair, an extension), and the detectors' context
 * checks at most 21 (a cue word or unit after the number).
 */
const FAILED_REACH = 24;
const MATCH_REACH = 32;

/** The windows from `from` on, and how many of them are final (Progress.final counts windows). */
export function numericWindowsFrom(
  text: string,
  from: number,
): { windows: NumericWindow[]; progress: Progress } {
  const windows: NumericWindow[] = [];
  let progress: Progress | null = null;
  CLUSTER.lastIndex = from;
  for (;;) {
    const searchedFrom = CLUSTER.lastIndex;
    const match = CLUSTER.exec(text);
    if (match !== null && progress === null && match.index + match[0].length + MATCH_REACH > text.length) {
      progress = {
        resume: Math.max(searchedFrom, Math.min(match.index, text.length - FAILED_REACH)),
        final: windows.length,
      };
    }
    if (match === null) {
      return {
        windows,
        progress: progress ?? {
          resume: Math.max(searchedFrom, text.length - FAILED_REACH),
          final: windows.length,
        },
      };
    }
    windows.push(toWindow(text, match));
  }
}

function toWindow(text: string, match: RegExpExecArray): NumericWindow {
  const cluster = match[0];
  let digits = 0;
  let dots = 0;
  for (let index = 0; index < cluster.length; index++) {
    const code = cluster.charCodeAt(index);
    if (code >= 48 && code <= 57) digits++;
    else if (code === 46) dots++;
  }
  const start = match.index;
  const first = cluster.charCodeAt(0) === 40 ? cluster.charAt(1) : cluster.charAt(0);
  return {
    from: start > 0 ? start - 1 : 0,
    to: Math.min(text.length, start + cluster.length + 2),
    start,
    end: start + cluster.length,
    digits,
    dots,
    international: first === '+' || cluster.startsWith('00'),
    bare: digits === cluster.length,
  };
}
