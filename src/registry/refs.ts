/** Parsing of component references: `name`, `name@7`, `name@production`, `name@latest`. */
import { ValidationError } from '../core/index.js';

export interface ParsedRef {
  name: string;
  /** A version number, a label, or null for "newest". */
  selector: number | string | null;
}

export function parseRef(text: string, what: string): ParsedRef {
  const trimmed = text.trim();
  const at = trimmed.lastIndexOf('@');
  if (at === -1) return { name: trimmed, selector: null };
  const name = trimmed.slice(0, at);
  const selector = trimmed.slice(at + 1);
  if (!name || !selector)
    throw new ValidationError(
      `${what}: "${text}" is not a valid reference (use name, name@3 or name@label)`,
      {
        param: what,
      },
    );
  if (selector === 'latest') return { name, selector: null };
  if (/^\d+$/.test(selector)) {
    const version = Number(selector);
    if (version < 1) throw new ValidationError(`${what}: versions start at 1`, { param: what });
    return { name, selector: version };
  }
  return { name, selector };
}
