/**
 * Output guarding while streaming. The model's text is held back by `holdBackChars` and
 * released only after the policy has scanned it, so blocked or redacted content never
 * reaches the client: a redaction span is never cut by the release boundary, and a block
 * stops the stream before the offending text goes out. Rescans happen every `scanEveryChars`
 * of new text (and at the end), not on every token, always with the same scan context, so the
 * scanners' stream caches (toxicity windows, the repetition tracker, the PII families' resume
 * points, the leak scanner's normalised text and overlap counts, the refusal patterns' search
 * offsets; ../stream-cache.ts) make a rescan cost the new text plus a bounded look-back rather
 * than the whole answer, with the same result as scanning the whole text.
 *
 * A block found only in text still inside the window is not final: that text ends mid-sentence,
 * and a scanner may read a cut-off fragment differently from the finished sentence (the
 * toxicity model scores "class NIGHT:" alone as toxic). Release stops before such a finding
 * and the next scan decides again; the final scan, or a finding in releasable text, blocks.
 *
 * A scanner may also say that a construct is still open at the end of the text (`holdFrom`: an
 * unfinished `![a](https://…` that may yet become an exfiltration image). The window then begins
 * there however long the construct grows (the scanner bounds it), so none of it is released
 * before a scan decides it, and a block inside it is deferred like one in the window.
 *
 * Likewise a token still being written: a value longer than the window — a JWT of 180
 * characters, which is recognisable only once its three parts are there, an API key without a
 * known prefix, a policy's own `regex` entity — would otherwise go out before any scan could
 * find it. With a window (`holdBackChars` > 0) the trailing run of token characters (ASCII
 * letters, digits, `_-.+/=~%`) is held until it ends, up to MAX_TOKEN_HOLD characters. Prose
 * words are shorter than the window, so this holds nothing more for them, and CJK text has no
 * such runs.
 *
 * A remote guard model judges the stream in chunks, not at every rescan (../remote/stream-chunks.ts:
 * after the first 200 characters, then every 800, with 200 characters of overlap, and at the end),
 * and nothing it has not judged is released (the verdict's `judgedTo`): only a policy with a
 * remote output rule that can change the text (not `flag`) holds back that far. Local rules keep
 * the 24-character cadence, and a local block in text the model has not judged yet stops the
 * stream at once, without waiting for the model's next call.
 */
import { splitsSurrogatePair } from '../../core/index.js';
import type { Finding, ScanContext } from '../scanner.js';
import {
  type CompiledPolicy,
  evaluateWithContext,
  type GuardVerdict,
  limitSystemPrompt,
} from './guard-engine.js';
import { applyRedactions, type RedactionSpan } from './redaction.js';

export interface StreamStep {
  /** Text that may be sent now (already redacted). */
  release: string;
  /** Set when the policy blocked the output; nothing more may be sent. */
  blocked: GuardVerdict | null;
  /**
   * With a non-empty release: the offset in the guarded text it reaches, and the redactions
   * applied to it (guarded-text offsets, clipped to the release) — for a caller that writes
   * the release back into another form (tool-call arguments, tool-call-stream.ts).
   */
  end?: number;
  spans?: RedactionSpan[];
}

/** The longest token held back whole; past it the run is released like any text (minified blobs). */
const MAX_TOKEN_HOLD = 4096;

/** ASCII letters, digits and `_ - . + / = ~ %`: what keys, tokens, JWTs and base64 are made of. */
function isTokenCharacter(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x5f ||
    code === 0x2d ||
    code === 0x2e ||
    code === 0x2b ||
    code === 0x2f ||
    code === 0x3d ||
    code === 0x7e ||
    code === 0x25
  );
}

export class StreamingOutputGuard {
  private text = '';
  /** Start of the run of token characters that ends the text (its length when there is none). */
  private tokenStart = 0;
  /** `tokenStart` when the last scan ran: that scan saw the token unfinished, so it decided nothing from there. */
  private scannedTokenStart = 0;
  private released = 0;
  private scannedLength = 0;
  private lastVerdict: GuardVerdict | null = null;
  /** Start of the earliest blocking finding of the last scan, while it is still held back. */
  private deferredBlockAt = Number.POSITIVE_INFINITY;
  /** Start of a construct still open at the last scan (a scanner's `holdFrom`). */
  private holdFrom = Number.POSITIVE_INFINITY;
  /** End of what a remote guard model had judged at the last scan (the verdict's `judgedTo`). */
  private judgedTo = Number.POSITIVE_INFINITY;
  /** Verdicts computed, for the trace. */
  scans = 0;
  scanMs = 0;

  /** One context object for every rescan: scanners keep their per-stream caches by it. */
  private readonly scanContext: ScanContext & { stream: { final: boolean } };

  constructor(
    private readonly policy: CompiledPolicy,
    context: { systemPrompt?: string; canary?: string; signal?: AbortSignal },
    private readonly scanEveryChars = 24,
  ) {
    this.scanContext = limitSystemPrompt(policy, { ...context, stage: 'output', stream: { final: false } });
  }

