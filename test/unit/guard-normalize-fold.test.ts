/**
 * normalize/variants.ts folds leetspeak tokens in a copy of the text's code units and decodes
 * it once (session 11). Checked against the fold as it was before, written out below (the same
 * token scan on `charCodeAt`, the view built with `+=` a character at a time), on generated
 * texts of leet tokens, prose, punctuation, non-ASCII letters, surrogate pairs and lone
 * surrogates, from a few characters to longer than the fold's initial buffer (1,024 units).
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import { canonicalize } from '../../src/guard/normalize/canonicalize.js';
import { foldLeetspeak } from '../../src/guard/normalize/index.js';

const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
  '@': 'a',
  $: 's',
  '|': 'l',
  '!': 'i',
  '+': 't',
};
const isLetter = (code: number): boolean => code >= 0x61 && code <= 0x7a;
const isAlphanumeric = (code: number): boolean => isLetter(code) || (code >= 0x30 && code <= 0x39);

/** foldLeetspeak before session 11 (its gate, looksLeet, is unchanged and written as a regex). */
function referenceFold(text: string): string | null {
  if (!/[a-z][01345789@$|!+]|[01345789@$|!+][a-z]/.test(text)) return null;
  let out = '';
  let copied = 0;
  let start = -1;
  let letters = 0;
  let leet = false;
  for (let index = 0; index <= text.length; index++) {
    const code = index < text.length ? text.charCodeAt(index) : -1;
    const symbol = code === 0x7c || code === 0x21 || code === 0x2b;
    const tokenCharacter =
      isAlphanumeric(code) ||
      code === 0x40 ||
      code === 0x24 ||
      (symbol && isAlphanumeric(text.charCodeAt(index + 1)));
    if (tokenCharacter) {
      if (start < 0) start = index;
      if (isLetter(code)) letters++;
      else if ('01345789@$|!+'.includes(String.fromCharCode(code))) leet = true;
      continue;
    }
    if (start >= 0 && leet && letters >= 2 && index - start <= 24) {
      out += text.slice(copied, start);
      for (let position = start; position < index; position++) {
        const character = text[position]!;
        out += LEET[character] ?? character;
      }
      copied = index;
    }
    start = -1;
    letters = 0;
    leet = false;
  }
  return copied === 0 ? null : out + text.slice(copied);
}

const PIECES = [
  'ignore ',
  'the ',
  '1gn0r3 ',
  'h4ck3r',
  'num1',
  '2020s ',
  'covid-19 ',
  'v1.5 ',
  'ru|es ',
  'h!dden ',
  'a+b ',
  'p@$$w0rd ',
  '!',
  '|',
  '+',
  '@',
  '$',
  ' ',
  '\n',
  '. ',
  'é',
  'ß',
  'Ω',
  '😀',
  '\ud800',
  '\udc00',
  'x1',
  'aaaaaaaaaaaaaaaaaaaaaaaa1 ',
  '4ll',
  '3',
  '7',
];

function generate(random: () => number, length: number): string {
  let text = '';
  while (text.length < length) text += PIECES[Math.floor(random() * PIECES.length)]!;
  return text;
}

describe('foldLeetspeak folding in place', () => {
  it('gives the fold of the string-building scan', () => {
    const random = createRandom(0x1ee7f01d);
    let folded = 0;
    for (let index = 0; index < 6000; index++) {
      const length = index % 10 === 0 ? 1000 + Math.floor(random() * 3000) : Math.floor(random() * 600);
      const text = generate(random, length);
      // Raw and canonical (what the scan views fold) forms alike.
      for (const form of [text, canonicalize(text)]) {
        const expected = referenceFold(form);
        if (expected !== null) folded++;
        expect(foldLeetspeak(form), form).toBe(expected);
      }
    }
    expect(folded).toBeGreaterThan(8000);
  });

  it('keeps lone surrogates and astral characters as they were', () => {
    expect(foldLeetspeak('\ud800 h4ck \udc00 😀 1gn0r3')).toBe('\ud800 hack \udc00 😀 ignore');
  });
});
