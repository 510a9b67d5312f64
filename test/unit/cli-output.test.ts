/** CLI output helpers: table alignment, diff colouring, and value formatting. */
import { describe, expect, it } from 'vitest';
import {
  colorizeDiff,
  countSummary,
  formatCost,
  formatDuration,
  formatParams,
  formatTable,
  formatTime,
  formatValue,
  formatVersionMap,
} from '../../src/cli/output.js';

const ESC = String.fromCharCode(27);

describe('formatTable', () => {
  it('aligns columns to the widest cell, two spaces apart, without trailing spaces', () => {
    const table = formatTable(
      ['NAME', 'LATEST', 'LABELS'],
      [
        ['support', 'v3', 'production=v3'],
        ['a', 'v12', ''],
      ],
    );
    expect(table).toBe(
      ['NAME     LATEST  LABELS', 'support  v3      production=v3', 'a        v12'].join('\n'),
    );
  });

  it('right-aligns columns on request and prints rows alone without headers', () => {
    const table = formatTable(
      null,
      [
        ['x', '5', 'end'],
        ['yy', '500', 'end'],
      ],
      { align: ['left', 'right'] },
    );
    expect(table).toBe(['x     5  end', 'yy  500  end'].join('\n'));
  });

  it('measures width in code points and ignores colour codes', () => {
    const coloured = `${ESC}[32mok${ESC}[0m`;
    const table = formatTable(
      ['A', 'B'],
      [
        ['→→', coloured],
        [coloured, 'x'],
      ],
    );
    expect(table.split('\n')[1]).toBe(`→→  ${coloured}`);
    expect(table.split('\n')[2]).toBe(`${coloured}  x`);
  });

  it('handles ragged and empty input', () => {
    expect(formatTable(null, [])).toBe('');
    expect(formatTable(['A', 'B'], [['only']])).toBe('A     B\nonly');
  });
});

describe('colorizeDiff', () => {
  const diff = ['--- a@1', '+++ a@2', '@@ -1,2 +1,2 @@', ' same', '-old', '+new'].join('\n');

  it('returns the text unchanged without colour', () => {
    expect(colorizeDiff(diff, false)).toBe(diff);
  });

  it('colours additions green, removals red, hunks cyan and file headers bold', () => {
    const lines = colorizeDiff(diff, true).split('\n');
    expect(lines).toEqual([
      `${ESC}[1m--- a@1${ESC}[0m`,
      `${ESC}[1m+++ a@2${ESC}[0m`,
      `${ESC}[36m@@ -1,2 +1,2 @@${ESC}[0m`,
      ' same',
      `${ESC}[31m-old${ESC}[0m`,
      `${ESC}[32m+new${ESC}[0m`,
    ]);
  });
});

describe('formatting values', () => {
  it.each([
    [null, '-'],
    [undefined, '-'],
    [0, '0ms'],
    [340.4, '340ms'],
    [1250, '1.25s'],
    [59_994, '59.99s'],
    [59_999, '1m00s'],
    [125_000, '2m05s'],
  ])('formatDuration(%j) = %j', (input, expected) => {
    expect(formatDuration(input)).toBe(expected);
  });

  it.each([
    [null, '-'],
    [0, '$0'],
    [0.000123, '$0.000123'],
    [1.5, '$1.5'],
    [12, '$12'],
    [0.0000001, '<$0.000001'],
  ])('formatCost(%j) = %j', (input, expected) => {
    expect(formatCost(input)).toBe(expected);
  });

  it('prints times in UTC to the second, and passes through what it cannot parse', () => {
    expect(formatTime('2026-11-29T10:29:42.123Z')).toBe('2026-11-29 10:29:42');
    expect(formatTime('2026-11-29T12:29:42+02:00')).toBe('2026-11-29 10:29:42');
    expect(formatTime(null)).toBe('-');
    expect(formatTime('soon')).toBe('soon');
  });

  it('prints params, version maps and JSON values on one line', () => {
    expect(formatParams({ temperature: 0.2, stop: ['\n'], a: 'x' })).toBe(
      'a="x" stop=["\\n"] temperature=0.2',
    );
    expect(formatParams({})).toBe('-');
    expect(formatVersionMap({ staging: 4, production: 3 })).toBe('production=v3 staging=v4');
    expect(formatVersionMap(undefined)).toBe('-');
    expect(formatValue('qwen-max')).toBe('qwen-max');
    expect(formatValue(null)).toBe('-');
    expect(formatValue(0.5)).toBe('0.5');
    expect(formatValue({ k: 1 })).toBe('{"k":1}');
  });

  it('summarises actions in first-seen order', () => {
    expect(countSummary(['created', 'unchanged', 'created', 'deployed'])).toBe(
      '2 created, 1 unchanged, 1 deployed',
    );
    expect(countSummary([])).toBe('');
  });
});
