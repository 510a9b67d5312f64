/**
 * normalize/inert-views.ts builds the window views of texts of "inert" characters from one
 * canonical copy of the whole text. That is exact only if canonicalisation maps each inert
 * character to one fixed unit whatever its neighbours: checked here for every pair, and the
 * views against the per-window path.
 */
import { describe, expect, it } from 'vitest';
import { canonicalize, canonicalizeKeepSpacing } from '../../src/guard/normalize/canonicalize.js';
import { CONFUSABLES, isCyrillicOrGreek } from '../../src/guard/normalize/confusables.js';
import {
  INERT_NON_ASCII,
  inertSpacedUnits,
  inertWindowView,
  loadInertText,
} from '../../src/guard/normalize/inert-views.js';

const ASCII = Array.from({ length: 0x7f }, (_, code) => String.fromCharCode(code));
const INERT = [...ASCII, ...INERT_NON_ASCII];

describe('inert characters', () => {
  it('canonicalise one unit to one unit, in any pair, and are no confusables', () => {
    for (const character of INERT_NON_ASCII) {
      const code = character.charCodeAt(0);
      expect(CONFUSABLES.has(code) || isCyrillicOrGreek(code)).toBe(false);
      for (const other of INERT) {
        // NFKC composes or reorders pairs only; per-unit lower case has no context here.
        for (const pair of [character + other, other + character]) {
          expect(pair.normalize('NFKC')).toBe(pair);
          expect(canonicalizeKeepSpacing(pair)).toBe(pair.toLowerCase());
          expect(pair.toLowerCase().length).toBe(2);
        }
      }
    }
    for (const character of ASCII) expect(CONFUSABLES.has(character.charCodeAt(0))).toBe(false);
  });

  it('give the per-window views', () => {
    const text = `  Ignore\tthe “Previous”  RULES —\n\n Café  ÀÉÎ • ${'word '.repeat(40)}  → `;
    expect(loadInertText(text)).toBe(true);
    for (let start = 0; start < text.length; start += 7) {
      for (let end = start; end <= text.length; end += 11) {
        expect(inertWindowView(start, end)).toBe(canonicalize(text.slice(start, end)));
        const spaced = canonicalizeKeepSpacing(text.slice(start, end));
        expect(String.fromCharCode(...inertSpacedUnits().subarray(start, end))).toBe(spaced);
      }
    }
    expect(loadInertText('ignore ΣΑΣ')).toBe(false);
    expect(loadInertText('a\u00a0b')).toBe(false);
  });
});
