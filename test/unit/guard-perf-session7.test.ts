/**
 * Session 7 latency changes that must not change results (docs/guardrails-latency.md), each
 * checked against a plain reference:
 *
 * - The payload finders take the matches of their run expressions from `matchesOf` (the
 *   module's own global expression, `exec` in a loop) instead of `String#matchAll` (a clone of
 *   the expression per call, which V8 may compile again, unoptimised, once the process has used
 *   up its regular-expression code budget): the same matches, in the same order, with the same
 *   index and groups, as `matchAll`, on texts built to contain every run kind at and around its
 *   minimum length; also for expressions that can match the empty string (with and without the
 *   `u` flag, over surrogate pairs), when the expression's `lastIndex` was left non-zero, and
 *   when the same expression is used again while the matches are visited.
 *
 * Random inputs from a fixed seed.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import {
  ESCAPED_HEX_RUN,
  PERCENT_RUN,
  TAG_RUN,
  UNICODE_ESCAPE_RUN,
} from '../../src/guard/normalize/payloads.js';
import {
  BASE32_RUN,
  BINARY_RUN,
  DECIMAL_RUN,
  MORSE_RUN,
  QUOTED_PRINTABLE_RUN,
} from '../../src/guard/normalize/payloads-more.js';
import { matchesOf } from '../../src/guard/normalize/regexp-matches.js';

const RUN_PATTERNS = [
  ESCAPED_HEX_RUN,
  PERCENT_RUN,
  UNICODE_ESCAPE_RUN,
  TAG_RUN,
  BINARY_RUN,
  BASE32_RUN,
  MORSE_RUN,
  DECIMAL_RUN,
  QUOTED_PRINTABLE_RUN,
];

/** Expressions that can match the empty string: the index must advance as matchAll's does. */
const EMPTY_PATTERNS = [
  /x*/g,
  /\b/g,
  /(?:)/gu,
  /[\u{1F600}-\u{1F64F}]*/gu,
  /(?=a)|b/g,
  /.?/gu,
  /(?<word>\w*)/g,
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function hex2(random: () => number, upper: boolean): string {
  const value = Math.floor(random() * 256)
    .toString(16)
    .padStart(2, '0');
  return upper ? value.toUpperCase() : value;
}

/** A run of one payload kind, `count` units long (at, below and above each minimum). */
function run(random: () => number, count: number): string {
  const parts: string[] = [];
  switch (Math.floor(random() * 10)) {
    case 0:
      for (let index = 0; index < count; index++) parts.push(`\\x${hex2(random, random() < 0.5)}`);
      return parts.join('');
    case 1:
      for (let index = 0; index < count; index++)
        parts.push(`0x${hex2(random, false)}${pick(random, ['', ' ', ', ', ',', '\n'])}`);
      return parts.join('');
    case 2:
      for (let index = 0; index < count; index++) parts.push(`%${hex2(random, random() < 0.5)}`);
      return parts.join('');
    case 3:
      for (let index = 0; index < count; index++) parts.push(`\\u00${hex2(random, false)}`);
      return parts.join('');
    case 4:
      for (let index = 0; index < count; index++)
        parts.push(String.fromCharCode(0xdb40, 0xdc00 + Math.floor(random() * 0x90)));
      return parts.join('');
    case 5:
      for (let index = 0; index < count; index++)
        parts.push(
          Math.floor(random() * 256)
            .toString(2)
            .padStart(8, '0') + pick(random, ['', ' ', ',', '  ']),
        );
      return parts.join('');
    case 6:
      for (let index = 0; index < 3 * count; index++)
        parts.push(pick(random, [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567']));
      return `${parts.join('')}${'='.repeat(Math.floor(random() * 8))}`;
    case 7:
      for (let index = 0; index < count; index++)
        parts.push(
          Array.from({ length: 1 + Math.floor(random() * 7) }, () => pick(random, ['.', '-', '·', '•'])).join(
            '',
          ),
        );
      return parts.join(pick(random, [' ', '  ', ' / ', '|', ' \n ', '    ']));
    case 8:
      for (let index = 0; index < count; index++) parts.push(String(20 + Math.floor(random() * 120)));
      return parts.join(pick(random, [' ', ', ', ';', ' ,; ']));
    default:
      for (let index = 0; index < count; index++)
        parts.push(`=${hex2(random, true)}${pick(random, ['', 'a', 'Ab ', '  x', 'xyzw'])}`);
      return parts.join('');
  }
}

const PROSE = [
  'the ',
  'Hello ',
  'world. ',
  '\n',
  '😀',
  'é',
  '\ud800',
  'x',
  '12 ',
  'ABCD ',
  '= ',
  '0 1 ',
  '... ',
];

function text(random: () => number): string {
  const pieces: string[] = [];
  const count = 1 + Math.floor(random() * 6);
  for (let piece = 0; piece < count; piece++) {
    for (let word = Math.floor(random() * 8); word > 0; word--) pieces.push(pick(random, PROSE));
    pieces.push(run(random, 2 + Math.floor(random() * 12)));
  }
  return pieces.join(pick(random, ['', ' ', '\n']));
}

/** What matchAll gives, in a comparable form. */
function shape(matches: Iterable<RegExpMatchArray>): Array<[number | undefined, string[], unknown]> {
  return [...matches].map((match) => [match.index, [...match], match.groups]);
}

describe('matchesOf (session 7)', () => {
  it('gives the matches of matchAll for every payload run expression', () => {
    const random = createRandom(7001);
    let matched = 0;
    for (let round = 0; round < 3000; round++) {
      const sample = text(random);
      for (const pattern of RUN_PATTERNS) {
        const expected = shape(sample.matchAll(pattern));
        expect(shape(matchesOf(pattern, sample))).toEqual(expected);
        expect(pattern.lastIndex).toBe(0);
        matched += expected.length;
      }
    }
    // The texts reach every expression's minimum often enough to be a test of the matches.
    expect(matched).toBeGreaterThan(3000);
  });

  it('advances past empty matches as matchAll does, by code point with the u flag', () => {
    const random = createRandom(7002);
    for (let round = 0; round < 2000; round++) {
      const sample = Array.from({ length: Math.floor(random() * 12) }, () =>
        pick(random, ['a', 'b', 'x', 'xx', ' ', '😀', '\ud83d', '\ude00', 'é']),
      ).join('');
      for (const pattern of EMPTY_PATTERNS) {
        expect(shape(matchesOf(pattern, sample))).toEqual(shape(sample.matchAll(pattern)));
      }
    }
  });

  it('starts from 0 whatever lastIndex was (the state matchAll saw in the payload finders), and can be used again while its matches are visited', () => {
    const random = createRandom(7003);
    for (let round = 0; round < 500; round++) {
      const sample = text(random);
      for (const pattern of RUN_PATTERNS) {
        // matchAll starts at the expression's lastIndex, matchesOf at 0 (its callers' state).
        pattern.lastIndex = 0;
        const expected = shape(sample.matchAll(pattern));
        pattern.lastIndex = Math.floor(random() * sample.length);
        const outer = matchesOf(pattern, sample);
        for (const match of outer) {
          // A nested use of the same expression (as a decoder that scans again would make).
          const nested = matchesOf(pattern, match[0]);
          expect(pattern.lastIndex).toBe(0);
          expect(shape(nested)).toEqual(shape(match[0].matchAll(pattern)));
        }
        expect(shape(outer)).toEqual(expected);
      }
    }
  });

  it('refuses an expression without the g flag, as matchAll does', () => {
    expect(() => matchesOf(/a/, 'aaa')).toThrow(TypeError);
    expect(() => 'aaa'.matchAll(/a/)).toThrow(TypeError);
  });
});
