/**
 * The HTTP application: one Fastify instance serving the gateway (/v1), the control plane
 * (/api) and health. Errors from all of them go through the one error handler.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { StreamKeepAliveConfig } from '../core/index.js';
import type { ContextScanner, KeyAuthenticator, RegistrySnapshot } from '../gateway/index.js';
import { installTraceContext, registerGatewayRoutes } from '../gateway/index.js';
import type { ScannerRegistry } from '../guard/index.js';
import type { KnowledgeService } from '../knowledge/index.js';
import type { TraceRetention, TraceWriter } from '../observe/index.js';
import type { ModelCatalog, StackDirectory } from '../registry/index.js';
import type { Store } from '../store/index.js';
import { answerFrameworkError, installErrorHandler } from './error-handler.js';
import { registerApplyAndDemoRoutes } from './routes/apply-and-demo.js';
import { registerGuardRoutes } from './routes/guard.js';
import { registerKnowledgeRoutes } from './routes/knowledge.js';
import { registerProjectAndKeyRoutes } from './routes/projects-and-keys.js';
import { registerPromptRoutes } from './routes/prompts.js';
import { registerStackRoutes } from './routes/stacks.js';
import { registerTraceRoutes } from './routes/traces.js';

export interface AppDependencies {
  store: Store;
  authenticator: KeyAuthenticator;
  directory: StackDirectory;
  catalog: ModelCatalog;
  scanners: ScannerRegistry;
  knowledge: KnowledgeService;
  contextScanner: ContextScanner;
  registry: () => RegistrySnapshot;
  writer: TraceWriter;
  /** Null when traces are kept forever (no `tracing.retention_days`). */
  retention?: TraceRetention | null;
  captureContent: boolean;
  streamKeepAlive: StreamKeepAliveConfig;
  maxBodyBytes: number;
  logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  /** Set while draining on shutdown: answers then close their connection. */
  lifecycle: { draining: boolean };
}

export function buildApp(dependencies: AppDependencies): FastifyInstance {
  const app = Fastify({
    logger: dependencies.logLevel === 'silent' ? false : { level: dependencies.logLevel },
    bodyLimit: dependencies.maxBodyBytes,
    return503OnClosing: true,
    frameworkErrors: answerFrameworkError,
  });
  installErrorHandler(app);
  // Action endpoints (POST …/snapshots) need no body; many clients still send the JSON
  // content type with an empty one. Treat that as no body rather than an error.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' || (typeof body === 'string' && body.trim() === '')) return done(null, undefined);
    parseJson(request, body as string, done);
  });
  installTraceContext(app);
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (dependencies.lifecycle.draining) reply.header('connection', 'close');
    done(null, payload);
  });
  app.get('/healthz', async () => ({
    status: 'ok',
    traces: dependencies.writer.stats(),
    retention: dependencies.retention?.stats() ?? null,
  }));
  registerGatewayRoutes(app, dependencies);
  const controlPlane = {
    store: dependencies.store,
    authenticator: dependencies.authenticator,
    directory: dependencies.directory,
    catalog: dependencies.catalog,
    scanners: dependencies.scanners,
  };
  registerProjectAndKeyRoutes(app, controlPlane);
  registerTraceRoutes(app, controlPlane);
  registerPromptRoutes(app, controlPlane);
  registerStackRoutes(app, controlPlane);
  registerApplyAndDemoRoutes(app, controlPlane);
  registerKnowledgeRoutes(app, controlPlane, dependencies.knowledge);
  registerGuardRoutes(app, controlPlane);
  return app;
}
