/**
 * Embeddings for knowledge snapshots and queries, through a registered embedding model's
 * provider (the same adapters the gateway uses). Vectors come back as Float32Array.
 */
import { AppError, type EmbeddingResponse } from '../core/index.js';
import type { RegistrySnapshot } from '../gateway/index.js';
import type { Embedder } from '../knowledge/index.js';

const EMBED_TIMEOUT_MS = 60_000;

function toVector(embedding: number[] | string): Float32Array {
  if (typeof embedding !== 'string') return Float32Array.from(embedding);
  const bytes = Buffer.from(embedding, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

export function createEmbedder(registry: RegistrySnapshot): Embedder {
  return async (modelName, texts) => {
    const model = registry.models.get(modelName);
    if (model?.kind !== 'embedding')
      throw new AppError('model_not_found', `Embedding model "${modelName}" is not configured`);
    const response: EmbeddingResponse = await model.provider.embed(
      { model: model.upstreamModel, input: texts },
      {
        signal: AbortSignal.timeout(EMBED_TIMEOUT_MS),
        connectTimeoutMs: model.timeouts.connect_ms,
        // The headers come with the whole answer: bounded by the call's total time.
        headersTimeoutMs: EMBED_TIMEOUT_MS,
        bodyTimeoutMs: EMBED_TIMEOUT_MS,
      },
    );
    const vectors = new Array<Float32Array>(texts.length);
    for (const item of response.data) vectors[item.index] = toVector(item.embedding);
    if (vectors.some((vector) => vector === undefined)) {
      throw new AppError(
        'upstream_error',
        `Embedding model "${modelName}" returned ${response.data.length} vectors for ${texts.length} texts`,
      );
    }
    return vectors;
  };
}
