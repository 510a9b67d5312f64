/**
 * Training of the suffix detector's character n-gram model (used by scripts/train-suffix.ts
 * and by the determinism test). Interpolated absolute discounting, one discount per order
 * (D = n1 / (n1 + 2·n2)), converted to back-off form (see ./language-model.ts) and pruned into
 * a fixed hashed table: candidates are inserted in order of how much they change the model's
 * cost over the training text (count × |stored cost − back-off cost|), so what does not fit is
 * what matters least. Everything is deterministic: Maps are iterated in sorted key order and
 * ties are broken by key.
 */

import { COST_UNITS, fingerprintOf, ngramHash, type SuffixLanguageModel } from './language-model.js';
import { ALPHABET_SIZE, SYMBOL_BACKOFF, toSymbols } from './symbols.js';

export interface NgramTrainingOptions {
  /** Longest n-gram (context = order − 1 symbols, at most 4). Default 5. */
  order?: number;
  /** The table has 2^tableBits one-byte slots (plus as many fingerprint bytes). Default 18. */
  tableBits?: number;
  /** Fill at most this share of the slots (more raises false fingerprint hits). Default 0.8. */
  maxLoad?: number;
  /** n-grams of order ≥ 3 seen fewer times are not candidates. Default 2. */
  minCount?: number;
}

export interface NgramTrainingStats {
  symbols: number;
  /** Distinct n-grams by order. */
  distinct: Record<string, number>;
  /** Discount by order (2…order). */
  discounts: Record<string, number>;
  candidates: number;
  stored: number;
}

const CONTEXT_BITS = 7;
/** Share of the filled slots given to n-gram entries; the rest hold back-off weights. */
const NGRAM_SHARE = 0.75;

function quantize(bits: number): number {
  return Math.min(255, Math.max(1, Math.round(bits * COST_UNITS)));
}

