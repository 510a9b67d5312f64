/**
 * The PII scanner: runs each enabled detector family once over the text, behind cheap
 * pre-checks ('@' for emails, ':' for IPv6, a prefix hint for secrets), and the number
 * families only inside the windows that numeric-windows.ts finds. Then it resolves overlaps
 * and returns typed findings. Checksum-validated types (cards, IBANs, CN IDs with a correct
 * check digit, PEM blocks, JWTs with a decodable header) score 1; pattern-only ones 0.6–0.95
 * depending on format strength and nearby cue words.
 */
import type { Finding, GuardStage, ScanContext, Scanner, ScanResult } from '../scanner.js';
import { detectCards, detectIbans } from './detect-financial.js';
import { detectCnIds, detectSsns } from './detect-national-ids.js';
import { detectEmails, detectIpv4, detectIpv6 } from './detect-network.js';
import { detectPhones } from './detect-phones.js';
import { detectSecrets } from './detect-secrets.js';
import { findNumericWindows } from './numeric-windows.js';
import { resolveOverlaps } from './resolve-overlaps.js';
import { PII_TYPES, type PiiCandidate, type PiiDetectOptions, type PiiType } from './types.js';

export interface PiiScannerOptions {
  /** Types to detect (default: all of PII_TYPES). */
  types?: readonly PiiType[];
  /**
   * 18-digit CN IDs with a plausible region and birth date but a wrong check digit are
   * reported at score 0.7 by default (typos, hand-made records); true drops them.
   */
  cnIdRequireChecksum?: boolean;
}

export interface PiiFinding extends Finding {
  scanner: 'pii';
  type: PiiType;
}

function compileOptions(options: PiiScannerOptions = {}): PiiDetectOptions {
  return {
    types: new Set(options.types ?? PII_TYPES),
    cnIdRequireChecksum: options.cnIdRequireChecksum ?? false,
  };
}

function detect(text: string, options: PiiDetectOptions): PiiCandidate[] {
  const types = options.types;
  const candidates: PiiCandidate[] = [];
  if (types.has('EMAIL') && text.includes('@')) detectEmails(text, candidates);
  if (types.has('SECRET')) detectSecrets(text, candidates);
  if (types.has('IBAN')) detectIbans(text, candidates);
  if (types.has('IP_ADDRESS') && text.includes(':')) detectIpv6(text, candidates);
  for (const window of findNumericWindows(text)) {
    const { from, to, digits, bare } = window;
    // A bare digit run (the usual case in Chinese text) has one length, which most families
    // rule out at once: cards are 12–19 digits, IDs 18 (17 + X) or 15, SSNs 9.
    if (digits >= 12 && (!bare || digits <= 19) && types.has('CREDIT_CARD')) {
      detectCards(text, from, to, candidates);
    }
    if (digits >= 15 && (!bare || digits === 15 || digits === 17 || digits === 18) && types.has('CN_ID')) {
      detectCnIds(text, from, to, options.cnIdRequireChecksum, candidates);
    }
    // A run of more than 64 digits is a table or a dump: only checksummed types are looked for
    // in it (this also bounds the work an adversarial '1 1 1 …' prompt can cause).
    const dump = digits > 64;
    if (digits >= 9 && !dump && (!bare || digits === 9) && types.has('US_SSN')) {
      detectSsns(text, from, to, candidates);
    }
    // No telephone number is a bare run of more than 15 digits (E.164's maximum).
    if (digits >= 7 && !dump && !(bare && digits > 15) && types.has('PHONE')) {
      detectPhones(text, window, candidates);
    }
    if (window.dots >= 3 && types.has('IP_ADDRESS')) detectIpv4(text, from, to, candidates);
  }
  return resolveOverlaps(candidates);
}

function toFindings(text: string, candidates: PiiCandidate[]): PiiFinding[] {
  return candidates.map((candidate) => ({
    scanner: 'pii',
    type: candidate.type,
    score: candidate.score,
    start: candidate.start,
    end: candidate.end,
    value: text.slice(candidate.start, candidate.end),
  }));
}

/**
 * Find PII spans in `text`.
 * @example
 * findPii('mail jane@example.com').map((finding) => finding.type); // ['EMAIL']
 */
export function findPii(text: string, options?: PiiScannerOptions): PiiFinding[] {
  return toFindings(text, detect(text, compileOptions(options)));
}

/** The PII scanner is synchronous and its findings are typed. */
export interface PiiScanner extends Scanner {
  scan(text: string, context?: ScanContext): ScanResult & { findings: PiiFinding[] };
}

const STAGES: readonly GuardStage[] = ['input', 'context', 'output'];

/**
 * A `Scanner` named "pii" for every stage.
 * @example
 * const scanner = createPiiScanner({ types: ['EMAIL', 'CN_ID'] });
 * scanner.scan('身份证 11010519491231002X', { stage: 'input' }); // score 1, one CN_ID finding
 */
export function createPiiScanner(options?: PiiScannerOptions): PiiScanner {
  const compiled = compileOptions(options);
  return {
    name: 'pii',
    stages: STAGES,
    scan(text: string) {
      const findings = toFindings(text, detect(text, compiled));
      let score = 0;
      for (const finding of findings) if (finding.score > score) score = finding.score;
      return { scanner: 'pii', score, findings };
    },
  };
}
