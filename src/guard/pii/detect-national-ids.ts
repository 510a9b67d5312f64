/**
 * National identifiers: the Chinese resident identity number (GB 11643-1999: 6-digit region
 * code, birth date YYYYMMDD, 3-digit sequence, ISO 7064 MOD 11-2 check character, which may be
 * X) and the US Social Security Number (AAA-GG-SSSS, SSA rules: area not 000, 666 or 9xx,
 * group not 00, serial not 0000). CN IDs are matched in running Chinese text, where no word
 * boundary separates digits from characters, so only digits bound them.
 */
import { cnIdChecksumValid, isCalendarDate } from './checksums.js';
import { CN_ID_CUES, hasCue, SSN_CUES } from './context.js';
import type { PiiCandidate } from './types.js';

// First two digits of GB/T 2260 province-level codes; 71 Taiwan, 81 Hong Kong, 82 Macau and
// 83 the residence permits for Taiwan residents use the same layout.
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82, 83,
]);

const CURRENT_YEAR = new Date().getUTCFullYear();

function validRegion(digits: string): boolean {
  const first = Number(digits.slice(0, 2));
  if (PROVINCES.has(first)) return true;
  // Foreigners' permanent residence ID (2023 layout): 9 + province code + nationality code.
  return digits.charCodeAt(0) === 57 && PROVINCES.has(Number(digits.slice(1, 3)));
}

function validBirthDate(year: number, month: number, day: number): boolean {
  return year >= 1900 && year <= CURRENT_YEAR && isCalendarDate(year, month, day);
}

/** Region and birth date of an 18-character ID are plausible (the check digit is not tested). */
export function looksLikeCnId(id: string): boolean {
  if (id.length !== 18 || !validRegion(id)) return false;
  return validBirthDate(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)));
}

const CN_ID =
  /(?<!\d)[1-9]\d{5}([ -]?)(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\1\d{3}[\dXx](?!\d)/g;
const CN_ID_LEGACY = /(?<!\d)[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?!\d)/g;

/** CN IDs in text[from, to). */
export function detectCnIds(
  text: string,
  from: number,
  to: number,
  requireChecksum: boolean,
  out: PiiCandidate[],
): void {
  const window = text.slice(from, to);
  CN_ID.lastIndex = 0;
  for (let match = CN_ID.exec(window); match !== null; match = CN_ID.exec(window)) {
    const compact = match[1] ? match[0].replaceAll(match[1], '') : match[0];
    if (!looksLikeCnId(compact)) continue;
    const start = from + match.index;
    const end = start + match[0].length;
    if (cnIdChecksumValid(compact)) {
      out.push({ type: 'CN_ID', start, end, score: 1, validated: true });
    } else if (!requireChecksum) {
      out.push({ type: 'CN_ID', start, end, score: 0.7, validated: false });
    }
  }
  // 15-digit IDs (issued before 1999, no check digit): only next to a cue word.
  CN_ID_LEGACY.lastIndex = 0;
  for (let match = CN_ID_LEGACY.exec(window); match !== null; match = CN_ID_LEGACY.exec(window)) {
    const id = match[0];
    const start = from + match.index;
    const end = start + id.length;
    if (!validRegion(id)) continue;
    if (!validBirthDate(1900 + Number(id.slice(6, 8)), Number(id.slice(8, 10)), Number(id.slice(10, 12)))) {
      continue;
    }
    if (hasCue(text, start, end, CN_ID_CUES)) {
      out.push({ type: 'CN_ID', start, end, score: 0.6, validated: false });
    }
  }
}

const SSN = /(?<![\w-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\w-])/g;
// Numbers the SSA voided after they were printed in advertising.
const VOIDED_SSNS = new Set(['078051120', '219099999']);

export function validSsnParts(area: string, group: string, serial: string): boolean {
  if (area === '000' || area === '666' || area.charCodeAt(0) === 57) return false;
  return group !== '00' && serial !== '0000' && !VOIDED_SSNS.has(area + group + serial);
}

/** SSNs in text[from, to). */
export function detectSsns(text: string, from: number, to: number, out: PiiCandidate[]): void {
  const window = text.slice(from, to);
  SSN.lastIndex = 0;
  for (let match = SSN.exec(window); match !== null; match = SSN.exec(window)) {
    const [raw, area = '', separator, group = '', serial = ''] = match;
    if (!validSsnParts(area, group, serial)) continue;
    const start = from + match.index;
    const end = start + raw.length;
    const cued = hasCue(text, start, end, SSN_CUES, 40, 16);
    // Undashed or space-separated nine digits are anything from a zip+4 to an order number:
    // they count only next to an SSN cue.
    if (separator === '-') {
      out.push({ type: 'US_SSN', start, end, score: cued ? 0.95 : 0.85, validated: false });
    } else if (cued) {
      out.push({ type: 'US_SSN', start, end, score: 0.85, validated: false });
    }
  }
}
