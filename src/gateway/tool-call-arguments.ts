/**
 * What the output guard reads of a tool call's arguments. The arguments are JSON text; the
 * guard scans their *projection*: every string (keys and values) decoded — `\u0040`, `\n`,
 * `\"`, `\/` undone, so an escape cannot hide a value from a scanner — and every bare token
 * (numbers, `true`, `null`, or whatever a model wrote outside quotes), one per line.
 * `{"to": "ann\u0040example.com", "n": 4111}` reads `to\nann@example.com\nn\n4111\n`.
 * Structure (braces, brackets, commas, colons, whitespace) carries no value and is not scanned.
 * Each segment remembers where its content lies in the model's text, escapes included, so that
 * tool-call-rewrite can write a redaction back into the string it was found in.
 *
 * Incremental: the projection grows as argument fragments stream in (an escape cut across
 * fragments waits for its end), and equals the whole arguments' projection however they are
 * cut. Invalid JSON is lexed leniently (an unknown escape reads as its character).
 */
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
  /**
   * Where the last raw-offset lookup stopped (decoded offset, escape index, raw length added by
   * the escapes before it): emission moves forward, so the next lookup resumes there.
   */
  lookupDecoded: number;
  lookupIndex: number;
  lookupExtra: number;
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
      lookupDecoded: 0,
      lookupIndex: 0,
      lookupExtra: 0,
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

/** The projection of complete arguments. */
export function projectArguments(argumentsText: string): ArgumentProjection {
  const projection = new ArgumentProjection();
  projection.push(argumentsText);
  projection.end();
  return projection;
}
