/**
 * Attribute names: OpenTelemetry GenAI semantic conventions (`gen_ai.*`) and ours
 * (`stackops.*`). Spans carry these keys so our traces, OTLP from other apps and exports to
 * other tools share one model.
 */
export const ATTR = {
  operationName: 'gen_ai.operation.name',
  system: 'gen_ai.system',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  responseId: 'gen_ai.response.id',
  finishReasons: 'gen_ai.response.finish_reasons',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cachedInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  cacheWriteInputTokens: 'gen_ai.usage.cache_creation.input_tokens',
  reasoningTokens: 'gen_ai.usage.reasoning.output_tokens',
  temperature: 'gen_ai.request.temperature',
  topP: 'gen_ai.request.top_p',
  maxTokens: 'gen_ai.request.max_tokens',
  seed: 'gen_ai.request.seed',
  stopSequences: 'gen_ai.request.stop_sequences',
  inputMessages: 'gen_ai.input.messages',
  outputMessages: 'gen_ai.output.messages',
  errorType: 'error.type',
  serverAddress: 'server.address',
  model: 'stackops.model',
  provider: 'stackops.provider',
  upstreamModel: 'stackops.upstream_model',
  attempt: 'stackops.attempt',
  fallbackIndex: 'stackops.fallback_index',
  cost: 'stackops.cost',
  ttftMs: 'stackops.ttft_ms',
  latencyMs: 'stackops.latency_ms',
  streamed: 'stackops.stream',
  streamInterrupted: 'stackops.stream.interrupted',
  usageEstimated: 'stackops.usage.estimated',
  apiKeyId: 'stackops.api_key.id',
  stack: 'stackops.stack',
  stackVersion: 'stackops.stack.version',
  stackFingerprint: 'stackops.stack.fingerprint',
  environment: 'stackops.environment',
  stackLineage: 'stackops.stack.lineage',
  promptVersion: 'stackops.prompt.version',
  adapter: 'stackops.adapter',
  knowledgeSnapshot: 'stackops.kb.snapshot',
  guardPolicy: 'stackops.guard.policy',
  /**
   * On the retrieval span, only when the stack's policy has context rules — so "scanned, all
   * clean" (scanned: 3, the rest 0) reads apart from "not scanned" (absent) without a span per
   * clean chunk. Cache hits are verdicts reused from an identical chunk scanned earlier.
   */
  retrievalGuardScanned: 'stackops.retrieval.guard.scanned',
  retrievalGuardFlagged: 'stackops.retrieval.guard.flagged',
  retrievalGuardRedacted: 'stackops.retrieval.guard.redacted',
  retrievalGuardDropped: 'stackops.retrieval.guard.dropped',
  retrievalGuardCacheHits: 'stackops.retrieval.guard.cache_hits',
} as const;