function increment(map: Map<number, number>, key: number, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

interface Candidate {
  order: number;
  context: number;
  symbol: number;
  cost: number;
  priority: number;
}

export function trainLanguageModel(
  texts: Iterable<string>,
  options: NgramTrainingOptions = {},
): { model: SuffixLanguageModel; stats: NgramTrainingStats } {
  const order = options.order ?? 5;
  const tableBits = options.tableBits ?? 18;
  const maxLoad = options.maxLoad ?? 0.8;
  const minCount = options.minCount ?? 2;
  if (order < 2 || order > 5) throw new Error('order must be 2…5');
  const contextMask = (1 << (CONTEXT_BITS * (order - 1))) - 1;
  // counts[n]: key = context(n − 1 symbols) × 128 + symbol.
  const counts: Map<number, number>[] = Array.from({ length: order + 1 }, () => new Map());
  let symbols = 0;
  for (const text of texts) {
    let context = 0;
    for (const symbol of toSymbols(text)) {
      symbols++;
      for (let n = 1; n <= order; n++) {
        const part = n === 1 ? 0 : context & ((1 << (CONTEXT_BITS * (n - 1))) - 1);
        increment(counts[n]!, part * 128 + symbol);
      }
      context = ((context << CONTEXT_BITS) | symbol) & contextMask;
    }
  }
  // Unigram: add-½ over the alphabet.
  const unigramBits = new Float64Array(ALPHABET_SIZE);
  const unigram = new Uint8Array(ALPHABET_SIZE);
  for (let symbol = 0; symbol < ALPHABET_SIZE; symbol++) {
    const p = ((counts[1]!.get(symbol) ?? 0) + 0.5) / (symbols + 0.5 * ALPHABET_SIZE);
    unigramBits[symbol] = -Math.log2(p);
    unigram[symbol] = quantize(unigramBits[symbol]!);
  }
  const discounts: number[] = [0, 0];
  const candidates: Candidate[] = [];
  // Interpolated cost of every seen n-gram by order (key as in counts), and its lower-order cost.
  const interpolated: Map<number, number>[] = [new Map(), new Map()];
  for (const [key] of counts[1]!) interpolated[1]!.set(key, unigramBits[key % 128]!);
  for (let n = 2; n <= order; n++) {
    const map = counts[n]!;
    let ones = 0;
    let twos = 0;
    for (const count of map.values()) {
      if (count === 1) ones++;
      else if (count === 2) twos++;
    }
    const discount = ones + twos === 0 ? 0.5 : Math.min(0.95, Math.max(0.05, ones / (ones + 2 * twos)));
    discounts.push(discount);
    const totals = new Map<number, number>();
    const types = new Map<number, number>();
    for (const [key, count] of map) {
      const context = Math.floor(key / 128);
      increment(totals, context, count);
      increment(types, context);
    }
    const lowerMask = (1 << (CONTEXT_BITS * (n - 2))) - 1;
    const lower = interpolated[n - 1]!;
    const current = new Map<number, number>();
    for (const key of [...map.keys()].sort((a, b) => a - b)) {
      const count = map.get(key)!;
      const context = Math.floor(key / 128);
      const symbol = key % 128;
      const total = totals.get(context)!;
      const gamma = (discount * types.get(context)!) / total;
      const lowerCost = lower.get((context & lowerMask) * 128 + symbol)!;
      const p = Math.max(count - discount, 0) / total + gamma * 2 ** -lowerCost;
      const cost = -Math.log2(p);
      current.set(key, cost);
      if (n >= 3 && count < minCount) continue;
      const backoffCost = -Math.log2(gamma) + lowerCost;
      candidates.push({ order: n, context, symbol, cost, priority: count * Math.abs(backoffCost - cost) });
    }
    interpolated.push(current);
  }
  candidates.sort(
    (a, b) => b.priority - a.priority || a.order - b.order || a.context - b.context || a.symbol - b.symbol,
  );
  const slots = 1 << tableBits;
  const fingerprints = new Uint8Array(slots);
  const costs = new Uint8Array(slots);
  const insert = (candidate: Candidate): boolean => {
    const hash = ngramHash(candidate.order, candidate.context, candidate.symbol);
    const slot = hash & (slots - 2);
    const free = fingerprints[slot] === 0 ? slot : fingerprints[slot + 1] === 0 ? slot + 1 : -1;
    if (free < 0) return false;
    fingerprints[free] = fingerprintOf(hash);
    costs[free] = quantize(candidate.cost);
    return true;
  };
  // n-gram entries first, up to the n-gram share of the slots.
  const ngramLimit = Math.floor(slots * maxLoad * NGRAM_SHARE);
  // Per context (keyed order × 2^28 + context): stored probability mass, and its lower-order mass.
  const storedMass = new Map<number, number>();
  const storedLowerMass = new Map<number, number>();
  let stored = 0;
  for (const candidate of candidates) {
    if (stored >= ngramLimit) break;
    if (!insert(candidate)) continue;
    stored++;
    const contextKey = candidate.order * 2 ** 28 + candidate.context;
    const lowerMask = (1 << (CONTEXT_BITS * (candidate.order - 2))) - 1;
    const lowerCost = interpolated[candidate.order - 1]!.get(
      (candidate.context & lowerMask) * 128 + candidate.symbol,
    )!;
    increment(storedMass, contextKey, 2 ** -candidate.cost);
    increment(storedLowerMass, contextKey, 2 ** -lowerCost);
  }
  // Back-off weights renormalised over what was stored (pruned n-grams' mass goes to back-off):
  // γ(c) = (1 − Σ stored P(x|c)) / (1 − Σ stored P_lower(x|c')), by context frequency.
  const contexts: Candidate[] = [];
  for (let n = 2; n <= order; n++) {
    const totals = new Map<number, number>();
    for (const [key, count] of counts[n]!) increment(totals, Math.floor(key / 128), count);
    for (const context of [...totals.keys()].sort((a, b) => a - b)) {
      const total = totals.get(context)!;
      if (n >= 3 && total < minCount) continue;
      const contextKey = n * 2 ** 28 + context;
      const mass = storedMass.get(contextKey) ?? 0;
      const lowerMass = storedLowerMass.get(contextKey) ?? 0;
      const gamma = Math.max(1e-4, 1 - mass) / Math.max(1e-4, 1 - lowerMass);
      const cost = Math.max(0, -Math.log2(gamma));
      contexts.push({ order: n, context, symbol: SYMBOL_BACKOFF, cost, priority: total * cost });
    }
  }
  contexts.sort((a, b) => b.priority - a.priority || a.order - b.order || a.context - b.context);
  const limit = Math.floor(slots * maxLoad);
  for (const context of contexts) {
    if (stored >= limit) break;
    if (context.cost > 0 && insert(context)) stored++;
  }
  return {
    model: { order, tableBits, unigram, fingerprints, costs },
    stats: {
      symbols,
      distinct: Object.fromEntries(counts.slice(1).map((map, index) => [`order${index + 1}`, map.size])),
      discounts: Object.fromEntries(
        discounts.slice(2).map((value, index) => [`order${index + 2}`, Math.round(value * 1e4) / 1e4]),
      ),
      candidates: candidates.length + contexts.length,
      stored,
    },
  };
}
