/**
 * The PII scanner: runs each enabled detector family once over the text, behind cheap
 * pre-checks ('@' for emails, ':' for IPv6, a prefix hint for secrets), and the number
 * families only inside the windows that numeric-windows.ts finds. Then it resolves overlaps
 * and returns typed findings. On a streamed answer (the output stage, rescanned with one
 * context) each family resumes where its previous scan became unsettled (pii-stream.ts).
 * Checksum-validated types (cards, IBANs, CN IDs with a correct check digit, PEM blocks, JWTs
 * with a decodable header) score 1; pattern-only ones 0.6–0.95 depending on format strength
 * and nearby cue words.
 */
import type { Finding, GuardStage, ScanContext, Scanner, ScanResult } from '../scanner.js';
import { StreamStates } from '../stream-cache.js';
import { enabledFamilies } from './families.js';
import { detectWithFamilies, PiiStream } from './pii-stream.js';
import { PII_TYPES, type PiiCandidate, type PiiDetectOptions, type PiiType } from './types.js';
import { warmPiiExpressions } from './warm-up.js';

warmPiiExpressions();

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
  return toFindings(text, detectWithFamilies(text, compileOptions(options)));
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
  // A growing output stream is rescanned from where each family's last scan became unsettled.
  const families = enabledFamilies(compiled);
  const streams = new StreamStates(() => new PiiStream(compiled));
  const candidatesOf = (text: string, context?: ScanContext): PiiCandidate[] => {
    if (context?.stage !== 'output') return detectWithFamilies(text, compiled, families);
    const candidates = streams.get(context, text).scan(text);
    streams.seen(context, text);
    return candidates;
  };
  return {
    name: 'pii',
    stages: STAGES,
    findingTypes: PII_TYPES,
    scan(text: string, context?: ScanContext) {
      const findings = toFindings(text, candidatesOf(text, context));
      let score = 0;
      for (const finding of findings) if (finding.score > score) score = finding.score;
      return { scanner: 'pii', score, findings };
    },
  };
}
