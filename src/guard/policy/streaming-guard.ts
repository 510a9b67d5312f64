/**
 * Output guarding while streaming. The model's text is held back by `holdBackChars` and
 * released only after the policy has scanned it, so blocked or redacted content never
 * reaches the client: a redaction span is never cut by the release boundary, and a block
 * stops the stream before the offending text goes out. Rescans happen every `scanEveryChars`
 * of new text (and at the end), not on every token.
 */
import type { Finding } from '../scanner.js';
import { type CompiledPolicy, evaluateStage, type GuardVerdict } from './guard-engine.js';
import { applyRedactions, type RedactionSpan } from './redaction.js';

export interface StreamStep {
  /** Text that may be sent now (already redacted). */
  release: string;
  /** Set when the policy blocked the output; nothing more may be sent. */
  blocked: GuardVerdict | null;
}

export class StreamingOutputGuard {
  private text = '';
  private released = 0;
  private scannedLength = 0;
  private lastVerdict: GuardVerdict | null = null;
  /** Verdicts computed, for the trace. */
  scans = 0;
  scanMs = 0;

  constructor(
    private readonly policy: CompiledPolicy,
    private readonly context: { systemPrompt?: string; canary?: string; signal?: AbortSignal },
    private readonly scanEveryChars = 24,
  ) {}

  get verdict(): GuardVerdict | null {
    return this.lastVerdict;
  }

  push(delta: string): StreamStep | Promise<StreamStep> {
    this.text += delta;
    if (this.text.length - this.scannedLength < this.scanEveryChars) return this.releaseUpTo(false);
    return this.scanThen(false);
  }

  finish(): StreamStep | Promise<StreamStep> {
    return this.scanThen(true);
  }

  private scanThen(final: boolean): StreamStep | Promise<StreamStep> {
    const started = performance.now();
    const outcome = evaluateStage(this.policy, 'output', this.text, this.context);
    const after = (verdict: GuardVerdict): StreamStep => {
      this.scans++;
      this.scanMs += performance.now() - started;
      this.lastVerdict = verdict;
      this.scannedLength = this.text.length;
      if (verdict.action === 'block') return { release: '', blocked: verdict };
      return this.releaseUpTo(final);
    };
    return outcome instanceof Promise ? outcome.then(after) : after(outcome);
  }

  private releaseUpTo(final: boolean): StreamStep {
    // Never release beyond what has been scanned, and keep the hold-back window unless final.
    let boundary = final
      ? this.text.length
      : Math.min(this.scannedLength, this.text.length - this.policy.holdBackChars);
    const spans = this.redactionSpans();
    for (const span of spans) if (span.start < boundary && span.end > boundary) boundary = span.start;
    if (boundary <= this.released) return { release: '', blocked: null };
    const segmentSpans: RedactionSpan[] = [];
    for (const span of spans) {
      if (span.start >= this.released && span.end <= boundary) {
        segmentSpans.push({ ...span, start: span.start - this.released, end: span.end - this.released });
      }
    }
    const segment = this.text.slice(this.released, boundary);
    this.released = boundary;
    return {
      release: segmentSpans.length ? applyRedactions(segment, segmentSpans).text : segment,
      blocked: null,
    };
  }

  private redactionSpans(): RedactionSpan[] {
    const verdict = this.lastVerdict;
    if (verdict?.action !== 'redact') return [];
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
