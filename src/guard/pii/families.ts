/**
 * The detector families in the order the scanner lists their candidates (overlap resolution
 * keeps that order among candidates with the same start, so it is part of the result). Each
 * scans from an offset and reports its Progress (progress.ts), so that a growing text can be
 * rescanned from where each family became unsettled.
 */
import { detectCards, detectIbans } from './detect-financial.js';
import { detectCnIds, detectSsns } from './detect-national-ids.js';
import { detectEmails, detectIpv4, detectIpv6 } from './detect-network.js';
import { detectPhones } from './detect-phones.js';
import {
  detectAssignments,
  detectBearer,
  detectPem,
  detectPrefixed,
  detectProseCredentials,
} from './detect-secrets.js';
import { type NumericWindow, numericWindowsFrom } from './numeric-windows.js';
import type { Progress } from './progress.js';
import type { PiiCandidate, PiiDetectOptions, PiiType } from './types.js';

export interface Family {
  /** The family runs when any of these types is enabled. */
  types: readonly PiiType[];
  scan(text: string, out: PiiCandidate[], from: number, options: PiiDetectOptions): Progress;
  /** How far before its resume offset a later candidate may start. */
  reachBack: number;
}

const NUMBER_TYPES: readonly PiiType[] = ['CREDIT_CARD', 'CN_ID', 'US_SSN', 'PHONE', 'IP_ADDRESS'];

export const FAMILIES: readonly Family[] = [
  { types: ['EMAIL'], scan: (text, out, from) => detectEmails(text, out, from), reachBack: 0 },
  { types: ['SECRET'], scan: (text, out, from) => detectPrefixed(text, out, from), reachBack: 0 },
  { types: ['SECRET'], scan: (text, out, from) => detectPem(text, out, from), reachBack: 0 },
  { types: ['SECRET'], scan: (text, out, from) => detectAssignments(text, ':', out, from), reachBack: 0 },
  { types: ['SECRET'], scan: (text, out, from) => detectAssignments(text, '=', out, from), reachBack: 0 },
  { types: ['SECRET'], scan: (text, out, from) => detectBearer(text, out, from), reachBack: 0 },
  { types: ['SECRET'], scan: (text, out, from) => detectProseCredentials(text, out, from), reachBack: 0 },
  { types: ['IBAN'], scan: (text, out, from) => detectIbans(text, out, from), reachBack: 0 },
  { types: ['IP_ADDRESS'], scan: (text, out, from) => detectIpv6(text, out, from), reachBack: 0 },
  // A window keeps one character of context before its cluster.
  { types: NUMBER_TYPES, scan: detectNumbers, reachBack: 1 },
];

export function enabledFamilies(options: PiiDetectOptions): Family[] {
  return FAMILIES.filter((family) => family.types.some((type) => options.types.has(type)));
}

function detectNumbers(text: string, out: PiiCandidate[], from: number, options: PiiDetectOptions): Progress {
  const base = out.length;
  const { windows, progress } = numericWindowsFrom(text, from);
  let final = -1;
  // An index loop: forEach took a closure per call.
  for (let index = 0; index < windows.length; index++) {
    if (index === progress.final) final = out.length - base;
    detectInWindow(text, windows[index]!, options, out);
  }
  return { resume: progress.resume, final: final < 0 ? out.length - base : final };
}

function detectInWindow(
  text: string,
  window: NumericWindow,
  options: PiiDetectOptions,
  out: PiiCandidate[],
): void {
  const types = options.types;
  const { from, to, digits, bare } = window;
  // A bare digit run (the usual case in Chinese text) has one length, which most families
  // rule out at once: cards are 12–19 digits, IDs 18 (17 + X) or 15, SSNs 9.
  if (digits >= 12 && (!bare || digits <= 19) && types.has('CREDIT_CARD')) {
    detectCards(text, from, to, out);
  }
  if (digits >= 15 && (!bare || digits === 15 || digits === 17 || digits === 18) && types.has('CN_ID')) {
    detectCnIds(text, from, to, options.cnIdRequireChecksum, out);
  }
  // A run of more than 64 digits is a table or a dump: only checksummed types are looked for
  // in it (this also bounds the work an adversarial '1 1 1 …' prompt can cause).
  const dump = digits > 64;
  if (digits >= 9 && !dump && (!bare || digits === 9) && types.has('US_SSN')) {
    detectSsns(text, from, to, out);
  }
  // No telephone number is a bare run of more than 15 digits (E.164's maximum).
  if (digits >= 7 && !dump && !(bare && digits > 15) && types.has('PHONE')) {
    detectPhones(text, window, out);
  }
  if (window.dots >= 3 && types.has('IP_ADDRESS')) detectIpv4(text, from, to, out);
}
