/**
 * @module providers
 *
 * The providers module's only door. It re-exports the adapter contract and builds a
 * `Provider` from a validated `ProviderConfig`: OpenAI-shaped vendors are settings of the one
 * `openai-compatible` adapter; Anthropic has its own adapter; `local-extractive` is the
 * built-in responder without a model.
 */
import { AppError, type ProviderConfig } from '../core/index.js';
import { createAnthropicProvider } from './anthropic/anthropic-provider.js';
import { createLocalExtractiveProvider } from './local-extractive/local-extractive-provider.js';
import { createOpenAICompatibleProvider } from './openai-compatible/openai-compatible-provider.js';
import type { Provider } from './provider.js';
import type { DispatcherTimeouts } from './shared/http-transport.js';

export type { AnthropicSettings } from './anthropic/anthropic-provider.js';
export { DEFAULT_EMBEDDING_DIMENSIONS } from './local-extractive/hashed-embeddings.js';
export type { LocalExtractiveSettings } from './local-extractive/local-extractive-provider.js';
export type { OpenAICompatibleSettings } from './openai-compatible/openai-compatible-provider.js';
export type { CallOptions, Provider } from './provider.js';
export type { DispatcherTimeouts } from './shared/http-transport.js';
export { createAnthropicProvider, createLocalExtractiveProvider, createOpenAICompatibleProvider };

function requireBaseUrl(config: ProviderConfig): string {
  if (!config.base_url)
    throw new AppError(
      'invalid_config',
      `provider "${config.name}": base_url is required for type ${config.type}`,
    );
  return config.base_url;
}

/**
 * Builds the provider a config entry describes. The API key is `apiKey` when given (the
 * server reads secrets once at start), else the value of the env var named by `api_key_env`,
 * read once, here. The key is held only in the adapter's private headers and never logged.
 * A missing key is not an error here: keyless servers (vLLM, Ollama) are common, and a
 * vendor that needs one answers 401, which the gateway reports.
 *
 * @example
 * const provider = createProvider(providerSchema.parse({ name: 'vllm', type: 'openai-compatible', base_url: 'http://127.0.0.1:8000/v1' }));
 * const completion = await provider.chat({ model: 'qwen', messages: [{ role: 'user', content: 'hi' }] },
 *   { signal: AbortSignal.timeout(30_000), connectTimeoutMs: 5000, headersTimeoutMs: 30_000, bodyTimeoutMs: 30_000 });
 */
export function createProvider(
  config: ProviderConfig,
  apiKey?: string,
  dispatcherTimeouts?: DispatcherTimeouts,
): Provider {
  const key = apiKey ?? (config.api_key_env ? process.env[config.api_key_env] : undefined);
  switch (config.type) {
    case 'openai-compatible':
      return createOpenAICompatibleProvider({
        name: config.name,
        baseUrl: requireBaseUrl(config),
        apiKey: key,
        headers: config.headers,
        dispatcherTimeouts,
      });
    case 'anthropic':
      return createAnthropicProvider({
        name: config.name,
        baseUrl: requireBaseUrl(config),
        apiKey: key,
        headers: config.headers,
        dispatcherTimeouts,
        anthropicVersion: config.anthropic_version,
        defaultMaxTokens: config.default_max_tokens,
      });
    case 'local-extractive':
      return createLocalExtractiveProvider({ name: config.name });
  }
}

/** One provider per config entry, by name. `secrets` maps provider name → API key. */
export function createProviderRegistry(
  configs: readonly ProviderConfig[],
  secrets: ReadonlyMap<string, string> = new Map(),
): Map<string, Provider> {
  const registry = new Map<string, Provider>();
  for (const config of configs) {
    if (registry.has(config.name))
      throw new AppError('invalid_config', `duplicate provider name "${config.name}"`);
    registry.set(config.name, createProvider(config, secrets.get(config.name)));
  }
  return registry;
}
