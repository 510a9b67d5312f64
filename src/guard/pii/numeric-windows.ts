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
  const windows: NumericWindow[] = [];
  CLUSTER.lastIndex = 0;
  for (let match = CLUSTER.exec(text); match !== null; match = CLUSTER.exec(text)) {
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
    windows.push({
      from: start > 0 ? start - 1 : 0,
      to: Math.min(text.length, start + cluster.length + 2),
      start,
      end: start + cluster.length,
      digits,
      dots,
      international: first === '+' || cluster.startsWith('00'),
      bare: digits === cluster.length,
    });
  }
  return windows;
}
