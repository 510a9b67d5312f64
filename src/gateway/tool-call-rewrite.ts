/**
 * How a redaction the output guard found in a tool call's arguments (in their projection, see
 * tool-call-arguments) is written back into them. The placeholder goes inside the JSON string
 * the value was in, re-escaped (`"to": "[EMAIL]"`); a redacted bare token becomes a string
 * (`"n": "[CREDIT_CARD]"`). A span that runs over several strings (a custom pattern across a
 * line break) leaves its placeholder in the first and empties the others, keeping every quote,
 * key and comma. Everything that no redaction touches is copied from the model's text byte for
 * byte, escapes included, so arguments without a finding go out exactly as written, and
 * redacted ones stay valid JSON whenever the model's were (invalid JSON is never made worse).
 *
 * Incremental: the rewriter emits up to any projection offset, holding back only a bare token
 * that is not finished (it may yet need quotes).
 */
import { applyRedactions, mergeRedactionSpans } from '../guard/index.js';
import type { ArgumentProjection, ArgumentSegment } from './tool-call-arguments.js';

type RedactionSpan = Parameters<typeof applyRedactions>[1][number];

/**
 * The raw offset of projection offset `position` inside `segment` (never inside an escape:
 * one that decodes to several characters maps to its start).
 */
function rawOffset(segment: ArgumentSegment, position: number): number {
  const decoded = position - segment.start;
  const escapes = segment.escapes;
  if (escapes === null) return segment.rawStart + decoded;
  let index = 0;
  let extra = 0;
  if (segment.lookupDecoded <= decoded) {
    index = segment.lookupIndex;
    extra = segment.lookupExtra;
  }
  let raw = -1;
  for (; index < escapes.length; index += 3) {
    const at = escapes[index]!;
    if (at >= decoded) break;
    const decodedLength = escapes[index + 1]!;
    if (at + decodedLength > decoded) {
      raw = segment.rawStart + at + extra;
      break;
    }
    extra += escapes[index + 2]! - decodedLength;
  }
  segment.lookupDecoded = decoded;
  segment.lookupIndex = index;
  segment.lookupExtra = extra;
  return raw >= 0 ? raw : segment.rawStart + decoded + extra;
}

/** A redaction in projection offsets, with the text that replaces it. */
export interface PlacedRedaction {
  start: number;
  end: number;
  replacement: string;
}

/**
 * The redactions of spans as `applyRedactions` applies them (overlapping spans merged, the
 * first one's type and mode), each with its replacement text.
 */
export function placeRedactions(text: string, spans: readonly RedactionSpan[]): PlacedRedaction[] {
  return mergeRedactionSpans(spans).map((span) => {
    const value = text.slice(span.start, span.end);
    const one: RedactionSpan = { ...span, start: 0, end: value.length, reversible: false };
    return { start: span.start, end: span.end, replacement: applyRedactions(value, [one]).text };
  });
}

