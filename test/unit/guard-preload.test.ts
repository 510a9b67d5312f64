/** preloadGuardModels (server start): runs the default policy once at both stages. */
import { describe, expect, it } from 'vitest';
import { preloadGuardModels, ScannerRegistry } from '../../src/guard/index.js';

describe('preloadGuardModels', () => {
  it('decodes the built-in models through the default policy without throwing', async () => {
    const registry = new ScannerRegistry();
    await expect(preloadGuardModels(registry)).resolves.toBeUndefined();
    // The registry now holds the default scanners, ready for the first request.
    expect(registry.get('injection', {}, 'input').name).toBe('injection');
  });
});
