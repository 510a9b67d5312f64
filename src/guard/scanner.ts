/**
 * The scanner contract of the guard module. A scanner looks at one text at one stage (the
 * caller's input, a retrieved context chunk, or the model's output) and reports a score in
 * [0, 1] plus findings with character spans. Local scanners are synchronous and cheap (they
 * run on every request); remote ones (a guard model behind an HTTP endpoint) are async.
 * Policies (threshold → action) are applied by the caller, not by scanners.
 */

export type GuardStage = 'input' | 'context' | 'output';

export interface Finding {
  /** Scanner name, e.g. "pii". */
  scanner: string;
  /** What was found, e.g. "EMAIL", "CN_ID", "injection", "jailbreak", "toxicity", "S1". */
  type: string;
  /** Confidence in [0, 1]. */
  score: number;
  /** UTF-16 offsets into the scanned text; [0, text.length] for whole-text verdicts. */
  start: number;
  end: number;
  /** The matched text (the whole text is not repeated for whole-text verdicts: ''). */
  value: string;
}

export interface ScanResult {
  scanner: string;
  /** The highest finding score (0 when nothing was found). */
  score: number;
  findings: Finding[];
  /**
   * Streams: the start of a construct still open at the end of the text that more text could
   * turn into a finding (an unfinished `![a](https://…`). The streaming guard releases nothing
   * from here until a later scan decides it. Absent: nothing pending.
   */
  holdFrom?: number;
  /**
   * Streams: a scanner that judges a stream in chunks (a remote guard model) has judged the text
   * up to here and will judge the rest later; the streaming guard releases nothing past it.
   * Absent: the whole text was judged.
   */
  judgedTo?: number;
  /** Streams, remote scanners: the model calls made for this stream so far, and the characters they sent. */
  calls?: number;
  sentChars?: number;
}

export interface ScanContext {
  stage: GuardStage;
  /** Output stage: the rendered system prompt, for leak detection. */
  systemPrompt?: string;
  /** Output stage: the canary token planted in the system prompt. */
  canary?: string;
  /** Aborts remote scanners (timeouts, client disconnect). */
  signal?: AbortSignal;
  /**
   * For the policy engine, not for scanners: the request's placeholders for reversible
   * redactions, shared across its messages (see PseudonymVault).
   */
  pseudonyms?: { placeholder(type: string, value: string): string };
  /**
   * Set by the streaming guard on the one context it rescans a growing answer with; `final` once
   * the text will grow no more (the end of the stream). Scanners that judge a stream in chunks
   * (a remote guard model) read it; the others ignore it.
   */
  stream?: { final: boolean };
}

export interface Scanner {
  readonly name: string;
  /** Stages this scanner makes sense at. */
  readonly stages: readonly GuardStage[];
  /**
   * Every finding type it can report, when known at creation: a rule's `types` naming another
   * is refused (a misspelt type would make the rule match nothing).
   */
  readonly findingTypes?: readonly string[];
  /**
   * For an open vocabulary (no `findingTypes`): why a rule's type could never be reported, or
   * null (a Prompt Guard classifier reports its labels lower-cased, so `INJECTION` never matches).
   */
  readonly findingTypeProblem?: (type: string) => string | null;
  scan(text: string, context: ScanContext): ScanResult | Promise<ScanResult>;
}

export function emptyResult(scanner: string): ScanResult {
  return { scanner, score: 0, findings: [] };
}
