/**
 * PII types and the internal finding shape shared by the detector families. A detector pushes
 * raw candidates (possibly overlapping, possibly duplicates from two families); the scanner
 * resolves overlaps once at the end.
 */

export const PII_TYPES = [
  'EMAIL',
  'PHONE',
  'CREDIT_CARD',
  'IBAN',
  'CN_ID',
  'US_SSN',
  'IP_ADDRESS',
  'SECRET',
] as const;

export type PiiType = (typeof PII_TYPES)[number];

/** A candidate span. `validated` = a checksum or structural proof stronger than a pattern. */
export interface PiiCandidate {
  type: PiiType;
  start: number;
  end: number;
  score: number;
  validated: boolean;
}

/** Options after defaults: which families to run and how strict the CN ID check is. */
export interface PiiDetectOptions {
  types: ReadonlySet<PiiType>;
  /** Drop 18-digit CN IDs whose check digit is wrong (else: reported at a lower score). */
  cnIdRequireChecksum: boolean;
}
