/** Mounts the OpenAI-compatible endpoints on a Fastify instance. */
import type { FastifyInstance } from 'fastify';
import {
  createChatCompletionsHandler,
  createEmbeddingsHandler,
  createModelsHandler,
  type GatewayDependencies,
} from './handlers.js';

export function registerGatewayRoutes(app: FastifyInstance, dependencies: GatewayDependencies): void {
  // Tracked, so that a shutdown writes the traces of requests it cut (see TraceWriter.track).
  const chat = createChatCompletionsHandler(dependencies);
  const embeddings = createEmbeddingsHandler(dependencies);
  app.post('/v1/chat/completions', (request, reply) => dependencies.writer.track(chat(request, reply)));
  app.post('/v1/embeddings', (request, reply) => dependencies.writer.track(embeddings(request, reply)));
  app.get('/v1/models', createModelsHandler(dependencies));
}
