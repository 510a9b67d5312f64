/** createProvider / createProviderRegistry: config types map to adapters; bad configs fail clearly. */
import { afterEach, describe, expect, it } from 'vitest';
import { type ProviderConfig, providerSchema } from '../../src/core/index.js';
import { createProvider, createProviderRegistry } from '../../src/providers/index.js';

const configs: ProviderConfig[] = [
  providerSchema.parse({ name: 'vllm', type: 'openai-compatible', base_url: 'http://127.0.0.1:9/v1' }),
  providerSchema.parse({ name: 'claude', type: 'anthropic', base_url: 'https://api.anthropic.com/v1' }),
  providerSchema.parse({ name: 'local', type: 'local-extractive' }),
];

afterEach(() => {
  delete process.env.STACKOPS_FACTORY_TEST_KEY;
});

describe('createProvider', () => {
  it.each(configs.map((config) => [config.type, config] as const))(
    'builds a %s provider',
    async (type, config) => {
      const provider = createProvider(config);
      expect(provider.type).toBe(type);
      expect(provider.name).toBe(config.name);
      await provider.close();
    },
  );

  it('rejects an HTTP provider without base_url', () => {
    const config = {
      name: 'x',
      type: 'openai-compatible',
      headers: {},
      anthropic_version: '2023-06-01',
      default_max_tokens: 1,
    } as const;
    expect(() => createProvider(config)).toThrow(expect.objectContaining({ code: 'invalid_config' }));
  });

  it('never exposes the API key on the provider object', () => {
    process.env.STACKOPS_FACTORY_TEST_KEY = 'sk-very-secret';
    const provider = createProvider(
      providerSchema.parse({
        name: 'o',
        type: 'openai-compatible',
        base_url: 'https://example.com/v1',
        api_key_env: 'STACKOPS_FACTORY_TEST_KEY',
      }),
    );
    expect(JSON.stringify(provider)).not.toContain('sk-very-secret');
    expect(Object.values(provider).join(' ')).not.toContain('sk-very-secret');
  });
});

describe('createProviderRegistry', () => {
  it('maps names to providers', async () => {
    const registry = createProviderRegistry(configs, new Map([['claude', 'sk-ant']]));
    expect([...registry.keys()]).toEqual(['vllm', 'claude', 'local']);
    for (const provider of registry.values()) await provider.close();
  });

  it('rejects duplicate names', () => {
    expect(() => createProviderRegistry([configs[2]!, configs[2]!])).toThrow(
      /duplicate provider name "local"/,
    );
  });
});
