/**
 * `RequestContext`: the one object every pipeline stage reads and extends. Stages record
 * spans into it; the record stage turns it into a trace after the response is sent.
 */
import type { Role, SpanRecord, TraceStatus, UsageCounts } from '../core/index.js';
import type { PseudonymVault } from '../guard/index.js';
import type { ResolvedStack } from '../registry/index.js';
import type { CompiledModel } from './registry.js';

export interface AuthenticatedKey {
  keyId: string;
  projectId: string;
  role: Role;
  instanceAdmin: boolean;
}

export interface RequestContext {
  readonly traceId: string;
  /** The gateway's root span for this request. */
  readonly rootSpanId: string;
  /** The caller's span from an incoming `traceparent`, if any. */
  readonly parentSpanId: string | null;
  readonly startTime: number;
  /** High-resolution start (performance.now()) for latency and TTFT. */
  readonly startMark: number;
  readonly operation: 'chat' | 'embeddings';
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
  auth: AuthenticatedKey | null;
  /** Name the client asked for (`model` field). */
  requestedModel: string;
  model: CompiledModel | null;
  /** The stack version serving this request, when `model` named a stack. */
  stack: ResolvedStack | null;
  /** Environment the stack was resolved in (null when a version was pinned). */
  environment: string | null;
  /** Output-guard state: the rendered system prompt and its planted canary. */
  guard?: { systemPrompt: string; canary: string };
  /**
   * Values the input guard replaced with placeholders under a `reversible` redaction; the
   * answer gets them back before it reaches the client. In memory for this request only.
   */
  pseudonyms?: PseudonymVault;
  /** The strongest guard action per stage so far (absent: allow), for the `x-stackops-guard` header. */
  guardActions?: Partial<Record<'input' | 'context' | 'output', 'flag' | 'redact' | 'block'>>;
  /** Upstream model id replacing the primary model's (a LoRA adapter's name). */
  upstreamModelOverride: string | null;
  spans: SpanRecord[];
  /** Trace-level attributes (`stackops.*`). */
  attributes: Record<string, unknown>;
  status: TraceStatus;
  statusMessage: string | null;
  usage: UsageCounts;
  cost: number;
  ttftMs: number | null;
  /** The model that finally answered (after fallbacks). */
  servedBy: CompiledModel | null;
}
