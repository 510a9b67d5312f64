/**
 * The cost pass of the suffix scorer: each symbol's cost −log2 P under the character n-gram
 * model (language-model.ts), found in the hashed table highest order first, adding back-off
 * costs on each miss, capped at MAX_COST_BITS; FLAG_SURPRISE above SURPRISE_BITS. `score` runs
 * it only over the ranges the gates found (gates.ts); the training paths over the whole text.
 */

import { COST_UNITS, type SuffixLanguageModel } from './language-model.js';
import { FLAG_NEUTRAL, FLAG_SURPRISE, MAX_COST_BITS, NEUTRAL_COST_BITS, SURPRISE_BITS } from './shape.js';
import type { ScoringState } from './state.js';
import { SYMBOL_BACKOFF } from './symbols.js';

/** The n-gram model laid out for the look-ups (built once per scorer). */
export class CostTable {
  readonly order: number;
  /** Cost of each symbol under the unigram model, in 1/COST_UNITS bit. */
  readonly unigram: Uint8Array;
  /** Mask of the packed context of each order n (the previous n − 1 symbols, 7 bits each). */
  readonly contextMasks: Int32Array;
  /** Selects a bucket's first slot from a hash. */
  readonly slotMask: number;
  /** Fingerprints and costs interleaved (fingerprint | cost << 8): one read per slot. */
  readonly table: Uint16Array;

  constructor(model: SuffixLanguageModel) {
    this.order = model.order;
    this.unigram = model.unigram;
    this.contextMasks = new Int32Array(model.order + 1);
    for (let n = 2; n <= model.order; n++) this.contextMasks[n] = (1 << (7 * (n - 1))) - 1;
    this.slotMask = (1 << model.tableBits) - 2;
    this.table = new Uint16Array(model.fingerprints.length);
    for (let slot = 0; slot < this.table.length; slot++)
      this.table[slot] = model.fingerprints[slot]! | (model.costs[slot]! << 8);
  }
}

/**
 * After the shape pass, for symbols [from, to): each symbol's cost (neutral ones, including
 * masked runs, get the neutral cost without a look-up) and FLAG_SURPRISE. Idempotent, so
 * ranges may overlap.
 */
export function prepareCosts(model: CostTable, state: ScoringState, from: number, to: number): void {
  const { unigram, order, table, contextMasks, slotMask } = model;
  const symbols = state.symbols;
  const costs = state.costs;
  const flags = state.flags;
  const contextMask = contextMasks[order]!;
  // The context is the previous order − 1 symbols (zero before the text's start).
  let context = 0;
  for (let index = Math.max(0, from - order + 1); index < from; index++)
    context = ((context << 7) | symbols[index]!) & contextMask;
  for (let index = from; index < to; index++) {
    const symbol = symbols[index]!;
    const flag = flags[index]!;
    if (flag === FLAG_NEUTRAL) costs[index] = NEUTRAL_COST_BITS;
    else {
      // Cost under the n-gram model: highest order first, adding back-off costs on misses.
      let units = -1;
      let backoff = 0;
      for (let n = order; n >= 2; n--) {
        const part = context & contextMasks[n]!;
        // ngramHash (language-model.ts) inlined twice, sharing its first step: calling it was
        // 15 % slower on texts that take this pass (58 → 67 µs per 2 KB).
        let hash = Math.imul(part ^ Math.imul(n, 0x27d4eb2f), 0x9e3779b1);
        let backoffHash = hash;
        hash ^= Math.imul(symbol + 0x165667b1, 0x85ebca77);
        hash ^= hash >>> 15;
        hash = Math.imul(hash, 0x2c1b3c6d);
        hash ^= hash >>> 12;
        hash = Math.imul(hash, 0x297a2d39);
        hash ^= hash >>> 15;
        // One 16-bit read per slot: fingerprint in the low byte, cost in the high byte.
        let slot = hash & slotMask;
        let fingerprint = hash >>> 24 || 1;
        let entry = table[slot]!;
        if ((entry & 255) === fingerprint) {
          units = entry >>> 8;
          break;
        }
        entry = table[slot + 1]!;
        if ((entry & 255) === fingerprint) {
          units = entry >>> 8;
          break;
        }
        backoffHash ^= Math.imul(SYMBOL_BACKOFF + 0x165667b1, 0x85ebca77);
        backoffHash ^= backoffHash >>> 15;
        backoffHash = Math.imul(backoffHash, 0x2c1b3c6d);
        backoffHash ^= backoffHash >>> 12;
        backoffHash = Math.imul(backoffHash, 0x297a2d39);
        backoffHash ^= backoffHash >>> 15;
        slot = backoffHash & slotMask;
        fingerprint = backoffHash >>> 24 || 1;
        entry = table[slot]!;
        if ((entry & 255) === fingerprint) backoff += entry >>> 8;
        else {
          entry = table[slot + 1]!;
          if ((entry & 255) === fingerprint) backoff += entry >>> 8;
        }
      }
      if (units < 0) units = unigram[symbol] ?? 255;
      let cost = (units + backoff) / COST_UNITS;
      if (cost > MAX_COST_BITS) cost = MAX_COST_BITS;
      costs[index] = cost;
      if (cost > SURPRISE_BITS) flags[index] = flag | FLAG_SURPRISE;
    }
    context = ((context << 7) | symbol) & contextMask;
  }
}
