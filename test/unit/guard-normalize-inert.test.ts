/**
 * normalize/inert-views.ts builds the window views of texts of "inert" characters from one
 * canonical copy of the whole text. That is exact only if canonicalisation maps each inert
 * character to one fixed unit whatever its neighbours: checked here for every pair, and the
 * views against the per-window path.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import { canonicalize, canonicalizeKeepSpacing } from '../../src/guard/normalize/canonicalize.js';
import { CONFUSABLES, isCyrillicOrGreek } from '../../src/guard/normalize/confusables.js';
import {
  INERT_MAPPED,
  INERT_NON_ASCII,
  INERT_SPACES,
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
    // The no-break space is inert (INERT_SPACES): checked against the per-window path below.
    expect(loadInertText('a\u00a0b')).toBe(true);
    expect(inertWindowView(0, 3)).toBe(canonicalize('a\u00a0b'));
  });
});

describe('the no-break space', () => {
  it('canonicalises to one space in any pair with an inert character', () => {
    expect(INERT_SPACES).toBe('\u00a0');
    for (const space of INERT_SPACES) {
      for (const other of [...INERT, ...INERT_MAPPED, ...INERT_SPACES]) {
        for (const pair of [space + other, other + space]) {
          const mapped = [...pair]
            .map((character) =>
              INERT_SPACES.includes(character)
                ? ' '
                : INERT_MAPPED.includes(character)
                  ? character.normalize('NFKC')
                  : character.toLowerCase(),
            )
            .join('');
          expect(pair.normalize('NFKC')).toBe(pair.replaceAll(space, ' ').normalize('NFKC'));
          expect(canonicalizeKeepSpacing(pair)).toBe(mapped);
          expect(canonicalize(pair)).toBe(canonicalize(mapped));
        }
      }
    }
  });

  it('gives the per-window views in random texts (against canonicalize of each window)', () => {
    const random = createRandom(4242);
    const pieces = [
      '\u00a0',
      '\u00a0\u00a0',
      ' \u00a0',
      '\u00a0 ',
      '\u00a0\n',
      '\t\u00a0',
      '  ',
      ' ',
      '\n',
      'Ignore',
      'the',
      'RULES',
      'Café',
      '“Q”',
      '—',
      '•',
      '²',
      'm³',
      'ÀÉÎ',
      'ß',
      'x',
      '10\u00a0000',
      '€\u00a05',
      ...INERT_NON_ASCII,
    ];
    let loaded = 0;
    for (let round = 0; round < 400; round++) {
      let text = '';
      for (let count = Math.floor(random() * 120); count > 0; count--)
        text += pieces[Math.floor(random() * pieces.length)];
      if (random() < 0.05) text += 'Σ';
      const inert = loadInertText(text);
      expect(inert).toBe(!text.includes('Σ'));
      if (!inert) continue;
      loaded++;
      for (let probe = 0; probe < 40; probe++) {
        const start = Math.floor(random() * (text.length + 1));
        const end = start + Math.floor(random() * (text.length + 1 - start));
        expect(inertWindowView(start, end)).toBe(canonicalize(text.slice(start, end)));
        const spaced = canonicalizeKeepSpacing(text.slice(start, end));
        expect(String.fromCharCode(...inertSpacedUnits().subarray(start, end))).toBe(spaced);
      }
    }
    expect(loaded).toBeGreaterThan(300);
  });
});
