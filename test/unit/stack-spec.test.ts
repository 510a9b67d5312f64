import { describe, expect, it } from 'vitest';
import { diffStackSpecs, promptTextDiff, type StackSpec, stackFingerprint } from '../../src/core/index.js';

const base: StackSpec = {
  model: 'qwen-max',
  adapter: { name: 'tone', version: 2 },
  prompt: { name: 'support', version: 3 },
  knowledge: null,
  guard: null,
  params: { temperature: 0.2, max_tokens: 512 },
  retrieval: null,
};
const hashes = { adapter: 'a'.repeat(64), prompt: 'b'.repeat(64) };

describe('stackFingerprint', () => {
  it('is stable: same components give the same fingerprint regardless of key order', () => {
    const reordered: StackSpec = { ...base, params: { max_tokens: 512, temperature: 0.2 } };
    expect(stackFingerprint(reordered, hashes)).toBe(stackFingerprint(base, hashes));
    expect(stackFingerprint(base, hashes)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('depends on content, not on version numbers', () => {
    const renumbered: StackSpec = { ...base, prompt: { name: 'support', version: 9 } };
    expect(stackFingerprint(renumbered, hashes)).toBe(stackFingerprint(base, hashes));
    expect(stackFingerprint(base, { ...hashes, prompt: 'c'.repeat(64) })).not.toBe(
      stackFingerprint(base, hashes),
    );
  });

  it.each([
    ['model', { ...base, model: 'other' }],
    ['adapter', { ...base, adapter: null }],
    ['params', { ...base, params: { temperature: 0.3, max_tokens: 512 } }],
    ['knowledge', { ...base, knowledge: { name: 'faq', snapshot: 2 } }],
    ['guard', { ...base, guard: { name: 'strict', version: 1 } }],
  ])('changes when %s changes', (_name, spec) => {
    expect(stackFingerprint(spec as StackSpec, hashes)).not.toBe(stackFingerprint(base, hashes));
  });
});

describe('diffStackSpecs', () => {
  it('lists changed components only', () => {
    const next: StackSpec = {
      ...base,
      prompt: { name: 'support', version: 4 },
      params: { temperature: 0.2, top_p: 0.9 },
    };
    expect(diffStackSpecs(base, next)).toEqual([
      { component: 'prompt', from: 'support@3', to: 'support@4' },
      { component: 'params.max_tokens', from: 512, to: null },
      { component: 'params.top_p', from: null, to: 0.9 },
    ]);
    expect(diffStackSpecs(base, base)).toEqual([]);
  });

  it('renders a unified prompt text diff', () => {
    const diff = promptTextDiff('support@1', [{ role: 'system', content: 'Be brief.' }], 'support@2', [
      { role: 'system', content: 'Be brief and kind.' },
    ]);
    expect(diff).toContain('-Be brief.');
    expect(diff).toContain('+Be brief and kind.');
    expect(promptTextDiff('a', [{ role: 'user', content: 'x' }], 'b', [{ role: 'user', content: 'x' }])).toBe(
      '',
    );
  });
});
