/**
 * The data plane: OpenAI-compatible endpoints and the staged request pipeline
 * (authenticate → resolve → call provider → respond → record).
 */
export type { AuthenticatedKey, RequestContext } from './context.js';
export type { GatewayDependencies } from './handlers.js';
export { KeyAuthenticator } from './key-authenticator.js';
export { type CompiledModel, compileRegistry, type RegistrySnapshot } from './registry.js';
export { backoffDelay, retryAfterTooLong } from './retry-policy.js';
export { registerGatewayRoutes } from './routes.js';
export { guardContextScanner } from './stages/guard-output.js';
export {
  type Citation,
  type ContextScanner,
  passThroughScanner,
  type RetrievedChunk,
} from './stages/retrieve.js';
export { installTraceContext, TRACE_HEADER } from './trace-context.js';
