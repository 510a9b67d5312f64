/**
 * Applies redact/mask actions to spans of a text. `redact` replaces a span with `[TYPE]`
 * (or `[TYPE_n]` with a mapping when the rule is reversible); `mask` keeps a hint of the
 * shape (`j***@e***.com`, `****1234`). Overlapping spans are merged, longest first.
 */
export interface RedactionSpan {
  start: number;
  end: number;
  type: string;
  mode: 'redact' | 'mask';
  reversible: boolean;
}

export interface RedactionResult {
  text: string;
  /** placeholder → original, for reversible redactions only. */
  mapping: Record<string, string>;
}

export function maskValue(value: string): string {
  const at = value.indexOf('@');
  if (at > 0) {
    const domain = value.slice(at + 1);
    const dot = domain.lastIndexOf('.');
    const host = dot > 0 ? domain.slice(0, dot) : domain;
    const tld = dot > 0 ? domain.slice(dot) : '';
    return `${value[0]}***@${host[0] ?? ''}***${tld}`;
  }
  const digits = value.replace(/\D/g, '');
  if (digits.length >= 8) return `****${digits.slice(-4)}`;
  if (value.length <= 4) return '*'.repeat(value.length);
  return `${value.slice(0, 2)}${'*'.repeat(Math.min(8, value.length - 2))}`;
}

/**
 * Placeholders for reversible redactions shared by every text of one request: the same value
 * always gets the same placeholder (`[EMAIL_1]` in the first message and in the third), two
 * values of a type never share one, and `mapping` holds placeholder → value for restoring the
 * answer. It lives in memory for one request only.
 */
export class PseudonymVault {
  /** placeholder → original value. */
  readonly mapping: Record<string, string> = {};
  private readonly byValue = new Map<string, string>();
  private readonly counters = new Map<string, number>();

  get size(): number {
    return this.byValue.size;
  }

  placeholder(type: string, value: string): string {
    const key = `${type}\u0000${value}`;
    let placeholder = this.byValue.get(key);
    if (placeholder === undefined) {
      const count = (this.counters.get(type) ?? 0) + 1;
      this.counters.set(type, count);
      placeholder = `[${type}_${count}]`;
      this.byValue.set(key, placeholder);
      this.mapping[placeholder] = value;
    }
    return placeholder;
  }
}

/**
 * The spans as applyRedactions applies them, in text order: overlapping spans merged into one
 * that keeps the first one's type and mode (copies; the input is not changed).
 */
export function mergeRedactionSpans(spans: readonly RedactionSpan[]): RedactionSpan[] {
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
  return merged;
}

/**
 * `vault` numbers the placeholders of reversible spans (one per distinct value); pass the
 * request's vault to share numbering across texts.
 */
export function applyRedactions(
  text: string,
  spans: RedactionSpan[],
  vault: { placeholder(type: string, value: string): string } = new PseudonymVault(),
): RedactionResult {
  const merged = mergeRedactionSpans(spans);
  const mapping: Record<string, string> = {};
  let out = '';
  let position = 0;
  for (const span of merged) {
    out += text.slice(position, span.start);
    const value = text.slice(span.start, span.end);
    if (span.mode === 'mask') out += maskValue(value);
    else if (span.reversible) {
      const placeholder = vault.placeholder(span.type, value);
      mapping[placeholder] = value;
      out += placeholder;
    } else out += `[${span.type}]`;
    position = span.end;
  }
  out += text.slice(position);
  return { text: out, mapping };
}

/**
 * Puts the values of a reversible redaction back into a streamed answer: text goes in as the
 * model writes it, and comes out with every placeholder of `mapping` replaced, holding back
 * only a tail that could still become a placeholder (`…write to [EMA`) until the next piece
 * decides it. The output equals `restoreRedactions` of the whole text, however it is cut.
 */
export class PseudonymRestorer {
  private pending = '';
  private readonly longest: number;
  /** The placeholders in code-unit order: those a tail can still become are one run of it. */
  private readonly sorted: string[];
  private readonly restoreText: (text: string) => string;

  constructor(readonly mapping: Readonly<Record<string, string>>) {
    this.sorted = Object.keys(mapping).sort();
    this.longest = Math.max(0, ...this.sorted.map((placeholder) => placeholder.length));
    this.restoreText = restorer(mapping);
  }

  push(text: string): string {
    this.pending += text;
    let cut = this.pending.length;
    const open = this.pending.lastIndexOf('[');
    // A placeholder holds one `[`, at its start, and ends with its only `]`: only a tail from
    // the last `[` without a `]` can still become one.
    if (
      open >= 0 &&
      this.pending.length - open < this.longest &&
      this.pending.indexOf(']', open) === -1 &&
      this.couldBecome(this.pending.slice(open))
    )
      cut = open;
    const ready = this.pending.slice(0, cut);
    this.pending = this.pending.slice(cut);
    return this.restoreText(ready);
  }

  /** The rest, at the end of the answer. */
  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return this.restoreText(rest);
  }

  /** Whether some placeholder begins with `tail`: the first one not below it, by binary search. */
  private couldBecome(tail: string): boolean {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.sorted[middle]! < tail) low = middle + 1;
      else high = middle;
    }
    return low < this.sorted.length && this.sorted[low]!.startsWith(tail);
  }
}

/**
 * The mapping for restoring inside JSON text (tool-call arguments): each value escaped as it
 * must appear inside a JSON string, where the model wrote its placeholder.
 */
export function jsonStringMapping(mapping: Readonly<Record<string, string>>): Record<string, string> {
  const escaped: Record<string, string> = {};
  for (const [placeholder, value] of Object.entries(mapping))
    escaped[placeholder] = JSON.stringify(value).slice(1, -1);
  return escaped;
}

/** Undoes a reversible redaction. */
export function restoreRedactions(text: string, mapping: Readonly<Record<string, string>>): string {
  return restorer(mapping)(text);
}

/** A bracketed run without a bracket inside: what every placeholder this module makes looks like. */
const BRACKETED = /\[[^[\]]*\]/g;

/**
 * Restores a text in one pass over it, each bracketed run looked up in `mapping`, rather than
 * one pass per placeholder (a request may hold tens of thousands); a restored value is not
 * read again. A mapping whose placeholders hold a bracket inside (a type named so) takes one
 * pass per placeholder.
 */
function restorer(mapping: Readonly<Record<string, string>>): (text: string) => string {
  const placeholders = Object.keys(mapping);
  if (placeholders.length === 0) return (text) => text;
  const simple = placeholders.every(
    (placeholder) =>
      placeholder.startsWith('[') &&
      placeholder.indexOf(']') === placeholder.length - 1 &&
      placeholder.lastIndexOf('[') === 0,
  );
  if (!simple)
    return (text) => {
      let out = text;
      for (const placeholder of placeholders) out = out.split(placeholder).join(mapping[placeholder]!);
      return out;
    };
  return (text) =>
    text.includes('[')
      ? text.replace(BRACKETED, (run) => (Object.hasOwn(mapping, run) ? mapping[run]! : run))
      : text;
}
