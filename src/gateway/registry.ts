/**
 * The compiled, in-memory routing table the hot path reads: every model with its provider,
 * upstream id, prices, retry/timeout policy and resolved fallback chain. A registry snapshot is
 * immutable; changes build a new snapshot and swap one reference, so a request sees either
 * the old table or the new one entirely.
 */
import {
  type ConfigFile,
  type ModelConfig,
  type Pricing,
  pricingFor,
  type RetryConfig,
  type TimeoutConfig,
} from '../core/index.js';
import type { Provider } from '../providers/index.js';

export interface CompiledModel {
  name: string;
  kind: 'chat' | 'embedding';
  provider: Provider;
  upstreamModel: string;
  contextWindow: number;
  pricing: Pricing | undefined;
  retry: RetryConfig;
  timeouts: TimeoutConfig;
  /** This model followed by its fallbacks, in the order they are tried. */
  chain: CompiledModel[];
}

export interface RegistrySnapshot {
  models: ReadonlyMap<string, CompiledModel>;
  providers: ReadonlyMap<string, Provider>;
}

export function compileRegistry(
  config: ConfigFile,
  providers: ReadonlyMap<string, Provider>,
): RegistrySnapshot {
  const models = new Map<string, CompiledModel>();
  const byName = new Map<string, ModelConfig>(config.models.map((model) => [model.name, model]));
  for (const model of config.models) {
    const provider = providers.get(model.provider);
    if (!provider) throw new Error(`model ${model.name}: unknown provider ${model.provider}`);
    models.set(model.name, {
      name: model.name,
      kind: model.kind,
      provider,
      upstreamModel: model.upstream_model ?? model.name,
      contextWindow: model.context_window,
      pricing: pricingFor(model.pricing, provider.type),
      retry: { ...config.gateway.retry, ...model.retry },
      timeouts: { ...config.gateway.timeouts, ...model.timeouts },
      chain: [],
    });
  }
  for (const compiled of models.values()) {
    const fallbacks = byName.get(compiled.name)?.fallbacks ?? [];
    compiled.chain = [
      compiled,
      ...fallbacks.map((fallback) => models.get(fallback)).filter((model) => model !== undefined),
    ];
  }
  return { models, providers };
}