/** A string's content escaped for JSON, without the quotes. */
function escapeJson(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** Writes the arguments back with redactions applied, up to a projection offset at a time. */
export class ArgumentRewriter {
  /** Projection offset emitted up to. */
  private position = 0;
  /** Raw offset copied up to. */
  private rawCursor = 0;
  /** Index of the segment `position` is in (or before). */
  private segment = 0;
  /** The open bare token's text so far, and whether a redaction touched it. */
  private bare = '';
  private bareChanged = false;
  private bareOpen = false;

  constructor(private readonly projection: ArgumentProjection) {}

  /**
   * The arguments text for projection offsets [position, to), with `redactions` (sorted, none
   * starting before `position`, none ending after `to`) applied.
   */
  emit(to: number, redactions: readonly PlacedRedaction[]): string {
    const { segments, raw } = this.projection;
    let out = '';
    let next = 0;
    while (this.position < to) {
      const segment = segments[this.segment]!;
      const redaction = redactions[next];
      const due = redaction !== undefined && redaction.start <= this.position;
      if (due && redaction.end <= this.position) {
        // It covered line breaks between segments only: nothing of the arguments to replace.
        next++;
        continue;
      }
      if (this.position === segment.end) {
        // A redaction that starts on the line break goes into the next segment.
        out += this.closeBare();
        this.position++;
        this.segment++;
        continue;
      }
      if (due) {
        next++;
        out += this.replace(redaction.replacement);
        out += this.skip(redaction.end);
        continue;
      }
      const runEnd = Math.min(to, segment.end, redaction?.start ?? Number.POSITIVE_INFINITY);
      if (segment.bare) {
        out += this.openBare();
        this.bare += this.projection.text.slice(this.position, runEnd);
      } else {
        const rawEnd = rawOffset(segment, runEnd);
        out += raw.slice(this.rawCursor, rawEnd);
        this.rawCursor = rawEnd;
      }
      this.position = runEnd;
    }
    return out;
  }

  /** The rest of the arguments (the structure after the last segment), once all is emitted. */
  finish(): string {
    const out = this.closeBare() + this.projection.raw.slice(this.rawCursor);
    this.rawCursor = this.projection.raw.length;
    return out;
  }

  private replace(replacement: string): string {
    const segment = this.projection.segments[this.segment]!;
    if (segment.bare) {
      const out = this.openBare();
      this.bare += replacement;
      this.bareChanged = true;
      return out;
    }
    const rawStart = rawOffset(segment, this.position);
    const out = this.projection.raw.slice(this.rawCursor, rawStart) + escapeJson(replacement);
    this.rawCursor = rawStart;
    return out;
  }

  /** Drops projection text up to `end`, keeping the structure between the segments it crosses. */
  private skip(end: number): string {
    const segments = this.projection.segments;
    let out = '';
    while (this.position < end) {
      const segment = segments[this.segment]!;
      if (this.position === segment.end) {
        out += this.closeBare();
        this.position++;
        this.segment++;
        continue;
      }
      const stop = Math.min(end, segment.end);
      if (segment.bare) {
        out += this.openBare();
        this.bareChanged = true;
      } else {
        const rawStart = rawOffset(segment, this.position);
        out += this.projection.raw.slice(this.rawCursor, rawStart);
        this.rawCursor = rawOffset(segment, stop);
      }
      this.position = stop;
    }
    return out;
  }

  /** Copies the structure before the current bare token and starts collecting it. */
  private openBare(): string {
    if (this.bareOpen) return '';
    const segment = this.projection.segments[this.segment]!;
    const out = this.projection.raw.slice(this.rawCursor, segment.rawStart);
    this.rawCursor = segment.rawStart;
    this.bareOpen = true;
    return out;
  }

  /** Writes a finished bare token: as the model wrote it, or quoted when redacted. */
  private closeBare(): string {
    if (!this.bareOpen) return '';
    const segment = this.projection.segments[this.segment]!;
    const out = this.bareChanged
      ? JSON.stringify(this.bare)
      : this.projection.raw.slice(segment.rawStart, segment.rawEnd);
    this.rawCursor = segment.rawEnd;
    this.bare = '';
    this.bareChanged = false;
    this.bareOpen = false;
    return out;
  }
}

/** The redaction spans of a verdict's findings (`redact` and `mask` rules). */
export function redactionSpans(
  findings: ReadonlyArray<{ start: number; end: number; type: string; action: string }>,
): RedactionSpan[] {
  const spans: RedactionSpan[] = [];
  for (const finding of findings) {
    if (finding.action !== 'redact' && finding.action !== 'mask') continue;
    spans.push({
      start: finding.start,
      end: finding.end,
      type: finding.type.toUpperCase(),
      mode: finding.action === 'mask' ? 'mask' : 'redact',
      reversible: false,
    });
  }
  return spans;
}

/** Whole arguments with a verdict's redactions written back (a projection of them was scanned). */
export function rewriteArguments(
  projection: ArgumentProjection,
  findings: ReadonlyArray<{ start: number; end: number; type: string; action: string }>,
): string {
  const rewriter = new ArgumentRewriter(projection);
  const placed = placeRedactions(projection.text, redactionSpans(findings));
  return rewriter.emit(projection.text.length, placed) + rewriter.finish();
}
