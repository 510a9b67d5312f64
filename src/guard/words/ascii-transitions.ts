/**
 * Dense transitions on ASCII for an Aho–Corasick automaton: scanned text is mostly ASCII, and
 * one table lookup per character is several times cheaper than walking failure links. Only
 * the ASCII characters the patterns use get a column; every other ASCII character leads back
 * to the root. Code units ≥ 128 take the automaton's own `next`.
 */
import type { AhoCorasick } from './aho-corasick.js';

export class AsciiTransitions {
  /** Column of each ASCII character (0: not in any pattern). */
  private readonly column = new Uint8Array(128);
  private readonly columns: number;
  private readonly table: Uint16Array | Int32Array;

  constructor(
    readonly automaton: AhoCorasick,
    patterns: readonly string[],
  ) {
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
    this.columns = codes.length;
    // Node numbers that fit 16 bits: half the table, fewer cache misses.
    this.table =
      automaton.size <= 0x10000
        ? new Uint16Array(automaton.size * this.columns)
        : new Int32Array(automaton.size * this.columns);
    for (let node = 0; node < automaton.size; node++) {
      for (let column = 1; column < this.columns; column++)
        this.table[node * this.columns + column] = automaton.next(node, codes[column]!);
    }
  }

  /** The state after reading `code` (a UTF-16 code unit) in `state`. */
  next(state: number, code: number): number {
    return code < 128
      ? this.table[state * this.columns + this.column[code]!]!
      : this.automaton.next(state, code);
  }
}
