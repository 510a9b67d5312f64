/**
 * Dense ASCII transitions of an Aho–Corasick automaton for the injection scanner's needle and
 * gate passes, laid out for the shortest dependency from one character to the next: the table
 * is indexed by `row + column[code]`, where `row` is the state × the number of columns, and
 * each entry holds the next state's row (× 2) plus 1 when a pattern ends there (the state ends
 * one or has an output link), so the pass reads one entry per character and follows the
 * automaton's outputs only when that bit is set.
 *
 * The former words/ascii-transitions.ts (removed; one multiplication and three property loads per character, and
 * a table whose element type differs between its users) took 7.5 µs per 2,556 characters of
 * window views, this one about 4 (2026-11-29, session 6). Code units ≥ 128 take the
 * automaton's own `next` (state = row ÷ columns).
 */
import type { AhoCorasick } from '../words/aho-corasick.js';

export class PremultipliedTransitions {
  /** Column of each ASCII character (0: in no pattern, which leads back to the root). */
  readonly column = new Uint8Array(128);
  /** `column` with A–Z read as a–z: the pass over an ASCII text in any case reads it lower-cased. */
  readonly foldedColumn = new Uint8Array(128);
  readonly columns: number;
  /** Entry per (state, column): next state × columns × 2, + 1 when a pattern ends there. */
  readonly table: Int32Array;

  constructor(automaton: AhoCorasick, patterns: readonly string[]) {
    const codes = [0];
    for (const pattern of patterns) {
      for (let index = 0; index < pattern.length; index++) {
        const code = pattern.charCodeAt(index);
        if (code < 128 && this.column[code] === 0) {
          this.column[code] = codes.length;
          codes.push(code);
        }
      }
    }
    const columns = codes.length;
    for (let code = 0; code < 128; code++)
      this.foldedColumn[code] = this.column[code >= 65 && code <= 90 ? code + 32 : code]!;
    this.columns = columns;
    if (automaton.size * columns * 2 >= 2 ** 31)
      throw new RangeError('automaton too large for the step table');
    const { terminal, outputLink } = automaton;
    this.table = new Int32Array(automaton.size * columns);
    for (let state = 0; state < automaton.size; state++) {
      for (let column = 0; column < columns; column++) {
        const next = column === 0 ? 0 : automaton.next(state, codes[column]!);
        const ends = terminal[next] !== -1 || outputLink[next] !== -1 ? 1 : 0;
        this.table[state * columns + column] = next * columns * 2 + ends;
      }
    }
  }
}
