/** The built-in default policy and preloadGuardModels (server start). */
import { describe, expect, it } from 'vitest';
import { defaultPolicy, evaluateStage, preloadGuardModels, ScannerRegistry } from '../../src/guard/index.js';

describe('default policy', () => {
  it('flags toxic output instead of blocking it (the local model over-scores benign answers)', async () => {
    const policy = defaultPolicy(new ScannerRegistry());
    const toxicity = policy.stages.output.filter((rule) => rule.rule.scanner === 'toxicity');
    expect(toxicity.map((rule) => rule.rule.action)).toEqual(['flag']);
    const verdict = await evaluateStage(policy, 'output', 'Shut up, you stupid worthless idiot.');
    expect(verdict.action).toBe('flag');
  });
});

describe('preloadGuardModels', () => {
  it('decodes the built-in models through the default policy without throwing', async () => {
    const registry = new ScannerRegistry();
    await expect(preloadGuardModels(registry)).resolves.toBeUndefined();
    // The registry now holds the default scanners, ready for the first request.
    expect(registry.get('injection', {}, 'input').name).toBe('injection');
  });
});
