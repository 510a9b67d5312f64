/**
 * Character classes and hashing shared by the output scanners. A text is read as a sequence of
 * *units*: a word of a space-separated script (letters, digits, apostrophes; case-folded,
 * capped at 32 characters so an endless unspaced run still becomes repeated units), a single
 * CJK character (Chinese has no spaces, so a character is the natural unit), or a single
 * symbol. Units are identified by a 32-bit FNV-1a hash, never by allocated strings.
 */

export const MAX_WORD_UNIT = 32;

export function isCjk(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x3040 && code <= 0x30ff) ||
    (code >= 0xac00 && code <= 0xd7af)
  );
}

export function isWordChar(code: number): boolean {
  if (code < 0x80) {
    return (
      (code >= 0x61 && code <= 0x7a) ||
      (code >= 0x41 && code <= 0x5a) ||
      (code >= 0x30 && code <= 0x39) ||
      code === 0x27
    );
  }
  return code >= 0xc0 && code < 0x2000 && code !== 0xd7 && code !== 0xf7;
}

export function isSpace(code: number): boolean {
  return (
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d) ||
    code === 0xa0 ||
    code === 0x3000 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029
  );
}

export function isLatinLetter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
}

/** ASCII case folding (enough for hashing: other scripts are compared as written). */
export function foldCase(code: number): number {
  // One unsigned comparison (A-Z): no second branch that only some texts reach.
  return (code - 0x41) >>> 0 < 26 ? code + 32 : code;
}

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

export function fnvStep(hash: number, code: number): number {
  return Math.imul(hash ^ code, FNV_PRIME);
}

/** Combines a sequence hash with the next unit hash (order-sensitive). */
export function combine(hash: number, unit: number): number {
  let mixed = Math.imul(hash ^ unit, 0x9e3779b1);
  mixed ^= mixed >>> 15;
  return Math.imul(mixed, 0x85ebca6b) ^ (mixed >>> 13);
}

export interface Unit {
  hash: number;
  start: number;
  end: number;
  kind: 'word' | 'cjk' | 'symbol';
}

/** The units of a complete text (batch helper for the leak scanner and tests). */
export function textUnits(text: string): Unit[] {
  const units: Unit[] = [];
  let index = 0;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (isSpace(code)) {
      index++;
      continue;
    }
    if (isCjk(code)) {
      units.push({ hash: fnvStep(FNV_OFFSET, code) | 0, start: index, end: index + 1, kind: 'cjk' });
      index++;
      continue;
    }
    if (isWordChar(code)) {
      const start = index;
      let hash = FNV_OFFSET;
      while (index < text.length && index - start < MAX_WORD_UNIT && isWordChar(text.charCodeAt(index))) {
        hash = fnvStep(hash, foldCase(text.charCodeAt(index)));
        index++;
      }
      units.push({ hash: hash | 0, start, end: index, kind: 'word' });
      continue;
    }
    const size = code >= 0xd800 && code <= 0xdbff && index + 1 < text.length ? 2 : 1;
    let hash = fnvStep(FNV_OFFSET ^ 0x5f, code);
    if (size === 2) hash = fnvStep(hash, text.charCodeAt(index + 1));
    units.push({ hash: hash | 0, start: index, end: index + size, kind: 'symbol' });
    index += size;
  }
  return units;
}
