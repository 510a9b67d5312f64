/**
 * What the output guard reads of a tool call's arguments, and how a redaction is written back
 * into them. The arguments are JSON text; the guard scans their *projection*: every string
 * (keys and values) decoded — `\u0040`, `\n`, `\"`, `\/` undone, so an escape cannot hide a
 * value from a scanner — and every bare token (numbers, `true`, `null`, or whatever a model
 * wrote outside quotes), one per line. `{"to": "ann\u0040example.com", "n": 4111}` reads
 * `to\nann@example.com\nn\n4111\n`. Structure (braces, brackets, commas, colons, whitespace)
 * carries no value and is not scanned.
 *
 * A redaction found in the projection is written back inside the string it fell in, re-escaped
 * (`"to": "[EMAIL]"`); a redacted bare token becomes a string (`"n": "[CREDIT_CARD]"`). A span
 * that runs over several strings (a custom pattern across a line break) leaves its placeholder
 * in the first and empties the others, keeping every quote, key and comma. Everything that no
 * redaction touches is copied from the model's text byte for byte, escapes included, so
 * arguments without a finding go out exactly as written, and redacted ones stay valid JSON
 * whenever the model's were (invalid JSON is lexed leniently and never made worse).
 *
 * Both are incremental: the projection grows as argument fragments stream in (an escape cut
 * across fragments waits for its end), and the rewriter emits up to any projection offset,
 * holding back only a bare token that is not finished (it may yet need quotes).
 */
import { applyRedactions } from '../guard/index.js';

type RedactionSpan = Parameters<typeof applyRedactions>[1][number];

enum Lex {
  Outside = 0,
  String = 1,
  Escape = 2,
  Unicode = 3,
  Bare = 4,
}

