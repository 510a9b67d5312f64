import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/core/random.js';
import { alphabetRuns } from '../../src/guard/normalize/payloads.js';

/** The base64 alphabet test alphabetRuns uses (A–Z, a–z, 0–9, +, /, -, _). */
function isBase64(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2b ||
    code === 0x2f ||
    code === 0x2d ||
    code === 0x5f
  );
}

/** A straightforward reading of alphabetRuns (a branch per unit), the reference. */
function reference(units: Uint16Array, length: number, minimum: number): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  const least = Math.max(1, minimum);
  let run = 0;
  for (let index = 0; index < length; index++) {
    if (isBase64(units[index]!)) {
      run++;
      continue;
    }
    if (run >= least) {
      let end = index;
      while (end < length && end - index < 2 && units[end] === 0x3d) end++;
      runs.push([index - run, end]);
    }
    run = 0;
  }
  if (run >= least) runs.push([length - run, length]);
  return runs;
}

const PIECES = [
  'QUJD',
  'ZGVm',
  'aGk=',
  '==',
  '=',
  ' ',
  '.',
  '\n',
  '-',
  '_',
  '+/',
  'é',
  '中',
  'x',
  '0123456789',
];

describe('alphabetRuns', () => {
  it('finds the runs and their padding as a straightforward scan does, on 8,000 generated texts', () => {
    const random = createRandom(11);
    let withRuns = 0;
    for (let round = 0; round < 8_000; round++) {
      let text = '';
      const parts = Math.floor(random() * 60);
      for (let part = 0; part < parts; part++) {
        const piece = PIECES[Math.floor(random() * PIECES.length)]!;
        text += piece.repeat(1 + Math.floor(random() * 6));
      }
      const units = Uint16Array.from(text, (character) => character.charCodeAt(0));
      const minimum = Math.floor(random() * 24);
      const expected = reference(units, units.length, minimum);
      if (expected.length > 0) withRuns++;
      expect(alphabetRuns(units, units.length, minimum).map(([start, end]) => [start, end])).toEqual(
        expected,
      );
    }
    // Both outcomes are exercised.
    expect(withRuns).toBeGreaterThan(1_000);
    expect(withRuns).toBeLessThan(7_900);
  });
});
