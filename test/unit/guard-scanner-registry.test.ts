/**
 * The scanner registry shares one scanner per distinct options. Every policy pushed or checked
 * (a refused one too) builds its rules' scanners, and a words or regex rule's options are as
 * distinct as its list: the registry keeps a bounded number, the most recently used.
 */
import { describe, expect, it } from 'vitest';
import { MAX_SHARED_SCANNERS, ScannerRegistry, validateRules } from '../../src/guard/index.js';

describe('ScannerRegistry', () => {
  it('keeps a bounded number of scanners however many distinct options it has built', async () => {
    const registry = new ScannerRegistry();
    const pii = registry.get('pii');
    const first = registry.get('words', { terms: ['first-term'] });
    for (let index = 0; index < MAX_SHARED_SCANNERS * 3; index++) {
      // A refused policy (the second rule's action) still had its words rule compiled.
      expect(() =>
        validateRules(
          [
            {
              scanner: 'words',
              stage: 'input',
              action: 'block',
              threshold: 0.5,
              options: { terms: [`term-${index}`] },
            },
            { scanner: 'pii', stage: 'input', action: 'drop', threshold: 0.5 },
          ],
          registry,
        ),
      ).toThrow('"drop" applies to retrieved context only');
    }
    expect(registry.size).toBeLessThanOrEqual(MAX_SHARED_SCANNERS);
    // What is in use stays shared; a long-unused scanner is built again when next asked for.
    expect(registry.get('pii')).toBe(pii);
    const again = registry.get('words', { terms: ['first-term'] });
    expect(again).not.toBe(first);
    expect((await again.scan('a first-term here', { stage: 'input' })).score).toBeGreaterThan(0);
  });
});