/** One scanned run: a JSON string's content, or a bare token. */
export interface ArgumentSegment {
  bare: boolean;
  /** Projection offsets of the content; the line break that ends it is at `end`. */
  start: number;
  end: number;
  /** Raw offsets of the content (inside the quotes for a string); `rawEnd` grows while open. */
  rawStart: number;
  rawEnd: number;
  /**
   * Escapes in a string, flat triples: decoded offset (from `start`), decoded length, raw
   * length. Null when there is none (most strings), which makes offsets map one to one.
   */
  escapes: number[] | null;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

function isStructure(code: number): boolean {
  // { } [ ] , : and JSON whitespace
  return (
    code === 0x7b ||
    code === 0x7d ||
    code === 0x5b ||
    code === 0x5d ||
    code === 0x2c ||
    code === 0x3a ||
    code === 0x20 ||
    code === 0x0a ||
    code === 0x0d ||
    code === 0x09
  );
}

function isHex(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

/** The arguments' scanned text, built as fragments arrive. */
export class ArgumentProjection {
  /** The model's arguments so far. */
  raw = '';
  /** The scanned text so far. */
  text = '';
  readonly segments: ArgumentSegment[] = [];
  private state: Lex = Lex.Outside;
  /** Raw offset where the escape being read began (its backslash). */
  private escapeAt = 0;

  /** Adds a fragment of the arguments; returns what it added to the scanned text. */
  push(fragment: string): string {
    const before = this.text.length;
    const offset = this.raw.length;
    this.raw += fragment;
    let text = '';
    let index = 0;
    while (index < fragment.length) {
      const code = fragment.charCodeAt(index);
      const at = offset + index;
      switch (this.state) {
        case Lex.Outside:
          if (code === 0x22) {
            this.open(false, at + 1, before + text.length);
            this.state = Lex.String;
          } else if (!isStructure(code)) {
            this.open(true, at, before + text.length);
            this.state = Lex.Bare;
            continue;
          }
          index++;
          break;
        case Lex.Bare:
          if (code === 0x22 || isStructure(code)) {
            text += this.close(at, before + text.length);
            this.state = Lex.Outside;
            continue;
          }
          text += fragment[index];
          index++;
          break;
        case Lex.String: {
          // The run up to the next quote or backslash, in one slice.
          let end = index;
          while (end < fragment.length) {
            const next = fragment.charCodeAt(end);
            if (next === 0x22 || next === 0x5c) break;
            end++;
          }
          if (end > index) {
            text += fragment.slice(index, end);
            index = end;
            break;
          }
          if (code === 0x22) {
            text += this.close(at, before + text.length);
            this.state = Lex.Outside;
          } else {
            this.escapeAt = at;
            this.state = Lex.Escape;
          }
          index++;
          break;
        }
        case Lex.Escape: {
          const simple = SIMPLE_ESCAPES[fragment[index]!];
          if (code === 0x75) {
            this.state = Lex.Unicode;
            index++;
            break;
          }
          // An unknown escape (invalid JSON) reads as the character itself.
          text += this.escaped(simple ?? fragment[index]!, before + text.length, at + 1);
          this.state = Lex.String;
          index++;
          break;
        }
        case Lex.Unicode: {
          const digits = at - this.escapeAt - 2;
          if (isHex(code)) {
            if (digits === 3) {
              const hex = this.raw.slice(this.escapeAt + 2, at + 1);
              text += this.escaped(
                String.fromCharCode(Number.parseInt(hex, 16)),
                before + text.length,
                at + 1,
              );
              this.state = Lex.String;
            }
            index++;
            break;
          }
          // `\u` cut short (invalid JSON): the letters read as themselves.
          text += this.escaped(this.raw.slice(this.escapeAt + 1, at), before + text.length, at);
          this.state = Lex.String;
          break;
        }
      }
    }
    if (this.state === Lex.String || this.state === Lex.Bare) this.segments.at(-1)!.rawEnd = this.raw.length;
    if (this.state === Lex.Escape || this.state === Lex.Unicode) this.segments.at(-1)!.rawEnd = this.escapeAt;
    this.text += text;
    return text;
  }

  /** The arguments are complete: an unfinished string, token or escape ends here. */
  end(): string {
    if (this.state === Lex.Outside) return '';
    let text = '';
    const at = this.raw.length;
    if (this.state === Lex.Escape || this.state === Lex.Unicode) {
      text += this.escaped(this.raw.slice(this.escapeAt + 1), this.text.length, at);
    }
    text += this.close(at, this.text.length + text.length);
    this.state = Lex.Outside;
    this.text += text;
    return text;
  }

  private open(bare: boolean, rawStart: number, start: number): void {
    this.segments.push({
      bare,
      start,
      end: Number.POSITIVE_INFINITY,
      rawStart,
      rawEnd: rawStart,
      escapes: null,
    });
  }

  /** Ends the open segment at raw offset `rawEnd`; returns the line break that follows it. */
  private close(rawEnd: number, end: number): string {
    const segment = this.segments.at(-1)!;
    segment.end = end;
    segment.rawEnd = rawEnd;
    return '\n';
  }

  /** Records an escape that ends at raw offset `rawEnd` and decodes to `decoded`. */
  private escaped(decoded: string, position: number, rawEnd: number): string {
    const segment = this.segments.at(-1)!;
    segment.escapes ??= [];
    segment.escapes.push(position - segment.start, decoded.length, rawEnd - this.escapeAt);
    return decoded;
  }
}

/**
 * The raw offset of projection offset `position` inside `segment` (never inside an escape:
 * one that decodes to several characters maps to its start).
 */
function rawOffset(segment: ArgumentSegment, position: number): number {
  const decoded = position - segment.start;
  let raw = segment.rawStart + decoded;
  const escapes = segment.escapes;
  if (escapes === null) return raw;
  for (let index = 0; index < escapes.length; index += 3) {
    const at = escapes[index]!;
    if (at >= decoded) break;
    const decodedLength = escapes[index + 1]!;
    const rawLength = escapes[index + 2]!;
    if (at + decodedLength > decoded) return raw - (decoded - at);
    raw += rawLength - decodedLength;
  }
  return raw;
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
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: RedactionSpan[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span.start < last.end) {
      if (span.end > last.end) last.end = span.end;
      continue;
    }
    merged.push({ ...span });
  }
  return merged.map((span) => {
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

/** The projection of complete arguments. */
export function projectArguments(argumentsText: string): ArgumentProjection {
  const projection = new ArgumentProjection();
  projection.push(argumentsText);
  projection.end();
  return projection;
}
