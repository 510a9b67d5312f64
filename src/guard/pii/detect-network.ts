/**
 * Email addresses and IP addresses. Emails are found from each '@' outwards (no regex scans
 * the whole text): the local part is the RFC 5322 dot-atom subset people actually use
 * (letters, digits, . _ % + -), the domain needs two or more labels and an alphabetic TLD.
 * IPv4 needs four decimal octets 0–255 without leading zeros and not inside a longer dotted
 * run (so 999.1.1.1 and 1.2.3.4.5 are not addresses); IPv6 candidates are parsed per RFC 4291
 * (eight groups, or fewer with one '::', optional embedded IPv4).
 */
import { frontierProgress, type Progress, trailingRunStart } from './progress.js';
import type { PiiCandidate } from './types.js';

function isLocalCharacter(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 46 || // .
    code === 95 || // _
    code === 37 || // %
    code === 43 || // +
    code === 45 // -
  );
}

function isDomainCharacter(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 45 ||
    code === 46
  );
}

const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
const TOP_LEVEL = /^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

/** An address and all its scan reads lie in one run of these (local, domain and '@'). */
function isEmailRunCharacter(code: number): boolean {
  return isLocalCharacter(code) || code === 64;
}

/** Emails around each '@' from `start` on. */
export function detectEmails(text: string, out: PiiCandidate[], start = 0): Progress {
  const base = out.length;
  const frontier = trailingRunStart(text, start, isEmailRunCharacter);
  let from = start;
  for (let at = text.indexOf('@', from); at !== -1; at = text.indexOf('@', from)) {
    from = at + 1;
    let start = at;
    while (start > 0 && isLocalCharacter(text.charCodeAt(start - 1))) start--;
    while (start < at && text.charCodeAt(start) === 46) start++;
    let end = at + 1;
    while (end < text.length && isDomainCharacter(text.charCodeAt(end))) end++;
    // Sentence punctuation after the address is not part of it.
    while (end > at + 1 && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end--;
    const local = text.slice(start, at);
    if (local.length === 0 || local.length > 64 || local.endsWith('.') || local.includes('..')) continue;
    const labels = text.slice(at + 1, end).split('.');
    if (labels.length < 2 || !TOP_LEVEL.test(labels[labels.length - 1]!)) continue;
    if (!labels.every((label) => LABEL.test(label))) continue;
    out.push({ type: 'EMAIL', start, end, score: 0.9, validated: false });
    from = end;
  }
  return frontierProgress(out, base, frontier);
}

const IPV4 =
  /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\.?\d)(?![\w])/g;
const IPV6_CANDIDATE = /(?:[0-9A-Fa-f]{1,4}:|::)[0-9A-Fa-f:.]*/y;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;
const IPV4_EXACT = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** IPv4 addresses in text[from, to). */
export function detectIpv4(text: string, from: number, to: number, out: PiiCandidate[]): void {
  const window = text.slice(from, to);
  IPV4.lastIndex = 0;
  for (let match = IPV4.exec(window); match !== null; match = IPV4.exec(window)) {
    const start = from + match.index;
    out.push({ type: 'IP_ADDRESS', start, end: start + match[0].length, score: 0.8, validated: false });
  }
}

/** RFC 4291 text form (no zone id). */
export function isIpv6(candidate: string): boolean {
  let groups = candidate;
  let extra = 0;
  const lastColon = candidate.lastIndexOf(':');
  if (candidate.indexOf('.', lastColon) !== -1) {
    if (!IPV4_EXACT.test(candidate.slice(lastColon + 1))) return false;
    groups = `${candidate.slice(0, lastColon + 1)}0`;
    extra = 1;
  }
  const halves = groups.split('::');
  if (halves.length > 2) return false;
  const parts = halves.map((half) => (half === '' ? [] : half.split(':')));
  for (const list of parts) for (const group of list) if (!HEX_GROUP.test(group)) return false;
  const count = parts.reduce((total, list) => total + list.length, 0) + extra;
  return halves.length === 2 ? count <= 7 && count >= 1 : count === 8;
}

function isHexOrColon(code: number): boolean {
  return (code >= 48 && code <= 58) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

function isWordOrDot(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95 ||
    code === 46
  );
}

function isHexColonOrDot(code: number): boolean {
  return isHexOrColon(code) || code === 46;
}

/** IPv6 candidates start around a ':' that has a hex digit or ':' on both sides (or '::'). */
export function detectIpv6(text: string, out: PiiCandidate[], from = 0): Progress {
  const base = out.length;
  // A candidate and what its scan reads lie in one run of hex digits, ':' and '.'.
  const frontier = trailingRunStart(text, from, isHexColonOrDot);
  let reached = from;
  for (let colon = text.indexOf(':', from); colon !== -1; colon = text.indexOf(':', colon + 1)) {
    if (colon < reached) continue;
    const next = text.charCodeAt(colon + 1);
    if (!isHexOrColon(next)) continue;
    let start = colon;
    while (start > 0 && isHexOrColon(text.charCodeAt(start - 1))) start--;
    reached = colon + 1;
    if (start === colon && next !== 58) continue;
    if (start > 0 && isWordOrDot(text.charCodeAt(start - 1))) continue;
    IPV6_CANDIDATE.lastIndex = start;
    const match = IPV6_CANDIDATE.exec(text);
    if (match === null) continue;
    let candidate = match[0];
    while (candidate.endsWith('.')) candidate = candidate.slice(0, -1);
    if (candidate.endsWith(':') && !candidate.endsWith('::')) candidate = candidate.slice(0, -1);
    const end = start + candidate.length;
    reached = end;
    if (end < text.length && isWordOrDot(text.charCodeAt(end)) && text.charCodeAt(end) !== 46) continue;
    if (candidate.split(':').length < 3 || !isIpv6(candidate)) continue;
    out.push({ type: 'IP_ADDRESS', start, end, score: 0.85, validated: false });
  }
  return frontierProgress(out, base, frontier);
}
