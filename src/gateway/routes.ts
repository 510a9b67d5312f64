/** Mounts the OpenAI-compatible endpoints on a Fastify instance. */
import type { FastifyInstance } from 'fastify';
import {
  createChatCompletionsHandler,
  createEmbeddingsHandler,
  createModelsHandler,
  type GatewayDependencies,
} from './handlers.js';

export function registerGatewayRoutes(app: FastifyInstance, dependencies: GatewayDependencies): void {
  app.post('/v1/chat/completions', createChatCompletionsHandler(dependencies));
  app.post('/v1/embeddings', createEmbeddingsHandler(dependencies));
  app.get('/v1/models', createModelsHandler(dependencies));
}
