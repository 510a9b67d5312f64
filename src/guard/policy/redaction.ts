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

export function applyRedactions(
  text: string,
  spans: RedactionSpan[],
  counters = new Map<string, number>(),
): RedactionResult {
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
  const mapping: Record<string, string> = {};
  let out = '';
  let position = 0;
  for (const span of merged) {
    out += text.slice(position, span.start);
    const value = text.slice(span.start, span.end);
    if (span.mode === 'mask') out += maskValue(value);
    else if (span.reversible) {
      const count = (counters.get(span.type) ?? 0) + 1;
      counters.set(span.type, count);
      const placeholder = `[${span.type}_${count}]`;
      mapping[placeholder] = value;
      out += placeholder;
    } else out += `[${span.type}]`;
    position = span.end;
  }
  out += text.slice(position);
  return { text: out, mapping };
}

/** Undoes a reversible redaction. */
export function restoreRedactions(text: string, mapping: Record<string, string>): string {
  let out = text;
  for (const [placeholder, value] of Object.entries(mapping)) out = out.split(placeholder).join(value);
  return out;
}