  get verdict(): GuardVerdict | null {
    return this.lastVerdict;
  }

  push(delta: string): StreamStep | Promise<StreamStep> {
    this.text += delta;
    for (let index = delta.length - 1; index >= 0; index--) {
      if (!isTokenCharacter(delta.charCodeAt(index))) {
        this.tokenStart = this.text.length - delta.length + index + 1;
        break;
      }
    }
    if (this.text.length - this.scannedLength < this.scanEveryChars) return this.releaseUpTo(false);
    return this.scanThen(false);
  }

  finish(): StreamStep | Promise<StreamStep> {
    return this.scanThen(true);
  }

  private scanThen(final: boolean): StreamStep | Promise<StreamStep> {
    const started = performance.now();
    if (final) this.scanContext.stream.final = true;
    const outcome = evaluateWithContext(this.policy, this.text, this.scanContext);
    const after = (verdict: GuardVerdict): StreamStep => {
      this.scans++;
      this.scanMs += performance.now() - started;
      this.lastVerdict = verdict;
      this.scannedLength = this.text.length;
      this.scannedTokenStart = this.tokenStart;
      this.deferredBlockAt = Number.POSITIVE_INFINITY;
      this.holdFrom = verdict.holdFrom ?? Number.POSITIVE_INFINITY;
      this.judgedTo = verdict.judgedTo ?? Number.POSITIVE_INFINITY;
      if (verdict.action === 'block') {
        const starts = verdict.findings
          .filter((finding) => finding.action === 'block' || finding.action === 'drop')
          .map((finding) => finding.start);
        const blockAt = starts.length > 0 ? Math.min(...starts) : 0;
        // A block is deferred only inside the window proper: a token still held back whole may
        // yet grow into a value, but a block found in it stands (the oversize cap, a word).
        if (final || blockAt < this.windowStart(false)) return { release: '', blocked: verdict };
        this.deferredBlockAt = blockAt;
      }
      return this.releaseUpTo(final);
    };
    return outcome instanceof Promise ? outcome.then(after) : after(outcome);
  }

  private releaseUpTo(final: boolean): StreamStep {
    // Never release beyond what has been scanned, and keep the hold-back window unless final.
    let boundary = final
      ? this.text.length
      : Math.min(this.windowStart(), this.deferredBlockAt, this.judgedTo);
    const spans = this.redactionSpans();
    // Never cut a redaction span: move back to the start of any span the boundary falls in, and
    // again until none does — spans may overlap, and moving back past one can land in another.
    for (let moved = true; moved; ) {
      moved = false;
      for (const span of spans) {
        if (span.start < boundary && span.end > boundary) {
          boundary = span.start;
          moved = true;
        }
      }
    }
    // Never cut a surrogate pair (an emoji, a rare CJK character): the window counts UTF-16
    // units, and half a pair goes out as a lone `\ud83d` escape that strict JSON readers (Rust's
    // serde_json, Python's UTF-8 output) refuse. The pair goes out whole with the next release.
    if (splitsSurrogatePair(this.text, boundary)) boundary--;
    if (boundary <= this.released) return { release: '', blocked: null };
    const applied: RedactionSpan[] = [];
    const segmentSpans: RedactionSpan[] = [];
    for (const span of spans) {
      // A span that begins in text already released — found only once more text came, as a
      // key block whose BEGIN line went out before it was complete under a short window — is
      // redacted from where the release resumes: the part still here never goes out in clear.
      if (span.end > this.released && span.end <= boundary) {
        const start = Math.max(span.start, this.released);
        applied.push(start === span.start ? span : { ...span, start });
        segmentSpans.push({ ...span, start: start - this.released, end: span.end - this.released });
      }
    }
    const segment = this.text.slice(this.released, boundary);
    this.released = boundary;
    return {
      release: segmentSpans.length ? applyRedactions(segment, segmentSpans).text : segment,
      blocked: null,
      end: boundary,
      spans: applied,
    };
  }

  /** Where the held-back window begins: nothing at or after it has been released. */
  private windowStart(holdToken = true): number {
    const holdBack = this.policy.holdBackChars;
    const token =
      holdToken && holdBack > 0 && this.scannedLength - this.scannedTokenStart <= MAX_TOKEN_HOLD
        ? this.scannedTokenStart
        : Number.POSITIVE_INFINITY;
    return Math.min(this.scannedLength, this.text.length - holdBack, this.holdFrom, token);
  }

  private redactionSpans(): RedactionSpan[] {
    const verdict = this.lastVerdict;
    // A deferred block still carries the redactions of the text before it.
    if (verdict?.action !== 'redact' && verdict?.action !== 'block') return [];
    return verdict.findings
      .filter(
        (finding: Finding & { action: string }) => finding.action === 'redact' || finding.action === 'mask',
      )
      .map((finding) => ({
        start: finding.start,
        end: finding.end,
        type: finding.type.toUpperCase(),
        mode: (finding as { action: string }).action === 'mask' ? ('mask' as const) : ('redact' as const),
        reversible: false,
      }));
  }
}
