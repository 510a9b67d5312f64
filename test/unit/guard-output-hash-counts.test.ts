/**
 * HashCounts (the repetition tracker's counter) against a Map on random increments, adds,
 * payload exchanges and removes, including colliding keys, growth, backward-shift deletion and
 * clear.
 */
import { describe, expect, it } from 'vitest';
import { HashCounts } from '../../src/guard/output/hash-counts.js';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

describe('HashCounts', () => {
  it.each([
    ['few keys, many repeats', 8, 1],
    ['a sliding window of 64', 200, 2],
    ['many keys (growth)', 5000, 3],
  ])('matches a Map: %s', (_name, keySpace, seed) => {
    const next = random(seed);
    const keys = Array.from({ length: keySpace }, () => (next() * 4294967296) | 0);
    const table = new HashCounts(16);
    const reference = new Map<number, { count: number; payload: number }>();
    for (let step = 0; step < 20_000; step++) {
      const key = keys[Math.floor(next() * keys.length)]!;
      const choice = next();
      if (choice < 0.3) {
        table.increment(key, step);
        const entry = reference.get(key);
        if (entry) entry.count++;
        else reference.set(key, { count: 1, payload: step });
      } else if (choice < 0.55) {
        const entry = reference.get(key) ?? { count: 0, payload: step };
        entry.count++;
        reference.set(key, entry);
        expect(table.add(key, step)).toBe(entry.count);
        expect(table.lastPayload).toBe(entry.payload);
      } else if (choice < 0.6) {
        const entry = reference.get(key);
        expect(table.exchangePayload(key, step, -1)).toBe(entry?.payload ?? -1);
        if (entry) entry.payload = step;
        else reference.set(key, { count: 1, payload: step });
      } else {
        table.decrement(key);
        const entry = reference.get(key);
        if (entry && --entry.count === 0) reference.delete(key);
      }
      if (step % 97 === 0) {
        expect(table.size).toBe(reference.size);
        for (const probe of keys.slice(0, 50)) {
          expect(table.count(probe)).toBe(reference.get(probe)?.count ?? 0);
          expect(table.payload(probe, -1)).toBe(reference.get(probe)?.payload ?? -1);
        }
      }
    }
    table.clear();
    expect(table.size).toBe(0);
    expect(table.count(keys[0]!)).toBe(0);
  });
});
