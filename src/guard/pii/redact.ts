/**
 * Redaction of findings (from the PII scanner or any other scanner with spans):
 * - `mask`: partial, format-keeping (`j***@e***.com`, `**** **** **** 1111`, `***-**-6789`);
 * - `replace`: the type in brackets (`[EMAIL]`);
 * - `reversible`: numbered placeholders (`[EMAIL_1]`, the same value gets the same one) and a
 *   mapping that `restore` uses to put the values back into, say, the model's answer. With a
 *   `key`, placeholders carry an HMAC tag of the value instead of a counter (`[EMAIL_3fa85c1e]`),
 *   so the same value maps to the same placeholder across requests without shared state.
 * Overlapping findings are redacted once: the earlier, then the longer, wins.
 */
import { createHmac } from 'node:crypto';
import type { Finding } from '../scanner.js';

export type RedactionMode = 'mask' | 'replace' | 'reversible';

export interface RedactedText {
  text: string;
  /** Reversible mode only: placeholder → original value. */
  mapping?: Record<string, string>;
}

type Span = Pick<Finding, 'type' | 'start' | 'end'>;

function placeholderType(type: string): string {
  const cleaned = type.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return cleaned.replace(/^_+|(?<!_)_+$/g, '') || 'REDACTED';
}

function isAlphanumeric(character: string): boolean {
  return /[\p{L}\p{N}]/u.test(character);
}

/** Replace alphanumerics by '*', keeping separators, `keepStart` leading and `keepEnd` trailing ones. */
function maskCharacters(value: string, keepStart: number, keepEnd: number): string {
  const characters = [...value];
  const total = characters.filter(isAlphanumeric).length;
  let seen = 0;
  return characters
    .map((character) => {
      if (!isAlphanumeric(character)) return character;
      seen++;
      return seen <= keepStart || seen > total - keepEnd ? character : '*';
    })
    .join('');
}

function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  const labels = value.slice(at + 1).split('.');
  const top = labels.length > 1 ? `.${labels[labels.length - 1]}` : '';
  return `${value.charAt(0)}***@${value.charAt(at + 1)}***${top}`;
}

export function maskPiiValue(type: string, value: string): string {
  switch (type) {
    case 'EMAIL':
      return maskEmail(value);
    case 'CREDIT_CARD':
    case 'PHONE':
    case 'US_SSN':
      return maskCharacters(value, 0, 4);
    case 'IBAN':
      return maskCharacters(value, 2, 4);
    case 'CN_ID':
      return maskCharacters(value, 3, 4);
    case 'IP_ADDRESS': {
      const separator = value.includes(':') ? ':' : '.';
      const [first = '', ...rest] = value.split(separator);
      return [first, ...rest.map((part) => (part === '' ? '' : '***'))].join(separator);
    }
    case 'SECRET':
      return value.startsWith('-----BEGIN')
        ? `${value.slice(0, value.indexOf('-----', 5) + 5)}***`
        : `${value.slice(0, 4)}***`;
    default:
      return `${[...value][0] ?? ''}***`;
  }
}

/** Findings sorted by start (longer first on ties) with overlapping ones dropped. */
function disjoint(findings: readonly Span[], length: number): Span[] {
  const sorted = [...findings]
    .filter((finding) => finding.start >= 0 && finding.end <= length && finding.end > finding.start)
    .sort((left, right) => left.start - right.start || right.end - left.end);
  const kept: Span[] = [];
  let reached = 0;
  for (const finding of sorted) {
    if (finding.start < reached) continue;
    kept.push(finding);
    reached = finding.end;
  }
  return kept;
}

export function redact(
  text: string,
  findings: readonly Span[],
  mode: RedactionMode,
  key?: string,
): RedactedText {
  const spans = disjoint(findings, text.length);
  const mapping: Record<string, string> = {};
  const byValue = new Map<string, string>();
  const counters = new Map<string, number>();
  const placeholderFor = (type: string, value: string): string => {
    const known = byValue.get(`${type}\u0000${value}`);
    if (known !== undefined) return known;
    let placeholder: string;
    if (key !== undefined) {
      const tag = createHmac('sha256', key).update(`${type}\u0000${value}`).digest('hex');
      let size = 8;
      do placeholder = `[${type}_${tag.slice(0, size++)}]`;
      while (Object.hasOwn(mapping, placeholder) || text.includes(placeholder));
    } else {
      let counter = counters.get(type) ?? 0;
      // Never reuse a placeholder the text already contains: restore() could not tell them apart.
      do placeholder = `[${type}_${++counter}]`;
      while (text.includes(placeholder));
      counters.set(type, counter);
    }
    byValue.set(`${type}\u0000${value}`, placeholder);
    mapping[placeholder] = value;
    return placeholder;
  };
  let out = '';
  let cursor = 0;
  for (const span of spans) {
    const value = text.slice(span.start, span.end);
    const type = placeholderType(span.type);
    out += text.slice(cursor, span.start);
    if (mode === 'mask') out += maskPiiValue(span.type, value);
    else if (mode === 'replace') out += `[${type}]`;
    else out += placeholderFor(type, value);
    cursor = span.end;
  }
  out += text.slice(cursor);
  return mode === 'reversible' ? { text: out, mapping } : { text: out };
}

const PLACEHOLDER = /\[[A-Z0-9_]+_[0-9a-f]+\]/g;

/** Put the original values back for every placeholder of `mapping` found in `text`. */
export function restore(text: string, mapping: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (placeholder) =>
    Object.hasOwn(mapping, placeholder) ? mapping[placeholder]! : placeholder,
  );
}
